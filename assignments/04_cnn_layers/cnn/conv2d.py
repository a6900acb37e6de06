"""2-D convolution (cross-correlation, as torch's ``conv2d``) over NCHW arrays: loops first, then im2col.

x is (N, C, H, W), w is (F, C, KH, KW), b is (F,); ``stride`` ≥ 1 and ``pad`` ≥ 0 apply to H and W, padding
with zeros on all four sides (never on N or C). No function changes its inputs. Forward functions return
``(out, cache)``; a backward function takes only the cache of its own forward.
Write the bodies marked "raise NotImplementedError"; `pytest tests/test_conv2d.py` checks them.
"""

from __future__ import annotations

import numpy as np


def conv_output_size(H: int, W: int, KH: int, KW: int, stride: int = 1, pad: int = 0) -> tuple[int, int]:
    """(Ho, Wo) with Ho = (H + 2·pad − KH) // stride + 1 and likewise Wo (floor, as torch).

    Raises ValueError if stride < 1, pad < 0, or the kernel does not fit (Ho < 1 or Wo < 1).
    """
    raise NotImplementedError


def _check_shapes(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> None:
    """ValueError unless x's channels match w's and b has one entry per filter."""
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1]:
        raise ValueError(f"x {x.shape} and w {w.shape} must be (N, C, H, W) and (F, C, KH, KW) with the same C")
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},), got {b.shape}")


def _pad(x: np.ndarray, pad: int) -> np.ndarray:
    """x with ``pad`` zeros added on both sides of H and W only."""
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))


def conv2d_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> tuple[np.ndarray, tuple]:
    """Convolution by explicit loops over n, f, i, j.

    out[n, f, i, j] = b[f] + Σ_{c, a, e} w[f, c, a, e] · xp[n, c, i·stride + a, j·stride + e], xp = x zero-padded.
    The kernel is NOT flipped. Returns out (N, F, Ho, Wo) of dtype np.result_type(x, w, b) and
    cache (x, w, b, stride, pad). ValueError if x.shape[1] != w.shape[1] or b.shape != (F,).
    """
    raise NotImplementedError


def conv2d_backward_naive(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the naive convolution, by the same loops.

    db[f] = Σ_{n,i,j} dout[n, f, i, j];  dw[f] = Σ_{n,i,j} dout[n, f, i, j] · (window of xp at i, j);
    dxp gets dout[n, f, i, j] · w[f] added over each window; dx is dxp with the padding cropped off.
    Input pixels that no window reads get exactly 0. Returns (dx, dw, db) shaped like x, w, b.
    """
    raise NotImplementedError


def im2col(x: np.ndarray, KH: int, KW: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Every receptive field of x as one column: cols (C·KH·KW, N·Ho·Wo).

    cols[(c, a, e), (n, i, j)] = xp[n, c, i·stride + a, j·stride + e]: the row index runs over (c, a, e) with c
    slowest (matching w.reshape(F, −1)), the column index over (n, i, j) with n slowest.
    Loop over the kernel offsets (a, e) at most, never over every output position.
    """
    raise NotImplementedError


def col2im(cols: np.ndarray, x_shape: tuple[int, ...], KH: int, KW: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """The adjoint of im2col: ADD every entry of cols into the padded image at its source, then crop the padding.

    cols: (C·KH·KW, N·Ho·Wo) in im2col's layout. Returns an array of shape x_shape = (N, C, H, W); pixels
    covered by several windows accumulate every contribution.
    """
    raise NotImplementedError


def conv2d_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> tuple[np.ndarray, tuple]:
    """The same convolution as one matrix multiply: w.reshape(F, −1) @ im2col(x) + b[:, None].

    The product (F, N·Ho·Wo) is reshaped to (F, N, Ho, Wo) and transposed to out (N, F, Ho, Wo).
    Returns (out, cache) with cache (x_shape, cols, w, stride, pad). Same ValueErrors as the naive version.
    """
    raise NotImplementedError


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the fast convolution.

    d2 = dout.transpose(1, 0, 2, 3).reshape(F, −1);  dw = (d2 @ cols.T).reshape(w.shape);  db = d2.sum(1);
    dx = col2im(w.reshape(F, −1).T @ d2, x.shape, KH, KW, stride, pad). Returns (dx, dw, db).
    """
    raise NotImplementedError
