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
    ### BEGIN SOLUTION
    if stride < 1 or pad < 0:
        raise ValueError(f"need stride >= 1 and pad >= 0, got stride={stride}, pad={pad}")
    Ho = (H + 2 * pad - KH) // stride + 1
    Wo = (W + 2 * pad - KW) // stride + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(f"a {KH}x{KW} kernel does not fit a padded {H + 2 * pad}x{W + 2 * pad} input")
    return Ho, Wo
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    _check_shapes(x, w, b)
    N, _, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    xp = _pad(x, pad)
    out = np.zeros((N, F, Ho, Wo), dtype=np.result_type(x, w, b))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    window = xp[n, :, i * stride : i * stride + KH, j * stride : j * stride + KW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, stride, pad)
    ### END SOLUTION


def conv2d_backward_naive(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the naive convolution, by the same loops.

    db[f] = Σ_{n,i,j} dout[n, f, i, j];  dw[f] = Σ_{n,i,j} dout[n, f, i, j] · (window of xp at i, j);
    dxp gets dout[n, f, i, j] · w[f] added over each window; dx is dxp with the padding cropped off.
    Input pixels that no window reads get exactly 0. Returns (dx, dw, db) shaped like x, w, b.
    """
    ### BEGIN SOLUTION
    x, w, b, stride, pad = cache
    N, F, Ho, Wo = dout.shape
    _, _, KH, KW = w.shape
    xp = _pad(x, pad)
    dxp = np.zeros(xp.shape, dtype=np.result_type(dout, w))
    dw = np.zeros(w.shape, dtype=np.result_type(dout, x))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    rows = slice(i * stride, i * stride + KH)
                    cols = slice(j * stride, j * stride + KW)
                    dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]]
    return dx, dw, dout.sum(axis=(0, 2, 3))
    ### END SOLUTION


def im2col(x: np.ndarray, KH: int, KW: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Every receptive field of x as one column: cols (C·KH·KW, N·Ho·Wo).

    cols[(c, a, e), (n, i, j)] = xp[n, c, i·stride + a, j·stride + e]: the row index runs over (c, a, e) with c
    slowest (matching w.reshape(F, −1)), the column index over (n, i, j) with n slowest.
    Loop over the kernel offsets (a, e) at most, never over every output position.
    """
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    xp = _pad(x, pad)
    cols = np.empty((C, KH, KW, N, Ho, Wo), dtype=x.dtype)
    for a in range(KH):
        for e in range(KW):
            # All windows' (a, e) entries at once: a strided slice of the padded input.
            patch = xp[:, :, a : a + stride * Ho : stride, e : e + stride * Wo : stride]
            cols[:, a, e] = patch.transpose(1, 0, 2, 3)
    return cols.reshape(C * KH * KW, N * Ho * Wo)
    ### END SOLUTION


def col2im(cols: np.ndarray, x_shape: tuple[int, ...], KH: int, KW: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """The adjoint of im2col: ADD every entry of cols into the padded image at its source, then crop the padding.

    cols: (C·KH·KW, N·Ho·Wo) in im2col's layout. Returns an array of shape x_shape = (N, C, H, W); pixels
    covered by several windows accumulate every contribution.
    """
    ### BEGIN SOLUTION
    N, C, H, W = x_shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    blocks = cols.reshape(C, KH, KW, N, Ho, Wo)
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    for a in range(KH):
        for e in range(KW):
            block = blocks[:, a, e].transpose(1, 0, 2, 3)  # (N, C, Ho, Wo): every window's (a, e) entry
            xp[:, :, a : a + stride * Ho : stride, e : e + stride * Wo : stride] += block
    return xp[:, :, pad : pad + H, pad : pad + W]
    ### END SOLUTION


def conv2d_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> tuple[np.ndarray, tuple]:
    """The same convolution as one matrix multiply: w.reshape(F, −1) @ im2col(x) + b[:, None].

    The product (F, N·Ho·Wo) is reshaped to (F, N, Ho, Wo) and transposed to out (N, F, Ho, Wo).
    Returns (out, cache) with cache (x_shape, cols, w, stride, pad). Same ValueErrors as the naive version.
    """
    ### BEGIN SOLUTION
    _check_shapes(x, w, b)
    N, _, H, W = x.shape
    F, _, KH, KW = w.shape
    Ho, Wo = conv_output_size(H, W, KH, KW, stride, pad)
    cols = im2col(x, KH, KW, stride, pad)
    out = w.reshape(F, -1) @ cols + b[:, None]
    out = out.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(out, dtype=np.result_type(x, w, b)), (x.shape, cols, w, stride, pad)
    ### END SOLUTION


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the fast convolution.

    d2 = dout.transpose(1, 0, 2, 3).reshape(F, −1);  dw = (d2 @ cols.T).reshape(w.shape);  db = d2.sum(1);
    dx = col2im(w.reshape(F, −1).T @ d2, x.shape, KH, KW, stride, pad). Returns (dx, dw, db).
    """
    ### BEGIN SOLUTION
    x_shape, cols, w, stride, pad = cache
    F, _, KH, KW = w.shape
    d2 = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    dw = (d2 @ cols.T).reshape(w.shape)
    dx = col2im(w.reshape(F, -1).T @ d2, x_shape, KH, KW, stride, pad)
    return dx, dw, d2.sum(axis=1)
    ### END SOLUTION
