"""Gradient descent in plain numpy on a rippled bowl with three local minima.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_ripple.py` checks them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

# Provided: f(x, y) = x² + y² + x(y + 2) + cos(3x), elementwise on numpy float64.
from utils.landscapes import ripple_f

__all__ = ["ripple_descent", "ripple_f", "ripple_grad"]


def ripple_grad(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of ripple_f, elementwise.

    x, y: python floats or numpy arrays of the same shape.

        ∂f/∂x = 2x − 3·sin(3x) + y + 2
        ∂f/∂y = x + 2y

    Returns (dfdx, dfdy) as numpy float64, each shaped like x (use np.sin, which works elementwise).
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # The chain rule brings the 3 of cos(3x) out front: d/dx cos(3x) = −3·sin(3x).
    dfdx = 2 * x - 3 * np.sin(3 * x) + y + 2
    dfdy = x + 2 * y
    return dfdx, dfdy
    ### END SOLUTION


def ripple_descent(
    x: float, y: float, step_size: float, steps: int, decay: float = 1.0
) -> tuple[float, float, float, np.ndarray, np.ndarray]:
    """Gradient descent on ripple_f from (x, y), with a step size that decays geometrically.

    Step t = 0, 1, …, steps−1 uses η_t = step_size·decay**t (the first step uses step_size itself) and
    moves both coordinates at once, with both partials taken at the old point:

        (x, y) ← (x − η_t·∂f/∂x(x, y),  y − η_t·∂f/∂y(x, y))

    Returns (x, y, f, x_hist, y_hist): the final point and f there as python floats, and the iterates as
    float64 arrays of shape (steps+1,) starting with the initial point. steps = 0 returns the start.
    """
    ### BEGIN SOLUTION
    x_hist = np.empty(steps + 1)
    y_hist = np.empty(steps + 1)
    x_hist[0], y_hist[0] = x, y
    for t in range(steps):
        step = step_size * decay**t
        dfdx, dfdy = ripple_grad(x, y)
        # One tuple assignment: y's update must use the old x, not the one just computed.
        x, y = x - step * dfdx, y - step * dfdy
        x_hist[t + 1], y_hist[t + 1] = x, y
    return float(x), float(y), float(ripple_f(x, y)), x_hist, y_hist
    ### END SOLUTION
