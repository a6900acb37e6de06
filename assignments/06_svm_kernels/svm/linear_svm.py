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
    raise NotImplementedError


def fit_linear_svm(
    X: Any, y: Any, lam: float, lr: float = 1.0, steps: int = 3000
) -> tuple[np.ndarray, float, list[float]]:
    """Full-batch subgradient descent from w = 0, b = 0 with step size η_t = lr/√(t + 1), t = 0 … steps − 1.

    Returns (w, b, history): the final iterate and J before each step (len(history) == steps).
    """
    raise NotImplementedError
