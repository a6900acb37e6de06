"""Hand-made feature maps that make 2-D toy sets linearly separable. Rows are samples: X is (N, 2).

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_features.py` checks them.
"""

from __future__ import annotations

import numpy as np


def lift_circles(X: np.ndarray) -> np.ndarray:
    """(N, 3) with columns [x₁, x₂, x₁² + x₂²]: the squared radius separates a ring from its centre."""
    raise NotImplementedError


def lift_xor(X: np.ndarray) -> np.ndarray:
    """(N, 3) with columns [x₁, x₂, x₁·x₂]: the product's sign is the XOR label."""
    raise NotImplementedError


def wave_features(X: np.ndarray) -> np.ndarray:
    """Your feature map (N, k), k ≥ 1, that makes the "wave" set linearly separable.

    Look at the scatter plot: which curve separates the classes? The map must work row by row
    (f(X)[i] equals f(X[i:i+1])[0]): no statistics over the batch, no memorised points.
    """
    raise NotImplementedError
