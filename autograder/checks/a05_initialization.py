"""Hidden checks of assignment 05 (spec §5, H1–H8): the initialization schemes, the deep numpy MLP's forward and
backward passes with their reference-experiment statistics, ``layer_stats``, ``init_linear_layers_`` with the short
digits training, and the optional ``ResidualBlock.forward``.

Every check receives the student's package ``initialization`` and reads what it grades from it
(``student.init_std``, ``student.mlp_forward``, ``student.ResidualBlock`` …). Both halves rebuild each check's inputs
from the seed (``_fan_pairs``, ``_sampling_rngs``, ``_stacks``, ``_stats_arrays``, ``_experiment``, ``_torch_case``,
``_residual_case``); ``judge`` recomputes the expected values with its own numpy reference (the scheme formulas, the
layer statistics, the hint-matching variants), with torch in float64 (autograd for the stacks, ``nn.init`` for the
sampling formulas, the residual block) or with the instructor's own torch training loop, and takes the reference
experiment's ranges from the spec.

What each check observes:
- ``init_std`` (H1): 20 random non-square (fan_in, fan_out) pairs in 1–1000 and their swaps, every scheme, equal to
  the formulas (rtol 1e-12, the tolerance of L1; so Xavier is symmetric, He ignores fan_out, small and large ignore
  both fans); ValueError for an unknown scheme (whose message names every scheme of SCHEMES), for fan_in = 0,
  fan_out = 0 and a negative fan_in.
- ``init_weights`` (H2, H3): every scheme at (300, 100), (100, 300) and (784, 64), drawn from five fresh
  ``default_rng(seed + k)``: shape (fan_in, fan_out), float64, the zero scheme exactly 0, every sample std within 3% of
  the formula and their mean within 1%, the abs of the mean below 6·std/√n (L2's 4 would fail a correct solution for 2%
  of course secrets over 375 draws), the uniform draws within the bound √3·std; two consecutive seeds give different
  draws. ``scale = 3`` gives 3× the std (3× the bound for xavier_uniform). Torch's ``nn.init.xavier_normal_`` and
  ``kaiming_normal_(mode="fan_in", nonlinearity="relu")`` on a (fan_out, fan_in) tensor have a std within 4% of the
  student's ``init_std``. H3: with ``np.random.seed(1)`` before one call and ``np.random.seed(2)`` before the other, a
  fresh ``default_rng(seed)`` gives the same array as without either (the global state is restored afterwards).
  ValueError for an unknown scheme, fan_in = 0 and scale = −1.
- ``mlp_forward`` (H4 forward, ``activate``, H5): 5 random stacks (L 2–5, widths 3–9, N 1–6; the first stack has a
  zero input row) for tanh, relu and identity: hs and zs equal to a torch float64 forward (rtol 1e-10, atol 1e-12),
  len(hs) = L + 1, len(zs) = L, hs[0] equal to x, float64, x and the weights unchanged; ValueError when the shapes do
  not chain. ``activate`` on an array with zeros and ±50 for the three names vs torch, its input unchanged,
  ValueError for "sigmoid". H5, the reference experiment at N = 200, D = 500, L = 10 with weights drawn by the check
  (the spec's formulas, in order from one rng) and the spec's ranges for std(h10)/std(h9), std(h10),
  frac_saturated(h10) and frac_zero(h10).
- ``mlp_backward`` (H4 backward, ``activate_grad``, H6): the same stacks with the check's own hs and zs and a random
  dout: every dWs[l] and dhs[l] equal to torch autograd (rtol 1e-10, atol 1e-12), in particular at the exact zeros of
  the relu stack; dout, weights, hs and zs unchanged. ``activate_grad`` vs torch autograd (0 at z = 0 for relu),
  ValueError for "sigmoid". H6 on the reference experiment, with the check's forward and the upstream gradient
  G/N: ‖dhs[0]‖ < 1e-5 for small+tanh, > 1e3 for large+tanh and large+relu, ‖dhs[0]‖/‖dhs[9]‖ in [0.5, 2] for he+relu.
- ``layer_stats``: 7 arrays (1-D to 3-D, exact zeros, entries at ±0.99 and beyond, an all-zero array, columns of
  different means and scales) vs the check's statistics over all entries (rtol 1e-10): exactly the five keys, one
  value per array; an empty list gives five length-0 arrays; the arrays unchanged.
- ``init_linear_layers_`` (H7, H8): for every scheme, a float64 model with nested modules (Linear layers inside two
  residual-style blocks and an inner Sequential, a BatchNorm1d between them, non-square widths 3–12) at scale 1 and at
  scale 2, and a float32 64-128-128-10 chain with he: each weight equals W.T of the sequence of ``init_weights`` draws
  from one ``default_rng(seed)`` in ``modules()`` order, exactly (the check's reference draws, or the student's own
  ``init_weights`` draws, so that a wrong ``init_weights`` is charged to ``init_weights`` only), in the weight's dtype,
  every bias 0, parameters still leaf tensors that require grad, the BatchNorm's parameters and buffers unchanged,
  the model returned; weights at scale 2 exactly 2× those at scale 1. For the first hidden seed only, H8: the
  student initializes the check's own depth-6, width-128 MLPs (he+relu and small+tanh, seed = that hidden seed),
  and the judge trains them with its own loop (SGD lr 0.02, momentum 0.9, batch 64, shuffled by
  ``torch.Generator().manual_seed(seed)``) on ``load_digits_split(0)``: he+relu reaches test accuracy ≥ 0.93 after 15
  epochs, small+tanh still has an epoch loss ≥ 2.2 after 5 epochs (about 1 s). Like the digits runs of 03 and 04,
  H8 is end to end: the student's ``init_weights`` draws the weights, so a wrong he or small scheme fails it too.
- ``residual_block__forward`` (H8 bonus, 0 points): ``ResidualBlock(width, activation)`` in float64 with the check's
  parameters, for tanh and relu: with zero weight and bias it returns x exactly; with random parameters it equals
  x + act(linear(x)) (rtol 1e-12) and differs from both x and act(linear(x)).

The spec's reference experiment (H5, H6) takes x from ``default_rng(k)``, the weights from ``default_rng(k + 1)`` and G
from ``default_rng(k + 2)`` with k = 0–4, the index of the hidden seed (k = 0 is spec §7's experiment at N = 200): at
N = 200 the lower ends of the ReLU ratio ranges lie only 2.4 standard deviations below the mean (120 seeds gave
0.141–0.176 for small+relu, range [0.14, 0.18]), too close for seeds derived from a course secret. Each seed covers a
share of the settings (8 for H5 over five seeds, 4 for H6 over the first four), so that the seeds cover all. The check
draws the experiment's weights itself (spec H5 says "the student's init"): a wrong scheme is charged to ``init_std`` and
``init_weights`` only, and the statistics test the student's forward and backward.

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data:
- whether inputs (x, weights, hs, zs, dout, z, the layer_stats arrays) are bit-identical after each call;
- the types of exception raised, and whether the unknown-scheme message names every scheme;
- H3: the student code runs under a global numpy state the check sets (a student who reseeds it is not seen);
- H7: which object ``init_linear_layers_`` returned, the parameters' dtype, ``requires_grad`` and leaf flags, and
  the student's own ``init_weights`` draws taken as the alternative expected weights;
- H8: the initialized state of the check's models; the training itself runs in ``judge``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from autograder.checks._base import arrays_unchanged, checks, exception_raised, judged, plain, student_error
from autograder.settings import hidden_seeds
from utils.testing import check, check_close, pick_hint

# Stub hints name the innermost unimplemented function of this package (see student_error).
PACKAGE = "initialization"

SCHEMES = ("zero", "small", "large", "xavier", "xavier_uniform", "he")
NONZERO = SCHEMES[1:]
ACTIVATIONS = ("tanh", "relu", "identity")
SMALL_STD, LARGE_STD = 0.01, 1.0

# Spec tolerances: L1 formulas 1e-12, L5/L6 stacks vs torch (CONVENTIONS float64 oracle), H2 3% / 1% / 4%.
FORMULA = {"rtol": 1e-12, "atol": 0.0}
ORACLE = {"rtol": 1e-10, "atol": 1e-12}
EXACT = {"rtol": 0.0, "atol": 0.0}
STD_TOL, MEAN_STD_TOL, TORCH_TOL = 0.03, 0.01, 0.04
MEAN_SIGMAS = 6.0  # |mean of the entries| < 6 std/sqrt(n): a 4-sigma test over 375 draws fails 2% of the time


def _tensor(array: Any, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(array), dtype=torch.float64, requires_grad=grad)


def _dtype(value: Any) -> str:
    return str(np.asarray(value).dtype) if isinstance(value, np.ndarray) else type(value).__name__


def _scalar(value: Any) -> float:
    """A returned number as a float (NaN for anything that is not one real number)."""
    try:
        array = np.asarray(plain(value))
    except (TypeError, ValueError):
        return math.nan
    return float(array) if array.shape == () else math.nan


@contextmanager
def _one_thread() -> Iterator[None]:
    """One torch intra-op thread and one BLAS thread while the block runs; the previous setting afterwards."""
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1, "blas"):
            yield
    finally:
        torch.set_num_threads(previous)


# ------------------------------------------------------------------------------------------ the reference schemes


def _std(scheme: str, fan_in: int, fan_out: int) -> float:
    if scheme in ("xavier", "xavier_uniform"):
        return math.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "he":
        return math.sqrt(2.0 / fan_in)
    return {"zero": 0.0, "small": SMALL_STD, "large": LARGE_STD}[scheme]


def _weights(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    if scheme == "zero":
        return np.zeros((fan_in, fan_out))
    if scheme == "xavier_uniform":
        bound = scale * math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, (fan_in, fan_out))
    return scale * _std(scheme, fan_in, fan_out) * rng.standard_normal((fan_in, fan_out))


FORMULAS = {
    "zero": "0",
    "small": "SMALL_STD = 0.01",
    "large": "LARGE_STD = 1.0",
    "xavier": "sqrt(2 / (fan_in + fan_out))",
    "xavier_uniform": "sqrt(2 / (fan_in + fan_out)) (the std of the uniform draws)",
    "he": "sqrt(2 / fan_in)",
}


def _std_wrong(scheme: str, fan_in: int, fan_out: int) -> list[tuple[float, str]]:
    """The anticipated wrong values of ``init_std`` and their hints (empty for the fan-free schemes)."""
    total = fan_in + fan_out
    if scheme in ("xavier", "xavier_uniform"):
        return [
            (math.sqrt(2.0 / total) ** 2, "return the std, not the variance: take the square root."),
            (math.sqrt(6.0 / total), "sqrt(6 / (fan_in + fan_out)) is the uniform BOUND; the std is sqrt(2 / (…))."),
            (math.sqrt(1.0 / fan_out), "Xavier uses fan_in + fan_out, not fan_out alone."),
            (math.sqrt(2.0 / fan_out), "Xavier uses fan_in + fan_out, not fan_out alone."),
            (
                math.sqrt(1.0 / fan_in),
                "that is 1/sqrt(fan_in) (LeCun); Xavier averages both fans: 2 / (fan_in + fan_out).",
            ),
            (math.sqrt(1.0 / total), "Xavier has a factor 2: sqrt(2 / (fan_in + fan_out))."),
        ]
    if scheme == "he":
        return [
            (2.0 / fan_in, "return the std, not the variance: take the square root."),
            (math.sqrt(1.0 / fan_in), "He has a factor 2 for ReLU: sqrt(2 / fan_in)."),
            (math.sqrt(2.0 / fan_out), "He uses fan_in, not fan_out."),
            (math.sqrt(2.0 / total), "He uses fan_in alone, not fan_in + fan_out."),
        ]
    if scheme == "small":
        return [(SMALL_STD**2, "return the std, not the variance: SMALL_STD itself.")]
    return []


# ---------------------------------------------------------------------------------------------------- init_std

FAN_PAIRS = 20
# (scheme, fan_in, fan_out, what) that must raise ValueError.
STD_ERRORS = (
    ("glorot", 10, 20, "an unknown scheme"),
    ("he", 0, 20, "fan_in = 0"),
    ("xavier", 20, 0, "fan_out = 0"),
    ("small", -3, 5, "a negative fan_in"),
)


def _fan_pairs(seed: int) -> list[tuple[int, int]]:
    rng = np.random.default_rng(seed)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < FAN_PAIRS:
        fan_in, fan_out = (int(v) for v in rng.integers(1, 1001, size=2))
        if fan_in != fan_out:
            pairs.append((fan_in, fan_out))
    return pairs + [(fan_out, fan_in) for fan_in, fan_out in pairs]


def _run_init_std(student: Any, seed: int) -> dict:
    fn = student.init_std
    values = {}
    try:
        for scheme in SCHEMES:
            values[scheme] = [_scalar(fn(scheme, fan_in, fan_out)) for fan_in, fan_out in _fan_pairs(seed)]
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("init_std", error, PACKAGE)
    errors = [exception_raised(fn, scheme, fan_in, fan_out) for scheme, fan_in, fan_out, _ in STD_ERRORS]
    try:
        fn("glorot", 10, 20)
        names_schemes = False
    except Exception as error:  # noqa: BLE001 - the message is the observation (only whether it names the schemes)
        names_schemes = all(scheme in str(error) for scheme in SCHEMES)
    return {"values": values, "errors": errors, "names_schemes": names_schemes}


@judged
def _judge_init_std(data: dict, seed: int) -> None:
    pairs = _fan_pairs(seed)
    for scheme in SCHEMES:
        for (fan_in, fan_out), got in zip(pairs, data["values"][scheme], strict=True):
            check(not math.isnan(got), f"init_std must return one float (failed for {scheme}).")
            expected = _std(scheme, fan_in, fan_out)
            hint = pick_hint(
                got, _std_wrong(scheme, fan_in, fan_out), f"{scheme}: the std is {FORMULAS[scheme]}.", 1e-12
            )
            check_close(got, expected, hint + f" (failed for {scheme}, fan_in != fan_out)", **FORMULA)
    for (_, _, _, what), raised in zip(STD_ERRORS, data["errors"], strict=True):
        check(
            raised == "ValueError",
            "raise ValueError for an unknown scheme and for a fan_in or fan_out below 1, whatever the scheme"
            f" (failed for {what}).",
            raised,
        )
    check(data["names_schemes"], "the ValueError message for an unknown scheme must list SCHEMES.")


# ------------------------------------------------------------------------------------------------ init_weights

SAMPLE_SHAPES = ((300, 100), (100, 300), (784, 64))
DRAWS = 5  # fresh generators default_rng(seed + k), k = 0..4: the spec's "seeds 0-4"
SCALE = 3.0
H3_SHAPE = (30, 20)
WEIGHT_ERRORS = (
    ("glorot", 10, 20, 1.0, "an unknown scheme"),
    ("he", 0, 20, 1.0, "fan_in = 0"),
    ("xavier", 20, 10, -1.0, "scale = -1"),
)


def _sampling_rngs(seed: int) -> list[int]:
    return [seed + k for k in range(DRAWS)]


def _isolated(fn: Callable[..., Any], scheme: str, seed: int, global_seed: int) -> np.ndarray:
    """``fn`` for a fresh ``default_rng(seed)`` under ``np.random.seed(global_seed)``; the global state restored."""
    state = np.random.get_state()
    try:
        np.random.seed(global_seed)
        return plain(fn(scheme, *H3_SHAPE, np.random.default_rng(seed)))
    finally:
        np.random.set_state(state)


def _run_init_weights(student: Any, seed: int) -> dict:
    fn = student.init_weights
    draws: dict[str, list[list[dict[str, Any]]]] = {}
    try:
        for scheme in SCHEMES:
            draws[scheme] = []
            for fan_in, fan_out in SAMPLE_SHAPES:
                row = []
                for rng_seed in _sampling_rngs(seed):
                    W = fn(scheme, fan_in, fan_out, np.random.default_rng(rng_seed))
                    row.append({"W": plain(W), "dtype": _dtype(W)})
                draws[scheme].append(row)
        scaled = {scheme: plain(fn(scheme, 300, 100, np.random.default_rng(seed), scale=SCALE)) for scheme in NONZERO}
        isolation = {
            scheme: [plain(fn(scheme, *H3_SHAPE, np.random.default_rng(seed)))]
            + [_isolated(fn, scheme, seed, global_seed) for global_seed in (1, 2)]
            for scheme in NONZERO
        }
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("init_weights", error, PACKAGE)
    try:
        stds = {
            scheme: [_scalar(student.init_std(scheme, fan_in, fan_out)) for fan_in, fan_out in SAMPLE_SHAPES]
            for scheme in ("xavier", "he")
        }
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("init_std", error, PACKAGE)
    rng = np.random.default_rng(seed)
    errors = [exception_raised(fn, scheme, fi, fo, rng, scale=scale) for scheme, fi, fo, scale, _ in WEIGHT_ERRORS]
    return {"draws": draws, "scaled": scaled, "isolation": isolation, "stds": stds, "errors": errors}


def _sampling_hint(scheme: str, W: np.ndarray, std: float) -> str:
    """The hint for a sample std that misses the formula."""
    got = float(W.std())
    wrong = [(std**2, "you used the variance as the std: take the square root.")]
    if scheme == "xavier":
        bound = "that std is the uniform bound sqrt(6 / (fan_in + fan_out)); the std is bound/sqrt(3)."
        wrong.append((math.sqrt(3.0) * std, bound))
    if scheme == "xavier_uniform":
        wrong.append((std / math.sqrt(2.0), "the uniform bound is sqrt(6 / (fan_in + fan_out)), not sqrt(3 / (…))."))
    for value, hint in wrong:
        if abs(got - value) <= STD_TOL * value:
            return hint
    return f"{scheme}: draw with std {FORMULAS[scheme]} (init_std) from rng."


@judged
def _judge_init_weights(data: dict, seed: int) -> None:
    for scheme in SCHEMES:
        for (fan_in, fan_out), row in zip(SAMPLE_SHAPES, data["draws"][scheme], strict=True):
            where = f" (failed for {scheme} at fan_in = {fan_in}, fan_out = {fan_out})"
            std = _std(scheme, fan_in, fan_out)
            sample_stds = []
            for draw in row:
                W = draw["W"]
                shape_hint = pick_hint(
                    W.shape,
                    [((fan_out, fan_in), "W is (fan_in, fan_out) because z = h @ W.")],
                    "return one (fan_in, fan_out) array.",
                    0.0,
                )
                check(W.shape == (fan_in, fan_out), shape_hint + where, f"shape {W.shape}")
                check(draw["dtype"] == "float64", "return a float64 numpy array." + where, f"dtype {draw['dtype']}")
                if scheme == "zero":
                    check(np.all(W == 0.0), "the zero scheme returns np.zeros((fan_in, fan_out))." + where)
                    continue
                check(np.all(np.isfinite(W)), "the weights must be finite." + where)
                sample_stds.append(float(W.std()))
                check(
                    abs(W.std() - std) <= STD_TOL * std,
                    _sampling_hint(scheme, W, std) + where,
                    f"sample std {W.std():.4g}, formula {std:.4g}",
                )
                check(
                    abs(W.mean()) < MEAN_SIGMAS * std / math.sqrt(W.size),
                    "draw weights with mean 0." + where,
                    f"mean {W.mean():.2g}",
                )
                if scheme == "xavier_uniform":
                    check(
                        np.max(np.abs(W)) <= math.sqrt(3.0) * std,
                        "xavier_uniform draws rng.uniform(-a, a) with a = scale * sqrt(6 / (fan_in + fan_out))."
                        + where,
                        f"max abs {np.max(np.abs(W)):.4g}, bound {math.sqrt(3.0) * std:.4g}",
                    )
            if scheme == "zero":
                continue
            mean_std = float(np.mean(sample_stds))
            check(
                abs(mean_std - std) <= MEAN_STD_TOL * std,
                f"{scheme}: the std over five seeds must be {FORMULAS[scheme]} within 1%." + where,
                f"mean sample std {mean_std:.4g}, formula {std:.4g}",
            )
            check(
                not np.array_equal(row[0]["W"], row[1]["W"]),
                "draw from the rng argument: another seed must give other weights." + where,
            )
    for scheme in NONZERO:
        W = data["scaled"][scheme]
        std = SCALE * _std(scheme, 300, 100)
        where = f" (failed for {scheme} with scale = 3)"
        check(W.shape == (300, 100), "scale must not change the shape." + where, f"shape {W.shape}")
        hint = "scale multiplies the std (the bound for xavier_uniform), not the variance."
        check(abs(W.std() - std) <= STD_TOL * std, hint + where, f"sample std {W.std():.4g}, expected {std:.4g}")
        if scheme == "xavier_uniform":
            check(np.max(np.abs(W)) <= math.sqrt(3.0) * std, hint + where, "draws beyond 3x the bound")
    for scheme in NONZERO:
        plain_draw, first, second = data["isolation"][scheme]
        check(
            np.array_equal(first, second) and np.array_equal(first, plain_draw),
            "draw only from the rng argument, never from np.random.* (the global state changed the weights)"
            f" (failed for {scheme}).",
        )
    for scheme in ("xavier", "he"):
        for (fan_in, fan_out), got in zip(SAMPLE_SHAPES, data["stds"][scheme], strict=True):
            generator = torch.Generator().manual_seed(seed % 2**31)
            weight = torch.empty(fan_out, fan_in, dtype=torch.float64)
            if scheme == "xavier":
                nn.init.xavier_normal_(weight, generator=generator)
            else:
                nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu", generator=generator)
            torch_std = float(weight.std(correction=0))
            check(
                abs(got - torch_std) <= TORCH_TOL * torch_std,
                f"init_std({scheme!r}, …) must agree with torch's nn.init ({FORMULAS[scheme]})"
                f" (failed at fan_in = {fan_in}, fan_out = {fan_out}).",
                f"init_std {got:.4g}, torch sample std {torch_std:.4g}",
            )
    for (_, _, _, _, what), raised in zip(WEIGHT_ERRORS, data["errors"], strict=True):
        check(
            raised == "ValueError",
            f"raise ValueError for an unknown scheme, a fan below 1 and scale < 0 (failed for {what}).",
            raised,
        )


# ------------------------------------------------------------------------------------------- the random stacks

STACKS = 5


class Stack(NamedTuple):
    x: np.ndarray  # (N, widths[0])
    weights: list[np.ndarray]  # (widths[l], widths[l + 1])
    dout: np.ndarray  # (N, widths[-1])
    label: str


def _stacks(seed: int) -> list[Stack]:
    rng = np.random.default_rng(seed)
    stacks = []
    for index in range(STACKS):
        layers = int(rng.integers(2, 6))
        widths = [int(v) for v in rng.integers(3, 10, size=layers + 1)]
        n = int(rng.integers(2, 7)) if index == 0 else int(rng.integers(1, 7))
        x = rng.standard_normal((n, widths[0]))
        if index == 0:
            x[0] = 0.0  # a zero row: z is exactly 0 there at every layer (relu' at 0)
        weights = [rng.standard_normal((a, b)) / math.sqrt(a) for a, b in zip(widths[:-1], widths[1:], strict=True)]
        dout = rng.standard_normal((n, widths[-1]))
        label = f"{layers} layers, widths {widths}, N = {n}" + (", a zero input row" if index == 0 else "")
        stacks.append(Stack(x, weights, dout, label))
    return stacks


def _act(z: np.ndarray, name: str) -> np.ndarray:
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    return z.copy()


def _forward(x: np.ndarray, weights: list[np.ndarray], activation: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The check's own numpy forward (it feeds the student's backward)."""
    hs, zs = [x], []
    for W in weights:
        zs.append(hs[-1] @ W)
        hs.append(_act(zs[-1], activation))
    return hs, zs


TORCH_ACT: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "identity": lambda z: z,
}


def _torch_stack(stack: Stack, activation: str) -> dict[str, list[np.ndarray]]:
    """hs, zs, dWs and dhs of ``stack`` by torch autograd in float64 (loss = sum(h_L * dout))."""
    Ws = [_tensor(W, True) for W in stack.weights]
    h = _tensor(stack.x, True)
    hs, zs = [h], []
    for W in Ws:
        z = hs[-1] @ W
        zs.append(z)
        h = TORCH_ACT[activation](z)
        h.retain_grad()
        hs.append(h)
    (hs[-1] * _tensor(stack.dout)).sum().backward()
    return {
        "hs": [plain(h) for h in hs],
        "zs": [plain(z) for z in zs],
        "dWs": [plain(W.grad) for W in Ws if W.grad is not None],
        "dhs": [plain(h.grad) for h in hs[:-1] if h.grad is not None],
    }


def _probe_z(seed: int) -> np.ndarray:
    """An array for activate and activate_grad: random entries, exact zeros, ±50."""
    rng = np.random.default_rng(seed + 1)
    z = 2.0 * rng.standard_normal((4, 6))
    z[0, :3] = 0.0
    z[1, :2] = (-50.0, 50.0)
    return z


# ----------------------------------------------------------------------------- the reference experiment (H5, H6)

EXPERIMENT_N, EXPERIMENT_D, EXPERIMENT_L = 200, 500, 10
EXPERIMENTS = 5
FORWARD_SETTINGS = (
    ("small", "tanh"),
    ("small", "relu"),
    ("large", "tanh"),
    ("large", "relu"),
    ("xavier", "tanh"),
    ("xavier", "relu"),
    ("he", "tanh"),
    ("he", "relu"),
)
BACKWARD_SETTINGS = (("small", "tanh"), ("large", "tanh"), ("large", "relu"), ("he", "relu"))


def _experiment_index(grade_id: str, seed: int) -> int:
    """k in 0..4: the position of ``seed`` among the check's hidden seeds (else seed mod 5)."""
    seeds = hidden_seeds(grade_id)
    return seeds.index(seed) if seed in seeds else seed % EXPERIMENTS


def _experiment_settings(grade_id: str, seed: int) -> tuple[int, tuple[tuple[str, str], ...]]:
    """The spec's experiment seed k and this seed's share of the settings (all of them over k = 0..4)."""
    k = _experiment_index(grade_id, seed)
    if grade_id == "mlp_forward":
        return k, FORWARD_SETTINGS[k::EXPERIMENTS]
    return k, BACKWARD_SETTINGS[k : k + 1]


def _experiment_input(k: int) -> np.ndarray:
    return np.random.default_rng(k).standard_normal((EXPERIMENT_N, EXPERIMENT_D))


def _experiment_weights(k: int, scheme: str) -> list[np.ndarray]:
    """The 10 weight matrices of the experiment, in order from one default_rng(k + 1)."""
    rng = np.random.default_rng(k + 1)
    return [_weights(scheme, EXPERIMENT_D, EXPERIMENT_D, rng) for _ in range(EXPERIMENT_L)]


def _experiment_upstream(k: int) -> np.ndarray:
    return np.random.default_rng(k + 2).standard_normal((EXPERIMENT_N, EXPERIMENT_D)) / EXPERIMENT_N


# ---------------------------------------------------------------------------------------- mlp_forward (+ activate)


def _lists(value: Any) -> list[np.ndarray]:
    return [plain(item) for item in value]


def _run_forward(student: Any, seed: int) -> dict:
    z0 = _probe_z(seed)
    try:
        activated = {}
        for name in ACTIVATIONS:
            z = z0.copy()
            activated[name] = {"out": plain(student.activate(z, name)), "unchanged": np.array_equal(z, z0)}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("activate", error, PACKAGE)
    activate_error = exception_raised(student.activate, z0.copy(), "sigmoid")
    records = []
    try:
        for stack in _stacks(seed):
            for activation in ACTIVATIONS:
                x, weights = stack.x.copy(), [W.copy() for W in stack.weights]
                hs, zs = student.mlp_forward(x, weights, activation)
                records.append(
                    {
                        "hs": _lists(hs),
                        "zs": _lists(zs),
                        "dtype": _dtype(hs[-1]) if len(hs) else "",
                        "unchanged": arrays_unchanged([x, *weights], [stack.x, *stack.weights]),
                    }
                )
        k, settings = _experiment_settings("mlp_forward", seed)
        experiment = []
        with _one_thread():
            for scheme, activation in settings:
                hs, _ = student.mlp_forward(_experiment_input(k), _experiment_weights(k, scheme), activation)
                experiment.append({"layers": len(hs), "h9": plain(hs[-2]), "h10": plain(hs[-1])})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("mlp_forward", error, PACKAGE)
    stack = _stacks(seed)[1]
    broken = [stack.weights[0], np.vstack([stack.weights[1], stack.weights[1][:1]]), *stack.weights[2:]]
    return {
        "activated": activated,
        "activate_error": activate_error,
        "cases": records,
        "chain_error": exception_raised(student.mlp_forward, stack.x.copy(), broken, "tanh"),
        "experiment": experiment,
    }


# Spec §5 H5: (statistic of h10, low, high) per setting; "ratio" is std(h10)/std(h9).
FORWARD_RANGES: dict[tuple[str, str], tuple[tuple[str, float, float], ...]] = {
    ("small", "tanh"): (("ratio", 0.21, 0.24), ("std", 0.0, 1e-5)),
    ("small", "relu"): (("ratio", 0.14, 0.18),),
    ("large", "tanh"): (("frac_saturated", 0.85, 1.0),),
    ("large", "relu"): (("ratio", 14.0, 18.0),),
    ("xavier", "tanh"): (("std", 0.18, 0.28),),
    ("xavier", "relu"): (("std", 0.01, 0.06),),
    ("he", "tanh"): (("std", 0.5, 0.62),),
    ("he", "relu"): (("std", 0.5, 1.5), ("frac_zero", 0.4, 0.6)),
}


def _statistic(name: str, h9: np.ndarray, h10: np.ndarray) -> float:
    if name == "ratio":
        return float(h10.std() / h9.std()) if h9.std() > 0 else math.nan
    if name == "std":
        return float(h10.std())
    if name == "frac_saturated":
        return float(np.mean(np.abs(h10) > 0.99))
    return float(np.mean(h10 == 0.0))


@judged
def _judge_forward(data: dict, seed: int) -> None:
    z = _probe_z(seed)
    for name in ACTIVATIONS:
        got = data["activated"][name]
        activated = plain(TORCH_ACT[name](_tensor(z)))
        check_close(got["out"], activated, f"activate(z, {name!r}): tanh(z), max(z, 0) or z itself.", **ORACLE)
        check(got["unchanged"], f"activate must not modify z (failed for {name!r}).")
    check(
        data["activate_error"] == "ValueError",
        "activate raises ValueError for a name other than tanh, relu, identity.",
        data["activate_error"],
    )
    cases = [(stack, activation) for stack in _stacks(seed) for activation in ACTIVATIONS]
    for (stack, activation), got in zip(cases, data["cases"], strict=True):
        where = f" (failed for {activation}, {stack.label})"
        expected = _torch_stack(stack, activation)
        layers = len(stack.weights)
        check(
            len(got["hs"]) == layers + 1 and len(got["zs"]) == layers,
            "return (hs, zs) with len(hs) = L + 1 (hs[0] is x) and len(zs) = L." + where,
            f"len(hs) = {len(got['hs'])}, len(zs) = {len(got['zs'])}, L = {layers}",
        )
        check_close(got["hs"][0], stack.x, "hs[0] is the input x itself: no activation on the input." + where, **EXACT)
        for layer in range(layers):
            z_hint = pick_hint(
                got["zs"][layer],
                [(expected["hs"][layer + 1], "keep the PRE-activations in zs: zs[l] = hs[l] @ weights[l].")],
                "zs[l] = hs[l] @ weights[l].",
                1e-12,
            )
            check_close(got["zs"][layer], expected["zs"][layer], z_hint + where, **ORACLE)
            h_hint = pick_hint(
                got["hs"][layer + 1],
                [(expected["zs"][layer], "apply the activation after every layer, the last one included.")],
                "hs[l + 1] = activate(zs[l], activation).",
                1e-12,
            )
            check_close(got["hs"][layer + 1], expected["hs"][layer + 1], h_hint + where, **ORACLE)
        check(got["dtype"] == "float64", "keep float64 activations." + where, f"dtype {got['dtype']}")
        check(got["unchanged"], "mlp_forward must not modify x or the weights." + where)
    check(
        data["chain_error"] == "ValueError",
        "raise ValueError when a weight's fan_in differs from the previous layer's width.",
        data["chain_error"],
    )
    k, settings = _experiment_settings("mlp_forward", seed)
    for (scheme, activation), got in zip(settings, data["experiment"], strict=True):
        where = f" (reference experiment: N = 200, D = 500, 10 layers, {scheme} init, {activation})"
        check(got["layers"] == EXPERIMENT_L + 1, "return L + 1 activations." + where)
        for name, low, high in FORWARD_RANGES[(scheme, activation)]:
            value = _statistic(name, got["h9"], got["h10"])
            label = "std(h10)/std(h9)" if name == "ratio" else f"{name}(h10)"
            check(
                low <= value <= high,
                f"{label} must lie in [{low:g}, {high:g}]; check mlp_forward on deep, wide stacks." + where,
                f"{label} = {value:.3g}",
            )


# ------------------------------------------------------------------------------------ mlp_backward (+ activate_grad)


def _run_backward(student: Any, seed: int) -> dict:
    z0 = _probe_z(seed)
    try:
        derivatives = {}
        for name in ACTIVATIONS:
            z = z0.copy()
            derivatives[name] = {"out": plain(student.activate_grad(z, name)), "unchanged": np.array_equal(z, z0)}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("activate_grad", error, PACKAGE)
    grad_error = exception_raised(student.activate_grad, z0.copy(), "sigmoid")
    records = []
    try:
        for stack in _stacks(seed):
            for activation in ACTIVATIONS:
                hs0, zs0 = _forward(stack.x, stack.weights, activation)
                dout, weights = stack.dout.copy(), [W.copy() for W in stack.weights]
                hs, zs = [h.copy() for h in hs0], [z.copy() for z in zs0]
                dWs, dhs = student.mlp_backward(dout, weights, hs, zs, activation)
                unchanged = arrays_unchanged([dout, *weights, *hs, *zs], [stack.dout, *stack.weights, *hs0, *zs0])
                records.append({"dWs": _lists(dWs), "dhs": _lists(dhs), "unchanged": unchanged})
        k, settings = _experiment_settings("mlp_backward", seed)
        experiment = []
        with _one_thread():
            for scheme, activation in settings:
                weights = _experiment_weights(k, scheme)
                hs, zs = _forward(_experiment_input(k), weights, activation)
                _, dhs = student.mlp_backward(_experiment_upstream(k), weights, hs, zs, activation)
                experiment.append({"layers": len(dhs), "dx": plain(dhs[0]), "dh9": plain(dhs[-1])})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("mlp_backward", error, PACKAGE)
    return {"derivatives": derivatives, "grad_error": grad_error, "cases": records, "experiment": experiment}


def _activation_derivative(z: np.ndarray, name: str) -> np.ndarray:
    zt = _tensor(z, True)
    TORCH_ACT[name](zt).sum().backward()
    assert zt.grad is not None
    return plain(zt.grad)


GRAD_HINTS = {
    "tanh": "f'(z) = 1 - tanh(z)^2, from the PRE-activation z.",
    "relu": "f'(z) = 1 where z > 0, else 0 (0 at exactly z = 0, as torch).",
    "identity": "f'(z) = 1 everywhere: return ones shaped like z.",
}


def _grad_hint(got: np.ndarray, z: np.ndarray, name: str) -> str:
    wrong = {
        "tanh": [(1.0 - z**2, "f' takes z, not h: 1 - tanh(z)^2, not 1 - z^2.")],
        "relu": [((z >= 0).astype(float), "f'(0) = 0: use z > 0, not z >= 0.")],
    }.get(name, [])
    return pick_hint(got, wrong, GRAD_HINTS[name], 1e-12)


@judged
def _judge_backward(data: dict, seed: int) -> None:
    z = _probe_z(seed)
    for name in ACTIVATIONS:
        got = data["derivatives"][name]
        check_close(got["out"], _activation_derivative(z, name), _grad_hint(got["out"], z, name), **ORACLE)
        check(got["unchanged"], f"activate_grad must not modify z (failed for {name!r}).")
    check(
        data["grad_error"] == "ValueError",
        "activate_grad raises ValueError for a name other than tanh, relu, identity.",
        data["grad_error"],
    )
    cases = [(stack, activation) for stack in _stacks(seed) for activation in ACTIVATIONS]
    for (stack, activation), got in zip(cases, data["cases"], strict=True):
        where = f" (failed for {activation}, {stack.label})"
        expected = _torch_stack(stack, activation)
        layers = len(stack.weights)
        check(
            len(got["dWs"]) == layers and len(got["dhs"]) == layers,
            "return (dWs, dhs), each a list of L arrays (dhs[0] = dL/dx)." + where,
            f"{len(got['dWs'])} and {len(got['dhs'])} arrays, L = {layers}",
        )
        for layer in range(layers - 1, -1, -1):
            check_close(
                got["dWs"][layer],
                expected["dWs"][layer],
                "dWs[l] = hs[l].T @ delta, where delta = dL/dzs[l] (start from dout * f'(zs[L-1]))." + where,
                **ORACLE,
            )
            check_close(
                got["dhs"][layer],
                expected["dhs"][layer],
                "dhs[l] = delta @ weights[l].T (use W.T going backward), then delta = dhs[l] * f'(zs[l-1]) with f' of"
                " the PRE-activation." + where,
                **ORACLE,
            )
        check(got["unchanged"], "mlp_backward must not modify dout, weights, hs or zs." + where)
    _, settings = _experiment_settings("mlp_backward", seed)
    for (scheme, activation), got in zip(settings, data["experiment"], strict=True):
        where = f" (reference experiment: N = 200, D = 500, 10 layers, {scheme} init, {activation})"
        check(got["layers"] == EXPERIMENT_L, "return L input gradients." + where)
        dx = float(np.linalg.norm(got["dx"]))
        if scheme == "small":
            check(dx < 1e-5, "||dL/dx|| must vanish (< 1e-5) with small init." + where, f"||dL/dx|| = {dx:.2g}")
        elif scheme == "large":
            check(dx > 1e3, "||dL/dx|| must explode (> 1e3) with large init." + where, f"||dL/dx|| = {dx:.2g}")
        else:
            ratio = dx / float(np.linalg.norm(got["dh9"]))
            check(
                0.5 <= ratio <= 2.0,
                "||dL/dh_0|| / ||dL/dh_9|| must stay in [0.5, 2] with he init and relu." + where,
                f"ratio {ratio:.3g}",
            )


# ------------------------------------------------------------------------------------------------ layer_stats

STAT_KEYS = ("mean", "std", "frac_zero", "frac_saturated", "norm")


def _stats_arrays(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    offsets = rng.uniform(-2.0, 2.0, size=7)
    scales = rng.uniform(0.2, 3.0, size=7)
    columns = offsets + scales * rng.standard_normal((9, 7))  # columns of different means and scales
    relu = np.maximum(rng.standard_normal((6, 5)), 0.0)  # exact zeros
    edge = np.tanh(2.0 * rng.standard_normal((5, 4)))
    edge.flat[:4] = (0.99, -0.99, 0.995, -0.9951)  # 0.99 is not saturated (abs > 0.99 is)
    cube = rng.standard_normal((2, 3, 4))
    cube[0, 0] = 0.0
    return [columns, relu, edge, rng.standard_normal(11), cube, np.zeros((3, 3)), np.array([[-1.0, 0.995]])]


def _stats(arrays: list[np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "mean": np.array([a.mean() for a in arrays]),
        "std": np.array([a.std() for a in arrays]),
        "frac_zero": np.array([np.mean(a == 0.0) for a in arrays]),
        "frac_saturated": np.array([np.mean(np.abs(a) > 0.99) for a in arrays]),
        "norm": np.array([np.sqrt(np.sum(a * a)) for a in arrays]),
    }


def _stats_record(result: Any) -> dict:
    if not isinstance(result, dict):
        return {"keys": [], "values": {}}
    return {"keys": sorted(str(key) for key in result), "values": {str(k): plain(v) for k, v in result.items()}}


def _run_stats(student: Any, seed: int) -> dict:
    arrays0 = _stats_arrays(seed)
    arrays = [a.copy() for a in arrays0]
    try:
        stats = _stats_record(student.layer_stats(arrays))
        empty = _stats_record(student.layer_stats([]))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("layer_stats", error, PACKAGE)
    return {"stats": stats, "empty": empty, "unchanged": arrays_unchanged(arrays, arrays0)}


STAT_HINTS = {
    "mean": "mean over ALL entries of each array.",
    "std": "std over ALL entries of each array (ddof=0), not per unit.",
    "frac_zero": "frac_zero = fraction of entries exactly 0.",
    "frac_saturated": "frac_saturated = fraction of entries with abs > 0.99 (strictly).",
    "norm": "norm = the Frobenius norm sqrt(sum of squares) over all entries.",
}


@judged
def _judge_stats(data: dict, seed: int) -> None:
    arrays = _stats_arrays(seed)
    expected = _stats(arrays)
    for label, got, count in (("a list of 7 arrays", data["stats"], len(arrays)), ("an empty list", data["empty"], 0)):
        check(
            got["keys"] == sorted(STAT_KEYS),
            "return a dict with exactly the keys mean, std, frac_zero, frac_saturated, norm"
            + f" (failed for {label}).",
            f"keys {got['keys']}",
        )
        for key in STAT_KEYS:
            check(
                got["values"][key].shape == (count,),
                f"layer_stats gives one value per array: {key} has shape (len(arrays),) (failed for {label}).",
                f"shape {got['values'][key].shape}",
            )
    got = data["stats"]["values"]
    wrong = {
        "std": [
            (np.array([a.reshape(len(a), -1).std(axis=0).mean() for a in arrays]), STAT_HINTS["std"]),
            (np.array([a.std(ddof=1) for a in arrays]), "use the population std (ddof=0)."),
        ],
        "norm": [
            (expected["norm"] ** 2, "the norm is the square root of the sum of squares."),
            (np.array([np.abs(a).sum() for a in arrays]), "the norm is sqrt(sum of squares), not the sum of abs."),
        ],
        "frac_saturated": [
            (np.array([np.mean(np.abs(a) >= 0.99) for a in arrays]), "saturated means abs > 0.99 strictly."),
        ],
    }
    for key in STAT_KEYS:
        hint = pick_hint(got[key], wrong.get(key, []), STAT_HINTS[key], 1e-9)
        check_close(got[key], expected[key], hint, rtol=1e-10, atol=1e-12)
    check(data["unchanged"], "layer_stats must not modify its arrays.")


# ------------------------------------------------------------------------------------------ init_linear_layers_


class _Block(nn.Module):
    """A residual-style block as in the notebook: x + act(linear(x)), the Linear one level down."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.act = nn.Tanh()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.act(self.linear(x))


class _Nested(nn.Module):
    """Linear layers at three depths with a BatchNorm1d among them; modules() meets them stem → head."""

    def __init__(self, widths: tuple[int, int, int, int]) -> None:
        super().__init__()
        d0, d1, d2, d3 = widths
        self.stem = nn.Linear(d0, d1)
        self.body = nn.Sequential(
            _Block(d1), nn.BatchNorm1d(d1), nn.Sequential(nn.Linear(d1, d2), nn.ReLU()), _Block(d2)
        )
        self.head = nn.Linear(d2, d3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(self.stem(x)))


def _linears(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def _nested_widths(seed: int) -> tuple[int, int, int, int]:
    rng = np.random.default_rng(seed)
    while True:
        d0, d1, d2, d3 = (int(v) for v in rng.integers(3, 13, size=4))
        if len({d0, d1, d2, d3}) == 4:  # every layer outside the blocks is non-square
            return d0, d1, d2, d3


CHAIN = ((64, 128), (128, 128), (128, 10))  # make_deep_mlp(depth=2)'s Linear layers


def _chain() -> nn.Sequential:
    return nn.Sequential(nn.Linear(*CHAIN[0]), nn.ReLU(), nn.Linear(*CHAIN[1]), nn.ReLU(), nn.Linear(*CHAIN[2]))


def _build(make: Callable[[], nn.Module], seed: int, dtype: torch.dtype) -> nn.Module:
    """A model with torch's default init (from a seeded, forked global generator) and random BatchNorm state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed % 2**31)
        model = make().to(dtype)
        for module in model.modules():
            if isinstance(module, nn.BatchNorm1d):
                with torch.no_grad():
                    for tensor in (*module.parameters(), *module.buffers()):
                        if tensor.is_floating_point():  # gamma, beta, running mean and (positive) variance
                            tensor.copy_(torch.rand(tensor.shape, dtype=dtype) + 0.5)
    return model


def _batchnorm_state(model: nn.Module) -> list[np.ndarray]:
    return [plain(t) for m in model.modules() if isinstance(m, nn.BatchNorm1d) for t in (*m.parameters(), *m.buffers())]


def _linear_record(model: nn.Module) -> dict:
    linears = _linears(model)
    return {
        "weights": [plain(m.weight) for m in linears],
        "biases": [plain(m.bias) for m in linears],
        "dtypes": [str(p.dtype) for m in linears for p in m.parameters()],
        "trainable": all(p.requires_grad and p.is_leaf for p in model.parameters()),
        "batchnorm": _batchnorm_state(model),
    }


def _own_draws(student: Any, scheme: str, fans: list[tuple[int, int]], seed: int, scale: float) -> list | None:
    """The student's own init_weights sequence from one default_rng(seed), or None if it fails."""
    rng = np.random.default_rng(seed)
    try:
        return [plain(student.init_weights(scheme, fan_in, fan_out, rng, scale)) for fan_in, fan_out in fans]
    except Exception:  # noqa: BLE001 - then only the check's reference draws count
        return None


def _fans(model: nn.Module) -> list[tuple[int, int]]:
    return [(m.in_features, m.out_features) for m in _linears(model)]


class TorchCase(NamedTuple):
    make: Callable[[], nn.Module]
    dtype: torch.dtype
    scheme: str
    scale: float
    label: str


def _torch_cases(seed: int) -> list[TorchCase]:
    widths = _nested_widths(seed)
    nested = functools.partial(_Nested, widths)
    cases = [
        TorchCase(nested, torch.float64, scheme, scale, f"{scheme}, scale {scale:g}, a nested float64 model")
        for scheme in SCHEMES
        for scale in (1.0, 2.0)
    ]
    return [*cases, TorchCase(_chain, torch.float32, "he", 1.0, "he, a float32 Linear 64-128-128-10 chain")]


# H8: make_deep_mlp's architecture (depth 6, width 128) and train_classifier's settings.
TRAIN_RUNS = (("relu", "he", 15), ("tanh", "small", 5))


def _deep_mlp(activation: str) -> nn.Sequential:
    act = {"tanh": nn.Tanh, "relu": nn.ReLU}[activation]
    layers: list[nn.Module] = [nn.Linear(64, 128), act()]
    for _ in range(5):
        layers += [nn.Linear(128, 128), act()]
    return nn.Sequential(*layers, nn.Linear(128, 10))


def _run_torch_init(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _torch_cases(seed):
            model = _build(case.make, seed, case.dtype)
            returned = student.init_linear_layers_(model, case.scheme, seed=seed, scale=case.scale)
            record = _linear_record(model)
            record["returned_model"] = returned is model
            record["own"] = _own_draws(student, case.scheme, _fans(model), seed, case.scale)
            records.append(record)
        training = []
        if seed == hidden_seeds("init_linear_layers_")[0]:
            for activation, scheme, _ in TRAIN_RUNS:
                model = _build(functools.partial(_deep_mlp, activation), seed, torch.float32)
                student.init_linear_layers_(model, scheme, seed=seed)
                training.append({name: plain(value) for name, value in model.state_dict().items()})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("init_linear_layers_", error, PACKAGE)
    return {"cases": records, "training": training}


@functools.cache
def _digits() -> dict[str, np.ndarray]:
    from utils.datasets import load_digits_split

    return load_digits_split(seed=0)


def _train(state: dict[str, np.ndarray], activation: str, epochs: int, seed: int) -> tuple[list[float], float]:
    """train_classifier's loop on the digits from the given initial state: (epoch losses, test accuracy)."""
    data = _digits()
    model = _deep_mlp(activation)
    model.load_state_dict({name: torch.tensor(value, dtype=torch.float32) for name, value in state.items()})
    X, y = torch.tensor(data["X_train"], dtype=torch.float32), torch.tensor(data["y_train"], dtype=torch.int64)
    generator = torch.Generator().manual_seed(seed % 2**31)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    losses: list[float] = []
    with _one_thread():
        model.train()
        for _ in range(epochs):
            order = torch.randperm(len(X), generator=generator)
            total = 0.0
            for start in range(0, len(X), 64):
                batch = order[start : start + 64]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(X[batch]), y[batch])
                if not math.isfinite(loss.item()):
                    return [*losses, math.nan], 0.0
                loss.backward()
                optimizer.step()
                total += loss.item() * len(batch)
            losses.append(total / len(X))
        model.eval()
        with torch.no_grad():
            predicted = model(torch.tensor(data["X_test"], dtype=torch.float32)).argmax(dim=1).numpy()
    return losses, float(np.mean(predicted == data["y_test"]))


def _reference_draws(case: TorchCase, fans: list[tuple[int, int]], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [_weights(case.scheme, fan_in, fan_out, rng, case.scale) for fan_in, fan_out in fans]


@judged
def _judge_torch_init(data: dict, seed: int) -> None:
    cases = _torch_cases(seed)
    for case, got in zip(cases, data["cases"], strict=True):
        where = f" (failed for {case.label})"
        fresh_model = _build(case.make, seed, case.dtype)
        fans = _fans(fresh_model)
        dtype = str(case.dtype).removeprefix("torch.")
        check(got["returned_model"], "return the model you were given." + where)
        check(
            all(d == str(case.dtype) for d in got["dtypes"]),
            f"keep each parameter's dtype ({dtype}): cast W.T to m.weight.dtype." + where,
        )
        check(got["trainable"], "copy into the parameters under torch.no_grad(); keep them trainable leaves." + where)
        reference = _reference_draws(case, fans, seed)
        own = got["own"]
        candidates = [reference] + ([own] if own is not None and len(own) == len(fans) else [])
        for layer, (fan_in, fan_out) in enumerate(fans):
            weight = got["weights"][layer]
            cast = np.float32 if case.dtype == torch.float32 else np.float64
            expected = [draws[layer].T.astype(cast).astype(np.float64) for draws in candidates]
            check(weight.shape == (fan_out, fan_in), "torch stores the weight as (out, in): copy W.T." + where)
            if any(np.array_equal(weight, e) for e in expected):
                continue
            fresh = _weights(case.scheme, fan_in, fan_out, np.random.default_rng(seed), case.scale)
            wrong = [
                (fresh.T, "make ONE rng = np.random.default_rng(seed) before the loop; every layer draws from it."),
                (
                    reference[layer].reshape(fan_out, fan_in),
                    "torch stores (out, in): draw W = init_weights(scheme, m.in_features, m.out_features, …) (fan_in is"
                    " weight.shape[1]) and copy W.T, a transpose, not a reshape.",
                ),
                (reference[layer].T / case.scale, "pass scale on to init_weights."),
            ]
            hint = pick_hint(
                weight,
                wrong,
                "for each nn.Linear m in model.modules() order: W = init_weights(scheme, m.in_features,"
                " m.out_features, rng, scale), then m.weight.copy_(W.T).",
                1e-12,
            )
            check(False, hint + where, f"Linear layer {layer + 1} of {len(fans)} differs")
        for bias in got["biases"]:
            check(np.all(bias == 0.0), "set every bias to zero." + where)
        check(
            arrays_unchanged(got["batchnorm"], _batchnorm_state(fresh_model)),
            "touch only the nn.Linear layers: BatchNorm keeps its parameters and buffers." + where,
        )
    by_label = {case.label: got for case, got in zip(cases, data["cases"], strict=True)}
    for scheme in NONZERO:
        single = by_label[f"{scheme}, scale 1, a nested float64 model"]["weights"]
        double = by_label[f"{scheme}, scale 2, a nested float64 model"]["weights"]
        check(
            all(np.array_equal(w2, 2.0 * w1) for w1, w2 in zip(single, double, strict=True)),
            f"scale = 2 must give exactly twice the weights of scale = 1 (failed for {scheme}): scale multiplies the"
            " std (the bound), not the variance.",
        )
    if seed == hidden_seeds("init_linear_layers_")[0]:
        check(len(data["training"]) == len(TRAIN_RUNS), "the training runs are missing.")
        (relu, he, long), (tanh, small, short) = TRAIN_RUNS
        _, accuracy = _train(data["training"][0], relu, long, seed)
        check(
            accuracy >= 0.93,
            f"a depth-6 {relu} MLP initialized with {he} must reach test accuracy 0.93 on the digits after {long}"
            " epochs: run the local tests of init_schemes.py and torch_init.py.",
            f"test accuracy {accuracy:.3f}",
        )
        losses, _ = _train(data["training"][1], tanh, short, seed)
        check(
            len(losses) == short and losses[-1] >= 2.2,
            f"a depth-6 {tanh} MLP initialized with {small} must still sit near ln 10 after {short} epochs.",
            f"epoch-{short} loss {losses[-1]:.3f}",
        )


# --------------------------------------------------------------------------------------------- ResidualBlock


class ResidualCase(NamedTuple):
    width: int
    activation: str
    weight: np.ndarray  # (width, width), torch layout
    bias: np.ndarray
    x: np.ndarray  # (N, width)


def _residual_cases(seed: int) -> list[ResidualCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for activation in ("tanh", "relu"):
        width, n = int(rng.integers(3, 9)), int(rng.integers(2, 6))
        x = rng.standard_normal((n, width))
        cases.append(ResidualCase(width, activation, np.zeros((width, width)), np.zeros(width), x))
        weight, bias = rng.standard_normal((width, width)), rng.standard_normal(width)
        cases.append(ResidualCase(width, activation, weight, bias, x))
    return cases


def _run_residual(student: Any, seed: int) -> dict:
    outputs = []
    try:
        for case in _residual_cases(seed):
            block = student.ResidualBlock(case.width, case.activation).double()
            with torch.no_grad():
                block.linear.weight.copy_(_tensor(case.weight))
                block.linear.bias.copy_(_tensor(case.bias))
                outputs.append(plain(block(_tensor(case.x))))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("ResidualBlock.forward", error, PACKAGE)
    return {"outputs": outputs}


@judged
def _judge_residual(data: dict, seed: int) -> None:
    for case, got in zip(_residual_cases(seed), data["outputs"], strict=True):
        branch = plain(TORCH_ACT[case.activation](F.linear(_tensor(case.x), _tensor(case.weight), _tensor(case.bias))))
        expected = case.x + branch
        if not case.weight.any():
            check_close(
                got, case.x, f"with zero weights and bias the block returns x exactly ({case.activation}).", **EXACT
            )
            continue
        hint = pick_hint(
            got,
            [
                (branch, "add the skip connection: x + act(linear(x))."),
                (case.x, "add the branch: x + act(linear(x))."),
            ],
            "return x + self.act(self.linear(x)).",
            1e-12,
        )
        check_close(got, expected, hint + f" (failed for {case.activation})", rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------------------- CHECKS

CHECKS = checks(
    init_std=("initialization", _run_init_std, _judge_init_std),
    init_weights=("initialization", _run_init_weights, _judge_init_weights),
    mlp_forward=("initialization", _run_forward, _judge_forward),
    mlp_backward=("initialization", _run_backward, _judge_backward),
    layer_stats=("initialization", _run_stats, _judge_stats),
    init_linear_layers_=("initialization", _run_torch_init, _judge_torch_init),
    residual_block__forward=("initialization", _run_residual, _judge_residual),
)
