"""Local tests of mlp/layers.py: the affine layer, ReLU, sigmoid, exact GeLU and inverted dropout, by fixed
values and by centred finite differences."""

import numpy as np

from mlp.layers import (
    dropout_backward,
    dropout_forward,
    fc_backward,
    fc_forward,
    gelu_backward,
    gelu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
)
from utils.gradcheck import eval_numerical_gradient_array
from utils.testing import check, check_close, check_raises, check_rel_error

GRAD_TOL = 1e-7  # finite differences (h = 1e-5) against one layer's backward, float64
VAL_TOL = 1e-8  # rel_error against the fixed values below


def _activation_gradcheck(forward, backward, hint, seed=0):
    """Grad check of an activation pair on a (3, 4) input whose entries stay at least 1e-3 away from 0."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, 4))
    x = np.where(np.abs(x) < 1e-3, 0.5, x)  # away from ReLU's kink
    dout = rng.standard_normal((3, 4))
    _, cache = forward(x)
    dx = backward(dout, cache)
    check_rel_error(dx, eval_numerical_gradient_array(lambda v: forward(v)[0], x, dout), GRAD_TOL, hint)


def test_fc_forward_values():
    """fc_forward flattens each sample of a 3-D input to one row, multiplies by W and adds b."""
    hint = "flatten each sample to one row before `@ W`; add `b` to every row"
    x = np.linspace(-0.5, 0.5, 24).reshape(2, 3, 4)
    W = np.linspace(-0.2, 0.3, 36).reshape(12, 3)
    b = np.array([0.1, -0.2, 0.3])
    out, _ = fc_forward(x, W, b)
    expected = [[0.2546583851, -0.0900621118, 0.3652173913], [0.4782608696, 0.2229813665, 0.7677018634]]
    check_rel_error(out, expected, VAL_TOL, hint)


def test_fc_backward_gradcheck():
    """fc_backward's dx, dW, db have the shapes of x, W, b and match finite differences (3-D input)."""
    dx_hint = "`dx` must be reshaped to x's shape: dx = (dout @ W.T).reshape(x.shape)"
    dw_hint = "`dW` has W's shape (D, M): dW = x.reshape(N, D).T @ dout"
    db_hint = "the bias touches every row, so `db` sums `dout` over axis 0 (shape (M,), no keepdims)"
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 2, 3))
    W = rng.standard_normal((6, 5))
    b = rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))
    _, cache = fc_forward(x, W, b)
    dx, dW, db = fc_backward(dout, cache)
    check(np.shape(dx) == x.shape, dx_hint, f"dx shape {np.shape(dx)}, expected {x.shape}")
    check(np.shape(dW) == W.shape, dw_hint, f"dW shape {np.shape(dW)}, expected {W.shape}")
    check(np.shape(db) == b.shape, db_hint, f"db shape {np.shape(db)}, expected {b.shape}")
    check_rel_error(dx, eval_numerical_gradient_array(lambda v: fc_forward(v, W, b)[0], x, dout), GRAD_TOL, dx_hint)
    check_rel_error(dW, eval_numerical_gradient_array(lambda v: fc_forward(x, v, b)[0], W, dout), GRAD_TOL, dw_hint)
    check_rel_error(db, eval_numerical_gradient_array(lambda v: fc_forward(x, W, v)[0], b, dout), GRAD_TOL, db_hint)


def test_relu():
    """ReLU values, an untouched input, gradient 0 at exactly 0, and a grad check away from the kink."""
    hint = "use `x > 0`, not `>=`; do not write into `x`"
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    x_before = x.copy()
    out, cache = relu_forward(x)
    check_close(out, [0.0, 0.0, 0.0, 0.5, 2.0], hint)
    check(
        np.array_equal(x, x_before),
        "do not write into `x`: return a new array, e.g. np.maximum(x, 0)",
        "relu_forward modified its input",
    )
    dx = relu_backward(np.ones(5), cache)
    check_close(dx, [0.0, 0.0, 0.0, 1.0, 1.0], "use `x > 0`, not `>=`: the gradient at exactly 0 is 0")
    _activation_gradcheck(relu_forward, relu_backward, hint)


def test_sigmoid():
    """Sigmoid at ±1000 without overflow (float errors raised), fixed values, and a grad check."""
    hint = "`exp(−x)` overflows at x = −1000: use `exp(−abs(x))` and choose the formula by sign"
    x = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            out, _ = sigmoid_forward(x)
    except FloatingPointError as error:
        check(False, hint, f"FloatingPointError: {error}")
    check_close(out, [0.0, 0.119202922, 0.5, 0.9525741268, 1.0], hint, atol=1e-9)
    _activation_gradcheck(sigmoid_forward, sigmoid_backward, "dx = dout·σ(x)·(1 − σ(x)), with σ(x) from the cache")


def test_gelu():
    """Exact GeLU (erf, not tanh) values and derivative at fixed points, and a grad check."""
    value_hint = "error ≈ 4e-4 means the tanh approximation — use `erf`: gelu(x) = x·Φ(x) = ½·x·(1 + erf(x/√2))"
    grad_hint = "a wrong derivative usually lacks the `x·φ(x)` term: d gelu/dx = Φ(x) + x·φ(x)"
    x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    out, cache = gelu_forward(x)
    check_close(out, [-0.0040496941, -0.1586552539, 0.0, 0.3457312306, 1.9544997361], value_hint, atol=1e-9)
    derivative = gelu_backward(np.ones(5), cache)
    check_close(derivative, [-0.0119456472, -0.0833154706, 0.5, 0.8674951247, 1.0852318011], grad_hint, atol=1e-9)
    _activation_gradcheck(gelu_forward, gelu_backward, grad_hint)


def test_fc_gelu_cascade():
    """The composition fc → gelu on a 3-D input: dx, dW, db by backprop match finite differences."""
    hint = "backprop through gelu first, then fc"
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5, 3))
    W = rng.standard_normal((15, 5))
    b = rng.standard_normal(5)
    dout = rng.standard_normal((3, 5))

    def composed(x_, W_, b_):
        return gelu_forward(fc_forward(x_, W_, b_)[0])[0]

    h, fc_cache = fc_forward(x, W, b)
    _, gelu_cache = gelu_forward(h)
    dx, dW, db = fc_backward(gelu_backward(dout, gelu_cache), fc_cache)
    check_rel_error(dx, eval_numerical_gradient_array(lambda v: composed(v, W, b), x, dout), GRAD_TOL, hint + " (dx)")
    check_rel_error(dW, eval_numerical_gradient_array(lambda v: composed(x, v, b), W, dout), GRAD_TOL, hint + " (dW)")
    check_rel_error(db, eval_numerical_gradient_array(lambda v: composed(x, W, v), b, dout), GRAD_TOL, hint + " (db)")


def test_dropout_identity():
    """Evaluation mode (p = .5) and training with p = 0 return x itself, and backward returns dout."""
    hint = "dropout only acts in training; p = 0 means keep everything"
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    dout = np.linspace(2.0, -1.0, 12).reshape(3, 4)
    for p, train in ((0.5, False), (0.0, True)):
        out, cache = dropout_forward(x, p, train, np.random.default_rng(0))
        check_close(out, x, hint + f" (p = {p}, train = {train})")
        check_close(dropout_backward(dout, cache), dout, hint + f" (backward, p = {p}, train = {train})")


def test_dropout_statistics():
    """On 1e6 entries: the share of zeros is p, the mean is kept, and kept entries are x/(1 − p)."""
    drop_hint = "p is the drop probability, not the keep probability"
    scale_hint = "kept units are divided by (1−p)"
    x = 5.0 + np.random.default_rng(0).standard_normal((1000, 1000))
    for p in (0.2, 0.5, 0.8):
        out, _ = dropout_forward(x, p, True, np.random.default_rng(1))
        check(np.shape(out) == x.shape, drop_hint, f"out shape {np.shape(out)}, expected {x.shape}")
        dropped = out == 0
        zero_fraction = float(dropped.mean())
        check(abs(zero_fraction - p) < 0.01, drop_hint, f"p = {p}: zero fraction {zero_fraction:.3f}")
        ratio = float(out.mean() / x.mean())
        check(abs(ratio - 1.0) < 0.02, scale_hint, f"p = {p}: mean(out)/mean(x) = {ratio:.3f}, expected 1")
        check_close(out[~dropped], x[~dropped] / (1.0 - p), scale_hint + f" (p = {p})", atol=1e-12)


def test_dropout_backward():
    """Backward reuses the forward's mask: zero gradient where dropped, and a grad check with a fixed rng."""
    hint = "reuse the cached mask; never draw a new one in backward"
    rng = np.random.default_rng(2)
    x = rng.standard_normal((10, 10))
    dout = rng.standard_normal((10, 10))
    p = 0.4
    out, cache = dropout_forward(x, p, True, np.random.default_rng(1))
    dx = dropout_backward(dout, cache)
    check(np.shape(dx) == x.shape, hint, f"dx shape {np.shape(dx)}, expected {x.shape}")
    dropped = out == 0
    check(np.all(dx[dropped] == 0), hint, f"dx != 0 at {int(np.sum(dx[dropped] != 0))} dropped units")
    # A fresh generator with the same seed per call makes the forward pass a fixed linear map of x.
    numerical = eval_numerical_gradient_array(
        lambda v: dropout_forward(v, p, True, np.random.default_rng(1))[0], x, dout
    )
    check_rel_error(dx, numerical, 1e-8, hint)


def test_dropout_rng():
    """The same seed gives the same mask; p outside [0, 1) raises ValueError."""
    hint = "take randomness only from `rng`"
    x = np.linspace(0.5, 2.0, 40).reshape(5, 8)
    first, _ = dropout_forward(x, 0.5, True, np.random.default_rng(3))
    second, _ = dropout_forward(x, 0.5, True, np.random.default_rng(3))
    check_close(second, first, hint + " (two calls with default_rng(3) differ)")
    for p in (1.0, -0.1):
        check_raises(
            ValueError,
            f"p must be in [0, 1): raise ValueError for p = {p}",
            dropout_forward,
            x,
            p,
            True,
            np.random.default_rng(0),
        )
