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
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    if stride < 1 or pool_h > H or pool_w > W or pool_h < 1 or pool_w < 1:
        raise ValueError(f"a {pool_h}x{pool_w} pool with stride {stride} does not fit a {H}x{W} input")
    Ho, Wo = (H - pool_h) // stride + 1, (W - pool_w) // stride + 1
    # windows[n, c, i, j, a, e] = x[n, c, i·stride + a, j·stride + e], a read-only view (no copy).
    windows = np.lib.stride_tricks.sliding_window_view(x, (pool_h, pool_w), axis=(2, 3))[:, :, ::stride, ::stride]
    flat = windows[:, :, :Ho, :Wo].reshape(N, C, Ho, Wo, pool_h * pool_w)
    # argmax picks the FIRST maximum in row-major order, as torch does on ties.
    argmax = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, argmax[..., None], axis=-1)[..., 0]
    return out, (x.shape, argmax, pool_h, pool_w, stride)
    ### END SOLUTION


def maxpool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Route each dout[n, c, i, j] to the one position of its window's maximum (the first one on ties).

    Overlapping windows (stride < pool) add their contributions; positions that are never a maximum get 0.
    Returns dx shaped like the forward's x.
    """
    ### BEGIN SOLUTION
    x_shape, argmax, pool_h, pool_w, stride = cache
    N, C, Ho, Wo = dout.shape
    rows = np.arange(Ho)[:, None] * stride + argmax // pool_w
    cols = np.arange(Wo)[None, :] * stride + argmax % pool_w
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    dx = np.zeros(x_shape, dtype=dout.dtype)
    np.add.at(dx, (n, c, rows, cols), dout)  # add.at accumulates where windows overlap
    return dx
    ### END SOLUTION
