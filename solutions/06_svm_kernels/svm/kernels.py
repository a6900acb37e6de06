"""Gram matrices from an explicit feature map, and kernels computed without one (RBF, polynomial).

Signatures and defaults copy `sklearn.metrics.pairwise`, so every result can be compared with scikit-learn.
X is (N, D) and Y is (M, D); every kernel returns a float64 (N, M) array; Y=None means Y = X.
Write the bodies marked "raise NotImplementedError"; `pytest tests/test_kernels.py` checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _as_2d_float(X: Any, name: str = "X") -> np.ndarray:
    """X as a float64 (N, D) array; ValueError if it is not 2-D."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples as rows), got shape {X.shape}")
    return X


def _pair(X: Any, Y: Any) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y) as float64 2-D arrays with the same number of features (Y defaults to X)."""
    X = _as_2d_float(X, "X")
    Y = X if Y is None else _as_2d_float(Y, "Y")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"feature counts differ: X has {X.shape[1]}, Y has {Y.shape[1]}")
    return X, Y


def kernel_construction(X: Any, phi: Callable[[np.ndarray], Any], Y: Any = None) -> np.ndarray:
    """K[i, j] = ⟨φ(X[i]), φ(Y[j])⟩ for a feature map ``phi`` that takes one row (D,) and returns a 1-D array-like
    (a scalar counts as length 1). Y=None means Y = X. Returns (N, M).

    Tip: compute φ once per row, stack the results into Φ_X (N, k) and Φ_Y (M, k), and return Φ_X @ Φ_Yᵀ.
    """
    ### BEGIN SOLUTION
    X, Y = _pair(X, Y)

    def features(rows: np.ndarray) -> np.ndarray:
        return np.stack([np.atleast_1d(np.asarray(phi(row), dtype=np.float64)) for row in rows])

    phi_x = features(X)
    phi_y = phi_x if Y is X else features(Y)
    return phi_x @ phi_y.T
    ### END SOLUTION


def pairwise_sq_dists(X: Any, Y: Any = None) -> np.ndarray:
    """D²[i, j] = ‖x_i‖² + ‖y_j‖² − 2⟨x_i, y_j⟩ for all pairs at once: no Python loops, no comprehensions.

    Round-off can make the expansion slightly negative: clip at 0. With Y=None the diagonal is exactly 0.
    Returns (N, M).
    """
    ### BEGIN SOLUTION
    same = Y is None
    X, Y = _pair(X, Y)
    sq = (X**2).sum(axis=1)[:, None] + (Y**2).sum(axis=1)[None, :] - 2.0 * (X @ Y.T)
    np.maximum(sq, 0.0, out=sq)
    if same:
        np.fill_diagonal(sq, 0.0)  # ‖x − x‖² is 0 exactly, whatever the round-off of the expansion
    return sq
    ### END SOLUTION


def rbf_kernel(X: Any, Y: Any = None, gamma: float | None = None) -> np.ndarray:
    """exp(−γ·‖x − y‖²). gamma=None means 1/D; γ ≤ 0 raises ValueError. Returns (N, M) with entries in [0, 1]."""
    ### BEGIN SOLUTION
    X_checked = _as_2d_float(X)
    gamma = 1.0 / X_checked.shape[1] if gamma is None else gamma
    if gamma <= 0:
        raise ValueError(f"gamma must be positive, got {gamma}")
    return np.exp(-gamma * pairwise_sq_dists(X_checked, Y))
    ### END SOLUTION


def polynomial_kernel(
    X: Any, Y: Any = None, degree: int = 3, gamma: float | None = None, coef0: float = 1.0
) -> np.ndarray:
    """(γ·⟨x, y⟩ + coef0)^degree. gamma=None means 1/D; degree must be an int ≥ 1 (else ValueError)."""
    ### BEGIN SOLUTION
    if isinstance(degree, bool) or not isinstance(degree, int | np.integer) or degree < 1:
        raise ValueError(f"degree must be an int >= 1, got {degree!r}")
    X, Y = _pair(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return (gamma * (X @ Y.T) + coef0) ** degree
    ### END SOLUTION


def is_valid_kernel(K: Any, tol: float = 1e-8) -> bool:
    """Whether K is a valid Gram matrix: square, symmetric and positive semi-definite, up to tolerances.

    Symmetric: max|K − Kᵀ| ≤ tol·max(1, max|K|). PSD: λ_min((K + Kᵀ)/2) ≥ −tol·max(1, max|λ|).
    A non-square K returns False (no error).
    """
    ### BEGIN SOLUTION
    K = np.asarray(K, dtype=np.float64)
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        return False
    if np.max(np.abs(K - K.T), initial=0.0) > tol * max(1.0, np.max(np.abs(K), initial=0.0)):
        return False
    eigenvalues = np.linalg.eigvalsh((K + K.T) / 2)  # eigvalsh reads one triangle: symmetrise first
    return bool(eigenvalues.min(initial=0.0) >= -tol * max(1.0, np.max(np.abs(eigenvalues), initial=0.0)))
    ### END SOLUTION
