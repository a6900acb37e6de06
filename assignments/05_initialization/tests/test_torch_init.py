"""Local tests of initialization/torch_init.py: init_linear_layers_ on a small make_deep_mlp."""

import math

import numpy as np
import torch
from torch import nn

from initialization.init_schemes import init_weights
from initialization.torch_init import init_linear_layers_, make_deep_mlp
from utils.testing import check, check_close, pick_hint

TRANSPOSE_HINT = "transpose, torch stores (out,in)"
FAN_HINT = "fan_in is in_features (weight.shape[1])"
RNG_HINT = "make one rng = np.random.default_rng(seed) before the loop; every layer draws from it in turn"
DEFAULT_HINT = (
    "for each nn.Linear m in model.modules() order: W = init_weights(scheme, m.in_features, m.out_features, rng, "
    "scale), copied as W.T"
)


def test_l9_init_linear_layers():
    """make_deep_mlp(depth=2) (Linear 64->128, 128->128, 128->10), he, seed 0: each weight is exactly the next
    init_weights("he", in_features, out_features, rng) of one default_rng(0), transposed, as float32; biases 0."""
    torch.manual_seed(0)
    model = make_deep_mlp(depth=2)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    rng = np.random.default_rng(0)
    expected = [init_weights("he", m.in_features, m.out_features, rng) for m in linears]
    # The anticipated wrong answer of a new rng per layer: every layer starts again from default_rng(0).
    restarted = [init_weights("he", m.in_features, m.out_features, np.random.default_rng(0)) for m in linears]
    crash = ""
    try:
        result = init_linear_layers_(model, "he", seed=0)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError) as error:  # copy_ of a (in, out) array into an (out, in) weight, say
        crash = f"init_linear_layers_ raised {type(error).__name__}: {str(error).strip()}"
    check(not crash, TRANSPOSE_HINT, crash)  # outside `except`, so only the hint line is printed
    check(result is model, "return the model", f"init_linear_layers_ returned a {type(result).__name__}")
    for layer, (m, W, W_restarted) in enumerate(zip(linears, expected, restarted, strict=True)):
        weight = m.weight.detach()
        out_in = (m.out_features, m.in_features)
        shape = tuple(weight.shape)
        check(shape == out_in, TRANSPOSE_HINT, f"layer {layer}: weight shape {shape}, expected {out_in}")
        check(weight.dtype == torch.float32, "cast W.T to the weight's dtype", f"layer {layer}: dtype {weight.dtype}")
        std = float(weight.std())
        swapped_std = math.sqrt(2 / m.out_features)  # He with the two fans swapped
        default = pick_hint(std, [(swapped_std, FAN_HINT)], DEFAULT_HINT, atol=0.05 * swapped_std)
        if m.in_features == m.out_features:
            default = DEFAULT_HINT  # both fans give the same std here
        wrong = [(torch.from_numpy(W.reshape(out_in)).float(), TRANSPOSE_HINT)]
        if layer > 0:
            wrong.append((torch.from_numpy(W_restarted.T.copy()).float(), RNG_HINT))
        hint = pick_hint(weight, wrong, default, atol=0.0)
        layer_name = f" (layer {layer}: Linear {m.in_features} -> {m.out_features})"
        check_close(weight, torch.from_numpy(W.T.copy()).float(), hint + layer_name)
    for layer, m in enumerate(linears):
        bias = m.bias.detach()
        check(bool(torch.all(bias == 0)), "set every bias to zero: m.bias.zero_()", f"layer {layer}: nonzero bias")
