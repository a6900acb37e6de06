"""Finite-difference gradients and the relative error used to compare them (numpy, float64)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def rel_error(a: Any, b: Any) -> float:
    """``max(|a - b| / max(1e-8, |a| + |b|))`` over all elements."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # inf or nan inputs give a nan or inf error, no warning
        return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def eval_numerical_gradient(f: Callable[[np.ndarray], Any], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centred differences of a scalar ``f`` at ``x``; perturbs ``x`` in place and restores it."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        f_plus = float(f(x))
        x[i] = saved - h
        f_minus = float(f(x))
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def eval_numerical_gradient_array(
    f: Callable[[np.ndarray], Any], x: np.ndarray, dout: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """``Σ dout·∂f/∂x`` by centred differences for an array-valued ``f``; perturbs ``x`` in place and restores it."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        f_plus = np.array(f(x), dtype=np.float64)  # a copy: f may return a view of x
        x[i] = saved - h
        f_minus = np.array(f(x), dtype=np.float64)
        x[i] = saved
        grad[i] = np.sum((f_plus - f_minus) * dout) / (2 * h)
    return grad
