"""One-line hints for local tests, notebook checks and hidden checks.

Every helper raises ``AssertionError("Hint: <hint> [<one short fact>]")`` on failure and never prints
an array, so a failing test shows the likely mistake and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from utils.gradcheck import rel_error


def _as_array(value: Any) -> np.ndarray:
    """A numpy view of a scalar, array or tensor (torch is only touched if the value is a tensor)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _fail(hint: str, fact: str = "") -> None:
    __tracebackhide__ = True
    message = f"Hint: {hint}"
    if fact:
        message += f" [{fact}]"
    raise AssertionError(message)


def check(condition: Any, hint: str, fact: str = "") -> None:
    """Fail with ``hint`` unless ``condition`` is true."""
    __tracebackhide__ = True
    if not bool(condition):
        _fail(hint, fact)


def _shape_fact(actual: np.ndarray, expected: np.ndarray) -> str:
    return f"shape {tuple(actual.shape)}, expected {tuple(expected.shape)}"


def _error_fact(actual: np.ndarray, expected: np.ndarray) -> str:
    """The one short fact that says how far off ``actual`` is."""
    if not np.all(np.isfinite(actual)) and np.all(np.isfinite(expected)):
        return "result has non-finite values"
    # complex128 holds every numeric dtype exactly enough for an error size, and unsigned ints cannot wrap.
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(actual.astype(np.complex128) - expected.astype(np.complex128))
    largest = float(np.max(error, initial=0.0, where=~np.isnan(error)))
    return f"max abs error {largest:.1e}"


def check_close(actual: Any, expected: Any, hint: str, *, rtol: float = 0.0, atol: float = 0.0) -> None:
    """Fail unless ``actual`` has ``expected``'s shape and ``|actual - expected| <= atol + rtol*|expected|``."""
    __tracebackhide__ = True
    try:
        got = _as_array(actual)
        want = _as_array(expected)
    except (TypeError, ValueError, RuntimeError):
        _fail(hint, f"got {type(actual).__name__}, expected an array or number")
        return
    if got.shape != want.shape:
        _fail(hint, _shape_fact(got, want))
    if not (np.issubdtype(got.dtype, np.number) or got.dtype == np.bool_):
        _fail(hint, f"got values of dtype {got.dtype}, expected numbers")
    if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False):
        _fail(hint, _error_fact(got, want))


def check_rel_error(actual: Any, expected: Any, tol: float, hint: str) -> None:
    """Fail unless shapes match and the relative error (CONVENTIONS §2) is below ``tol``."""
    __tracebackhide__ = True
    got, want = _as_array(actual), _as_array(expected)
    if got.shape != want.shape:
        _fail(hint, _shape_fact(got, want))
    error = rel_error(got, want)
    if not error < tol:
        _fail(hint, f"relative error {error:.1e}, needs < {tol:.0e}")


def check_raises(exc: type[BaseException], hint: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Fail unless ``fn(*args, **kwargs)`` raises ``exc``."""
    __tracebackhide__ = True
    try:
        fn(*args, **kwargs)
    except exc:
        return
    except Exception as error:  # noqa: BLE001 - any other exception is the fact we report
        _fail(hint, f"raised {type(error).__name__}, expected {exc.__name__}")
    _fail(hint, f"no {exc.__name__} raised")


def pick_hint(actual: Any, wrong: Sequence[tuple[Any, str]], default: str, atol: float = 1e-6) -> str:
    """The hint of the first anticipated wrong value that ``actual`` matches, else ``default``."""
    got = _as_array(actual)
    for value, hint in wrong:
        candidate = _as_array(value)
        if candidate.shape == got.shape and np.allclose(got, candidate, rtol=0.0, atol=atol):
            return hint
    return default
