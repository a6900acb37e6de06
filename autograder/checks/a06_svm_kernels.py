"""Hidden checks of assignment 06 (spec §5): the hand-made lifts, the wave feature map, Gram matrices from an
explicit φ, pairwise squared distances, the RBF and polynomial kernels, the kernel validity test, the dual decision
function, and the optional primal SVM (hinge objective, subgradient descent).

Every check receives the student's package ``svm`` and reads what it grades from it (``student.rbf_kernel``,
``student.dual_decision_function`` …). Both halves rebuild each check's inputs from the seed (``_lift_inputs``,
``_wave_rows``, ``_pairs``, ``_phi_cases``, ``_offset_data``, ``_validity_cases``, ``_dual_cases``,
``_hinge_cases``, ``_fit_problem``); ``judge`` recomputes the expected values with ``sklearn.metrics.pairwise``
(``euclidean_distances(squared=True)``, ``rbf_kernel``, ``polynomial_kernel``), with scikit-learn's ``SVC``
(separability, ``decision_function``, the linear SVM's objective), with torch autograd in float64 (the hinge) or with
its own numpy reference (the lifts, the brute-force Gram matrix, exact distances, the subgradient iterates).

What each check observes:
- ``lift_circles``, ``lift_xor``: random float and integer X (N 1–30) lifted to (N, 3) float64, equal to
  [x₁, x₂, x₁²+x₂²] or [x₁, x₂, x₁x₂] (rtol 1e-12); a linear ``SVC(C=10)`` on the lifted ``circles()`` and a linear
  ``SVC(C=1e3)`` on the lifted ``make_xor(seed=<hidden seed>)`` reach training accuracy 1.0 (C=10 leaves 7% of XOR
  seeds just short of 1.0, C=1e3 none of 1,000).
- ``wave_features``: the map is row-wise on 30 random points of [−2, 2]² (``f(X)[i]`` equals ``f(X[i:i+1])[0]``, rtol
  1e-9) and returns a finite 2-D (N, k ≥ 1) array. For the first hidden seed only, the spec's data: a linear
  ``SVC(C=1e3)`` on ``make_wave(seed=0)`` reaches training accuracy 1.0 and ≥ 0.98 on ``make_wave(seed=s)``,
  s = 1, 2, 3.
- ``kernel_construction``: the check's φ (one returning an array that raises unless it receives one 1-D row, one
  returning a Python list, one returning a scalar) on the shapes (N, M, D) ∈ {(1,1,1), (7,3,2), (50,40,5)} and an
  integer-typed X, with and without Y: (N, M) or (N, N) float64 equal to a brute-force ⟨φ(x_i), φ(y_j)⟩ (rtol 1e-12).
- ``pairwise_sq_dists``: the same shapes with and without Y vs ``euclidean_distances(squared=True)`` (rtol 1e-9,
  atol 1e-9), float64 (N, M); large-offset data N(0,1)+1e3 (100×5) within 1e-6 of the exact Σ(x−y)², diagonal
  exactly 0 with Y=None, no negative entry against Y = X.copy(); ValueError for 1-D X and a feature mismatch;
  the function's source (``inspect.getsource`` read in ``run``) has no For, While or comprehension node.
- ``rbf_kernel``: γ ∈ {None, 1e-3, 0.5, 40} on the same shapes vs scikit-learn (rtol 1e-9, atol 1e-12), diagonal
  exactly 1 with Y=None, entries in [0, 1]; the large-offset data: diagonal exactly 1, entries ≤ 1, and ≤ 1 against
  X.copy(); ValueError for γ = 0, γ < 0, 1-D X and a feature mismatch.
- ``polynomial_kernel``: degree ∈ {1, 2, 3, 5} × γ ∈ {None, 0.01, 2} × coef0 ∈ {0, 1, 2.5} on the same shapes, and
  the defaults, vs scikit-learn (rtol 1e-9, atol 1e-12); ValueError for degree 0, degree 2.5, 1-D X and a feature
  mismatch.
- ``is_valid_kernel``: True for RBF and polynomial Gram matrices, a PSD matrix with one −1e-12 eigenvalue, Laplacian
  and Cauchy kernels; False for a PSD matrix whose upper triangle is perturbed by 1e-3 (``eigvalsh`` alone reads the
  other triangle), ``tanh(XXᵀ − 1)`` and −D² on moons' 210 training points, and a non-square matrix (no error).
- ``dual_decision_function``: precomputed SVCs on a seed-chosen subset of moons' training points (RBF γ=1 at C=0.1
  and C=100, polynomial degree 3 and 2) and seed-drawn test points: equal to ``svc.decision_function`` (atol 1e-8);
  ValueError for a 3-class SVC.
- ``hinge_objective`` (optional, 0 points): the point exactly on the margin (w=(1,0), b=0, x=(1,0), y=+1) is
  inactive (J = λ/2, grad_w = λw, grad_b = 0); (J, grad_w, grad_b) at random w and b ≠ 0 on 20×3 data equal torch
  autograd in float64 (rtol 1e-10, atol 1e-12); labels {0, 1} raise ValueError.
- ``fit_linear_svm`` (optional, 0 points): a few steps on small random problems equal the check's own iterates
  (w = 0, b = 0, η_t = lr/√(t+1); rtol 1e-9) with len(history) == steps. For the first hidden seed only, the spec's
  run: ``blobs()``, λ = 1/(C·N) with C = 0.1, lr = 10, 3000 steps, objective within 1% of scikit-learn's
  ``SVC(kernel="linear", C=0.1)``.

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data: the dtype of
each returned array, the types of exception raised, whether φ was called with something other than one 1-D row, and
the AST node types of ``pairwise_sq_dists``'s source.
"""

from __future__ import annotations

import ast
import functools
import inspect
import math
import textwrap
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
from sklearn.metrics import pairwise
from sklearn.svm import SVC

from autograder.checks._base import checks, exception_raised, judged, plain, student_error
from autograder.settings import hidden_seeds
from utils.testing import check, check_close, pick_hint

# Stub hints name the innermost unimplemented function of this package (see student_error).
PACKAGE = "svm"

SHAPES = ((50, 40, 5), (7, 3, 2), (1, 1, 1))  # γ=None is 0.2 first: every bandwidth mistake differs
GAMMAS = (None, 1e-3, 0.5, 40.0)
DEGREES, POLY_GAMMAS, COEF0S = (1, 2, 3, 5), (None, 0.01, 2.0), (0.0, 1.0, 2.5)
SKLEARN = {"rtol": 1e-9, "atol": 1e-12}  # spec §5: rtol 1e-9 against scikit-learn
DIST = {"rtol": 1e-9, "atol": 1e-9}  # test_sq_dists' tolerance: sklearn's own expansion rounds near 0
ORACLE = {"rtol": 1e-10, "atol": 1e-12}
LOOP_NODES = ("For", "AsyncFor", "While", "ListComp", "SetComp", "DictComp", "GeneratorExp")


def _dtype(value: Any) -> str:
    return str(value.dtype) if isinstance(value, np.ndarray) else type(value).__name__


def _record(value: Any) -> dict:
    """A returned array as plain data: its dtype name and a float64 copy."""
    return {"dtype": _dtype(value), "value": plain(value)}


def _check_array(got: dict, expected: np.ndarray, hint: str, where: str, tol: dict, dtype: bool = True) -> None:
    value = got["value"]
    check(
        value.shape == expected.shape,
        f"return an (N, M) array: rows follow X, columns follow Y{where}",
        f"shape {value.shape}, expected {expected.shape}",
    )
    if dtype:
        check(got["dtype"] == "float64", f"return a float64 numpy array{where}", f"got {got['dtype']}")
    check_close(value, expected, hint + where, **tol)


def _require_raises(raised: dict[str, str], hints: dict[str, str]) -> None:
    for label, hint in hints.items():
        check(raised[label] == "ValueError", hint, f"{label}: {raised[label]}, expected ValueError")


# ------------------------------------------------------------------------------------------------- inputs


class Pair(NamedTuple):
    X: np.ndarray
    Y: np.ndarray
    label: str


def _pairs(seed: int) -> list[Pair]:
    """The spec's shapes in float64, and (7, 3, 2) again with integer-typed X and Y."""
    rng = np.random.default_rng(seed)
    pairs = [
        Pair(rng.standard_normal((n, d)), rng.standard_normal((m, d)), f"X {n}×{d}, Y {m}×{d}") for n, m, d in SHAPES
    ]
    n, m, d = 7, 3, 2
    integers = Pair(rng.integers(-3, 4, (n, d)), rng.integers(-3, 4, (m, d)), f"integer X {n}×{d}, Y {m}×{d}")
    return [*pairs, integers]


def _offset_data(seed: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).standard_normal((100, 5)) + 1e3


def _bad_inputs(seed: int) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    rng = np.random.default_rng(seed + 2)
    return {
        "1-D X": (rng.standard_normal(4), None),
        "X 5×3 vs Y 4×2": (rng.standard_normal((5, 3)), rng.standard_normal((4, 2))),
    }


BAD_HINTS = {
    "1-D X": "X must be 2-D: start with X, Y = _pair(X, Y) (or _as_2d_float), which raises ValueError.",
    "X 5×3 vs Y 4×2": "X and Y must have the same number of features: _pair(X, Y) raises ValueError.",
}


# ------------------------------------------------------------------------------------------------- lifts


def _lift_inputs(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 31))
    return [rng.uniform(-2.0, 2.0, (n, 2)), rng.standard_normal((1, 2)), rng.integers(-5, 6, (7, 2))]


LIFTS = {
    "lift_circles": (lambda X: X[:, 0] ** 2 + X[:, 1] ** 2, "x₁² + x₂²"),
    "lift_xor": (lambda X: X[:, 0] * X[:, 1], "x₁·x₂"),
}


def _lift_data(name: str, seed: int) -> tuple[np.ndarray, np.ndarray, float, str]:
    """The data the lifted points must make separable: (X, y, C of the linear SVC, label)."""
    from utils.datasets import circles, make_xor

    if name == "lift_circles":
        return (*circles(), 10.0, "the circles data")
    return (*make_xor(200, gap=0.1, seed=seed), 1e3, "an XOR sample")


def _run_lift(name: str) -> Callable[[Any, int], dict]:
    def run(student: Any, seed: int) -> dict:
        lift = getattr(student, name)
        try:
            outputs = [_record(lift(X)) for X in _lift_inputs(seed)]
            X, _, _, _ = _lift_data(name, seed)
            lifted = _record(lift(X))
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error(name, error, PACKAGE)
        return {"outputs": outputs, "lifted": lifted}

    return run


def _judge_lift(name: str) -> Callable[[dict, int], Any]:
    column, formula = LIFTS[name]

    @judged
    def judge(data: dict, seed: int) -> None:
        hint = f"keep the two original coordinates and append one new column, {formula}: (N, 3) [x₁, x₂, {formula}]."
        for X, got in zip(_lift_inputs(seed), data["outputs"], strict=True):
            X = X.astype(np.float64)
            where = f" (failed for {'integer' if X.dtype.kind == 'i' else 'float'} X of shape {X.shape})"
            expected = np.column_stack([X, column(X)])
            _check_array(got, expected, hint, where, ORACLE, dtype=False)
        X, y, C, label = _lift_data(name, seed)
        lifted = data["lifted"]["value"]
        check(lifted.shape == (len(X), 3), hint, f"shape {lifted.shape} on {label}")
        accuracy = SVC(kernel="linear", C=C).fit(lifted, y).score(lifted, y)
        check(
            accuracy == 1.0,
            f"a linear SVC on your lifted points must separate {label}: " + hint,
            f"train accuracy {accuracy:.3f}",
        )

    return judge


# ----------------------------------------------------------------------------------------- wave_features


def _wave_rows(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-2.0, 2.0, (30, 2))


FRESH_WAVE_SEEDS = (1, 2, 3)


def _run_wave(student: Any, seed: int) -> dict:
    from utils.datasets import make_wave

    X = _wave_rows(seed)
    try:
        batch = _record(student.wave_features(X))
        rows = [plain(student.wave_features(X[i : i + 1])) for i in range(len(X))]
        sets = []
        if seed == hidden_seeds("wave_features")[0]:
            sets = [plain(student.wave_features(make_wave(seed=s)[0])) for s in (0, *FRESH_WAVE_SEEDS)]
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("wave_features", error, PACKAGE)
    return {"batch": batch, "rows": rows, "sets": sets}


@judged
def _judge_wave(data: dict, seed: int) -> None:
    from utils.datasets import make_wave

    X = _wave_rows(seed)
    batch = data["batch"]["value"]
    check(
        batch.ndim == 2 and batch.shape[0] == len(X) and batch.shape[1] >= 1,
        "return a 2-D (N, k) array with one row per point and k ≥ 1 features.",
        f"shape {batch.shape} for {len(X)} points",
    )
    check(bool(np.all(np.isfinite(batch))), "the features must be finite numbers.")
    for i, row in enumerate(data["rows"]):
        check(
            row.shape == (1, batch.shape[1]) and np.allclose(row[0], batch[i], rtol=1e-9, atol=1e-12),
            "the map must work row by row: f(X)[i] must equal f(X[i:i+1])[0] (no batch statistics, no lookups).",
            f"row {i} differs",
        )
    if seed != hidden_seeds("wave_features")[0]:
        return
    check(len(data["sets"]) == 1 + len(FRESH_WAVE_SEEDS), "the wave data runs are missing.")
    train, *fresh = data["sets"]
    _, y = make_wave(seed=0)
    svc = SVC(kernel="linear", C=1e3).fit(train, y)
    accuracy = svc.score(train, y)
    hint = "look at the shape of the boundary in the scatter plot: which single function of x₁ traces it?"
    check(accuracy == 1.0, hint + " (a linear SVC, C=1e3, on make_wave(seed=0))", f"train accuracy {accuracy:.3f}")
    for s, features in zip(FRESH_WAVE_SEEDS, fresh, strict=True):
        _, y_fresh = make_wave(seed=s)
        score = svc.score(features, y_fresh)
        check(
            score >= 0.98,
            "your features separate the training sample but not a fresh one from the same generator: find the"
            " curve itself, not a fit to these 200 points.",
            f"accuracy {score:.3f} on make_wave(seed={s})",
        )


# ----------------------------------------------------------------------------------- kernel_construction


class NotOneRow(Exception):
    """Raised by the check's φ when it receives something other than one 1-D row."""


def _row(x: Any) -> np.ndarray:
    if not isinstance(x, np.ndarray) or x.ndim != 1:
        raise NotOneRow
    return x


def _phi_array(x: Any) -> np.ndarray:
    x = _row(x)
    return np.array([x[0], x[0] * x[-1], 1.0, np.sin(x.sum())])


def _phi_list(x: Any) -> list[float]:
    x = _row(x)
    return [float(x[-1]) ** 2, float(x.sum()) - 0.5]


def _phi_scalar(x: Any) -> float:
    x = _row(x)
    return float(np.sqrt(1.0 + x @ x))


PHIS = {"a φ returning an array": _phi_array, "a φ returning a list": _phi_list, "a φ returning a scalar": _phi_scalar}


def _features(phi: Callable[[Any], Any], X: np.ndarray) -> np.ndarray:
    return np.stack([np.atleast_1d(np.asarray(phi(row), dtype=np.float64)) for row in X.astype(np.float64)])


def _run_construction(student: Any, seed: int) -> dict:
    outputs = []
    try:
        for pair in _pairs(seed):
            for phi in PHIS.values():
                outputs.append(_record(student.kernel_construction(pair.X, phi, pair.Y)))
                outputs.append(_record(student.kernel_construction(pair.X, phi)))
    except NotOneRow:
        return {"error": "Hint: phi receives one row x of shape (D,): call phi(X[i]) for each row, never phi(X)."}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("kernel_construction", error, PACKAGE)
    return {"outputs": outputs}


@judged
def _judge_construction(data: dict, seed: int) -> None:
    outputs = iter(data["outputs"])
    for pair in _pairs(seed):
        for label, phi in PHIS.items():
            phi_x, phi_y = _features(phi, pair.X), _features(phi, pair.Y)
            for phi_other, Y in ((phi_y, "Y"), (phi_x, "Y=None")):
                got = next(outputs)
                expected = phi_x @ phi_other.T
                own = np.sum(phi_x * phi_x, axis=1)
                hint = pick_hint(
                    got["value"],
                    [
                        (
                            np.broadcast_to(own[:, None], expected.shape),
                            "K[i,j] needs φ of row i and φ of row j, not φ(x_i) twice.",
                        )
                    ],
                    "K[i, j] = ⟨φ(X[i]), φ(Y[j])⟩: stack φ of every row into Φ_X and Φ_Y, then Φ_X @ Φ_Yᵀ"
                    " (np.atleast_1d turns a scalar or a list into a 1-D array).",
                    1e-9,
                )
                _check_array(got, expected, hint, f" (failed for {label}, {pair.label}, {Y})", ORACLE)


# ------------------------------------------------------------------------------------- pairwise_sq_dists


def _exact_sq(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2)


def _source_nodes(fn: Any) -> list[str] | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    return sorted({type(node).__name__ for node in ast.walk(tree)})


def _run_sq_dists(student: Any, seed: int) -> dict:
    fn = student.pairwise_sq_dists
    try:
        rect = [_record(fn(p.X, p.Y)) for p in _pairs(seed)]
        square = [_record(fn(p.X)) for p in _pairs(seed)]
        X = _offset_data(seed)
        offset, offset_copy = _record(fn(X)), _record(fn(X, X.copy()))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("pairwise_sq_dists", error, PACKAGE)
    raised = {label: exception_raised(fn, A, B) for label, (A, B) in _bad_inputs(seed).items()}
    return {
        "rect": rect,
        "square": square,
        "offset": offset,
        "offset_copy": offset_copy,
        "raised": raised,
        "nodes": _source_nodes(fn),
    }


SQ_HINT = "expand ‖x−y‖² = ‖x‖²+‖y‖²−2x·y; broadcast a column against a row; clip at 0."


@judged
def _judge_sq_dists(data: dict, seed: int) -> None:
    check(data["nodes"] is not None, "keep pairwise_sq_dists a plain function in svm/kernels.py: its source is read.")
    nodes = data["nodes"] or []
    loops = [n for n in LOOP_NODES if n in nodes]
    check(
        not loops,
        "pairwise_sq_dists must not use Python loops or comprehensions: use X @ Y.T and broadcasting.",
        f"found {', '.join(loops)}",
    )
    for pair, rect, square in zip(_pairs(seed), data["rect"], data["square"], strict=True):
        X, Y = pair.X.astype(np.float64), pair.Y.astype(np.float64)
        for got, other, which in ((rect, Y, "Y"), (square, X, "Y=None")):
            expected = pairwise.euclidean_distances(X, other, squared=True)
            hint = pick_hint(
                got["value"],
                [(np.sqrt(expected), "return the SQUARED distance: no square root.")],
                SQ_HINT,
                1e-9,
            )
            _check_array(got, expected, hint, f" (failed for {pair.label}, {which})", DIST)
        check(np.all(np.diag(square["value"]) == 0.0), "with Y=None set the diagonal to exactly 0 (np.fill_diagonal).")
    X = _offset_data(seed)
    exact = _exact_sq(X, X)
    offset, offset_copy = data["offset"]["value"], data["offset_copy"]["value"]
    where = " (failed for N(0,1) + 1e3 data, 100×5)"
    _check_array(data["offset"], exact, SQ_HINT, where, {"rtol": 0.0, "atol": 1e-6})
    check(np.all(np.diag(offset) == 0.0), "with Y=None set the diagonal to exactly 0 (np.fill_diagonal)." + where)
    _check_array(data["offset_copy"], exact, SQ_HINT, where + ", Y = X.copy()", {"rtol": 0.0, "atol": 1e-6})
    check(
        np.all(offset_copy >= 0.0),
        "round-off makes the expansion slightly negative for nearby points: clip at 0 (np.maximum(D2, 0))."
        + " (failed for X against a copy of X)",
        f"min {offset_copy.min():.1e}",
    )
    _require_raises(data["raised"], BAD_HINTS)


# -------------------------------------------------------------------------------------------- rbf_kernel


def _run_rbf(student: Any, seed: int) -> dict:
    fn = student.rbf_kernel
    try:
        rect = [[_record(fn(p.X, p.Y, gamma=g)) for g in GAMMAS] for p in _pairs(seed)]
        square = [[_record(fn(p.X, gamma=g)) for g in GAMMAS] for p in _pairs(seed)]
        X = _offset_data(seed)
        offset, offset_copy = plain(fn(X, gamma=1.0)), plain(fn(X, X.copy(), gamma=1.0))
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("rbf_kernel", error, PACKAGE)
    X, _ = _bad_inputs(seed)["X 5×3 vs Y 4×2"]
    raised = {f"gamma={g}": exception_raised(fn, X, gamma=g) for g in (0.0, -1.0)}
    raised |= {label: exception_raised(fn, A, B) for label, (A, B) in _bad_inputs(seed).items()}
    return {"rect": rect, "square": square, "offset": offset, "offset_copy": offset_copy, "raised": raised}


def _rbf_wrong(D2: np.ndarray, gamma: float) -> list[tuple[np.ndarray, str]]:
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return [
            (np.exp(-gamma * np.sqrt(D2)), "RBF uses the SQUARED distance: exp(−γ·‖x−y‖²)."),
            (np.exp(-D2 / (2 * gamma)), "γ multiplies the squared distance: exp(−γ·d²), not exp(−d²/(2γ))."),
            (np.exp(-gamma * D2 / 2), "γ multiplies the squared distance: exp(−γ·d²), no factor 1/2."),
            (np.exp(-D2 / gamma), "γ multiplies the squared distance: exp(−γ·d²), not exp(−d²/γ)."),
            (np.exp(-D2), "gamma=None means γ = 1/n_features, not 1."),
        ]


RBF_HINT = "RBF uses the squared distance and exp(−γ·d²); gamma=None means 1/n_features."


@judged
def _judge_rbf(data: dict, seed: int) -> None:
    for pair, rect, square in zip(_pairs(seed), data["rect"], data["square"], strict=True):
        X, Y = pair.X.astype(np.float64), pair.Y.astype(np.float64)
        for gamma, got_rect, got_square in zip(GAMMAS, rect, square, strict=True):
            for got, other, which in ((got_rect, Y, "Y"), (got_square, X, "Y=None")):
                expected = pairwise.rbf_kernel(X, other, gamma=gamma)
                g = 1.0 / X.shape[1] if gamma is None else gamma
                hint = pick_hint(
                    got["value"], _rbf_wrong(pairwise.euclidean_distances(X, other, squared=True), g), RBF_HINT, 1e-9
                )
                _check_array(got, expected, hint, f" (failed for gamma={gamma}, {pair.label}, {which})", SKLEARN)
                value = got["value"]
                check(
                    bool(np.all((value >= 0.0) & (value <= 1.0))),
                    "RBF values lie in [0, 1]: clip the squared distance at 0.",
                )
            check(
                np.all(np.diag(got_square["value"]) == 1.0),
                "with Y=None the diagonal must be exactly 1: pairwise_sq_dists must give an exact 0 there.",
                f"gamma={gamma}, {pair.label}",
            )
    where = " (failed for N(0,1) + 1e3 data, 100×5, gamma=1)"
    check(
        np.all(np.diag(data["offset"]) == 1.0),
        "with Y=None the diagonal must be exactly 1: set pairwise_sq_dists's diagonal to 0." + where,
        f"min diagonal {np.diag(data['offset']).min():.17g}",
    )
    check(np.all(data["offset"] <= 1.0), "RBF values must not exceed 1: clip the squared distance at 0." + where)
    check(
        np.all(data["offset_copy"] <= 1.0),
        "RBF values must not exceed 1: clip the squared distance at 0 (round-off makes it negative)."
        + where
        + ", Y = X.copy()",
        f"max {data['offset_copy'].max():.17g}",
    )
    _require_raises(
        data["raised"],
        {
            "gamma=0.0": "gamma must be positive: raise ValueError for γ ≤ 0.",
            "gamma=-1.0": "gamma must be positive: raise ValueError for γ ≤ 0.",
            **BAD_HINTS,
        },
    )


# ------------------------------------------------------------------------------------- polynomial_kernel


def _poly_grid() -> Iterator[tuple[int, float | None, float]]:
    for degree in DEGREES:
        for gamma in POLY_GAMMAS:
            for coef0 in COEF0S:
                yield degree, gamma, coef0


def _run_poly(student: Any, seed: int) -> dict:
    fn = student.polynomial_kernel
    try:
        grid = [[_record(fn(p.X, p.Y, degree=d, gamma=g, coef0=c)) for d, g, c in _poly_grid()] for p in _pairs(seed)]
        defaults = [[_record(fn(p.X, p.Y)), _record(fn(p.X))] for p in _pairs(seed)]
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("polynomial_kernel", error, PACKAGE)
    X, _ = _bad_inputs(seed)["X 5×3 vs Y 4×2"]
    raised = {f"degree={d}": exception_raised(fn, X, degree=d) for d in (0, 2.5)}
    raised |= {label: exception_raised(fn, A, B) for label, (A, B) in _bad_inputs(seed).items()}
    return {"grid": grid, "defaults": defaults, "raised": raised}


def _poly_wrong(X: np.ndarray, Y: np.ndarray, degree: int, gamma: float, coef0: float) -> list[tuple[np.ndarray, str]]:
    dot = X @ Y.T
    return [
        ((gamma * dot) ** degree + coef0, "coef0 sits inside the power: (γ·x·y + coef0)^degree."),
        ((dot + coef0) ** degree, "γ multiplies the inner product, and gamma=None means γ = 1/n_features."),
        ((gamma * dot + coef0) ** 2, "the default degree is 3, as in scikit-learn."),
    ]


POLY_HINT = "it is (γ·x·y + coef0)^degree; coef0 sits inside the power."


@judged
def _judge_poly(data: dict, seed: int) -> None:
    for pair, grid, defaults in zip(_pairs(seed), data["grid"], data["defaults"], strict=True):
        X, Y = pair.X.astype(np.float64), pair.Y.astype(np.float64)
        for (degree, gamma, coef0), got in zip(_poly_grid(), grid, strict=True):
            expected = pairwise.polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0)
            g = 1.0 / X.shape[1] if gamma is None else gamma
            hint = pick_hint(got["value"], _poly_wrong(X, Y, degree, g, coef0)[:2], POLY_HINT, 1e-9)
            where = f" (failed for degree={degree}, gamma={gamma}, coef0={coef0}, {pair.label})"
            _check_array(got, expected, hint, where, SKLEARN)
        for got, other, which in ((defaults[0], Y, "Y"), (defaults[1], X, "Y=None")):
            expected = pairwise.polynomial_kernel(X, other)
            hint = pick_hint(got["value"], _poly_wrong(X, other, 3, 1.0 / X.shape[1], 1.0), POLY_HINT, 1e-9)
            where = f" (failed for the defaults degree=3, gamma=None, coef0=1, {pair.label}, {which})"
            _check_array(got, expected, hint, where, SKLEARN)
    _require_raises(
        data["raised"],
        {
            "degree=0": "degree must be an int ≥ 1: raise ValueError otherwise.",
            "degree=2.5": "degree must be an int ≥ 1: raise ValueError for a float such as 2.5.",
            **BAD_HINTS,
        },
    )


# --------------------------------------------------------------------------------------- is_valid_kernel


class ValidityCase(NamedTuple):
    label: str
    K: np.ndarray
    valid: bool


@functools.cache
def _moons_train() -> tuple[np.ndarray, np.ndarray]:
    from utils.datasets import make_moons_split

    data = make_moons_split(300, 0.2, 0, 90, standardize=False, signed_labels=True)
    return data["X_train"], data["y_train"]


def _validity_cases(seed: int) -> list[ValidityCase]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 3))
    moons, _ = _moons_train()
    n = 30
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = np.concatenate([[-1e-12], rng.uniform(0.1, 5.0, n - 1)])
    near_psd = Q @ np.diag(eigenvalues) @ Q.T
    near_psd = (near_psd + near_psd.T) / 2
    psd = Q @ np.diag(rng.uniform(0.1, 5.0, n)) @ Q.T
    perturbed = (psd + psd.T) / 2 + np.triu(np.full((n, n), 1e-3), k=1)
    D = pairwise.euclidean_distances(X)
    return [
        ValidityCase("an RBF Gram matrix", pairwise.rbf_kernel(X, gamma=0.5), True),
        ValidityCase("a polynomial Gram matrix (degree 3)", pairwise.polynomial_kernel(X, degree=3, gamma=1.0), True),
        ValidityCase("a PSD matrix with a −1e-12 round-off eigenvalue", near_psd, True),
        ValidityCase("the Laplacian kernel exp(−‖x−y‖)", np.exp(-D), True),
        ValidityCase("the Cauchy kernel 1/(1+‖x−y‖²)", 1.0 / (1.0 + D**2), True),
        ValidityCase("a PSD matrix whose upper triangle is perturbed by 1e-3", perturbed, False),
        ValidityCase("tanh(XXᵀ − 1) on moons", np.tanh(moons @ moons.T - 1.0), False),
        ValidityCase("−D² on moons", -pairwise.euclidean_distances(moons, squared=True), False),
        ValidityCase("a non-square 3×4 matrix", rng.standard_normal((3, 4)), False),
    ]


def _run_validity(student: Any, seed: int) -> dict:
    answers: list[bool | str] = []
    for case in _validity_cases(seed):
        try:
            answer = student.is_valid_kernel(case.K)
        except NotImplementedError as error:
            return student_error("is_valid_kernel", error, PACKAGE)
        except Exception as error:  # noqa: BLE001 - the kind of exception is the observation
            answers.append(f"raised {type(error).__name__}")
            continue
        answers.append(bool(answer) if isinstance(answer, bool | np.bool_) else f"returned {type(answer).__name__}")
    return {"answers": answers}


VALIDITY_HINTS = {
    True: "a symmetric PSD matrix is valid up to round-off: compare λ_min with −tol·max(1, max|λ|), not with 0.",
    False: "check symmetry (max|K−Kᵀ| ≤ tol·max(1, max|K|)) AND the smallest eigenvalue of (K+Kᵀ)/2; eigvalsh reads"
    " only one triangle.",
}


@judged
def _judge_validity(data: dict, seed: int) -> None:
    for case, answer in zip(_validity_cases(seed), data["answers"], strict=True):
        where = f" (failed for {case.label})"
        if case.K.shape[0] != case.K.shape[1]:
            check(
                answer is False,
                "a non-square matrix is not a kernel matrix: return False, do not raise." + where,
                f"got {answer}",
            )
            continue
        check(isinstance(answer, bool), "return a bool (True or False)." + where, f"got {answer}")
        check(answer == case.valid, VALIDITY_HINTS[case.valid] + where, f"got {answer}, expected {case.valid}")


# -------------------------------------------------------------------------------- dual_decision_function


class DualCase(NamedTuple):
    label: str
    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]
    C: float


DUAL_CASES = (
    DualCase("RBF γ=1, C=0.1", lambda A, B: pairwise.rbf_kernel(A, B, gamma=1.0), 0.1),
    DualCase("RBF γ=1, C=100", lambda A, B: pairwise.rbf_kernel(A, B, gamma=1.0), 100.0),
    DualCase("poly degree 3, γ=1, coef0=1", lambda A, B: pairwise.polynomial_kernel(A, B, 3, 1.0, 1.0), 1.0),
    DualCase("poly degree 2, γ=0.5, coef0=2", lambda A, B: pairwise.polynomial_kernel(A, B, 2, 0.5, 2.0), 10.0),
)


def _dual_data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y = _moons_train()
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(X), 150, replace=False))
    return X[keep], y[keep], rng.uniform(-1.5, 2.5, (25, 2))


def _dual_cases(seed: int) -> list[tuple[str, SVC, np.ndarray]]:
    """(label, the fitted precomputed SVC, K_test (M, N_train)) per case; libsvm's fit is deterministic."""
    X, y, X_test = _dual_data(seed)
    cases = []
    for case in DUAL_CASES:
        svc = SVC(kernel="precomputed", C=case.C).fit(case.kernel(X, X), y)
        cases.append((case.label, svc, case.kernel(X_test, X)))
    return cases


def _three_class(seed: int) -> tuple[SVC, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((30, 2)) + np.repeat([[0.0, 3.0], [3.0, 0.0], [-3.0, 0.0]], 10, axis=0)
    y = np.repeat([0, 1, 2], 10)
    K = X @ X.T
    return SVC(kernel="precomputed").fit(K, y), K[:5]


def _run_dual(student: Any, seed: int) -> dict:
    fn = student.dual_decision_function
    try:
        outputs = [_record(fn(K_test, svc)) for _, svc, K_test in _dual_cases(seed)]
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("dual_decision_function", error, PACKAGE)
    svc, K = _three_class(seed)
    return {"outputs": outputs, "three_class": exception_raised(fn, K, svc)}


DUAL_HINT = "use only the support-vector columns, the signed dual coefficients and the intercept."


@judged
def _judge_dual(data: dict, seed: int) -> None:
    for (label, svc, K_test), got in zip(_dual_cases(seed), data["outputs"], strict=True):
        expected = svc.decision_function(K_test)
        sum_part = K_test[:, svc.support_] @ svc.dual_coef_[0]
        hint = pick_hint(
            got["value"],
            [
                (sum_part, "add the intercept svc.intercept_[0]."),
                (sum_part - svc.intercept_[0], "add the intercept (+ svc.intercept_[0]), do not subtract it."),
                (
                    K_test[:, svc.support_] @ np.abs(svc.dual_coef_[0]) + svc.intercept_[0],
                    "dual_coef_ already holds α_i·y_i, with its sign: do not take its absolute value.",
                ),
            ],
            DUAL_HINT,
            1e-8,
        )
        value = got["value"]
        check(
            value.shape == expected.shape,
            "return one value per test point, shape (M,).",
            f"shape {value.shape}, expected {expected.shape}",
        )
        check_close(value, expected, hint + f" (failed for {label})", rtol=0.0, atol=1e-8)
    check(
        data["three_class"] == "ValueError",
        "raise ValueError when the SVC has more than two classes (len(svc.classes_) > 2).",
        f"3 classes: {data['three_class']}",
    )


# ------------------------------------------------------------------------------ hinge_objective (optional)


class HingeCase(NamedTuple):
    w: np.ndarray
    b: float
    X: np.ndarray
    y: np.ndarray
    lam: float
    label: str


def _hinge_cases(seed: int) -> list[HingeCase]:
    rng = np.random.default_rng(seed)
    cases = [
        HingeCase(np.array([1.0, 0.0]), 0.0, np.array([[1.0, 0.0]]), np.array([1]), 0.3, "the point on the margin")
    ]
    for k in range(2):
        X = rng.standard_normal((20, 3))
        y = rng.choice([-1, 1], 20)
        w, b = rng.standard_normal(3), float(rng.uniform(0.3, 1.0) * rng.choice([-1.0, 1.0]))
        cases.append(HingeCase(w, b, X, y, float(rng.uniform(0.01, 0.5)), f"random 20×3 data, case {k + 1}"))
    return cases


def _run_hinge(student: Any, seed: int) -> dict:
    fn = student.hinge_objective
    results = []
    try:
        for case in _hinge_cases(seed):
            J, grad_w, grad_b = fn(case.w.copy(), case.b, case.X, case.y, case.lam)
            results.append({"J": plain(J), "grad_w": plain(grad_w), "grad_b": plain(grad_b)})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("hinge_objective", error, PACKAGE)
    case = _hinge_cases(seed)[1]
    return {"results": results, "zero_one": exception_raised(fn, case.w, case.b, case.X, (case.y + 1) // 2, case.lam)}


def _hinge_reference(case: HingeCase) -> tuple[float, np.ndarray, float]:
    """J and its gradient with torch autograd in float64 (relu'(0) = 0: a point on the margin is inactive)."""
    import torch  # here, not at the top: only this optional check needs it, and importing torch costs 2 s

    w = torch.tensor(case.w, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(case.b, dtype=torch.float64, requires_grad=True)
    X, y = torch.tensor(case.X, dtype=torch.float64), torch.tensor(case.y, dtype=torch.float64)
    J = case.lam / 2 * (w @ w) + torch.relu(1 - y * (X @ w + b)).mean()
    J.backward()
    assert w.grad is not None and b.grad is not None
    return J.item(), w.grad.numpy(), b.grad.item()


HINGE_HINT = "average the hinge over N; do not regularize b; only points with margin < 1 contribute."


@judged
def _judge_hinge(data: dict, seed: int) -> None:
    for case, got in zip(_hinge_cases(seed), data["results"], strict=True):
        where = f" (failed for {case.label})"
        J, grad_w, grad_b = _hinge_reference(case)
        margins = case.y * (case.X @ case.w + case.b)
        if np.any(margins == 1.0):
            hint = "a point exactly on the margin (y·f(x) = 1) is inactive: use the strict test y·f(x) < 1."
        else:
            hint = HINGE_HINT
        check_close(got["J"], J, hint + where, **ORACLE)
        check_close(got["grad_w"], grad_w, hint + where, **ORACLE)
        check_close(got["grad_b"], grad_b, hint + where, **ORACLE)
    check(
        data["zero_one"] == "ValueError",
        "labels must be −1 or +1: raise ValueError for {0, 1} labels.",
        data["zero_one"],
    )


# ------------------------------------------------------------------------------- fit_linear_svm (optional)


class FitProblem(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    lam: float
    lr: float
    steps: int


def _fit_problems(seed: int) -> list[FitProblem]:
    rng = np.random.default_rng(seed)
    problems = []
    for _ in range(2):
        n, d = int(rng.integers(5, 30)), int(rng.integers(1, 4))
        X = rng.standard_normal((n, d))
        y = np.where(X @ rng.standard_normal(d) + 0.3 * rng.standard_normal(n) > 0, 1, -1)
        problems.append(
            FitProblem(X, y, float(rng.uniform(0.01, 0.3)), float(rng.uniform(0.5, 5.0)), int(rng.integers(5, 20)))
        )
    return problems


SPEC_C, SPEC_LR, SPEC_STEPS = 0.1, 10.0, 3000


def _run_fit(student: Any, seed: int) -> dict:
    from utils.datasets import blobs

    results = []
    try:
        for p in _fit_problems(seed):
            w, b, history = student.fit_linear_svm(p.X, p.y, p.lam, lr=p.lr, steps=p.steps)
            results.append({"w": plain(w), "b": plain(b), "history": plain(list(history))})
        spec = None
        if seed == hidden_seeds("fit_linear_svm")[0]:
            X, y = blobs()
            w, b, history = student.fit_linear_svm(X, y, 1.0 / (SPEC_C * len(X)), lr=SPEC_LR, steps=SPEC_STEPS)
            spec = {"w": plain(w), "b": plain(b), "steps": len(history)}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("fit_linear_svm", error, PACKAGE)
    return {"results": results, "spec": spec}


def _objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, lam: float) -> float:
    return float(lam / 2 * (w @ w) + np.maximum(0.0, 1.0 - y * (X @ w + b)).mean())


def _reference_fit(p: FitProblem) -> tuple[np.ndarray, float, list[float]]:
    w, b, history = np.zeros(p.X.shape[1]), 0.0, []
    for t in range(p.steps):
        margins = p.y * (p.X @ w + b)
        active = margins < 1
        history.append(_objective(w, b, p.X, p.y, p.lam))
        grad_w = p.lam * w - (p.y[active] @ p.X[active]) / len(p.y)
        grad_b = -float(np.sum(p.y[active])) / len(p.y)
        step = p.lr / math.sqrt(t + 1)
        w, b = w - step * grad_w, b - step * grad_b
    return w, b, history


FIT_HINT = "use a decaying step lr/√(t+1) and start from zeros."


@judged
def _judge_fit(data: dict, seed: int) -> None:
    for p, got in zip(_fit_problems(seed), data["results"], strict=True):
        w, b, history = _reference_fit(p)
        where = f" (failed for {len(p.y)}×{p.X.shape[1]} data, lr={p.lr:.3g}, {p.steps} steps)"
        check(len(got["history"]) == p.steps, "history holds J before each step: len(history) == steps." + where)
        check_close(
            got["history"], history, FIT_HINT + " history[t] is J before step t." + where, rtol=1e-9, atol=1e-12
        )
        check_close(got["w"], w, FIT_HINT + where, rtol=1e-9, atol=1e-12)
        check_close(got["b"], b, FIT_HINT + where, rtol=1e-9, atol=1e-12)
    spec = data["spec"]
    if spec is None:
        return
    from utils.datasets import blobs

    X, y = blobs()
    lam = 1.0 / (SPEC_C * len(X))
    svc = SVC(kernel="linear", C=SPEC_C).fit(X, y)
    best = _objective(svc.coef_[0], float(svc.intercept_[0]), X, y, lam)
    gap = (_objective(spec["w"], float(spec["b"]), X, y, lam) - best) / best
    check(
        spec["steps"] == SPEC_STEPS and gap < 0.01,
        FIT_HINT + f" (failed for the blobs, C={SPEC_C}, lr={SPEC_LR:g}, {SPEC_STEPS} steps)",
        f"objective {gap:.1%} above scikit-learn's",
    )


# --------------------------------------------------------------------------------------------------- CHECKS

CHECKS = checks(
    lift_circles=("svm", _run_lift("lift_circles"), _judge_lift("lift_circles")),
    lift_xor=("svm", _run_lift("lift_xor"), _judge_lift("lift_xor")),
    wave_features=("svm", _run_wave, _judge_wave),
    kernel_construction=("svm", _run_construction, _judge_construction),
    pairwise_sq_dists=("svm", _run_sq_dists, _judge_sq_dists),
    rbf_kernel=("svm", _run_rbf, _judge_rbf),
    polynomial_kernel=("svm", _run_poly, _judge_poly),
    is_valid_kernel=("svm", _run_validity, _judge_validity),
    dual_decision_function=("svm", _run_dual, _judge_dual),
    hinge_objective=("svm", _run_hinge, _judge_hinge),
    fit_linear_svm=("svm", _run_fit, _judge_fit),
)
