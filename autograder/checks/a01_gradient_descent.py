"""Hidden checks of assignment 01: ``gd_step``, ``run_gd``, ``SimpleGradientDescent.step``,
``critical_learning_rate``, ``ripple_grad`` and ``ripple_descent``.

Each check's inputs are rebuilt from the seed by both halves (``_gd_step_cases``, ``_run_gd_cases``,
``_linear_problem``, ``_spd_case``, ``_ripple_points``, ``_descent_cases``); ``judge`` recomputes the expected
values with its own float64 numpy reference (``gd_step``; the closed form of GD on a quadratic for ``run_gd``;
eigenvalues for ``critical_learning_rate``; central differences of ``ripple_f``; a descent loop for
``ripple_descent``) or with ``torch.optim.SGD``.

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data:
- ``gd_step``: whether x, grad and a tensor lr are bit-identical after the call (``inputs_unchanged``),
  and whether the result is exactly a ``torch.Tensor`` and of which dtype.
- ``run_gd``: whether x0 is bit-identical after the call and left without a ``.grad`` (``x0_unchanged``,
  ``x0_grad_none``); whether the three outputs are exactly ``torch.Tensor`` (``is_tensor``), their dtypes
  and whether any still requires grad (``requires_grad``).
- ``SimpleGradientDescent.step``: the iterates are read from the model's own parameter tensors after
  each step, so an update that rebinds a local name shows up as parameters that never move; the
  parameters reach the optimizer as a generator, and an extra parameter never receives a gradient.
- ``critical_learning_rate``: which exception a non-symmetric matrix raised (``non_symmetric``).
- ``ripple_descent``: whether the histories are exactly ``np.ndarray`` and of which dtype.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch

from autograder.checks._base import checks, judged, plain, student_error
from utils.landscapes import ripple_f
from utils.testing import check, check_close, pick_hint


def _tensor_record(value: Any) -> dict:
    """Plain data about one returned value: is it exactly a torch.Tensor, its dtype, its float64 values."""
    if type(value) is not torch.Tensor:
        return {"is_tensor": False, "dtype": type(value).__name__, "requires_grad": False, "value": None}
    return {
        "is_tensor": True,
        "dtype": str(value.dtype),
        "requires_grad": bool(value.requires_grad),
        "value": plain(value),
    }


def _float64(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().numpy().astype(np.float64)


# ---------------------------------------------------------------------------------------------- gd_step


class GdStepCase(NamedTuple):
    x: torch.Tensor
    grad: torch.Tensor
    lr: float | torch.Tensor
    weight_decay: float
    description: str  # says what kind of input failed, never its values


LR_KINDS = ("float", "0-d tensor", "per-element tensor")


def _draw_lr(kind: str, shape: tuple[int, ...], dtype: torch.dtype, gen: torch.Generator) -> float | torch.Tensor:
    if kind == "per-element tensor":
        return torch.empty(shape, dtype=dtype).uniform_(0.01, 0.5, generator=gen)
    value = torch.empty((), dtype=torch.float64).uniform_(0.01, 0.5, generator=gen)
    return float(value) if kind == "float" else value.to(dtype)


def _gd_step_cases(seed: int) -> list[GdStepCase]:
    """Every combination of shape (d,), (5,), (3, 4), dtype, kind of lr and weight decay 0 or 0.3."""
    gen = torch.Generator().manual_seed(seed)
    d = int(torch.randint(1, 9, (1,), generator=gen))
    cases = []
    for shape, dtype, kind, weight_decay in itertools.product(
        [(d,), (5,), (3, 4)], [torch.float32, torch.float64], LR_KINDS, [0.0, 0.3]
    ):
        x = torch.randn(shape, dtype=dtype, generator=gen)
        grad = torch.randn(shape, dtype=dtype, generator=gen)
        lr = _draw_lr(kind, shape, dtype, gen)
        description = f"x of shape {shape} in {dtype}, lr as a {kind}, weight_decay {weight_decay}"
        cases.append(GdStepCase(x, grad, lr, weight_decay, description))
    return cases


def _run_gd_step(gd_step: Any, seed: int) -> dict:
    records = []
    for case in _gd_step_cases(seed):
        before = [t.clone() for t in (case.x, case.grad, case.lr) if isinstance(t, torch.Tensor)]
        try:
            result = gd_step(case.x, case.grad, case.lr, case.weight_decay)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("gd_step", error)
        after = [t for t in (case.x, case.grad, case.lr) if isinstance(t, torch.Tensor)]
        unchanged = all(torch.equal(a, b) for a, b in zip(after, before, strict=True))
        records.append({**_tensor_record(result), "inputs_unchanged": unchanged})
    return {"cases": records}


def _gd_step_wrong_answers(x: np.ndarray, g: np.ndarray, lr: Any, wd: float) -> list[tuple[np.ndarray, str]]:
    """Values that anticipated mistakes would return, each with the hint that names the mistake."""
    return [
        (x + lr * (g + wd * x), "Move against the gradient: x − lr·(grad + weight_decay·x), not x + …."),
        (x - lr * g - wd * x, "Scale the decay term by lr too: x − lr·(grad + weight_decay·x)."),
        (x - lr * (g + 0.5 * wd * x), "The gradient of (λ/2)‖x‖² is λ·x, not λ/2·x."),
        ((x - lr * g) * (1 - lr * wd), "Add the decay to the gradient before the step, not after it."),
        (x - lr * (g + wd * np.sign(x)), "L2 decay adds λ·x (not λ·sign(x)) to the gradient."),
    ]


@judged
def _judge_gd_step(data: dict, seed: int) -> None:
    for case, got in zip(_gd_step_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.description})"
        check(got["is_tensor"], "gd_step must return a torch.Tensor." + where, f"got {got['dtype']}")
        x, g = _float64(case.x), _float64(case.grad)
        lr = _float64(case.lr) if isinstance(case.lr, torch.Tensor) else case.lr
        expected = x - lr * (g + case.weight_decay * x)
        default = "New point = x − lr·(grad + weight_decay·x); lr may be one rate per coordinate."
        hint = pick_hint(got["value"], _gd_step_wrong_answers(x, g, lr, case.weight_decay), default)
        check_close(got["value"], expected, hint + where, atol=1e-6)
        check(
            got["dtype"] == str(case.x.dtype),
            "Keep x's dtype: a float64 x gives a float64 result." + where,
            f"got {got['dtype']}",
        )
        check(got["inputs_unchanged"], "Do not edit x, grad or lr in place; return a new tensor." + where)


# ----------------------------------------------------------------------------------------------- run_gd


class RunGdCase(NamedTuple):
    A: torch.Tensor  # SPD (d, d) in the case's dtype: the loss is ½xᵀAx
    x0: torch.Tensor
    lr: float
    weight_decay: float
    steps: int
    x0_requires_grad: bool
    description: str


# (d, weight_decay, steps, dtype, x0 requires grad): the spec's grid, then the dtype, steps = 0 and
# requires-grad edges.
RUN_GD_GRID = [
    *[(d, wd, 30, torch.float32, False) for wd in (0.0, 0.2) for d in (1, 3, 7)],
    (3, 0.2, 30, torch.float64, False),
    (3, 0.0, 0, torch.float32, False),
    (3, 0.2, 30, torch.float32, True),
]


def _random_spd(d: int, gen: torch.Generator) -> torch.Tensor:
    """A float64 symmetric matrix with eigenvalues drawn from [0.1, 5]."""
    q, _ = torch.linalg.qr(torch.randn(d, d, dtype=torch.float64, generator=gen))
    eigenvalues = torch.empty(d, dtype=torch.float64).uniform_(0.1, 5.0, generator=gen)
    A = q @ torch.diag(eigenvalues) @ q.T
    return (A + A.T) / 2


def _run_gd_cases(seed: int) -> list[RunGdCase]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for d, weight_decay, steps, dtype, requires_grad in RUN_GD_GRID:
        A = _random_spd(d, gen).to(dtype)
        x0 = torch.randn(d, dtype=dtype, generator=gen)
        # 0.8/λmax(A + λI) is a safe step: every mode of the iteration contracts.
        lr = 0.8 / float(torch.linalg.eigvalsh(A.double()).max() + weight_decay)
        description = f"d={d}, weight_decay {weight_decay}, steps {steps}, {dtype}" + (
            ", x0 requiring grad" if requires_grad else ""
        )
        cases.append(RunGdCase(A, x0, lr, weight_decay, steps, requires_grad, description))
    return cases


def _quadratic(A: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """The loss ½xᵀAx that run_gd descends."""
    return lambda x: 0.5 * x @ (A @ x)


def _run_run_gd(run_gd: Any, seed: int) -> dict:
    records = []
    for case in _run_gd_cases(seed):
        x0 = case.x0.clone().requires_grad_(case.x0_requires_grad)
        try:
            xs, losses, grads = run_gd(_quadratic(case.A), x0, case.lr, case.steps, case.weight_decay)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("run_gd", error)
        records.append(
            {
                "xs": _tensor_record(xs),
                "losses": _tensor_record(losses),
                "grads": _tensor_record(grads),
                "x0_unchanged": torch.equal(x0.detach(), case.x0),
                "x0_grad_none": x0.grad is None,
            }
        )
    return {"cases": records}


def _closed_form(case: RunGdCase) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs[k] = (I − η(A + λI))^k x0, grads[k] = A·xs[k], losses[k] = ½ xs[k]ᵀA xs[k], in float64."""
    A, x = _float64(case.A), _float64(case.x0)
    step = np.eye(len(x)) - case.lr * (A + case.weight_decay * np.eye(len(x)))
    iterates = [x]
    for _ in range(case.steps):
        iterates.append(step @ iterates[-1])
    xs = np.array(iterates)
    grads = xs[:-1] @ A  # A is symmetric: row k is A·xs[k]
    losses = 0.5 * np.einsum("ki,ij,kj->k", xs, A, xs)
    return xs, losses, grads


_XS_HINT = (
    "xs[0] must be x0 and xs[k+1] = gd_step(xs[k], ∇L(xs[k]), lr, weight_decay); clear x.grad after every update."
)
_LOSSES_HINT = "losses[k] must be loss_fn(xs[k]), recorded before the update, with one more entry than steps."
_GRADS_HINT = "grads[k] must be ∇loss_fn(xs[k])."
_GRADS_WITH_DECAY_HINT = "grads must be ∇loss_fn(xs[k]) alone, without the weight_decay·x term."
_OUTPUTS = ("xs", "losses", "grads")


@judged
def _judge_run_gd(data: dict, seed: int) -> None:
    close = {"rtol": 1e-4, "atol": 1e-5}
    for case, got in zip(_run_gd_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.description})"
        xs, losses, grads = _closed_form(case)
        for name in _OUTPUTS:
            check(
                got[name]["is_tensor"],
                f"run_gd must return torch tensors; {name} is not one." + where,
                f"got {got[name]['dtype']}",
            )
        check_close(got["xs"]["value"], xs, _XS_HINT + where, **close)
        check_close(got["losses"]["value"], losses, _LOSSES_HINT + where, **close)
        with_decay = grads + case.weight_decay * xs[:-1]
        grads_hint = pick_hint(got["grads"]["value"], [(with_decay, _GRADS_WITH_DECAY_HINT)], _GRADS_HINT, atol=1e-5)
        check_close(got["grads"]["value"], grads, grads_hint + where, **close)
        dtypes = {got[name]["dtype"] for name in _OUTPUTS}
        check(
            dtypes == {str(case.x0.dtype)}, "Keep x0's dtype in xs, losses and grads." + where, f"got {sorted(dtypes)}"
        )
        check(
            not any(got[name]["requires_grad"] for name in _OUTPUTS),
            "Return detached tensors (x.detach().clone()), not ones that still require grad." + where,
        )
        check(got["x0_unchanged"], "Never update x0 itself; work on x = x0.detach().clone()." + where)
        check(got["x0_grad_none"], "Leave x0 without a .grad: differentiate a detached copy of it." + where)


# --------------------------------------------------------------------------------- SimpleGradientDescent


class LinearProblem(NamedTuple):
    weight: torch.Tensor  # (3, 5) initial nn.Linear(5, 3) weight
    bias: torch.Tensor  # (3,)
    unused: torch.Tensor  # (4,) a parameter that never gets a gradient
    X: torch.Tensor  # (16, 5)
    Y: torch.Tensor  # (16, 3)


SGD_LR = 0.1
SGD_STEPS = 100


def _linear_problem(seed: int) -> LinearProblem:
    gen = torch.Generator().manual_seed(seed)
    shapes = [(3, 5), (3,), (4,), (16, 5), (16, 3)]
    return LinearProblem(*(torch.randn(shape, generator=gen) for shape in shapes))


def _train_linear(optimizer_cls: Any, seed: int, lr: float, weight_decay: float, steps: int) -> dict:
    """Least squares with nn.Linear(5, 3) for ``steps`` optimizer steps.

    Returns the iterates (steps, 18) read from the model's own weight and bias after each step, and
    the unused parameter's final value. The parameters reach the optimizer as a generator.
    """
    problem = _linear_problem(seed)
    model = torch.nn.utils.skip_init(torch.nn.Linear, 5, 3)  # no draw from the global RNG
    with torch.no_grad():
        model.weight.copy_(problem.weight)
        model.bias.copy_(problem.bias)
    unused = torch.nn.Parameter(problem.unused.clone())
    optimizer = optimizer_cls((p for p in [*model.parameters(), unused]), lr=lr, weight_decay=weight_decay)
    iterates = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(problem.X) - problem.Y) ** 2).mean()
        loss.backward()
        optimizer.step()
        iterates.append(torch.cat([model.weight.detach().flatten(), model.bias.detach()]))
    return {"iterates": plain(torch.stack(iterates)), "unused": plain(unused)}


# (weight_decay, lr, steps): the spec's two comparisons with torch.optim.SGD, then lr = 0 with decay on.
SGD_RUNS = [(0.0, SGD_LR, SGD_STEPS), (0.5, SGD_LR, SGD_STEPS), (0.5, 0.0, 3)]


def _run_simple_gradient_descent(optimizer_cls: Any, seed: int) -> dict:
    runs = []
    for weight_decay, lr, steps in SGD_RUNS:
        try:
            runs.append(_train_linear(optimizer_cls, seed, lr, weight_decay, steps))
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("SimpleGradientDescent.step", error)
    return {"runs": runs}


_PARAMS_NEVER_MOVED = (
    "step() left the model's parameters unchanged: update each p in place (p -= … inside "
    "torch.no_grad()); rebinding a local name changes nothing."
)
_MATCH_SGD = "Match torch.optim.SGD: p ← p − lr·(p.grad + weight_decay·p) for every p that has a grad."


@judged
def _judge_simple_gradient_descent(data: dict, seed: int) -> None:
    problem = _linear_problem(seed)
    start = plain(torch.cat([problem.weight.flatten(), problem.bias]))
    for (weight_decay, lr, steps), got in zip(SGD_RUNS, data["runs"], strict=True):
        where = f" (failed for lr {lr}, weight_decay {weight_decay})"
        expected = _train_linear(torch.optim.SGD, seed, lr, weight_decay, steps)
        if lr == 0.0:
            hint = "With lr = 0 nothing may move: lr scales the whole step, decay included."
        else:
            hint = pick_hint(got["iterates"], [(np.tile(start, (steps, 1)), _PARAMS_NEVER_MOVED)], _MATCH_SGD, 0.0)
        check_close(got["iterates"], expected["iterates"], hint + where, atol=1e-6)
        check(
            np.array_equal(got["unused"], plain(problem.unused)),
            "Skip parameters whose grad is None entirely (no weight decay either), as torch.optim.SGD does." + where,
        )


# ------------------------------------------------------------------------------- critical_learning_rate


class SpdCase(NamedTuple):
    A: torch.Tensor  # (4, 4) float64 SPD, eigenvalues in [0.1, 5]
    asymmetric: torch.Tensor  # A with one off-diagonal entry moved: must raise ValueError


CRITICAL_GD_STEPS = 300


def _spd_case(seed: int) -> SpdCase:
    gen = torch.Generator().manual_seed(seed)
    A = _random_spd(4, gen)
    asymmetric = A.clone()
    asymmetric[0, 1] += 0.01  # far beyond the 1e-6 symmetry tolerance
    return SpdCase(A, asymmetric)


def _run_critical_learning_rate(critical_learning_rate: Any, seed: int) -> dict:
    case = _spd_case(seed)
    try:
        rate = plain(critical_learning_rate(case.A.clone()))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("critical_learning_rate", error)
    try:
        critical_learning_rate(case.asymmetric.clone())
        non_symmetric = "no error"
    except Exception as error:  # noqa: BLE001 - the kind of exception is the observation
        non_symmetric = type(error).__name__
    return {"rate": rate, "non_symmetric": non_symmetric}


def _gd_growth(A: np.ndarray, lr: float) -> float:
    """‖x‖/‖x0‖ after CRITICAL_GD_STEPS steps of x ← x − lr·Ax (plain numpy GD on ½xᵀAx).

    x0 holds every eigenvector of A with weight 1, so the top mode is surely there to grow or shrink.
    """
    x0 = np.linalg.eigh(A)[1].sum(axis=1)
    x = x0.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(CRITICAL_GD_STEPS):
            x = x - lr * (A @ x)
        return float(np.linalg.norm(x) / np.linalg.norm(x0))


@judged
def _judge_critical_learning_rate(data: dict, seed: int) -> None:
    case = _spd_case(seed)
    A = _float64(case.A)
    eigenvalues = np.linalg.eigvalsh(A)
    expected = 2.0 / eigenvalues[-1]
    got = data["rate"]
    check(got.shape == (), "Return one number, 2/λmax, as a python float.", f"got shape {got.shape}")
    hint = pick_hint(
        got,
        [
            (1.0 / eigenvalues[-1], "The step is 2/λmax, not 1/λmax: GD is stable while |1 − η·λmax| < 1."),
            (2.0 / eigenvalues[0], "Use the LARGEST eigenvalue: the stiffest direction limits the step."),
            (2.0 / np.max(np.diag(A)), "Diagonal entries are not eigenvalues: use torch.linalg.eigvalsh(A)."),
        ],
        "Return 2/λmax(A), the largest eigenvalue from torch.linalg.eigvalsh.",
    )
    # What the number means: GD just below it converges, just above it blows up (top mode ×(−1.02) per step).
    check(_gd_growth(A, 0.99 * float(got)) < 1.0, hint, "GD at 0.99× the returned rate does not shrink x")
    check(_gd_growth(A, 1.01 * float(got)) > 10.0, hint, "GD at 1.01× the returned rate still converges")
    check_close(got, expected, hint, rtol=1e-6)
    check(
        data["non_symmetric"] == "ValueError",
        "Raise ValueError when A is not symmetric (atol 1e-6).",
        f"a non-symmetric A gave {data['non_symmetric']}",
    )


# ----------------------------------------------------------------------------------------- ripple_grad


def _ripple_points(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): two (4, 6) float64 arrays in the square the notebook explores."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-4, 4, size=(4, 6)), rng.uniform(-4, 4, size=(4, 6))


def _run_ripple_grad(ripple_grad: Any, seed: int) -> dict:
    x, y = _ripple_points(seed)
    try:
        dfdx, dfdy = ripple_grad(x.copy(), y.copy())
        return {"dfdx": plain(dfdx), "dfdy": plain(dfdy)}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("ripple_grad", error)


def _central_differences(x: np.ndarray, y: np.ndarray, h: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """∂f/∂x and ∂f/∂y of ripple_f, elementwise, by centred differences."""
    return (ripple_f(x + h, y) - ripple_f(x - h, y)) / (2 * h), (ripple_f(x, y + h) - ripple_f(x, y - h)) / (2 * h)


@judged
def _judge_ripple_grad(data: dict, seed: int) -> None:
    x, y = _ripple_points(seed)
    dfdx, dfdy = _central_differences(x, y)
    # rtol 1e-5 as the spec asks; the tiny atol covers the differences' rounding (~1e-9) on a near-zero partial.
    close = {"rtol": 1e-5, "atol": 1e-8}
    dfdx_hint = pick_hint(
        data["dfdx"],
        [
            (dfdx + 6 * np.sin(3 * x), "d/dx cos(3x) = −3·sin(3x): the sine term enters with a minus sign."),
            (dfdx + 2 * np.sin(3 * x), "Keep the chain rule's factor 3: d/dx cos(3x) = −3·sin(3x)."),
            (dfdx - y, "x(y + 2) contributes y + 2 to ∂f/∂x, not just 2."),
        ],
        "∂f/∂x = 2x − 3·sin(3x) + y + 2, elementwise (np.sin).",
        atol=1e-4,
    )
    check_close(data["dfdx"], dfdx, dfdx_hint, **close)
    check_close(data["dfdy"], dfdy, "∂f/∂y = x + 2y, elementwise.", **close)


# -------------------------------------------------------------------------------------- ripple_descent


class DescentCase(NamedTuple):
    x: float
    y: float
    step_size: float
    steps: int
    decay: float


DESCENT_CASES = 20
_START_HINT = "x_hist and y_hist start with the initial point, so they hold steps+1 values."


def _descent_cases(seed: int) -> list[DescentCase]:
    """20 seeded runs (start in [−4, 4]², step in [0.01, 0.1], decay in [0.7, 1], 1–30 steps), then steps = 0."""
    rng = np.random.default_rng(seed)
    cases = [
        DescentCase(
            float(rng.uniform(-4, 4)),
            float(rng.uniform(-4, 4)),
            float(rng.uniform(0.01, 0.1)),
            int(rng.integers(1, 31)),
            float(rng.uniform(0.7, 1.0)),
        )
        for _ in range(DESCENT_CASES)
    ]
    return [*cases, DescentCase(3.0, 2.0, 0.1, 0, 0.9)]


def _array_record(value: Any) -> dict:
    """Plain data about one returned history: is it exactly an np.ndarray, its dtype, its float64 values."""
    return {"is_ndarray": type(value) is np.ndarray, "dtype": str(getattr(value, "dtype", "")), "value": plain(value)}


def _run_ripple_descent(ripple_descent: Any, seed: int) -> dict:
    records = []
    for case in _descent_cases(seed):
        try:
            x, y, f, x_hist, y_hist = ripple_descent(*case)
            records.append(
                {"final": plain([x, y, f]), "x_hist": _array_record(x_hist), "y_hist": _array_record(y_hist)}
            )
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("ripple_descent", error)
    return {"cases": records}


def _reference_descent(case: DescentCase, *, sequential: bool = False, schedule_shift: int = 0) -> np.ndarray:
    """The (steps+1, 2) iterates of GD on ripple_f; the keywords replay two anticipated mistakes."""
    x, y = case.x, case.y
    points = [(x, y)]
    for t in range(case.steps):
        step = case.step_size * case.decay ** (t + schedule_shift)
        x_new = x - step * (2 * x - 3 * np.sin(3 * x) + y + 2)
        y = y - step * ((x_new if sequential else x) + 2 * y)
        x = x_new
        points.append((x, y))
    return np.array(points)


@judged
def _judge_ripple_descent(data: dict, seed: int) -> None:
    for case, got in zip(_descent_cases(seed), data["cases"], strict=True):
        # Names the kind of run, never its seeded start, step size or length.
        where = " (failed for steps = 0)" if case.steps == 0 else " (failed for a run with decay)"
        expected = _reference_descent(case)
        for name in ("x_hist", "y_hist"):
            history = got[name]
            check(
                history["is_ndarray"] and history["dtype"] == "float64",
                f"{name} must be a float64 numpy array." + where,
                f"got dtype {history['dtype'] or 'none'}",
            )
            check(
                history["value"].shape == (case.steps + 1,),
                _START_HINT + where,
                f"shape {history['value'].shape}, expected ({case.steps + 1},)",
            )
        path = np.stack([got["x_hist"]["value"], got["y_hist"]["value"]], axis=1)
        hint = pick_hint(
            path,
            [
                (
                    _reference_descent(case, sequential=True),
                    "Move both coordinates at once, with both partials "
                    "taken at the old point (y must not see the new x).",
                ),
                (_reference_descent(case, schedule_shift=1), "Step t uses step_size·decay**t with t starting at 0."),
            ],
            "Step t: (x, y) ← (x, y) − step_size·decay**t·∇f(x, y), with ∇f at the old point.",
            atol=1e-9,
        )
        check_close(path, expected, hint + where, atol=1e-9)
        x, y = expected[-1]
        check_close(
            got["final"],
            [x, y, ripple_f(x, y)],
            "Return the final x, y and f(x, y) first, then the histories." + where,
            atol=1e-9,
        )


CHECKS = checks(
    gd_step=("gradient_descent:gd_step", _run_gd_step, _judge_gd_step),
    run_gd=("gradient_descent:run_gd", _run_run_gd, _judge_run_gd),
    simple_gradient_descent__step=(
        "gradient_descent:SimpleGradientDescent",
        _run_simple_gradient_descent,
        _judge_simple_gradient_descent,
    ),
    critical_learning_rate=(
        "gradient_descent:critical_learning_rate",
        _run_critical_learning_rate,
        _judge_critical_learning_rate,
    ),
    ripple_grad=("ripple:ripple_grad", _run_ripple_grad, _judge_ripple_grad),
    ripple_descent=("ripple:ripple_descent", _run_ripple_descent, _judge_ripple_descent),
)
