"""Hidden checks of assignment 02: ``grad_mean``, ``grad_rms``, ``ema_update``, ``ema_series``, ``adam_step``
and ``Adam.step``.

Both halves rebuild each check's inputs from the seed (``_stats_cases``, ``_ema_case``, ``_adam_step_cases``,
``_mlp_problem``, ``_two_param_problem``, ``_scaled_problem``, ``_cancer_problem``). ``judge`` recomputes the
expected values with its own float64 numpy reference (statistics, the EMA chain and its closed form, the Adam
update) or with ``torch.optim.Adam`` (every ``Adam.step`` run).

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data:
- ``grad_mean``, ``grad_rms``: whether the result is exactly a ``torch.Tensor``, whether the input is
  bit-identical afterwards, and which exception an empty history raised.
- ``ema_update``: whether x_t and the old state are bit-identical after every call (``inputs_unchanged``),
  and which exceptions t = 0 and β = 1 raised.
- ``ema_series``: whether the series is bit-identical afterwards.
- ``adam_step``: whether param, grad, m and v are bit-identical after every call, which exception t = 0 raised.
- ``Adam.step``: the iterates are read from the model's own parameter tensors after each step (an update that
  rebinds a local name leaves them unmoved), ``step()`` is called outside ``torch.no_grad()``, the parameters
  arrive as a generator, and the state is read from ``optimizer.state[p]`` under torch's key names.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch

from autograder.checks._base import checks, exception_raised, judged, plain, student_error
from autograder.settings import hidden_seeds
from utils.datasets import breast_cancer_standardized
from utils.testing import check, check_close, pick_hint

# ------------------------------------------------------------------------------------ grad_mean, grad_rms


class StatsCase(NamedTuple):
    grads: torch.Tensor  # (T, 3, 4) float32
    description: str


def _stats_cases(seed: int) -> list[StatsCase]:
    """A seeded history of 2–20 steps of (3, 4) gradients, then a single step (T = 1)."""
    gen = torch.Generator().manual_seed(seed)
    steps = int(torch.randint(2, 21, (1,), generator=gen))
    return [
        StatsCase(torch.randn(steps, 3, 4, generator=gen) + 0.5, "a (T, 3, 4) history"),
        StatsCase(torch.randn(1, 3, 4, generator=gen), "a single step, T = 1"),
    ]


def _stats_runner(name: str) -> Callable[[Any, int], dict]:
    """The run half shared by grad_mean and grad_rms: each case's result, then an empty history."""

    def run(statistic: Any, seed: int) -> dict:
        records = []
        for case in _stats_cases(seed):
            grads = case.grads.clone()
            try:
                result = statistic(grads)
            except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
                return student_error(name, error)
            records.append(
                {
                    "is_tensor": type(result) is torch.Tensor,
                    "value": plain(result),
                    "input_unchanged": torch.equal(grads, case.grads),
                }
            )
        return {"cases": records, "empty": exception_raised(statistic, torch.empty(0, 3, 4))}

    return run


def _judge_stats(name: str, reference: Callable[[np.ndarray], np.ndarray], wrong: Callable[[np.ndarray], list]) -> Any:
    """The judge half shared by grad_mean and grad_rms."""

    @judged
    def judge(data: dict, seed: int) -> None:
        for case, got in zip(_stats_cases(seed), data["cases"], strict=True):
            where = f" (failed for {case.description})"
            g = case.grads.double().numpy()
            check(got["is_tensor"], f"{name} must return a torch.Tensor." + where)
            default = f"{name}: reduce over dim 0 (the steps); the result has the shape of one gradient."
            hint = pick_hint(got["value"], wrong(g), default, atol=1e-5)
            check_close(got["value"], reference(g), hint + where, rtol=1e-5, atol=1e-6)
            check(got["input_unchanged"], f"{name} must not modify grads." + where)
        check(
            data["empty"] == "ValueError",
            f"{name} must raise ValueError for an empty history (T = 0).",
            f"got {data['empty']}",
        )

    return judge


def _mean(g: np.ndarray) -> np.ndarray:
    return g.mean(axis=0)


def _rms(g: np.ndarray) -> np.ndarray:
    return np.sqrt((g**2).mean(axis=0))


def _wrong_means(g: np.ndarray) -> list[tuple[np.ndarray, str]]:
    return [(np.abs(g).mean(axis=0), "The mean keeps the signs: average g itself, not |g|.")]


def _wrong_rms(g: np.ndarray) -> list[tuple[np.ndarray, str]]:
    wrong = [
        ((g**2).mean(axis=0), "Take the square root of the mean of squares."),
        (g.std(axis=0), "RMS subtracts no mean: sqrt(mean(g**2)), not a standard deviation."),
        (np.abs(g).mean(axis=0), "RMS = sqrt(mean(g**2)), not mean(|g|)."),
    ]
    if len(g) > 1:
        wrong.append((g.std(axis=0, ddof=1), "RMS subtracts no mean: sqrt(mean(g**2)), not torch.std."))
    return wrong


# --------------------------------------------------------------------------------------------- ema_update


class EmaCase(NamedTuple):
    beta: float
    xs: torch.Tensor  # (T, 3) float32


def _ema_case(seed: int) -> EmaCase:
    """A decay β in [0.05, 0.98] and a (40, 3) series that drifts, so it crosses 0 now and then."""
    gen = torch.Generator().manual_seed(seed)
    beta = float(torch.empty((), dtype=torch.float64).uniform_(0.05, 0.98, generator=gen))
    xs = torch.randn(40, 3, generator=gen) + torch.linspace(-2.0, 2.0, 40)[:, None]
    return EmaCase(beta, xs)


def _ema_chain(
    xs: np.ndarray, beta: float, *, feed_back_corrected: bool = False, misprint: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The (ema, ema_star) rows of the EMA chain in float64; the keywords replay two anticipated mistakes."""
    state, emas, stars = np.zeros_like(xs[0]), [], []
    for t, x in enumerate(xs, start=1):
        star = (1.0 if misprint else beta) * state + (1 - beta) * x
        ema = star / (1 - beta**t)
        emas.append(ema)
        stars.append(star)
        state = ema if feed_back_corrected else star
    return np.array(emas), np.array(stars)


def _ema_wrong_answers(xs: np.ndarray, beta: float) -> list[tuple[np.ndarray, str]]:
    _, stars = _ema_chain(xs, beta)
    t = np.arange(1, len(xs) + 1)[:, None]
    return [
        (stars, "Return the bias-corrected ema = ema_star/(1 − β**t) first; ema_star is the uncorrected state."),
        (
            _ema_chain(xs, beta, feed_back_corrected=True)[0],
            "Return the uncorrected ema_star as the state to feed back, not the corrected ema.",
        ),
        (_ema_chain(xs, beta, misprint=True)[0], "New state = β·old + (1 − β)·x: multiply the old state by β."),
        (stars * (1 - beta**t) / (1 - beta ** (t + 1)), "Correct with 1 − β**t, t counted from 1 (not t + 1)."),
    ]


def _run_ema_update(ema_update: Any, seed: int) -> dict:
    case = _ema_case(seed)
    emas, stars, unchanged = [], [], True
    state = torch.zeros(3)
    try:
        for t, x in enumerate(case.xs, start=1):
            x_before, state_before = x.clone(), state.clone()
            ema, new_state = ema_update(x, case.beta, t, state)
            unchanged &= torch.equal(x, x_before) and torch.equal(state, state_before)
            emas.append(plain(ema))
            stars.append(plain(new_state))
            state = new_state
        floats = plain(ema_update(2.5, case.beta, 3, -1.0))
        beta_zero = plain(ema_update(case.xs[0].clone(), 0.0, 5, case.xs[1].clone())[0])
        late = plain(ema_update(case.xs[0].clone(), 0.999, 10_000, case.xs[1].clone())[0])
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("ema_update", error)
    return {
        "ema": np.array(emas),
        "ema_star": np.array(stars),
        "inputs_unchanged": unchanged,
        "floats": floats,
        "beta_zero": beta_zero,
        "late": late,
        "t_zero": exception_raised(ema_update, 1.0, 0.5, 0, 0.0),
        "beta_one": exception_raised(ema_update, 1.0, 1.0, 1, 0.0),
    }


# float32 EMAs that pass near 0 miss a pure rtol; their absolute errors stay below 3e-7.
EMA_CLOSE = {"rtol": 1e-5, "atol": 1e-5}


@judged
def _judge_ema_update(data: dict, seed: int) -> None:
    case = _ema_case(seed)
    xs = case.xs.double().numpy()
    emas, stars = _ema_chain(xs, case.beta)
    hint = pick_hint(
        data["ema"],
        _ema_wrong_answers(xs, case.beta),
        "ema_star = β·old + (1 − β)·x_t; ema = ema_star/(1 − β**t); return (ema, ema_star).",
        atol=1e-4,
    )
    check_close(data["ema"], emas, hint + " (failed on a chain of calls)", **EMA_CLOSE)
    check_close(data["ema_star"], stars, "The second value returned is ema_star, the uncorrected state.", **EMA_CLOSE)
    check(data["inputs_unchanged"], "Do not modify x_t or ema_star_old in place; build new values.")
    star = case.beta * -1.0 + (1 - case.beta) * 2.5
    check_close(data["floats"], [star / (1 - case.beta**3), star], "ema_update must work on python floats.", rtol=1e-9)
    check_close(data["beta_zero"], xs[0], "With β = 0 the EMA is the sample itself.", atol=1e-6)
    check(np.all(np.isfinite(data["late"])), "At large t (10 000) the EMA must stay finite: 1 − β**t → 1.")
    check(data["t_zero"] == "ValueError", "Raise ValueError for t < 1: t counts samples from 1.", data["t_zero"])
    check(data["beta_one"] == "ValueError", "Raise ValueError for β outside [0, 1).", data["beta_one"])


# --------------------------------------------------------------------------------------------- ema_series

IMPULSE_LENGTH = 25


def _run_ema_series(ema_series: Any, seed: int) -> dict:
    case = _ema_case(seed)
    xs = case.xs.clone()
    try:
        ema, ema_star = ema_series(xs, case.beta)
        # Column j of the identity is a one-hot series: the last EMA row holds every sample's weight.
        impulse, _ = ema_series(torch.eye(IMPULSE_LENGTH, dtype=torch.float64), case.beta)
        return {
            "ema": plain(ema),
            "ema_star": plain(ema_star),
            "input_unchanged": torch.equal(xs, case.xs),
            "weights": plain(impulse)[-1],
        }
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("ema_series", error)


@judged
def _judge_ema_series(data: dict, seed: int) -> None:
    case = _ema_case(seed)
    xs, beta = case.xs.double().numpy(), case.beta
    # Closed form: EMA_t = Σ β^(t−i) x_i / Σ β^(t−i), over the samples i = 1 … t.
    ages = np.arange(len(xs))[:, None] - np.arange(len(xs))[None, :]
    weights = np.where(ages >= 0, beta ** np.maximum(ages, 0), 0.0)
    closed_form = weights @ xs / weights.sum(axis=1, keepdims=True)
    star = (1 - beta) * weights @ xs
    hint = pick_hint(
        data["ema"],
        [(star, "Return the bias-corrected EMA first, then the uncorrected EMA*.")],
        "ema_series starts from ema_star = 0 and calls ema_update with t = 1 … T; row t−1 is after sample t.",
        atol=1e-4,
    )
    check_close(data["ema"], closed_form, hint, **EMA_CLOSE)
    check_close(data["ema_star"], star, "The second tensor is the uncorrected running state EMA*.", **EMA_CLOSE)
    check(data["input_unchanged"], "ema_series must not modify xs.")
    t = IMPULSE_LENGTH
    expected = (1 - beta) * beta ** (t - np.arange(1, t + 1)) / (1 - beta**t)
    impulse_hint = "The EMA's weights are (1 − β)·β^(t−i)/(1 − β^t): they must sum to 1 (failed on one-hot series)."
    check_close(data["weights"], expected, impulse_hint, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------- adam_step

ADAM_STEPS = 20
ADAM_GRID = list(itertools.product([(0.9, 0.999), (0.5, 0.8)], [1e-8, 1e-2], [0.0, 0.1]))
# float32 rounding of θ accumulates over 20 steps: up to 1.9e-6 at lr 1 with |θ| ≈ 3.
ADAM_CLOSE = {"rtol": 1e-5, "atol": 1e-5}


class AdamStepCase(NamedTuple):
    theta: torch.Tensor  # (6,) float32
    grads: torch.Tensor  # (ADAM_STEPS, 6) float32
    lr: float
    betas: tuple[float, float]
    eps: float
    weight_decay: float


def _adam_step_cases(seed: int) -> list[AdamStepCase]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for betas, eps, weight_decay in ADAM_GRID:
        lr = float(torch.empty((), dtype=torch.float64).uniform_(0.01, 1.0, generator=gen))
        theta, grads = torch.randn(6, generator=gen), torch.randn(ADAM_STEPS, 6, generator=gen)
        cases.append(AdamStepCase(theta, grads, lr, betas, eps, weight_decay))
    return cases


def _first_step_case(seed: int) -> tuple[torch.Tensor, tuple[float, float], float]:
    """A gradient (8,) and random betas in [0.5, 0.999) for the first update, with lr."""
    gen = torch.Generator().manual_seed(seed + 1)
    betas = torch.empty(2, dtype=torch.float64).uniform_(0.5, 0.999, generator=gen)
    return torch.randn(8, generator=gen), (float(betas[0]), float(betas[1])), 0.3


def _run_adam_step(adam_step: Any, seed: int) -> dict:
    runs, unchanged = [], True
    try:
        for case in _adam_step_cases(seed):
            theta, m, v = case.theta.clone(), torch.zeros(6), torch.zeros(6)
            path = []
            for t, grad in enumerate(case.grads, start=1):
                before = [x.clone() for x in (theta, grad, m, v)]
                new = adam_step(theta, grad, m, v, t, case.lr, case.betas, case.eps, case.weight_decay)
                unchanged &= all(torch.equal(a, b) for a, b in zip((theta, grad, m, v), before, strict=True))
                path.append(np.concatenate([plain(x) for x in new]))
                theta, m, v = new
            runs.append(np.array(path))
        grad, betas, lr = _first_step_case(seed)
        first = adam_step(torch.zeros(8), grad.clone(), torch.zeros(8), torch.zeros(8), 1, lr, betas)
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("adam_step", error)
    return {
        "runs": runs,
        "inputs_unchanged": unchanged,
        "first": [plain(x) for x in first],
        "t_zero": exception_raised(adam_step, torch.zeros(2), torch.ones(2), torch.zeros(2), torch.zeros(2), 0, 0.1),
    }


def _adam_reference(case: AdamStepCase, mistake: str = "") -> np.ndarray:
    """The (ADAM_STEPS, 18) rows [θ, m, v] after each update, in float64; ``mistake`` replays a wrong variant."""
    (beta1, beta2), lr, eps, wd = case.betas, case.lr, case.eps, case.weight_decay
    theta = case.theta.double().numpy()
    m, v, rows = np.zeros_like(theta), np.zeros_like(theta), []
    for t, grad in enumerate(case.grads.double().numpy(), start=1):
        g = grad if mistake == "decoupled" else grad + wd * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = (m, v) if mistake == "no_correction" else (m / (1 - beta1**t), v / (1 - beta2**t))
        numerator = g / (1 - beta1**t) if mistake == "numerator_g" else m_hat
        denominator = np.sqrt(v_hat + eps) if mistake == "eps_inside" else np.sqrt(v_hat) + eps
        theta = theta - lr * numerator / denominator - (lr * wd * theta if mistake == "decoupled" else 0.0)
        rows.append(np.concatenate([theta, m, v]))
    return np.array(rows)


ADAM_MISTAKES = {
    "no_correction": "Divide the moments by 1 − β1**t and 1 − β2**t (bias correction, t from 1).",
    "numerator_g": "The numerator is the corrected first moment m̂, not the raw gradient.",
    "eps_inside": "eps goes outside the square root: sqrt(v̂) + eps.",
    "decoupled": "torch.optim.Adam adds λ·θ to the gradient before both moments (not AdamW's separate decay).",
}


@judged
def _judge_adam_step(data: dict, seed: int) -> None:
    for case, got in zip(_adam_step_cases(seed), data["runs"], strict=True):
        where = f" (failed for betas {case.betas}, eps {case.eps:g}, weight_decay {case.weight_decay})"
        expected = _adam_reference(case)
        check(got.shape == expected.shape, "Return (new_param, new_m, new_v), each shaped like param." + where)
        wrong = [(_adam_reference(case, mistake)[:, :6], hint) for mistake, hint in ADAM_MISTAKES.items()]
        hint = pick_hint(got[:, :6], wrong, "θ ← θ − lr·m̂/(sqrt(v̂) + eps) with g = grad + λθ.", atol=1e-4)
        check_close(got[:, :6], expected[:, :6], hint + where, **ADAM_CLOSE)
        check_close(
            got[:, 6:], expected[:, 6:], "Return the UNCORRECTED moments m and v as new_m, new_v." + where, **ADAM_CLOSE
        )
    check(data["inputs_unchanged"], "Leave param, grad, m and v unchanged: return new tensors.")
    grad, (beta1, beta2), lr = _first_step_case(seed)
    g = grad.double().numpy()
    theta, m, v = data["first"]
    first_hint = "With bias correction the first step is −lr·g/(|g| + eps), whatever the betas."
    check_close(theta, -lr * g / (np.abs(g) + 1e-8), first_hint, atol=1e-6)
    check_close(m, (1 - beta1) * g, "After the first step m = (1 − β1)·g (uncorrected).", atol=1e-6)
    check_close(v, (1 - beta2) * g**2, "After the first step v = (1 − β2)·g² (uncorrected).", atol=1e-6)
    check(data["t_zero"] == "ValueError", "Raise ValueError for t < 1: t counts updates from 1.", data["t_zero"])


# --------------------------------------------------------------------------------------------- Adam.step

MLP_STEPS = 100
# The grid costs about 2 s per seed (student and torch runs): one hidden seed keeps the graded cell well
# inside the grader's per-cell limit; the smaller runs below vary with it.
ADAM_SEED_COUNT = 1
MLP_GRID = list(itertools.product([1e-3, 0.05], [(0.9, 0.999), (0.5, 0.8)], [1e-8, 1e-2], [0.0, 0.1]))
# float64: in float32 the betas (0.5, 0.8) runs drift from torch by ulp-level differences in operation order.
MLP_CLOSE = {"rtol": 1e-4, "atol": 1e-5}
STATE_KEYS = ("exp_avg", "exp_avg_sq")
_STATE_HINT = "Keep self.state[p] = {'step', 'exp_avg', 'exp_avg_sq'} per parameter, as torch does."


def _leaf(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.clone().requires_grad_(True)


def _mlp_problem(seed: int) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
    """float64 weights of a tanh MLP 8→16→1 (shapes (16, 8), (16,), (1, 16), (1,)), data X (32, 8), y (32, 1)."""
    gen = torch.Generator().manual_seed(seed)
    shapes = [(16, 8), (16,), (1, 16), (1,)]
    weights = [0.5 * torch.randn(shape, dtype=torch.float64, generator=gen) for shape in shapes]
    return (
        weights,
        torch.randn(32, 8, dtype=torch.float64, generator=gen),
        torch.randn(32, 1, dtype=torch.float64, generator=gen),
    )


def _mlp_loss(params: list[torch.Tensor], X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = params
    return ((torch.tanh(X @ w1.T + b1) @ w2.T + b2 - y) ** 2).mean()


def _state_rows(optimizer: Any, params: list[torch.Tensor]) -> dict:
    """Each state entry of every parameter, flattened and concatenated, plus the step counters and dtypes."""
    states = [optimizer.state[p] for p in params]
    return {
        **{key: np.concatenate([plain(s[key]).ravel() for s in states]) for key in STATE_KEYS},
        "step": [float(s["step"]) for s in states],
        "dtypes": sorted({str(s[key].dtype) for s in states for key in STATE_KEYS}),
    }


def _train_mlp(optimizer_cls: Any, seed: int, lr: float, betas: tuple, eps: float, wd: float) -> dict:
    """MLP_STEPS full-batch steps; per step the parameters (read from the tensors themselves) and the state."""
    weights, X, y = _mlp_problem(seed)
    params = [_leaf(w) for w in weights]
    optimizer = optimizer_cls((p for p in params), lr=lr, betas=betas, eps=eps, weight_decay=wd)
    rows: dict[str, list] = {"params": [], "exp_avg": [], "exp_avg_sq": [], "step": []}
    for _ in range(MLP_STEPS):
        optimizer.zero_grad()
        _mlp_loss(params, X, y).backward()
        optimizer.step()
        rows["params"].append(np.concatenate([plain(p).ravel() for p in params]))
        state = _state_rows(optimizer, params)
        for key in ("exp_avg", "exp_avg_sq", "step"):
            rows[key].append(state[key])
    return {**{key: np.array(value) for key, value in rows.items()}, "dtypes": state["dtypes"]}


def _two_param_problem(seed: int) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Two (3,) float32 parameters and (12, 2, 3) loss coefficients."""
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(3, generator=gen), torch.randn(3, generator=gen)], torch.randn(12, 2, 3, generator=gen)


def _train_sometimes(optimizer_cls: Any, seed: int) -> dict:
    """The second parameter gets a gradient only on even steps: per-parameter step counters must differ."""
    weights, coefficients = _two_param_problem(seed)
    params = [_leaf(w) for w in weights]
    optimizer = optimizer_cls(params, lr=0.1)
    path, steps = [], []
    for k, (c0, c1) in enumerate(coefficients):
        optimizer.zero_grad()
        loss = (c0 * params[0]).sum() + ((params[0] * params[1]).sum() + (c1 * params[1]).sum() if k % 2 == 0 else 0)
        loss.backward()
        optimizer.step()
        path.append(np.concatenate([plain(p) for p in params]))
        steps.append([float(optimizer.state[p]["step"]) for p in params])
    return {"path": np.array(path), "step": np.array(steps)}


SCALE_STEPS = 30
SCALES = (1e-3, 1e3)


def _scaled_problem(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A start (5,) and a target (5,) far from it: K·Σ(θ − c)² has no zero gradient within 30 steps of lr 0.05."""
    gen = torch.Generator().manual_seed(seed)
    start = torch.randn(5, generator=gen)
    return start, start + torch.sign(torch.randn(5, generator=gen)) * 3.0


def _train_scaled(optimizer_cls: Any, seed: int, scale: float) -> np.ndarray:
    start, target = _scaled_problem(seed)
    theta = _leaf(start)
    optimizer = optimizer_cls([theta], lr=0.05, eps=0.0)
    path = []
    for _ in range(SCALE_STEPS):
        optimizer.zero_grad()
        (scale * ((theta - target) ** 2).sum()).backward()
        optimizer.step()
        path.append(plain(theta))
    return np.array(path)


CANCER_STEPS = 50


def _cancer_losses(optimizer_cls: Any, seed: int) -> np.ndarray:
    """The notebook's demo for CANCER_STEPS steps: MLP 30→32 (tanh)→1, BCE with logits, full batch, lr 0.01."""
    X, y = breast_cancer_standardized()
    model = torch.nn.Sequential(torch.nn.Linear(30, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():  # seeded weights without touching the global generator
        for p in model.parameters():
            p.copy_(0.2 * torch.randn(p.shape, generator=gen))
    optimizer = optimizer_cls(model.parameters(), lr=0.01)
    losses = []
    for _ in range(CANCER_STEPS):
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(X).squeeze(1), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses)


def _run_adam(adam_cls: Any, seed: int) -> dict:
    try:
        mlp = [_train_mlp(adam_cls, seed, *settings) for settings in MLP_GRID]
        sometimes = _train_sometimes(adam_cls, seed)
        scaled = {scale: _train_scaled(adam_cls, seed, scale) for scale in (1.0, *SCALES)}
        cancer = _cancer_losses(adam_cls, seed)
    except KeyError:
        return {"error": "Hint: " + _STATE_HINT}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("Adam.step", error)
    return {"mlp": mlp, "sometimes": sometimes, "scaled": scaled, "cancer": cancer}


_NEVER_MOVED = "step() left the parameters unchanged: write the update into p itself (p.copy_ under torch.no_grad())."


@judged
def _judge_adam(data: dict, seed: int) -> None:
    weights, _, _ = _mlp_problem(seed)
    start = np.concatenate([plain(w).ravel() for w in weights])
    for settings, got in zip(MLP_GRID, data["mlp"], strict=True):
        lr, betas, eps, wd = settings
        where = f" (failed on a tanh MLP for lr {lr}, betas {betas}, eps {eps:g}, weight_decay {wd})"
        expected = _train_mlp(torch.optim.Adam, seed, *settings)
        hint = pick_hint(
            got["params"],
            [(np.tile(start, (MLP_STEPS, 1)), _NEVER_MOVED)],
            "Match torch.optim.Adam step for step.",
            0.0,
        )
        check_close(got["params"], expected["params"], hint + where, **MLP_CLOSE)
        check_close(got["step"], expected["step"], "state['step'] counts this parameter's updates, from 1." + where)
        for key in STATE_KEYS:
            check_close(got[key], expected[key], f"state['{key}'] holds the UNCORRECTED moment." + where, **MLP_CLOSE)
        check(
            got["dtypes"] == ["torch.float64"],
            "Create the state with zeros_like(p): float64 params keep float64 state." + where,
        )
    expected = _train_sometimes(torch.optim.Adam, seed)
    counter_hint = "Each parameter has its own step counter; it advances only when that parameter has a grad."
    check_close(data["sometimes"]["step"], expected["step"], counter_hint)
    check_close(data["sometimes"]["path"], expected["path"], counter_hint, rtol=1e-5, atol=1e-6)
    reference = _train_scaled(torch.optim.Adam, seed, 1.0)
    for scale in (1.0, *SCALES):
        check_close(
            data["scaled"][scale],
            reference,
            "With eps = 0, Adam's steps do not depend on the gradients' scale: match torch.optim.Adam."
            + f" (failed with gradients ×{scale:g})",
            rtol=1e-5,
            atol=1e-5,
        )
    check_close(
        data["cancer"],
        _cancer_losses(torch.optim.Adam, seed),
        "Match torch.optim.Adam on the breast-cancer MLP (the notebook's demo).",
        atol=1e-5,
    )


CHECKS = checks(
    grad_mean=("grad_stats:grad_mean", _stats_runner("grad_mean"), _judge_stats("grad_mean", _mean, _wrong_means)),
    grad_rms=("grad_stats:grad_rms", _stats_runner("grad_rms"), _judge_stats("grad_rms", _rms, _wrong_rms)),
    ema_update=("ema:ema_update", _run_ema_update, _judge_ema_update),
    ema_series=("ema:ema_series", _run_ema_series, _judge_ema_series),
    adam_step=("adam:adam_step", _run_adam_step, _judge_adam_step),
    adam__step=("adam:Adam", _run_adam, _judge_adam),
)


def _adam_seeds(grade_id: str) -> list[int]:
    return hidden_seeds(grade_id, ADAM_SEED_COUNT)


CHECKS["adam__step"] = dataclasses.replace(CHECKS["adam__step"], seeds=_adam_seeds)
