"""Optional: a linear SVM trained on its primal objective by subgradient descent (labels ±1).

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_linear_svm.py` checks them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def hinge_objective(w: np.ndarray, b: float, X: Any, y: Any, lam: float) -> tuple[float, np.ndarray, float]:
    """J = λ/2·‖w‖² + (1/N)·Σ max(0, 1 − y_i(w·x_i + b)) and a subgradient (b is not regularised).

    Active points: y_i·f(x_i) < 1 (strictly: a point exactly on the margin is inactive).
    grad_w = λw − (1/N)·Σ_active y_i x_i, grad_b = −(1/N)·Σ_active y_i. Labels other than ±1 raise ValueError.
    Returns (J, grad_w, grad_b).
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("labels must be -1 or +1")
    n = len(y)
    margins = y * (X @ w + b)
    active = margins < 1
    J = 0.5 * lam * float(w @ w) + float(np.sum(1.0 - margins[active])) / n
    grad_w = lam * w - (y[active] @ X[active]) / n
    grad_b = -float(np.sum(y[active])) / n
    return J, grad_w, grad_b
    ### END SOLUTION


def fit_linear_svm(
    X: Any, y: Any, lam: float, lr: float = 1.0, steps: int = 3000
) -> tuple[np.ndarray, float, list[float]]:
    """Full-batch subgradient descent from w = 0, b = 0 with step size η_t = lr/√(t + 1), t = 0 … steps − 1.

    Returns (w, b, history): the final iterate and J before each step (len(history) == steps).
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    history: list[float] = []
    for t in range(steps):
        J, grad_w, grad_b = hinge_objective(w, b, X, y, lam)
        history.append(J)
        step = lr / math.sqrt(t + 1)  # a subgradient does not vanish at the optimum, so the step must shrink
        w, b = w - step * grad_w, b - step * grad_b
    return w, b, history
    ### END SOLUTION
