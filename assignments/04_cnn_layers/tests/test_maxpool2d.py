"""Local tests of cnn/maxpool2d.py: max pooling forward (fixed values, torch) and backward (finite
differences, and where the gradient goes when values tie)."""

import numpy as np
import torch
import torch.nn.functional as F

from cnn.maxpool2d import maxpool2d_backward, maxpool2d_forward
from utils.gradcheck import eval_numerical_gradient_array
from utils.testing import check, check_close, check_rel_error, pick_hint

GRAD_TOL = 1e-8  # finite differences (h = 1e-5) against maxpool2d_backward, float64

ONE_HINT = "route each gradient to ONE position, the argmax"
TIE_HINT = "ties go to the first maximum in row-major order"


def test_l8_maxpool_forward():
    """linspace(-0.1, 0.4, 64) as 8x8 with pool 4 stride 2 gives fixed 3x3 values; random (2,3,6,6) with pool 2
    stride 2 equals torch's max_pool2d."""
    hint = "windows start at i*stride; pool over H and W only, never over channels"
    x = np.linspace(-0.1, 0.4, 64).reshape(1, 1, 8, 8)
    out, _ = maxpool2d_forward(x, pool_h=4, pool_w=4, stride=2)
    expected = [
        [0.11428571, 0.13015873, 0.14603175],
        [0.24126984, 0.25714286, 0.27301587],
        [0.36825397, 0.38412698, 0.4],
    ]
    check_close(out, [[expected]], hint + " (pool 4, stride 2)", atol=1e-8)
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6))
    out, _ = maxpool2d_forward(x, pool_h=2, pool_w=2, stride=2)
    check_close(out, F.max_pool2d(torch.from_numpy(x), 2, 2).numpy(), hint + " (pool 2, stride 2, vs torch)")


def test_l9_maxpool_backward():
    """Random (2,3,6,6), pool 2 stride 2: dx matches finite differences; on a matrix with tied maxima each
    window's gradient goes to its first maximum in row-major order."""
    default = "add dout[n,c,i,j] at the argmax of its window (np.argmax of the flattened window), 0 elsewhere"
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 6, 6))
    dout = rng.standard_normal((2, 3, 3, 3))
    _, cache = maxpool2d_forward(x, pool_h=2, pool_w=2, stride=2)
    dx = maxpool2d_backward(dout, cache)
    check(np.shape(dx) == x.shape, default, f"dx shape {np.shape(dx)}, expected {x.shape}")
    everywhere = np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)  # dout copied into every window cell
    wrong = [(everywhere, ONE_HINT), (everywhere / 4, ONE_HINT)]
    numerical = eval_numerical_gradient_array(lambda v: maxpool2d_forward(v, 2, 2, 2)[0], x, dout)
    check_rel_error(dx, numerical, GRAD_TOL, pick_hint(dx, wrong, default))

    # Window maxima: 3 twice (at (0,1) and (1,0)), 3 twice (at (0,2) and (1,3)), 0 four times, 5 four times.
    ties = np.array([[1, 3, 3, 0], [3, 2, 1, 3], [0, 0, 5, 5], [0, 0, 5, 5]], dtype=np.float64).reshape(1, 1, 4, 4)
    out, cache = maxpool2d_forward(ties, pool_h=2, pool_w=2, stride=2)
    check_close(out, [[[[3.0, 3.0], [0.0, 5.0]]]], default + " (forward of the tie matrix)")
    dx = maxpool2d_backward(np.ones((1, 1, 2, 2)), cache)
    expected = np.array([[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=np.float64)
    every_max = np.array([[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 1, 1], [1, 1, 1, 1]], dtype=np.float64)
    split = np.array([[0, 0.5, 0.5, 0], [0.5, 0, 0, 0.5], [0.25] * 4, [0.25] * 4])
    last = np.array([[0, 0, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0], [0, 1, 0, 1]], dtype=np.float64)
    wrong = [(np.ones((4, 4)), ONE_HINT), (every_max, TIE_HINT), (split, TIE_HINT), (last, TIE_HINT)]
    wrong = [(value.reshape(1, 1, 4, 4), hint) for value, hint in wrong]
    check_close(dx, expected.reshape(1, 1, 4, 4), pick_hint(dx, wrong, TIE_HINT) + " (tie matrix, dout = 1)")
