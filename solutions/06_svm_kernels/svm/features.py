"""Hand-made feature maps that make 2-D toy sets linearly separable. Rows are samples: X is (N, 2).

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_features.py` checks them.
"""

from __future__ import annotations

import numpy as np


def lift_circles(X: np.ndarray) -> np.ndarray:
    """(N, 3) with columns [x₁, x₂, x₁² + x₂²]: the squared radius separates a ring from its centre."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack([X, (X**2).sum(axis=1)])
    ### END SOLUTION


def lift_xor(X: np.ndarray) -> np.ndarray:
    """(N, 3) with columns [x₁, x₂, x₁·x₂]: the product's sign is the XOR label."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack([X, X[:, 0] * X[:, 1]])
    ### END SOLUTION


def wave_features(X: np.ndarray) -> np.ndarray:
    """Your feature map (N, k), k ≥ 1, that makes the "wave" set linearly separable.

    Look at the scatter plot: which curve separates the classes? The map must work row by row
    (f(X)[i] equals f(X[i:i+1])[0]): no statistics over the batch, no memorised points.
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    return np.column_stack([X, np.sin(2.0 * X[:, 0])])
    ### END SOLUTION
