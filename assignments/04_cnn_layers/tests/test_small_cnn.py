"""Local tests of cnn/small_cnn.py: the numpy CNN's initial loss and a gradient check of all four parameters."""

import math

import numpy as np

from cnn.small_cnn import SmallConvNet
from utils.gradcheck import eval_numerical_gradient
from utils.testing import check, check_close, check_rel_error

NET_TOL = 1e-6  # finite differences (h = 1e-5) against the whole network's backward, float64


def test_l10_small_cnn():
    """weight_scale 1e-3: the loss on 50 random inputs is ln 10 within 0.01; then every gradient of a net of seed 1
    on 2 inputs of seed 0 matches finite differences."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 1, 8, 8))
    y = rng.integers(0, 10, size=50)
    loss, _ = SmallConvNet(weight_scale=1e-3).loss(X, y)
    check_close(loss, math.log(10), "loss far from ln 10 at tiny weights: check softmax/averaging", atol=0.01)

    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 1, 8, 8))
    y = rng.integers(0, 10, size=2)
    net = SmallConvNet(seed=1)
    _, grads = net.loss(X, y)
    keys_hint = "return one gradient per parameter, with the same keys and shapes as self.params"
    check(isinstance(grads, dict), keys_hint, f"grads is a {type(grads).__name__}, expected a dict")
    check(set(grads) == set(net.params), keys_hint, f"grads keys {sorted(grads)}, expected {sorted(net.params)}")
    for name, value in net.params.items():
        check(np.shape(grads[name]) == value.shape, keys_hint, f"grads[{name!r}] shape {np.shape(grads[name])}")
    for name in net.params:
        numerical = eval_numerical_gradient(lambda _: net.loss(X, y)[0], net.params[name])  # perturbs in place
        hint = f"grads[{name!r}] wrong: look at the backward step that produces {name}"
        check_rel_error(grads[name], numerical, NET_TOL, hint)
