"""2-D max pooling over NCHW arrays, each channel on its own, without padding.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_maxpool2d.py` checks them.
"""

from __future__ import annotations

import numpy as np


def maxpool2d_forward(x: np.ndarray, pool_h: int = 2, pool_w: int = 2, stride: int = 2) -> tuple[np.ndarray, tuple]:
    """out[n, c, i, j] = max of x[n, c, i·stride : i·stride + pool_h, j·stride : j·stride + pool_w].

    x: (N, C, H, W). Returns out (N, C, Ho, Wo) with Ho = (H − pool_h) // stride + 1 (likewise Wo) and a cache
    for the backward pass. ValueError if the pool is larger than the input or stride < 1.
    """
    raise NotImplementedError


def maxpool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Route each dout[n, c, i, j] to the one position of its window's maximum (the first one on ties).

    Overlapping windows (stride < pool) add their contributions; positions that are never a maximum get 0.
    Returns dx shaped like the forward's x.
    """
    raise NotImplementedError
