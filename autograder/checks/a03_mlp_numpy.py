"""Hidden checks of assignment 03 (spec §5, H1–H12): the layers, the losses, ``MLP.forward/backward/loss``,
the update rules, ``minibatch_indices``, ``train_step``, the package's imports and the notebook's results.

Every check except ``notebook_results`` receives the student's package ``mlp`` and reads what it grades from
it (``student.fc_forward``, ``student.MLP``, ``student.model`` for the dropout monkeypatch, ``student.fit`` …).
Both halves rebuild each check's inputs from the seed (``_fc_cases``, ``_activation_case``, ``_dropout_case``,
``_ce_cases``, ``_bce_cases``, ``_logit_cases``, ``_net_cases``, ``_rule_case``, ``_train_case``); ``judge``
recomputes the expected values with torch in float64 (autograd for the layers, losses and networks,
``torch.optim.SGD/Adam/AdamW`` for the rules) or with its own numpy reference (decoupled decay with momentum,
the hint-matching variants, dropout statistics, batch sizes).

What each check observes:
- ``fc_forward``, ``fc_backward`` (H1): 10 random cases per seed (N 1–6, one N = 1, x of rank 2–4, dims 1–5,
  M 1–6), out and (dx, dW, db) of the student's forward/backward pair vs autograd; inputs and dout unchanged.
- ``relu_backward``, ``sigmoid_backward``, ``gelu_backward`` (H2, H3): forward and backward on a random array
  with exact zeros, ±50, ±1e3 and ±1e4 vs torch.relu / torch.sigmoid / exact F.gelu; sigmoid under
  ``np.errstate(over, divide, invalid = "raise")``; the ReLU gradient at 0; gelu(−3) to 1e-9.
- ``dropout_backward`` (H6, covers dropout_forward): zero fraction and mean ratio for p ∈ {.2, .5, .8} on about
  4e5 entries, kept values x/(1 − p), the backward mask equal to the forward's, same rng seed ⇒ same mask,
  other seed ⇒ other mask, eval mode and p = 0 as identities, ValueError for p = 1 and p = −0.1, and no call
  of module-level ``np.random`` functions (monkeypatched to raise while dropout runs).
- ``softmax_cross_entropy`` (H4, also ``softmax``): scales 1e-3, 1, 30, 1e3 vs F.cross_entropy (mean) and
  torch.softmax; per-row shifts by ±500; softmax finite at ±1e4 and rows summing to 1; scores unchanged.
- ``binary_cross_entropy``, ``binary_cross_entropy_with_logits`` (H5): vs torch on p ∈ [0.01, 0.99]; logits
  with ±1e3 entries, shaped (N,) and (N, 1) with y (N,), dlogits shaped like the logits.
- ``mlp__forward`` (H7): scores of nets with 0–3 hidden layers (relu, gelu, sigmoid; the check sets the params)
  vs the same net in torch; eval mode with p > 0 repeatable and equal to the net without dropout; train mode
  takes its masks from ``rng``; ``student.model.dropout_forward`` wrapped to count calls: exactly one per hidden
  layer, shaped (N, hidden_dims[i]) (widths differ from D and C).
- ``mlp__backward`` (H7): ``backward(dscores, caches)`` at p = 0 vs autograd, same keys and shapes as params.
- ``mlp__loss`` (H7): loss and grads with l2 > 0 (weights only) and l2 = 0 vs torch; the ``loss="bce"`` path.
- ``sgd``, ``sgd_momentum``, ``adam`` (H8, H9): 10-step runs vs torch.optim.SGD, SGD(momentum), Adam, AdamW and
  Adam(weight_decay) on dw + λw; coupled = decoupled for SGD (1e-14), different after 5 steps for momentum and
  Adam; Adam's first step with g ≡ 1e-5; two same-shaped params through the student's ``Optimizer`` keep
  independent states; w, dw and the arrays in ``state`` unchanged.
- ``minibatch_indices`` (H10): n ∈ {1, 7, 64, 1197} × bs ∈ {1, 5, 64, 2000}: sizes, a permutation, integer
  arrays, same seed ⇒ same batches, a new order on the next call and with another seed (n ≥ 64).
- ``train_step`` (H10): with an instructor optimizer that records its calls: one step with exactly −lr·grads of
  the student's own ``model.loss`` in train mode with ``l2`` forwarded, the returned float equal to that loss;
  with p > 0 the loss equals ``model.loss(train=True, rng=…)`` and differs between rngs. The end-to-end digits
  run (``MLP(64, (128,), 10, seed=0)``, momentum lr 0.05, bs 64, 30 epochs, ``fit(seed=0)`` on
  ``load_digits_split(0)``, test acc ≥ 0.95; ≈ 0.3 s) runs for the first hidden seed only.
- ``from_scratch`` (H11): the imports of every .py file of the package folder, read with ``ast`` (statements
  anywhere in the file, plus ``__import__``/``import_module`` calls): no torch, tensorflow, jax or sklearn,
  scipy only as ``from scipy.special import erf``. It also needs ``MLP(...).loss`` to run, so the stubs fail it.
  One seed (nothing in it depends on the seed).
- ``notebook_results`` (H12, target ``NOTEBOOK``): the notebook calls
  ``CHECKS["notebook_results"].require({"ref_model": model, "adam_l2_norms": ..., "adam_decoupled_norms": ...})``
  with ``ref_model`` the trained reference MLP of §11 (trained on ``load_digits_split(0)``), and the
  ``history["weight_norm"]`` lists of the §13 Adam runs with ``l2=1e-2`` and with ``decoupled_wd=1e-2``. Other keys
  are ignored. The check evaluates ``ref_model.predict`` on ``load_digits_split(0)["X_val"]`` (val acc ≥ 0.95)
  and requires the L2 run's last weight norm to be smaller than the decoupled run's. One seed.

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data:
- whether inputs (x, W, b, dout, scores, w, dw and the arrays in ``state``) are bit-identical after each call;
- whether sigmoid raised FloatingPointError under ``np.errstate(... = "raise")`` (a student who silences numpy
  inside the function is not seen);
- the dropout and ``np.random`` monkeypatches: calls made through names bound before the patch (``from
  numpy.random import rand``, a ``layers.dropout_forward`` qualified call in model.py) are not seen;
- which object ``train_step`` passed to ``optimizer.step`` and how often; the reference loss of ``train_step``
  is the student's own ``model.loss`` (so a wrong loss is charged to ``mlp__loss``, not twice);
- the import list of ``from_scratch`` (imports built from non-constant strings, ``exec``, or code loaded from
  outside the package folder are not seen);
- everything of ``notebook_results``: the notebook's own objects.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from autograder.checks._base import NOTEBOOK, arrays_unchanged, checks, exception_raised, judged, plain, student_error
from autograder.settings import hidden_seeds
from utils.testing import check, check_close, pick_hint

# Stub hints name the innermost unimplemented function of this package (see student_error).
PACKAGE = "mlp"

# Tolerances of spec §5: layers and losses vs torch (H1–H5), networks (H7), update rules (H8).
ORACLE = {"rtol": 1e-9, "atol": 1e-12}
NET = {"rtol": 1e-8, "atol": 1e-12}
RULE = {"rtol": 1e-10, "atol": 1e-12}


def _tensor(array: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(array, dtype=torch.float64, requires_grad=grad)


# ------------------------------------------------------------------------------------ fc_forward, fc_backward

FC_CASES = 10  # per seed: the spec's 50 cases spread over the 5 hidden seeds


class FcCase(NamedTuple):
    x: np.ndarray  # (N, d1, ..., dk), k = 1..3
    W: np.ndarray  # (D, M)
    b: np.ndarray  # (M,)
    dout: np.ndarray  # (N, M)


def _fc_cases(seed: int) -> list[FcCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for k in range(FC_CASES):
        n = 1 if k == 0 else int(rng.integers(1, 7))
        dims = tuple(int(d) for d in rng.integers(1, 6, size=1 + k % 3))
        m = int(rng.integers(1, 7))
        cases.append(
            FcCase(
                rng.standard_normal((n, *dims)),
                rng.standard_normal((math.prod(dims), m)),
                rng.standard_normal(m),
                rng.standard_normal((n, m)),
            )
        )
    return cases


def _fc_where(case: FcCase) -> str:
    return f" (failed for a {case.x.ndim}-D x with N = {case.x.shape[0]})"


def _fc_torch(case: FcCase) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """out, dx, dW, db by autograd."""
    x, W, b = _tensor(case.x, True), _tensor(case.W, True), _tensor(case.b, True)
    out = x.reshape(x.shape[0], -1) @ W + b
    out.backward(_tensor(case.dout))
    assert x.grad is not None and W.grad is not None and b.grad is not None
    return plain(out), plain(x.grad), plain(W.grad), plain(b.grad)


def _run_fc_forward(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _fc_cases(seed):
            x, W, b = case.x.copy(), case.W.copy(), case.b.copy()
            out, _ = student.fc_forward(x, W, b)
            records.append({"out": plain(out), "unchanged": arrays_unchanged((x, W, b), (case.x, case.W, case.b))})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("fc_forward", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_fc_forward(data: dict, seed: int) -> None:
    for case, got in zip(_fc_cases(seed), data["cases"], strict=True):
        where = _fc_where(case)
        out, *_ = _fc_torch(case)
        x2d = case.x.reshape(case.x.shape[0], -1)
        hint = pick_hint(
            got["out"],
            [(x2d @ case.W, "add b to every row: out = x2d @ W + b.")],
            "flatten each sample to one row before @ W; add b to every row.",
        )
        check_close(got["out"], out, hint + where, **ORACLE)
        check(got["unchanged"], "fc_forward must not modify x, W or b in place." + where)


def _run_fc_backward(student: Any, seed: int) -> dict:
    records = []
    for case in _fc_cases(seed):
        try:
            _, cache = student.fc_forward(case.x.copy(), case.W.copy(), case.b.copy())
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("fc_forward", error, PACKAGE)
        dout = case.dout.copy()
        try:
            dx, dW, db = student.fc_backward(dout, cache)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("fc_backward", error, PACKAGE)
        records.append(
            {"dx": plain(dx), "dW": plain(dW), "db": plain(db), "dout_unchanged": np.array_equal(dout, case.dout)}
        )
    return {"cases": records}


@judged
def _judge_fc_backward(data: dict, seed: int) -> None:
    for case, got in zip(_fc_cases(seed), data["cases"], strict=True):
        where = _fc_where(case)
        _, dx, dW, db = _fc_torch(case)
        check_close(
            got["dx"], dx, "dx must be reshaped to x's shape: dx = (dout @ W.T).reshape(x.shape)." + where, **ORACLE
        )
        check_close(got["dW"], dW, "dW = x.reshape(N, D).T @ dout, shaped like W (D, M)." + where, **ORACLE)
        hint = pick_hint(
            got["db"],
            [(case.dout.mean(axis=0), "the bias touches every row, so db sums dout over axis 0 (not the mean).")],
            "the bias touches every row, so db sums dout over axis 0: shape (M,).",
        )
        check_close(got["db"], db, hint + where, **ORACLE)
        check(got["dout_unchanged"], "fc_backward must not modify dout." + where)


# -------------------------------------------------------------------------------------------- activations

EXTREMES = np.array([-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4, 0.0])


def _activation_case(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """x (6, 8): random entries of scale 3 with exact zeros, then a row of ±50, ±1e3, ±1e4 and 0; dout."""
    rng = np.random.default_rng(seed)
    x = 3.0 * rng.standard_normal((5, 8))
    x.flat[rng.choice(x.size, 4, replace=False)] = 0.0
    x = np.vstack([x, EXTREMES])
    return x, rng.standard_normal(x.shape)


def _guarded(fn: Callable[..., Any], *args: Any) -> tuple[Any, str]:
    """``fn(*args)`` under ``np.errstate(over/divide/invalid="raise")``; on a FloatingPointError the call is
    repeated quietly and the error's kind is returned as well."""
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return fn(*args), ""
    except FloatingPointError as error:
        with np.errstate(all="ignore"):
            return fn(*args), str(error)


def _activation_runner(kind: str) -> Callable[[Any, int], dict]:
    """The run half shared by relu, sigmoid and gelu: forward, backward, and gelu(−3) for gelu."""

    def run(student: Any, seed: int) -> dict:
        case_x, case_dout = _activation_case(seed)
        x, dout = case_x.copy(), case_dout.copy()
        try:
            (out, cache), forward_error = _guarded(getattr(student, f"{kind}_forward"), x)
            record = {"out": plain(out), "x_unchanged": np.array_equal(x, case_x), "floating_error": forward_error}
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error(f"{kind}_forward", error, PACKAGE)
        try:
            dx, backward_error = _guarded(getattr(student, f"{kind}_backward"), dout, cache)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error(f"{kind}_backward", error, PACKAGE)
        record |= {"dx": plain(dx), "dout_unchanged": np.array_equal(dout, case_dout)}
        record["floating_error"] = record["floating_error"] or backward_error
        if kind == "gelu":
            try:
                record["at_minus_3"] = plain(student.gelu_forward(np.array([-3.0]))[0])
            except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
                return student_error("gelu_forward", error, PACKAGE)
        return record

    return run


TORCH_ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "gelu": F.gelu,  # exact (erf) by default
}


def _activation_torch(kind: str, x: np.ndarray, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xt = _tensor(x, True)
    out = TORCH_ACTIVATIONS[kind](xt)
    out.backward(_tensor(dout))
    assert xt.grad is not None
    return plain(out), plain(xt.grad)


def _phi(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF Φ, from torch's erf (the judge never trusts the student's scipy)."""
    return 0.5 * (1.0 + plain(torch.erf(_tensor(x) / math.sqrt(2.0))))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


@judged
def _judge_relu(data: dict, seed: int) -> None:
    x, dout = _activation_case(seed)
    out, dx = _activation_torch("relu", x, dout)
    check_close(data["out"], out, "ReLU is max(x, 0) elementwise.", **ORACLE)
    check(data["x_unchanged"], "do not write into x: return a new array such as np.maximum(x, 0).")
    hint = pick_hint(
        data["dx"],
        [(dout * (x >= 0), "use x > 0, not >=: the gradient at exactly 0 is 0, as in torch.")],
        "dx = dout · [x > 0], with x from the cache.",
    )
    check_close(data["dx"], dx, hint, **ORACLE)
    check(data["dout_unchanged"], "relu_backward must not modify dout.")


@judged
def _judge_sigmoid(data: dict, seed: int) -> None:
    x, dout = _activation_case(seed)
    out, dx = _activation_torch("sigmoid", x, dout)
    overflow_hint = "exp(−x) overflows at x = −1000: use exp(−abs(x)) and choose the formula by sign."
    check(not data["floating_error"], overflow_hint, data["floating_error"])
    check(np.all(np.isfinite(data["out"])), overflow_hint + " (σ must be finite up to |x| = 1e4)")
    check_close(data["out"], out, "σ(x) = 1/(1 + e^(−x)), computed with exp(−abs(x)) chosen by sign.", **ORACLE)
    check(data["x_unchanged"], "sigmoid_forward must not modify x.")
    sigma = out
    hint = pick_hint(
        data["dx"],
        [
            (dout * sigma, "dx = dout · σ(1 − σ), not dout · σ."),
            (1.0 / (1.0 + np.exp(-np.clip(dout, -700, 700))), "multiply dout by σ(1 − σ); do not take σ of dout."),
        ],
        "dx = dout · σ(x)·(1 − σ(x)), with σ from the cache.",
    )
    check_close(data["dx"], dx, hint, **ORACLE)
    check(data["dout_unchanged"], "sigmoid_backward must not modify dout.")


GELU_MINUS_3 = -0.0040496941  # exact GeLU at −3; the tanh approximation gives −0.0036374
TANH_HINT = "error ≈ 4e-4 means the tanh approximation: use the exact x·Φ(x) with erf."


@judged
def _judge_gelu(data: dict, seed: int) -> None:
    x, dout = _activation_case(seed)
    out, dx = _activation_torch("gelu", x, dout)
    check_close(data["at_minus_3"], [GELU_MINUS_3], TANH_HINT + " (failed at x = −3)", atol=1e-9)
    with np.errstate(all="ignore"):
        tanh_values = _gelu_tanh(x)
    hint = pick_hint(data["out"], [(tanh_values, TANH_HINT)], "exact GeLU: x·Φ(x) = ½·x·(1 + erf(x/√2)).", atol=1e-3)
    check_close(data["out"], out, hint, **ORACLE)
    check(data["x_unchanged"], "gelu_forward must not modify x.")
    hint = pick_hint(
        data["dx"],
        [(dout * _phi(x), "a wrong derivative usually lacks the x·φ(x) term: dx = dout·(Φ(x) + x·φ(x)).")],
        "dx = dout · (Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π).",
    )
    check_close(data["dx"], dx, hint, **ORACLE)
    check(data["dout_unchanged"], "gelu_backward must not modify dout.")


# ------------------------------------------------------------------------------------------------- dropout

STATS_PS = (0.2, 0.5, 0.8)
_GLOBAL_RANDOM = (
    "seed",
    "rand",
    "randn",
    "random",
    "random_sample",
    "ranf",
    "sample",
    "binomial",
    "uniform",
    "normal",
    "standard_normal",
    "randint",
    "choice",
    "permutation",
    "shuffle",
)


class _GlobalRandomUsed(Exception):
    """Raised by the monkeypatched module-level ``np.random`` functions."""


@contextmanager
def _no_global_random() -> Iterator[None]:
    """Make the module-level ``np.random`` functions raise; restore them afterwards."""
    saved = {name: getattr(np.random, name) for name in _GLOBAL_RANDOM if hasattr(np.random, name)}

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise _GlobalRandomUsed

    try:
        for name in saved:
            setattr(np.random, name, forbidden)
        yield
    finally:
        for name, fn in saved.items():
            setattr(np.random, name, fn)


class DropoutCase(NamedTuple):
    x_stats: np.ndarray  # (rows, cols), about 4e5 entries, 5 + randn
    x: np.ndarray  # (4, 5, 6) positive, for the mask checks
    dout: np.ndarray
    p: float
    rng_seeds: tuple[int, int]


def _dropout_case(seed: int) -> DropoutCase:
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(300, 801))
    x_stats = 5.0 + rng.standard_normal((rows, 400_000 // rows))
    x = 0.5 + np.abs(rng.standard_normal((4, 5, 6)))
    dout = rng.standard_normal(x.shape)
    p = float(rng.uniform(0.2, 0.7))
    first, second = (int(s) for s in rng.integers(0, 2**31, size=2))
    return DropoutCase(x_stats, x, dout, p, (first, second + 1 if second == first else second))


def _run_dropout(student: Any, seed: int) -> dict:
    case = _dropout_case(seed)
    forward, backward = student.dropout_forward, student.dropout_backward
    a, b = (np.random.default_rng(s) for s in case.rng_seeds)
    record: dict[str, Any] = {"global_random": False}
    name = "dropout_forward"
    try:
        with _no_global_random():
            record["stats"] = [
                plain(forward(case.x_stats.copy(), p, True, np.random.default_rng(seed))[0]) for p in STATS_PS
            ]
            x = case.x.copy()
            out, cache = forward(x, case.p, True, a)
            record["x_unchanged"] = np.array_equal(x, case.x)
            record["same_seed"] = plain(
                forward(case.x.copy(), case.p, True, np.random.default_rng(case.rng_seeds[0]))[0]
            )
            record["other_seed"] = plain(forward(case.x.copy(), case.p, True, b)[0])
            eval_out, eval_cache = forward(case.x.copy(), 0.5, False, a)
            zero_out, zero_cache = forward(case.x.copy(), 0.0, True, a)
            record |= {"out": plain(out), "eval_out": plain(eval_out), "zero_out": plain(zero_out)}
            name = "dropout_backward"
            dout = case.dout.copy()
            record["dx"] = plain(backward(dout, cache))
            record["dout_unchanged"] = np.array_equal(dout, case.dout)
            record["eval_dx"] = plain(backward(case.dout.copy(), eval_cache))
            record["zero_dx"] = plain(backward(case.dout.copy(), zero_cache))
    except _GlobalRandomUsed:
        return {"global_random": True}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error(name, error, PACKAGE)
    record["p_one"] = exception_raised(forward, case.x.copy(), 1.0, True, a)
    record["p_negative"] = exception_raised(forward, case.x.copy(), -0.1, True, a)
    return record


@judged
def _judge_dropout(data: dict, seed: int) -> None:
    check(not data["global_random"], "take randomness only from rng (e.g. rng.random(x.shape)), never np.random.*.")
    case = _dropout_case(seed)
    identity = "dropout only acts in training; p = 0 means keep everything."
    check(np.array_equal(data["eval_out"], case.x), identity + " (failed in eval mode: out must equal x)")
    check(np.array_equal(data["zero_out"], case.x), identity + " (failed in train mode with p = 0: out must equal x)")
    check(np.array_equal(data["eval_dx"], case.dout), identity + " (failed in eval mode: backward returns dout)")
    check(np.array_equal(data["zero_dx"], case.dout), identity + " (failed with p = 0: backward returns dout)")
    for p, out in zip(STATS_PS, data["stats"], strict=True):
        where = f" (failed for p = {p})"
        zero_fraction = float(np.mean(out == 0))
        wrong = [(1 - p, "p is the drop probability, not the keep probability.")]
        hint = pick_hint(
            zero_fraction, wrong, "drop each unit with probability p: keep = rng.random(x.shape) >= p.", 0.01
        )
        check(abs(zero_fraction - p) < 0.01, hint + where, f"zero fraction {zero_fraction:.3f}")
        ratio = float(out.mean() / case.x_stats.mean())
        check(
            abs(ratio - 1) < 0.02,
            "kept units are divided by (1 − p) (inverted dropout)." + where,
            f"mean ratio {ratio:.3f}",
        )
        kept = out != 0
        check_close(out[kept], case.x_stats[kept] / (1 - p), "kept units equal x/(1 − p)." + where, atol=1e-12)
    check(data["x_unchanged"], "dropout_forward must not modify x.")
    mask = data["out"] != 0
    check_close(data["out"][mask], case.x[mask] / (1 - case.p), "kept units equal x/(1 − p).", atol=1e-12)
    check_close(
        data["dx"],
        case.dout * mask / (1 - case.p),
        "reuse the cached mask; never draw a new one in backward: dx = dout · keep/(1 − p).",
        atol=1e-12,
    )
    check(data["dout_unchanged"], "dropout_backward must not modify dout.")
    check(
        np.array_equal(data["same_seed"], data["out"]),
        "take randomness only from rng: the same seed must give the same mask.",
    )
    check(
        not np.array_equal(data["other_seed"], data["out"]),
        "draw the mask from the rng you are given: another seed must give another mask.",
    )
    bad_p = 'raise ValueError("p must be in [0, 1)") for p outside [0, 1).'
    check(data["p_one"] == "ValueError", bad_p + " (failed for p = 1)", data["p_one"])
    check(data["p_negative"] == "ValueError", bad_p + " (failed for p = −0.1)", data["p_negative"])


# ------------------------------------------------------------------------------------------------- losses

CE_SCALES = (1e-3, 1.0, 30.0, 1e3)
LSE_HINT = "compute log-probabilities with log-sum-exp (subtract the row max), never log(softmax)."


class CeCase(NamedTuple):
    scores: np.ndarray  # (N, C)
    y: np.ndarray  # (N,) int64
    shift: np.ndarray  # (N, 1) of ±500
    scale: float


def _ce_cases(seed: int) -> list[CeCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for scale in CE_SCALES:
        for k in range(2):
            n = int(rng.integers(2, 9)) if k == 0 else int(rng.integers(1, 9))
            c = int(rng.integers(2, 13))
            scores = scale * rng.standard_normal((n, c))
            shift = 500.0 * rng.choice([-1.0, 1.0], size=(n, 1))
            cases.append(CeCase(scores, rng.integers(0, c, size=n), shift, scale))
    return cases


def _softmax_extreme(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    return 1e4 * rng.choice([-1.0, 0.0, 1.0], size=(3, 5))


def _run_ce(student: Any, seed: int) -> dict:
    records = []
    name = "softmax"
    try:
        extreme = plain(student.softmax(_softmax_extreme(seed)))
        for case in _ce_cases(seed):
            name = "softmax"
            scores = case.scores.copy()
            probs = plain(student.softmax(scores))
            name = "softmax_cross_entropy"
            loss, dscores = student.softmax_cross_entropy(scores, case.y.copy())
            shifted, _ = student.softmax_cross_entropy(scores + case.shift, case.y.copy())
            records.append(
                {
                    "probs": probs,
                    "loss": plain(loss),
                    "dscores": plain(dscores),
                    "shifted": plain(shifted),
                    "unchanged": np.array_equal(scores, case.scores),
                }
            )
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error(name, error, PACKAGE)
    return {"extreme": extreme, "cases": records}


@judged
def _judge_ce(data: dict, seed: int) -> None:
    extreme = torch.softmax(_tensor(_softmax_extreme(seed)), dim=1)
    check(np.all(np.isfinite(data["extreme"])), "softmax: subtract the row maximum before exp (failed at ±1e4).")
    check_close(
        data["extreme"], plain(extreme), "softmax: subtract the row maximum before exp (failed at ±1e4).", **ORACLE
    )
    for case, got in zip(_ce_cases(seed), data["cases"], strict=True):
        where = f" (failed for scores of scale {case.scale:g})"
        n = len(case.y)
        scores = _tensor(case.scores, True)
        loss = F.cross_entropy(scores, torch.tensor(case.y))
        loss.backward()
        assert scores.grad is not None
        dscores = plain(scores.grad)
        check_close(
            got["probs"],
            plain(torch.softmax(scores, dim=1)),
            "softmax: exp(s − max) / Σ exp(s − max) per row." + where,
            **ORACLE,
        )
        check_close(got["probs"].sum(axis=1), np.ones(n), "softmax rows must sum to 1." + where, atol=1e-12)
        check(np.all(np.isfinite(got["loss"])) and np.all(np.isfinite(got["dscores"])), LSE_HINT + where)
        wrong_loss = [(n * loss.item(), "the loss is a mean over N: divide by N exactly once.")] if n > 1 else []
        hint = pick_hint(got["loss"], wrong_loss, "loss = −mean_i log p[i, y_i], with " + LSE_HINT, atol=1e-9)
        check_close(got["loss"], plain(loss), hint + where, **ORACLE)
        wrong_grad = [
            (n * dscores, "divide dscores by N exactly once."),
            (dscores / n, "divide dscores by N exactly once."),
        ]
        hint = pick_hint(
            got["dscores"], wrong_grad if n > 1 else [], "dscores = (softmax(s) − onehot(y)) / N.", atol=1e-9
        )
        check_close(got["dscores"], dscores, hint + where, **ORACLE)
        check_close(
            got["shifted"],
            plain(loss),
            "subtract the row maximum: adding a constant to a row must leave the loss unchanged." + where,
            atol=1e-9,
        )
        check(got["unchanged"], "softmax_cross_entropy must not modify scores." + where)


class BceCase(NamedTuple):
    values: np.ndarray  # probabilities in [0.01, 0.99] or logits
    y: np.ndarray  # float 0/1, N entries
    description: str


def _bce_cases(seed: int) -> list[BceCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for n in (1, int(rng.integers(2, 8)), int(rng.integers(8, 30))):
        cases.append(BceCase(rng.uniform(0.01, 0.99, n), rng.integers(0, 2, n).astype(np.float64), f"N = {n}"))
    return cases


def _run_bce(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _bce_cases(seed):
            probs = case.values.copy()
            loss, dprobs = student.binary_cross_entropy(probs, case.y.copy())
            records.append(
                {"loss": plain(loss), "grad": plain(dprobs), "unchanged": np.array_equal(probs, case.values)}
            )
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("binary_cross_entropy", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_bce(data: dict, seed: int) -> None:
    for case, got in zip(_bce_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.description})"
        probs = _tensor(case.values, True)
        loss = F.binary_cross_entropy(probs, _tensor(case.y))
        loss.backward()
        assert probs.grad is not None
        check_close(got["loss"], plain(loss), "loss = mean(−y·log p − (1 − y)·log(1 − p))." + where, **ORACLE)
        check_close(
            got["grad"], plain(probs.grad), "the derivative w.r.t. p is (p − y)/(p(1 − p)), then /N." + where, **ORACLE
        )
        check(got["unchanged"], "binary_cross_entropy must not modify probs." + where)


def _logit_cases(seed: int) -> list[BceCase]:
    """Logits of scale 3 with entries ±1e3, shaped (N,), then (N, 1); y (N,) float 0/1 in both."""
    rng = np.random.default_rng(seed)
    cases = []
    for shape in ("(N,)", "(N, 1)"):
        n = int(rng.integers(6, 16))
        z = 3.0 * rng.standard_normal(n)
        y = rng.integers(0, 2, n).astype(np.float64)
        extreme = rng.choice(n, 4, replace=False)
        z[extreme] = [1e3, -1e3, 1e3, -1e3]
        y[extreme] = [0.0, 1.0, 1.0, 0.0]  # confidently wrong on each side, then confidently right
        cases.append(BceCase(z if shape == "(N,)" else z[:, None], y, f"logits shaped {shape} with y shaped (N,)"))
    return cases


def _run_bce_logits(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _logit_cases(seed):
            logits = case.values.copy()
            loss, dlogits = student.binary_cross_entropy_with_logits(logits, case.y.copy())
            records.append(
                {"loss": plain(loss), "grad": plain(dlogits), "unchanged": np.array_equal(logits, case.values)}
            )
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("binary_cross_entropy_with_logits", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_bce_logits(data: dict, seed: int) -> None:
    stable = "use max(z, 0) − z·y + log1p(exp(−abs(z)))"
    for case, got in zip(_logit_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.description}, including logits ±1e3)"
        logits = _tensor(case.values, True)
        loss = F.binary_cross_entropy_with_logits(logits.reshape(-1), _tensor(case.y))
        loss.backward()
        assert logits.grad is not None
        check(np.all(np.isfinite(got["loss"])), stable + ": the loss must be finite." + where)
        check_close(got["loss"], plain(loss), stable + "; average over the N samples." + where, **ORACLE)
        check_close(got["grad"], plain(logits.grad), "dlogits = (σ(z) − y)/N, shaped like logits." + where, **ORACLE)
        check(got["unchanged"], "binary_cross_entropy_with_logits must not modify logits." + where)


# ----------------------------------------------------------------------------------------------------- MLP


class NetCase(NamedTuple):
    dims: tuple[int, ...]  # (D, *hidden, C)
    activation: str
    params: dict[str, np.ndarray]
    X: np.ndarray  # (N, D)
    y: np.ndarray  # (N,) int64 in [0, C), or float 0/1 with loss="bce"
    dscores: np.ndarray  # (N, C)
    loss: str

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.dims[1:-1]

    @property
    def where(self) -> str:
        return f" (failed for a {self.activation} net with {len(self.hidden)} hidden layer(s), loss {self.loss!r})"


def _net(rng: np.random.Generator, activation: str, depth: int, loss: str = "softmax") -> NetCase:
    """A net whose hidden widths (8–11) differ from D (3, 5 or 7) and C (2, 4 or 6; 1 with bce)."""
    d = int(rng.choice([3, 5, 7]))
    c = 1 if loss == "bce" else int(rng.choice([2, 4, 6]))
    hidden = tuple(int(h) for h in rng.choice([8, 9, 10, 11], size=depth))
    dims = (d, *hidden, c)
    params = {}
    for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:], strict=True), start=1):
        params[f"W{layer}"] = rng.standard_normal((fan_in, fan_out)) * math.sqrt(2.0 / fan_in)
        params[f"b{layer}"] = 0.3 * rng.standard_normal(fan_out)
    n = int(rng.integers(2, 9))
    X = rng.standard_normal((n, d))
    y = rng.integers(0, 2, n).astype(np.float64) if loss == "bce" else rng.integers(0, c, n)
    return NetCase(dims, activation, params, X, y, rng.standard_normal((n, c)), loss)


def _net_cases(seed: int) -> list[NetCase]:
    """relu, gelu and sigmoid nets with 1, 2 and 3 hidden layers (order from the seed), then one without."""
    rng = np.random.default_rng(seed)
    depths = rng.permutation([1, 2, 3])
    cases = [
        _net(rng, activation, int(depth)) for activation, depth in zip(("relu", "gelu", "sigmoid"), depths, strict=True)
    ]
    return [*cases, _net(rng, str(rng.choice(["relu", "gelu", "sigmoid"])), 0)]


def _bce_net(seed: int) -> NetCase:
    rng = np.random.default_rng(seed + 7)
    return _net(rng, str(rng.choice(["relu", "gelu", "sigmoid"])), int(rng.integers(1, 3)), loss="bce")


def _build(student: Any, case: NetCase, dropout: float = 0.0, seed: int = 0) -> Any:
    """The student's MLP with the case's parameters (copied into ``model.params``)."""
    model = student.MLP(
        case.dims[0], case.hidden, case.dims[-1], activation=case.activation, dropout=dropout, loss=case.loss, seed=seed
    )
    for key, value in case.params.items():
        model.params[key] = value.copy()
    return model


def _torch_net(case: NetCase, l2: float = 0.0) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Scores, loss (data loss + (l2/2)·Σ‖W‖²) and its gradients by autograd for ``case``'s net."""
    params = {key: _tensor(value, True) for key, value in case.params.items()}
    h = _tensor(case.X)
    layers = len(case.dims) - 1
    for layer in range(1, layers + 1):
        h = h @ params[f"W{layer}"] + params[f"b{layer}"]
        if layer < layers:
            h = TORCH_ACTIVATIONS[case.activation](h)
    if case.loss == "bce":
        loss = F.binary_cross_entropy_with_logits(h.reshape(-1), _tensor(case.y))
    else:
        loss = F.cross_entropy(h, torch.tensor(case.y))
    loss = loss + 0.5 * l2 * sum((params[f"W{layer}"] ** 2).sum() for layer in range(1, layers + 1))
    loss.backward()
    return plain(h), plain(loss), {key: plain(p.grad) for key, p in params.items() if p.grad is not None}


def _torch_backward(case: NetCase) -> dict[str, np.ndarray]:
    """Gradients of Σ dscores·scores (what backward(dscores) computes) by autograd."""
    params = {key: _tensor(value, True) for key, value in case.params.items()}
    h = _tensor(case.X)
    layers = len(case.dims) - 1
    for layer in range(1, layers + 1):
        h = h @ params[f"W{layer}"] + params[f"b{layer}"]
        if layer < layers:
            h = TORCH_ACTIVATIONS[case.activation](h)
    h.backward(_tensor(case.dscores))
    return {key: plain(p.grad) for key, p in params.items() if p.grad is not None}


@contextmanager
def _counting_dropout(student: Any) -> Iterator[list[tuple[int, ...]]]:
    """Wrap ``student.model.dropout_forward`` to record the shape of every x it gets; restore it afterwards."""
    module = student.model
    original = module.dropout_forward
    calls: list[tuple[int, ...]] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(tuple(np.shape(args[0] if args else kwargs["x"])))
        return original(*args, **kwargs)

    module.dropout_forward = counting
    try:
        yield calls
    finally:
        module.dropout_forward = original


DROPOUT_P = 0.3


def _run_mlp_forward(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _net_cases(seed):
            X = case.X.copy()
            scores, _ = _build(student, case).forward(X, train=False)
            record = {"scores": plain(scores), "X_unchanged": np.array_equal(X, case.X)}
            model = _build(student, case, dropout=0.5, seed=seed % 1000)
            record["eval"] = [plain(model.forward(case.X.copy(), train=False)[0]) for _ in range(2)]
            record["train_a"] = [
                plain(model.forward(case.X.copy(), train=True, rng=np.random.default_rng(seed))[0]) for _ in range(2)
            ]
            record["train_b"] = plain(model.forward(case.X.copy(), train=True, rng=np.random.default_rng(seed + 1))[0])
            model = _build(student, case, dropout=DROPOUT_P, seed=seed % 1000)
            with _counting_dropout(student) as calls:
                model.forward(case.X.copy(), train=True)
            records.append(record | {"dropout_calls": list(calls)})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("MLP.forward", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_mlp_forward(data: dict, seed: int) -> None:
    for case, got in zip(_net_cases(seed), data["cases"], strict=True):
        where = case.where
        scores, _, _ = _torch_net(case)
        order = "order is fc → activation → (dropout) per hidden layer, final fc without activation."
        check_close(got["scores"], scores, order + where, **NET)
        check(got["X_unchanged"], "MLP.forward must not modify X." + where)
        first, second = got["eval"]
        check(np.array_equal(first, second), "eval mode (train=False) must be deterministic: no dropout." + where)
        check_close(
            first,
            scores,
            "in eval mode dropout returns its input unchanged: with p > 0 the scores equal the net's without dropout."
            + where,
            **NET,
        )
        expected = [(len(case.X), width) for width in case.hidden]
        check(
            got["dropout_calls"] == expected,
            "call dropout_forward once after each hidden activation, never on the inputs or the scores." + where,
            f"{len(got['dropout_calls'])} call(s), expected {len(expected)}",
        )
        if case.hidden:
            same = np.array_equal(*got["train_a"])
            check(same, "in train mode take the dropout masks from rng (rng=None means self.rng)." + where)
            check(
                not np.array_equal(got["train_a"][0], got["train_b"]),
                "in train mode pass rng on to dropout_forward: another rng must give other masks." + where,
            )


def _run_mlp_backward(student: Any, seed: int) -> dict:
    records = []
    for case in _net_cases(seed):
        model = _build(student, case)
        try:
            _, caches = model.forward(case.X.copy(), train=True)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("MLP.forward", error, PACKAGE)
        dscores = case.dscores.copy()
        try:
            grads = model.backward(dscores, caches)
            records.append(
                {
                    "keys": sorted(grads),
                    "grads": {key: plain(value) for key, value in grads.items()},
                    "dscores_unchanged": np.array_equal(dscores, case.dscores),
                }
            )
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("MLP.backward", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_mlp_backward(data: dict, seed: int) -> None:
    for case, got in zip(_net_cases(seed), data["cases"], strict=True):
        where = case.where
        expected = _torch_backward(case)
        check(got["keys"] == sorted(expected), "backward returns a dict with the same keys as params." + where)
        for key in sorted(expected, key=lambda k: (-int(k[1:]), k)):
            check_close(
                got["grads"][key],
                expected[key],
                f"grads['{key}'] is off: walk the caches in reverse (fc, then dropout → activation → fc per layer)."
                + where,
                **NET,
            )
        check(got["dscores_unchanged"], "MLP.backward must not modify dscores." + where)


L2_LOSS_CASES = ((0, 0.0), (0, 0.3), (1, 0.15), (2, 0.05), (3, 0.4))  # (net index, l2)


def _loss_cases(seed: int) -> list[tuple[NetCase, float]]:
    nets = _net_cases(seed)
    return [(nets[index], l2) for index, l2 in L2_LOSS_CASES] + [(_bce_net(seed), 0.2)]


def _run_mlp_loss(student: Any, seed: int) -> dict:
    records = []
    try:
        for case, l2 in _loss_cases(seed):
            loss, grads = _build(student, case).loss(case.X.copy(), case.y.copy(), train=True, l2=l2)
            records.append({"loss": plain(loss), "grads": {key: plain(value) for key, value in grads.items()}})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("MLP.loss", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_mlp_loss(data: dict, seed: int) -> None:
    for (case, l2), got in zip(_loss_cases(seed), data["cases"], strict=True):
        where = case.where[:-1] + f", l2 = {l2})"
        _, loss, grads = _torch_net(case, l2)
        weights = sum(float(np.sum(w * w)) for key, w in case.params.items() if key.startswith("W"))
        biases = sum(float(np.sum(b * b)) for key, b in case.params.items() if key.startswith("b"))
        wrong = [
            (loss + 0.5 * l2 * biases, "do not regularise biases: the penalty covers the weights W only."),
            (loss + 0.5 * l2 * weights, "the penalty is (l2/2)·Σ‖W‖², with the ½."),
        ]
        data_loss = (
            "binary_cross_entropy_with_logits of the (N, 1) scores" if case.loss == "bce" else "softmax_cross_entropy"
        )
        default = f"loss = {data_loss} + (l2/2)·Σ_l ‖W_l‖² (weights only)."
        check_close(got["loss"], loss, pick_hint(got["loss"], wrong if l2 else [], default, 1e-9) + where, **NET)
        check(sorted(got["grads"]) == sorted(grads), "loss returns grads with the same keys as params." + where)
        for key in sorted(grads):
            if not l2:
                hint = "the gradients of the data loss are off: backward(dscores) with dscores from the loss."
            elif key.startswith("b"):
                hint = "do not regularise biases: their gradient gets no l2 term."
            else:
                hint = "L2 adds l2·W to each weight gradient."
            check_close(got["grads"][key], grads[key], f"grads['{key}']: {hint}" + where, **NET)


# ------------------------------------------------------------------------------------------- update rules

STEPS = 10
H9_STEPS = 5  # coupled and decoupled decay must differ after this many steps (spec H9)


class RuleCase(NamedTuple):
    w: np.ndarray  # (4, 5)
    grads: np.ndarray  # (STEPS, 4, 5)
    lr: float
    wd: float


def _rule_case(seed: int) -> RuleCase:
    rng = np.random.default_rng(seed)
    return RuleCase(
        rng.standard_normal((4, 5)),
        rng.standard_normal((STEPS, 4, 5)),
        float(rng.uniform(0.01, 0.3)),
        float(rng.uniform(0.05, 0.5)),
    )


def _h9_case(seed: int) -> RuleCase:
    """The spec's H9 setting: w, g ~ randn(4, 5), lr 1e-2, λ 0.1."""
    rng = np.random.default_rng(seed + 3)
    return RuleCase(rng.standard_normal((4, 5)), rng.standard_normal((STEPS, 4, 5)), 1e-2, 0.1)


def _copy_state(state: Any) -> dict:
    return {key: np.copy(value) for key, value in dict(state).items()}


def _rule_path(rule: Callable[..., Any], case: RuleCase, coupled: float = 0.0, **hyper: Any) -> dict:
    """The student's rule for the case's steps (state carried over); ``coupled`` adds coupled·w to each
    gradient. Returns the iterates (STEPS, 4, 5) and whether every input stayed unchanged."""
    w, path, unchanged = case.w.copy(), [], True
    state: Any = {}
    for grad in case.grads:
        dw = grad + coupled * w
        w_before, dw_before, state_before = w.copy(), dw.copy(), _copy_state(state)
        new_w, new_state = rule(w, dw, state, lr=case.lr, **hyper)
        unchanged &= np.array_equal(w, w_before) and np.array_equal(dw, dw_before)
        unchanged &= all(np.array_equal(state[k], v) for k, v in state_before.items())
        path.append(plain(new_w))
        w, state = np.asarray(new_w, dtype=np.float64), new_state
    return {"path": np.array(path), "unchanged": unchanged}


def _torch_path(case: RuleCase, optimizer: Callable[..., torch.optim.Optimizer], **hyper: Any) -> np.ndarray:
    """The iterates of ``optimizer`` (a torch.optim class) over the case's gradients."""
    w = _tensor(case.w, True)
    opt = optimizer([w], lr=case.lr, **hyper)
    path = []
    for grad in case.grads:
        w.grad = _tensor(grad)
        opt.step()
        path.append(plain(w))
    return np.array(path)


def _run_rule(name: str, runs: Callable[[Callable[..., Any], int], dict]) -> Callable[[Any, int], dict]:
    def run(student: Any, seed: int) -> dict:
        try:
            with np.errstate(all="ignore"):
                return runs(getattr(student, name), seed)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error(name, error, PACKAGE)

    return run


def _sgd_runs(sgd: Callable[..., Any], seed: int) -> dict:
    case = _rule_case(seed)
    return {
        "plain": _rule_path(sgd, case),
        "decoupled": _rule_path(sgd, case, decoupled_wd=case.wd),
        "coupled": _rule_path(sgd, case, coupled=case.wd),
    }


def _check_unchanged(data: dict, name: str) -> None:
    for run in data.values():
        if isinstance(run, dict) and "unchanged" in run:
            check(run["unchanged"], f"{name} must not modify w, dw or the arrays in state: return new ones.")


@judged
def _judge_sgd(data: dict, seed: int) -> None:
    case = _rule_case(seed)
    check_close(data["plain"]["path"], _torch_path(case, torch.optim.SGD), "new_w = w − lr·dw.", **RULE)
    unscaled = case.w.copy()
    unscaled_path = []
    for grad in case.grads:
        unscaled = unscaled - case.lr * grad - case.wd * unscaled
        unscaled_path.append(unscaled)
    hint = pick_hint(
        data["decoupled"]["path"],
        [(np.array(unscaled_path), "decay is multiplied by lr: new_w = w − lr·dw − lr·wd·w.")],
        "with decoupled_wd: new_w = w·(1 − lr·wd) − lr·dw (torch's SGD(weight_decay) gives the same).",
    )
    expected = _torch_path(case, torch.optim.SGD, weight_decay=case.wd)
    check_close(data["decoupled"]["path"], expected, hint, **RULE)
    check_close(
        data["coupled"]["path"],
        data["decoupled"]["path"],
        "for plain SGD, sgd(w, dw + λw) must equal sgd(w, dw, decoupled_wd=λ).",
        atol=1e-14,
    )
    _check_unchanged(data, "sgd")


MOMENTA = (0.9, 0.6)


def _momentum_runs(rule: Callable[..., Any], seed: int) -> dict:
    case, h9 = _rule_case(seed), _h9_case(seed)
    return {
        "plain": [_rule_path(rule, case, momentum=mu) for mu in MOMENTA],
        "coupled": _rule_path(rule, h9, coupled=h9.wd, momentum=0.9),
        "decoupled": _rule_path(rule, h9, momentum=0.9, decoupled_wd=h9.wd),
    }


def _momentum_reference(case: RuleCase, momentum: float, wd: float) -> np.ndarray:
    """numpy: velocity = μ·velocity + dw, new_w = w − lr·velocity − lr·wd·w."""
    w, velocity, path = case.w.copy(), np.zeros_like(case.w), []
    for grad in case.grads:
        velocity = momentum * velocity + grad
        w = w - case.lr * velocity - case.lr * wd * w
        path.append(w)
    return np.array(path)


@judged
def _judge_momentum(data: dict, seed: int) -> None:
    case, h9 = _rule_case(seed), _h9_case(seed)
    for mu, run in zip(MOMENTA, data["plain"], strict=True):
        reset = np.array([w - case.lr * g for w, g in zip([case.w, *run["path"][:-1]], case.grads, strict=True)])
        hint = pick_hint(
            run["path"],
            [(reset, "keep the velocity: return {'velocity': v} and use the state you are given next step.")],
            "velocity accumulates raw gradients: v = μ·v + dw (from 0), new_w = w − lr·v.",
        )
        check_close(
            run["path"], _torch_path(case, torch.optim.SGD, momentum=mu), hint + f" (failed for momentum {mu})", **RULE
        )
    coupled = _torch_path(h9, torch.optim.SGD, momentum=0.9, weight_decay=h9.wd)
    check_close(
        data["coupled"]["path"],
        coupled,
        "sgd_momentum on dw + λw must match torch's SGD(momentum=0.9, weight_decay=λ).",
        **RULE,
    )
    check_close(
        data["decoupled"]["path"],
        _momentum_reference(h9, 0.9, h9.wd),
        "decoupled decay is − lr·wd·w beside the momentum step; it never enters the velocity.",
        **RULE,
    )
    gap = float(np.max(np.abs(data["coupled"]["path"][H9_STEPS - 1] - data["decoupled"]["path"][H9_STEPS - 1])))
    check(gap > 1e-4, "with momentum, L2 on the gradient and decoupled decay must differ.", f"max difference {gap:.1e}")
    _check_unchanged({"a": data["coupled"], "b": data["decoupled"], **dict(enumerate(data["plain"]))}, "sgd_momentum")


ADAM_HYPER = ({"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6})
TINY = {"lr": 1e-3, "g": 1e-5}
OPTIMIZER_STEPS = 4


def _two_params(seed: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Two (3, 4) parameters W1, W2 and (OPTIMIZER_STEPS, 2, 3, 4) gradients."""
    rng = np.random.default_rng(seed + 5)
    params = {"W1": rng.standard_normal((3, 4)), "W2": rng.standard_normal((3, 4))}
    return params, rng.standard_normal((OPTIMIZER_STEPS, 2, 3, 4))


def _adam_runs(adam: Callable[..., Any], seed: int) -> dict:
    case, h9 = _rule_case(seed), _h9_case(seed)
    w, dw = np.zeros(3), np.full(3, TINY["g"])
    tiny, _ = adam(w, dw, {}, lr=TINY["lr"])
    return {
        "plain": [_rule_path(adam, case, **hyper) for hyper in ADAM_HYPER],
        "decoupled": _rule_path(adam, h9, decoupled_wd=h9.wd),
        "coupled": _rule_path(adam, h9, coupled=h9.wd),
        "tiny": plain(tiny),
    }


def _run_adam(student: Any, seed: int) -> dict:
    data = _run_rule("adam", _adam_runs)(student, seed)
    if data.get("error"):
        return data
    params, grads = _two_params(seed)
    try:
        optimizer = student.Optimizer(student.adam, lr=0.01)
        params = {key: value.copy() for key, value in params.items()}
        path = []
        for g1, g2 in grads:
            optimizer.step(params, {"W1": g1.copy(), "W2": g2.copy()})
            path.append(np.stack([plain(params["W1"]), plain(params["W2"])]))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("adam", error, PACKAGE)
    return data | {"optimizer": np.array(path)}


def _adam_reference(case: RuleCase, hyper: dict, wd: float = 0.0, mistake: str = "") -> np.ndarray:
    """numpy Adam iterates; ``mistake`` replays an anticipated wrong variant (hint matching only)."""
    beta1, beta2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
    w, m, v, path = case.w.copy(), 0.0, 0.0, []
    for t, grad in enumerate(case.grads, start=1):
        g = grad + wd * w if mistake == "coupled" else grad
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m, v) if mistake == "no_correction" else (m / (1 - beta1**t), v / (1 - beta2**t))
        step = m_hat / (np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps)
        decay = 0.0 if mistake == "coupled" else (wd * w if mistake == "unscaled" else case.lr * wd * w)
        w = w - case.lr * step - decay
        path.append(w)
    return np.array(path)


ADAM_MISTAKES = {
    "no_correction": "a first step ≈ 3.16·lr means no bias correction: m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).",
    "eps_inside": "eps goes outside the square root: m̂/(√v̂ + eps).",
    "coupled": "decoupled_wd is not added to the gradient: new_w = w·(1 − lr·wd) − lr·m̂/(√v̂ + eps) (AdamW).",
    "unscaled": "the decay is multiplied by lr: w·(1 − lr·wd).",
}
ADAM_DEFAULT = "increment t before the bias correction; eps goes outside the square root."


def _adam_hint(got: np.ndarray, case: RuleCase, hyper: dict, wd: float = 0.0) -> str:
    if not np.all(np.isfinite(got)):
        return "increment t first (t = 1 on the first update): 1 − β^0 = 0 divides by zero."
    wrong = [(_adam_reference(case, hyper, wd, mistake), hint) for mistake, hint in ADAM_MISTAKES.items()]
    return pick_hint(got, wrong, ADAM_DEFAULT, atol=1e-9)


@judged
def _judge_adam(data: dict, seed: int) -> None:
    case, h9 = _rule_case(seed), _h9_case(seed)
    for hyper, run in zip(ADAM_HYPER, data["plain"], strict=True):
        expected = _torch_path(case, torch.optim.Adam, betas=(hyper["beta1"], hyper["beta2"]), eps=hyper["eps"])
        where = f" (failed vs torch.optim.Adam with betas ({hyper['beta1']}, {hyper['beta2']}), eps {hyper['eps']:g})"
        check_close(run["path"], expected, _adam_hint(run["path"], case, hyper) + where, **RULE)
    step = -data["tiny"]
    expected_step = TINY["lr"] * TINY["g"] / (TINY["g"] + 1e-8)  # 9.990e-4; eps inside the root gives 9.95e-5
    check_close(
        step, np.full(3, expected_step), ADAM_MISTAKES["eps_inside"] + " (failed for tiny gradients)", rtol=1e-9
    )
    hyper = ADAM_HYPER[0]
    expected = _torch_path(h9, torch.optim.AdamW, weight_decay=h9.wd)
    got = data["decoupled"]["path"]
    check_close(got, expected, _adam_hint(got, h9, hyper, h9.wd) + " (failed vs torch.optim.AdamW)", **RULE)
    expected = _torch_path(h9, torch.optim.Adam, weight_decay=h9.wd)
    check_close(
        data["coupled"]["path"],
        expected,
        "adam on dw + λw must match torch.optim.Adam(weight_decay=λ).",
        **RULE,
    )
    gap = float(np.max(np.abs(data["coupled"]["path"][H9_STEPS - 1] - got[H9_STEPS - 1])))
    check(gap > 1e-4, "with Adam, L2 on the gradient and decoupled decay must differ.", f"max difference {gap:.1e}")
    params, grads = _two_params(seed)
    tensors = [_tensor(params["W1"], True), _tensor(params["W2"], True)]
    opt = torch.optim.Adam(tensors, lr=0.01)
    expected_path = []
    for g1, g2 in grads:
        tensors[0].grad, tensors[1].grad = _tensor(g1), _tensor(g2)
        opt.step()
        expected_path.append(np.stack([plain(t) for t in tensors]))
    check_close(
        data["optimizer"],
        np.array(expected_path),
        "each parameter needs its own m, v and t: keep them in the state you return, never in globals.",
        **RULE,
    )
    _check_unchanged({"a": data["coupled"], "b": data["decoupled"], **dict(enumerate(data["plain"]))}, "adam")


# ------------------------------------------------------------------------------------- minibatch_indices

BATCH_NS = (1, 7, 64, 1197)
BATCH_SIZES = (1, 5, 64, 2000)


def _epoch(batches: Any) -> dict:
    arrays = [np.asarray(batch) for batch in batches]
    return {
        "sizes": [int(a.size) for a in arrays],
        "order": np.concatenate([a.reshape(-1) for a in arrays]).astype(np.float64) if arrays else np.zeros(0),
        "integer": all(np.issubdtype(a.dtype, np.integer) for a in arrays),
    }


def _run_minibatch(student: Any, seed: int) -> dict:
    records = []
    fn = student.minibatch_indices
    try:
        for n in BATCH_NS:
            for bs in BATCH_SIZES:
                shared = np.random.default_rng(seed)
                records.append(
                    {
                        "first": _epoch(fn(n, bs, shared)),
                        "next": _epoch(fn(n, bs, shared)),
                        "same_seed": _epoch(fn(n, bs, np.random.default_rng(seed))),
                        "other_seed": _epoch(fn(n, bs, np.random.default_rng(seed + 1))),
                    }
                )
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("minibatch_indices", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_minibatch(data: dict, seed: int) -> None:
    combos = [(n, bs) for n in BATCH_NS for bs in BATCH_SIZES]
    for (n, bs), got in zip(combos, data["cases"], strict=True):
        where = f" (failed for n = {n}, batch_size = {bs})"
        first = got["first"]
        sizes = [bs] * (n // bs) + ([n % bs] if n % bs else [])
        hint = pick_hint(
            first["sizes"],
            [([bs] * (n // bs), "keep the last short batch.")],
            "cut one permutation into consecutive chunks of batch_size; the last may be shorter.",
            0.0,
        )
        check(first["sizes"] == sizes, hint + where, f"{len(first['sizes'])} batches, expected {len(sizes)}")
        check(first["integer"], "return integer index arrays (they index X[batch])." + where)
        check(
            np.array_equal(np.sort(first["order"]), np.arange(n)),
            "every index 0..n−1 must appear exactly once per epoch." + where,
        )
        check(
            np.array_equal(got["same_seed"]["order"], first["order"]),
            "take the permutation from rng: the same seed must give the same batches." + where,
        )
        if n >= 64:  # for small n two random permutations may coincide
            check(not np.array_equal(first["order"], np.arange(n)), "shuffle: draw rng.permutation(n)." + where)
            check(
                not np.array_equal(got["next"]["order"], first["order"]),
                "draw a new permutation each epoch (each call)." + where,
            )
            check(
                not np.array_equal(got["other_seed"]["order"], first["order"]),
                "take the permutation from the rng you are given." + where,
            )


# ------------------------------------------------------------------------------------------------ train_step

TRAIN_LR = 0.1
TRAIN_L2 = 0.3


class _RecordingSGD:
    """The instructor's optimizer for ``train_step``: records each call and applies plain SGD."""

    def __init__(self, lr: float) -> None:
        self.lr = lr
        self.calls: list[dict[str, np.ndarray]] = []

    def step(self, params: dict, grads: dict) -> None:
        self.calls.append({key: plain(value) for key, value in grads.items()})
        for key in params:
            params[key] = params[key] - self.lr * grads[key]


def _train_case(seed: int) -> NetCase:
    return _net(np.random.default_rng(seed + 11), "relu", 2)


@functools.cache
def _digits() -> dict[str, np.ndarray]:
    from utils.datasets import load_digits_split

    return load_digits_split(seed=0)


def _digits_run(student: Any) -> np.ndarray:
    """The spec's end-to-end run: test-set predictions after 30 epochs, with one BLAS thread."""
    from threadpoolctl import threadpool_limits

    data = {key: value.copy() for key, value in _digits().items()}
    with threadpool_limits(1, "blas"):
        model = student.MLP(64, (128,), 10, seed=0)
        optimizer = student.Optimizer(student.sgd_momentum, lr=0.05, momentum=0.9)
        student.fit(model, optimizer, data, epochs=30, batch_size=64, seed=0, progress=False)
        return plain(model.predict(data["X_test"]))


def _run_train_step(student: Any, seed: int) -> dict:
    case = _train_case(seed)
    r1, r2 = seed % 1000, seed % 1000 + 1
    try:
        ref_loss, ref_grads = _build(student, case).loss(case.X.copy(), case.y.copy(), train=True, l2=TRAIN_L2)
        ref_no_l2, _ = _build(student, case).loss(case.X.copy(), case.y.copy(), train=True, l2=0.0)
        dropped = _build(student, case, dropout=0.5)
        ref_dropout, _ = dropped.loss(case.X.copy(), case.y.copy(), train=True, rng=np.random.default_rng(r1))
        ref_eval, _ = _build(student, case, dropout=0.5).loss(case.X.copy(), case.y.copy(), train=False)
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("MLP.loss", error, PACKAGE)
    try:
        model, optimizer = _build(student, case), _RecordingSGD(TRAIN_LR)
        loss = student.train_step(model, optimizer, case.X.copy(), case.y.copy(), l2=TRAIN_L2)
        losses = []
        for r in (r1, r2):
            model_p, optimizer_p = _build(student, case, dropout=0.5), _RecordingSGD(TRAIN_LR)
            losses.append(
                plain(
                    student.train_step(model_p, optimizer_p, case.X.copy(), case.y.copy(), rng=np.random.default_rng(r))
                )
            )
        record = {
            "is_float": isinstance(loss, float),  # numpy's float64 is a float too
            "loss": plain(loss),
            "steps": len(optimizer.calls),
            "params": {key: plain(value) for key, value in model.params.items()},
            "ref_loss": plain(ref_loss),
            "ref_no_l2": plain(ref_no_l2),
            "ref_grads": {key: plain(value) for key, value in ref_grads.items()},
            "dropout_losses": losses,
            "ref_dropout": plain(ref_dropout),
            "ref_eval": plain(ref_eval),
        }
        if seed == hidden_seeds("train_step")[0]:
            record["digits"] = _digits_run(student)
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("train_step", error, PACKAGE)
    return record


@judged
def _judge_train_step(data: dict, seed: int) -> None:
    case = _train_case(seed)
    check(data["steps"] == 1, "call optimizer.step(model.params, grads) exactly once.", f"{data['steps']} calls")
    check(data["is_float"], "return the loss as a Python float: float(loss).")
    hint = pick_hint(
        data["loss"],
        [(data["ref_no_l2"], "pass l2 on: model.loss(X, y, train=True, l2=l2, rng=rng).")],
        "return the loss of model.loss(X, y, train=True, l2=l2, rng=rng), computed before the step.",
        1e-12,
    )
    check_close(data["loss"], data["ref_loss"], hint, rtol=1e-12, atol=1e-12)
    for key, value in case.params.items():
        check_close(
            data["params"][key],
            value - TRAIN_LR * data["ref_grads"][key],
            "compute the grads of this batch before stepping: params must move by exactly −lr·grads.",
            atol=1e-12,
        )
    first, second = data["dropout_losses"]
    call = "model.loss(X, y, train=True, l2=l2, rng=rng)"
    train_mode = f"compute the loss in training mode: {call}."
    hint = pick_hint(first, [(data["ref_eval"], train_mode)], f"pass rng on: {call}.", 1e-12)
    check_close(first, data["ref_dropout"], hint + " (failed with dropout p = 0.5)", rtol=1e-12, atol=1e-12)
    check(not np.array_equal(first, second), train_mode + " (with dropout, two rngs must give two losses)")
    if seed == hidden_seeds("train_step")[0]:
        accuracy = float(np.mean(data["digits"] == _digits()["y_test"]))
        check(
            accuracy >= 0.95,
            "the digits run (64-128-10 relu, momentum lr 0.05, 30 epochs) must reach 0.95 test accuracy:"
            " run the local tests of every module.",
            f"test accuracy {accuracy:.3f}",
        )


# ------------------------------------------------------------------------------------------------ from_scratch

FORBIDDEN = ("torch", "tensorflow", "jax", "sklearn")
_IMPORT_CALLS = ("__import__", "import_module")


def _imports(tree: ast.AST) -> list[tuple[str, str]]:
    """(module, name) of every absolute import in ``tree``; name "" for ``import module``; dynamic imports
    by ``__import__``/``import_module`` as (their constant argument, or "<dynamic>", "")."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in _IMPORT_CALLS:
                arg = node.args[0] if node.args else None
                text = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                found.append((str(arg.value) if isinstance(arg, ast.Constant) and text else "<dynamic>", ""))
    return found


def _run_from_scratch(student: Any, seed: int) -> dict:
    folder = Path(student.__file__).parent
    files = {}
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(folder).as_posix()
        try:
            files[relative] = _imports(ast.parse(path.read_text(encoding="utf-8")))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            files[relative] = [("<unreadable>", "")]
    rng = np.random.default_rng(seed)
    try:
        student.MLP(4, (5,), 3, seed=0).loss(rng.standard_normal((6, 4)), rng.integers(0, 3, 6))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("MLP.loss", error, PACKAGE)
    return {"files": files}


@judged
def _judge_from_scratch(data: dict, seed: int) -> None:
    allowed = "student modules import only numpy, math and scipy.special.erf"
    for file, imports in data["files"].items():
        for module, name in imports:
            root = module.split(".")[0]
            where = f"mlp/{file} imports {module}" + (f".{name}" if name else "")
            check(root not in FORBIDDEN, f"write the network from scratch: no {root} ({allowed}).", where)
            if root == "scipy":
                check(
                    module == "scipy.special" and name == "erf",
                    f"{allowed}: use `from scipy.special import erf`.",
                    where,
                )
            check(module not in ("<dynamic>", "<unreadable>"), f"{allowed}, with plain import statements.", where)


# ------------------------------------------------------------------------------------------- notebook_results

NOTEBOOK_KEYS = ("ref_model", "adam_l2_norms", "adam_decoupled_norms")


def _run_notebook(results: Any, seed: int) -> dict:
    if not isinstance(results, dict) or any(key not in results for key in NOTEBOOK_KEYS):
        return {"error": "Hint: pass the notebook's results as a dict with keys " + ", ".join(NOTEBOOK_KEYS) + "."}
    try:
        predictions = plain(results["ref_model"].predict(_digits()["X_val"].copy()))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("MLP.predict", error, PACKAGE)
    return {
        "predictions": predictions,
        "l2": plain(results["adam_l2_norms"]),
        "decoupled": plain(results["adam_decoupled_norms"]),
    }


@judged
def _judge_notebook(data: dict, seed: int) -> None:
    accuracy = float(np.mean(data["predictions"] == _digits()["y_val"]))
    check(
        accuracy >= 0.95,
        "the reference digits model must reach 0.95 val accuracy (§11).",
        f"val accuracy {accuracy:.3f}",
    )
    l2, decoupled = data["l2"], data["decoupled"]
    check(
        l2.ndim == 1 and decoupled.ndim == 1 and l2.size > 0 and decoupled.size > 0,
        "pass the weight_norm lists of the two Adam runs (§13).",
    )
    check(np.isfinite(l2[-1]) and np.isfinite(decoupled[-1]), "the Adam runs of §13 must end with finite weight norms.")
    check(
        l2[-1] < decoupled[-1],
        "with Adam, l2=1e-2 (in MLP.loss) must end with a smaller weight norm than decoupled_wd=1e-2 (in the rule).",
        f"final norms {l2[-1]:.2f} vs {decoupled[-1]:.2f}",
    )


# --------------------------------------------------------------------------------------------------- CHECKS

CHECKS = checks(
    fc_forward=("mlp", _run_fc_forward, _judge_fc_forward),
    fc_backward=("mlp", _run_fc_backward, _judge_fc_backward),
    relu_backward=("mlp", _activation_runner("relu"), _judge_relu),
    sigmoid_backward=("mlp", _activation_runner("sigmoid"), _judge_sigmoid),
    gelu_backward=("mlp", _activation_runner("gelu"), _judge_gelu),
    dropout_backward=("mlp", _run_dropout, _judge_dropout),
    softmax_cross_entropy=("mlp", _run_ce, _judge_ce),
    binary_cross_entropy=("mlp", _run_bce, _judge_bce),
    binary_cross_entropy_with_logits=("mlp", _run_bce_logits, _judge_bce_logits),
    mlp__forward=("mlp", _run_mlp_forward, _judge_mlp_forward),
    mlp__backward=("mlp", _run_mlp_backward, _judge_mlp_backward),
    mlp__loss=("mlp", _run_mlp_loss, _judge_mlp_loss),
    sgd=("mlp", _run_rule("sgd", _sgd_runs), _judge_sgd),
    sgd_momentum=("mlp", _run_rule("sgd_momentum", _momentum_runs), _judge_momentum),
    adam=("mlp", _run_adam, _judge_adam),
    minibatch_indices=("mlp", _run_minibatch, _judge_minibatch),
    train_step=("mlp", _run_train_step, _judge_train_step),
    from_scratch=("mlp", _run_from_scratch, _judge_from_scratch),
    notebook_results=(NOTEBOOK, _run_notebook, _judge_notebook),
)


def _one_seed(grade_id: str) -> list[int]:
    return hidden_seeds(grade_id, 1)


for _grade_id in ("from_scratch", "notebook_results"):
    CHECKS[_grade_id] = dataclasses.replace(CHECKS[_grade_id], seeds=_one_seed)
