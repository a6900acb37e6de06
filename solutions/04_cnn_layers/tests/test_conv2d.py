"""Local tests of cnn/conv2d.py: the output size, the naive convolution (fixed values, gradients), im2col and
col2im, and the fast convolution against the naive one and torch."""

import numpy as np
import torch
import torch.nn.functional as F

from cnn.conv2d import (
    col2im,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv_output_size,
    im2col,
)
from utils.gradcheck import eval_numerical_gradient_array
from utils.testing import check, check_close, check_raises, check_rel_error, pick_hint

GRAD_TOL = 1e-6  # finite differences (h = 1e-5) against the naive backward, float64
VAL_TOL = 1e-8  # rel_error against the fixed values of the linspace example
TORCH_TOL = 1e-10  # float64 against torch

SHAPE_HINT = "check the size formula / padding axes"
FLIPPED_HINT = "you flipped the kernel; deep-learning 'convolution' is cross-correlation"
SWAPPED_HINT = "kernel rows and columns are swapped"
FAST_HINT = "fast and naive disagree: compare your reshape/transpose order with the im2col layout in the docstring"


def _torch_conv(x, w, b, stride=1, pad=0):
    """The reference: torch's conv2d (cross-correlation) in float64, as a numpy array."""
    out = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=pad)
    return out.numpy()


def _torch_grads(x, w, b, dout, stride=1, pad=0):
    """dx, dw, db of ``sum(dout * conv2d(x, w, b))`` by torch autograd, float64."""
    tensors = [torch.tensor(v, requires_grad=True) for v in (x, w, b)]
    out = F.conv2d(*tensors, stride=stride, padding=pad)
    out.backward(torch.from_numpy(dout))
    return [t.grad.numpy() for t in tensors]


def _naive(x, w, b, stride, pad):
    """conv2d_forward_naive; a ValueError or IndexError inside it (a window cut short by one-sided padding, say)
    fails with the size/padding hint instead of a traceback."""
    try:
        return conv2d_forward_naive(x, w, b, stride=stride, pad=pad)
    except (ValueError, IndexError) as error:
        crash = f"stride {stride}, pad {pad}: {type(error).__name__}: {str(error).strip()}"
    check(False, SHAPE_HINT, crash)  # outside `except`, so only the hint line is printed


def _random_conv(seed, x_shape, w_shape, stride, pad):
    """x, w, b and an upstream gradient dout, drawn in that order from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    Ho, Wo = (x_shape[2] + 2 * pad - w_shape[2]) // stride + 1, (x_shape[3] + 2 * pad - w_shape[3]) // stride + 1
    dout = rng.standard_normal((x_shape[0], w_shape[0], Ho, Wo))
    return x, w, b, dout


def test_l1_conv_output_size():
    """Ho = (H + 2*pad - KH)//stride + 1 per axis, on square and non-square cases; too large a kernel raises."""
    hint = "floor((H + 2*pad - KH)/stride) + 1 for each axis; pad is added on both sides"
    cases = [
        ((28, 28, 4, 4, 2, 3), (16, 16)),
        ((8, 8, 3, 3, 1, 1), (8, 8)),
        ((7, 5, 3, 2, 2, 1), (4, 3)),
    ]
    for (H, W, KH, KW, stride, pad), expected in cases:
        size = conv_output_size(H, W, KH, KW, stride=stride, pad=pad)
        try:
            size = tuple(size)
        except TypeError:
            pass  # not a pair: the check below reports what came back
        case = f"H={H}, W={W}, KH={KH}, KW={KW}, stride={stride}, pad={pad}"
        check(size == expected, hint, f"{case}: got {size}, expected {expected}")
    raise_hint = "raise ValueError when the kernel does not fit: Ho < 1 or Wo < 1"
    check_raises(ValueError, raise_hint, conv_output_size, 3, 3, 5, 5, stride=1, pad=0)


def test_l2_hand_example():
    """x = 1..9 as 3x3, w = [[1,2],[3,4]]: the 2x2 output by hand, the same plus a bias 0.5, and stride 2 pad 1."""
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    w = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1])
    swapped = np.ascontiguousarray(w.transpose(0, 1, 3, 2))
    cases = [
        (0.0, 1, 0, [[37.0, 47.0], [67.0, 77.0]]),
        (0.5, 1, 0, [[37.5, 47.5], [67.5, 77.5]]),
        (0.0, 2, 1, [[4.0, 18.0], [36.0, 77.0]]),
    ]
    for bias, stride, pad, expected in cases:
        b = np.array([bias])
        out, _ = _naive(x, w, b, stride, pad)
        case = f"b = {bias}, stride {stride}, pad {pad}"
        check(np.shape(out) == (1, 1, 2, 2), SHAPE_HINT, f"{case}: out shape {np.shape(out)}, expected (1, 1, 2, 2)")
        # The recognizable wrong answers, computed by torch: a true convolution, a transposed kernel, no bias.
        wrong = [
            (_torch_conv(x, flipped, b, stride, pad), FLIPPED_HINT),
            (_torch_conv(x, swapped, b, stride, pad), SWAPPED_HINT),
            (_torch_conv(x, w, 0 * b, stride, pad), "add b[f] to every output of filter f"),
        ]
        default = "out[n,f,i,j] = b[f] + sum of w[f] times the window of the padded x at (i*stride, j*stride)"
        check_close(out, [[expected]], pick_hint(out, wrong, default) + f" ({case})", atol=1e-12)


def test_l3_linspace_example():
    """N,C,H,W,F,K = 2,3,5,4,2,3 at stride 2 pad 1 (non-square x, one bias per filter): fixed values and torch."""
    hint = "non-square input: make sure i indexes H and j indexes W, and that bias is added per filter"
    x = np.linspace(-0.1, 0.5, 120).reshape(2, 3, 5, 4)
    w = np.linspace(-0.2, 0.3, 54).reshape(2, 3, 3, 3)
    b = np.linspace(-0.1, 0.2, 2)
    out, _ = _naive(x, w, b, 2, 1)
    check(np.shape(out) == (2, 2, 3, 2), SHAPE_HINT, f"out shape {np.shape(out)}, expected (2, 2, 3, 2)")
    check_rel_error(out[0, 0, 0], [-0.03908672903, -0.01801966069], VAL_TOL, hint + " (out[0, 0, 0])")
    check_rel_error(out[1, 1, 2], [1.028974156, 1.434071666], VAL_TOL, hint + " (out[1, 1, 2])")
    check_rel_error(np.sum(out), 7.951231964, VAL_TOL, hint + " (sum of all entries)")
    check_rel_error(out, _torch_conv(x, w, b, stride=2, pad=1), VAL_TOL, hint + " (against torch)")


def test_l4_naive_backward():
    """x (2,3,5,5), w (4,3,3,3), stride 1 pad 1: dx, dw, db against finite differences and torch autograd."""
    dx_shape_hint = "crop the padding from dx"
    dx_hint = "add dout[n,f,i,j] * w[f] into each window of dxp, then crop the padding from dx"
    dw_hint = "dw[f,c,a,e] = sum over n, i, j of dout[n,f,i,j] * xp[n, c, i*stride+a, j*stride+e]"
    db_hint = "sum over n, i and j"
    batch_hint = "accumulate over the batch"
    stride, pad = 1, 1
    x, w, b, dout = _random_conv(0, (2, 3, 5, 5), (4, 3, 3, 3), stride, pad)
    out, cache = _naive(x, w, b, stride, pad)
    forward_hint = "the forward pass is wrong here: make test_l3_linspace_example pass first"
    check_rel_error(out, _torch_conv(x, w, b, stride, pad), TORCH_TOL, forward_hint)
    dx, dw, db = conv2d_backward_naive(dout, cache)
    check(np.shape(dx) == x.shape, dx_shape_hint, f"dx shape {np.shape(dx)}, expected {x.shape}")
    check(np.shape(dw) == w.shape, dw_hint, f"dw shape {np.shape(dw)}, expected {w.shape}")
    check(np.shape(db) == b.shape, db_hint, f"db shape {np.shape(db)}, expected {b.shape}")

    def forward(x_, w_, b_):
        return conv2d_forward_naive(x_, w_, b_, stride=stride, pad=pad)[0]

    # Anticipated wrong results, by torch: dw scaled by N or taken from one sample, dx cropped one pixel off.
    _, dw_true, _ = _torch_grads(x, w, b, dout, stride, pad)
    _, dw_last, _ = _torch_grads(x[-1:], w, b, dout[-1:], stride, pad)
    _, dw_first, _ = _torch_grads(x[:1], w, b, dout[:1], stride, pad)
    n = x.shape[0]
    dw_wrong = [(dw_true / n, batch_hint), (dw_true * n, batch_hint), (dw_last, batch_hint), (dw_first, batch_hint)]
    xp = torch.tensor(np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))), requires_grad=True)
    F.conv2d(xp, torch.from_numpy(w), torch.from_numpy(b), stride=stride).backward(torch.from_numpy(dout))
    dxp = xp.grad.numpy()
    off_by_one = "crop exactly `pad` rows and columns from each side: dx = dxp[:, :, pad:pad+H, pad:pad+W]"
    dx_wrong = [(dxp[:, :, : -2 * pad, : -2 * pad], off_by_one), (dxp[:, :, 2 * pad :, 2 * pad :], off_by_one)]

    numerical_dx = eval_numerical_gradient_array(lambda v: forward(v, w, b), x, dout)
    check_rel_error(dx, numerical_dx, GRAD_TOL, pick_hint(dx, dx_wrong, dx_hint) + " (dx)")
    numerical_dw = eval_numerical_gradient_array(lambda v: forward(x, v, b), w, dout)
    check_rel_error(dw, numerical_dw, GRAD_TOL, pick_hint(dw, dw_wrong, dw_hint) + " (dw)")
    numerical_db = eval_numerical_gradient_array(lambda v: forward(x, w, v), b, dout)
    check_rel_error(db, numerical_db, GRAD_TOL, db_hint + " (db)")
    torch_dx, torch_dw, torch_db = _torch_grads(x, w, b, dout, stride, pad)
    check_rel_error(dx, torch_dx, TORCH_TOL, dx_hint + " (dx against torch autograd)")
    check_rel_error(dw, torch_dw, TORCH_TOL, dw_hint + " (dw against torch autograd)")
    check_rel_error(db, torch_db, TORCH_TOL, db_hint + " (db against torch autograd)")


def test_l5_im2col_col2im():
    """im2col of arange(18) as (1,2,3,3) with a 2x2 kernel is a fixed 8x4 matrix; col2im of all-ones columns
    counts how many 3x3 windows cover each pixel of a 4x4 image."""
    x = np.arange(18.0).reshape(1, 2, 3, 3)
    first_channel = np.array([[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]], dtype=np.float64)
    expected = np.vstack([first_channel, first_channel + 9])
    cols = im2col(x, 2, 2, stride=1, pad=0)
    # Rows ordered (a, e, c), channel fastest, do not match w.reshape(F, -1).
    channel_fastest = expected.reshape(2, 2, 2, 4).transpose(1, 2, 0, 3).reshape(8, 4)
    wrong = [(channel_fastest, "rows must follow w.reshape(F,-1): channel slowest")]
    default = "cols[(c,a,e), (n,i,j)] = xp[n, c, i*stride+a, j*stride+e]: rows over (c,a,e), columns over (n,i,j)"
    check_close(cols, expected, pick_hint(cols, wrong, default))
    check(np.asarray(cols).dtype == x.dtype, "keep x's dtype", f"cols dtype {np.asarray(cols).dtype}, expected float64")

    ones = np.ones((1, 1, 4, 4))
    counts = col2im(im2col(ones, 3, 3, stride=1), ones.shape, 3, 3, stride=1)
    expected = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]], dtype=np.float64).reshape(ones.shape)
    add_hint = "col2im must ADD overlapping windows, not overwrite"
    check_close(counts, expected, pick_hint(counts, [(ones, add_hint)], add_hint))
    check(np.asarray(counts).dtype == np.float64, "keep the dtype of cols", f"dtype {np.asarray(counts).dtype}")


def test_l6_fast_matches_naive():
    """conv2d_forward/backward (im2col) equal the naive versions and torch: (2,3,7,5) x (4,3,3,2) at stride 2
    pad 1 and (3,2,8,8) x (3,2,3,3) at stride 1 pad 1."""
    configs = [(1, (2, 3, 7, 5), (4, 3, 3, 2), 2, 1), (2, (3, 2, 8, 8), (3, 2, 3, 3), 1, 1)]
    for seed, x_shape, w_shape, stride, pad in configs:
        x, w, b, dout = _random_conv(seed, x_shape, w_shape, stride, pad)
        case = f"x {x_shape}, w {w_shape}, stride {stride}, pad {pad}"
        out, cache = conv2d_forward(x, w, b, stride=stride, pad=pad)
        grads = conv2d_backward(dout, cache)
        check(len(grads) == 3, FAST_HINT, f"{case}: conv2d_backward returned {len(grads)} values, expected 3")
        out_naive, cache_naive = conv2d_forward_naive(x, w, b, stride=stride, pad=pad)
        grads_naive = conv2d_backward_naive(dout, cache_naive)
        torch_grads = _torch_grads(x, w, b, dout, stride, pad)
        references = [("torch", _torch_conv(x, w, b, stride, pad), torch_grads), ("naive", out_naive, grads_naive)]
        for source, expected_out, expected_grads in references:
            check_close(out, expected_out, FAST_HINT + f" ({case}: out vs {source})", atol=1e-10)
            for name, mine, expected in zip(("dx", "dw", "db"), grads, expected_grads, strict=True):
                check_close(mine, expected, FAST_HINT + f" ({case}: {name} vs {source})", atol=1e-10)


def test_l7_col2im_adjoint():
    """<im2col(x), Y> == <x, col2im(Y)> for random x (2,3,6,5) and Y, kernel 3x2, stride 2 pad 1."""
    hint = "col2im must undo im2col's indexing exactly (same s, pad, ordering)"
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 6, 5))
    KH, KW, stride, pad = 3, 2, 2, 1
    Ho, Wo = (6 + 2 * pad - KH) // stride + 1, (5 + 2 * pad - KW) // stride + 1
    Y = rng.standard_normal((3 * KH * KW, 2 * Ho * Wo))
    cols = im2col(x, KH, KW, stride=stride, pad=pad)
    check(np.shape(cols) == Y.shape, hint, f"im2col shape {np.shape(cols)}, expected {Y.shape}")
    back = col2im(Y, x.shape, KH, KW, stride=stride, pad=pad)
    check(np.shape(back) == x.shape, hint, f"col2im shape {np.shape(back)}, expected {x.shape}")
    check_close(np.sum(back * x), np.sum(cols * Y), hint, rtol=1e-12)
