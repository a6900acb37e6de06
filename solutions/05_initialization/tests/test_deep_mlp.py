"""Local tests of initialization/deep_mlp.py: the forward and backward pass of the bias-free deep MLP against
torch (float64), layer_stats on fixed arrays, and zero init."""

import numpy as np
import torch

from initialization.deep_mlp import layer_stats, mlp_backward, mlp_forward
from initialization.init_schemes import init_weights
from utils.testing import check, check_close, pick_hint

WIDTHS = (7, 5, 6, 3)  # non-square, so a missing transpose cannot go unnoticed
N = 4
ACTIVATIONS = ("identity", "relu", "tanh")  # identity first: its failures are about the layer algebra alone
TORCH_ACTIVATIONS = {"identity": lambda z: z, "relu": torch.relu, "tanh": torch.tanh}

FORWARD_HINT = "apply the activation after every layer; keep pre-activations in zs"
SHAPE_HINT = "use weights[l].T going backward"
BACKWARD_HINT = (
    "delta = dout * f'(zs[L-1]); then dWs[l] = hs[l].T @ delta, dhs[l] = delta @ weights[l].T and, "
    "if l > 0, delta = dhs[l] * f'(zs[l-1])"
)
RELU_ZERO_HINT = "f'(0) = 0"
RELU_HINT = "ReLU's f'(z) is (z > 0) as a float, taken from the pre-activation z"
TANH_HINT = "f' takes z, not h: 1 - tanh(z)^2"


def _net(zero_row=False):
    """x (4, 7) and weights 7x5, 5x6, 6x3 scaled by 1/sqrt(fan_in), from default_rng(0); optionally x[1] = 0."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, WIDTHS[0]))
    if zero_row:
        x[1] = 0.0  # z = 0 exactly in that row at every layer, where ReLU's derivative is 0 in torch
    weights = [rng.standard_normal((a, b)) / np.sqrt(a) for a, b in zip(WIDTHS[:-1], WIDTHS[1:], strict=True)]
    return x, weights


def _torch_forward(x, weights, activation):
    """The reference forward in torch float64: (hs, zs, weight tensors), every h keeping its gradient."""
    hs = [torch.tensor(x, requires_grad=True)]
    ws = [torch.tensor(W, requires_grad=True) for W in weights]
    zs = []
    for W in ws:
        zs.append(hs[-1] @ W)
        h = TORCH_ACTIVATIONS[activation](zs[-1])
        h.retain_grad()
        hs.append(h)
    return hs, zs, ws


def _forward(x, weights, activation):
    """mlp_forward's (hs, zs), after checking that it returned a pair of lists of L+1 and L arrays."""
    result = mlp_forward(x, weights, activation)
    pair = isinstance(result, tuple | list) and len(result) == 2
    check(pair, "return (hs, zs)", f"{activation}: mlp_forward returned a {type(result).__name__}")
    hs, zs = result
    L = len(weights)
    fact = f"{activation}: len(hs) = {len(hs)}, len(zs) = {len(zs)}, expected {L + 1} (x and one per layer) and {L}"
    check(len(hs) == L + 1 and len(zs) == L, FORWARD_HINT, fact)
    return hs, zs


def _backward(dout, weights, hs, zs, activation):
    """mlp_backward's (dWs, dhs); a ValueError inside it (shapes that do not chain) fails with the shape hint."""
    try:
        result = mlp_backward(dout, weights, hs, zs, activation)
    except ValueError as error:
        crash = f"{activation}: mlp_backward raised ValueError: {str(error).strip()}"
    else:
        pair = isinstance(result, tuple | list) and len(result) == 2
        check(pair, "return (dWs, dhs)", f"{activation}: mlp_backward returned a {type(result).__name__}")
        dWs, dhs = result
        L = len(weights)
        fact = f"{activation}: len(dWs) = {len(dWs)}, len(dhs) = {len(dhs)}, expected {L} and {L}"
        check(len(dWs) == L and len(dhs) == L, "return one dW and one dh per layer, dhs[0] = dL/dx", fact)
        return dWs, dhs
    check(False, SHAPE_HINT, crash)  # outside `except`, so only the hint line is printed


def _relu_grads_one_at_zero(dout, weights, hs, zs):
    """(dWs, dhs) of a backward pass whose ReLU derivative is 1 at z = 0: the anticipated wrong answer."""
    dWs, dhs = [None] * len(weights), [None] * len(weights)
    delta = dout * (zs[-1] >= 0)
    for layer in range(len(weights) - 1, -1, -1):
        dWs[layer] = hs[layer].T @ delta
        dhs[layer] = delta @ weights[layer].T
        if layer > 0:
            delta = dhs[layer] * (zs[layer - 1] >= 0)
    return dWs, dhs


def test_l5_mlp_forward():
    """Widths 7 -> 5 -> 6 -> 3, N = 4, for identity, relu and tanh: hs[0] is x and every zs[l] and hs[l+1] equals a
    torch float64 forward (1e-12), with len(hs) = 4 and len(zs) = 3."""
    x, weights = _net()
    for activation in ACTIVATIONS:
        hs, zs = _forward(x, weights, activation)
        check_close(hs[0], x, FORWARD_HINT + f" ({activation}: hs[0] must be x)")
        torch_hs, torch_zs, _ = _torch_forward(x, weights, activation)
        for layer in range(len(weights)):
            check_close(zs[layer], torch_zs[layer], FORWARD_HINT + f" ({activation}: zs[{layer}])", atol=1e-12)
            hint = FORWARD_HINT + f" ({activation}: hs[{layer + 1}])"
            check_close(hs[layer + 1], torch_hs[layer + 1], hint, atol=1e-12)


def test_l6_mlp_backward():
    """The same net with x[1] = 0 (so ReLU meets z = 0 exactly) and a random dout: every dWs[l] and dhs[l] from
    your mlp_forward's hs and zs equals torch autograd (1e-10), for identity, relu and tanh."""
    x, weights = _net(zero_row=True)
    dout = np.random.default_rng(1).standard_normal((N, WIDTHS[-1]))
    forward_hint = "the forward pass is wrong here: make test_l5_mlp_forward pass first"
    for activation in ACTIVATIONS:
        hs, zs = _forward(x, weights, activation)
        torch_hs, torch_zs, torch_ws = _torch_forward(x, weights, activation)
        for layer in range(1, len(hs)):
            check_close(hs[layer], torch_hs[layer], forward_hint + f" ({activation}: hs[{layer}])", atol=1e-12)
        torch_hs[-1].backward(torch.from_numpy(dout))
        dWs, dhs = _backward(dout, weights, hs, zs, activation)
        for layer, W in enumerate(weights):
            fact = f"{activation}: dWs[{layer}] shape {np.shape(dWs[layer])}, expected weights[{layer}]'s {W.shape}"
            check(np.shape(dWs[layer]) == W.shape, "dWs[l] = hs[l].T @ delta has the shape of weights[l]", fact)
            fact = f"{activation}: dhs[{layer}] shape {np.shape(dhs[layer])}, expected hs[{layer}]'s {(N, W.shape[0])}"
            check(np.shape(dhs[layer]) == (N, W.shape[0]), SHAPE_HINT, fact)
        wrong_dWs, wrong_dhs = [], []
        if activation == "relu":
            numpy_hs = [h.detach().numpy() for h in torch_hs]
            numpy_zs = [z.detach().numpy() for z in torch_zs]
            wrong_dWs, wrong_dhs = _relu_grads_one_at_zero(dout, weights, numpy_hs, numpy_zs)
        default = {"identity": BACKWARD_HINT, "relu": RELU_HINT, "tanh": TANH_HINT}[activation]
        for layer in range(len(weights) - 1, -1, -1):
            expected = [("dWs", dWs[layer], torch_ws[layer].grad), ("dhs", dhs[layer], torch_hs[layer].grad)]
            for name, mine, reference in expected:
                wrong = wrong_dWs if name == "dWs" else wrong_dhs
                anticipated = [(wrong[layer], RELU_ZERO_HINT)] if wrong else []
                hint = pick_hint(mine, anticipated, default, atol=1e-10)
                check_close(mine, reference, hint + f" ({activation}: {name}[{layer}])", atol=1e-10)


def test_l7_layer_stats():
    """layer_stats([[0, 1], [2, 3]], [[-1, 0.995]]): mean, std, frac_zero, frac_saturated and norm of each array,
    over all its entries (1e-6)."""
    hint = "statistics are over all entries of each array"
    norm_hint = "norm is the Frobenius norm: the square root of the sum of squares"
    arrays = [np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[-1.0, 0.995]])]
    expected = {
        "mean": [1.5, -0.0025],
        "std": [1.118034, 0.9975],
        "frac_zero": [0.25, 0.0],
        "frac_saturated": [0.75, 1.0],
        "norm": [3.741657, 1.410682],
    }
    wrong = {
        "std": [
            ([np.mean(np.std(a, axis=0)) for a in arrays], hint),  # std of each unit (column), averaged
            ([np.std(a, ddof=1) for a in arrays], "std uses ddof=0, np.std's default"),
        ],
        "frac_saturated": [([0.75, 0.5], "saturated means abs(entry) > 0.99, not >= 1")],
        "norm": [([14.0, 1.990025], norm_hint), ([6.0, 1.995], norm_hint)],
    }
    stats = layer_stats(arrays)
    keys = sorted(stats) if isinstance(stats, dict) else type(stats).__name__
    has_keys = isinstance(stats, dict) and set(expected) <= set(stats)
    check(has_keys, "return a dict with keys mean, std, frac_zero, frac_saturated and norm", f"got {keys}")
    for key, values in expected.items():
        key_hint = pick_hint(stats[key], wrong.get(key, []), hint)
        check_close(stats[key], values, key_hint + f" ({key})", atol=1e-6)


def test_l8_zero_init():
    """Four zero-initialized 20x20 layers, tanh and relu: every activation after the input is exactly 0 and so is
    every dW."""
    hint = "zero weights give zero signal and zero gradient; check your forward/backward"
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 20))
    dout = rng.standard_normal((5, 20))
    weights = [init_weights("zero", 20, 20, rng) for _ in range(4)]
    for layer, W in enumerate(weights):
        zeros = np.shape(W) == (20, 20) and np.all(np.asarray(W) == 0)
        check(zeros, "init_weights('zero', ...) is np.zeros((fan_in, fan_out))", f"weights[{layer}] is not all zeros")
    for activation in ("tanh", "relu"):
        hs, zs = _forward(x, weights, activation)
        for layer in range(1, len(hs)):
            zeros = np.shape(hs[layer]) == (5, 20) and np.all(np.asarray(hs[layer]) == 0)
            check(zeros, hint, f"{activation}: hs[{layer}] is not all zeros")
        dWs, _ = _backward(dout, weights, hs, zs, activation)
        for layer, dW in enumerate(dWs):
            zeros = np.shape(dW) == (20, 20) and np.all(np.asarray(dW) == 0)
            check(zeros, hint, f"{activation}: dWs[{layer}] is not all zeros")
