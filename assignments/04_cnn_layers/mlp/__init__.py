"""03_mlp_numpy's solution layers.py, losses.py, provided to 04_cnn_layers (generated; do not edit)."""

from .layers import (
    dropout_backward,
    dropout_forward,
    fc_backward,
    fc_forward,
    gelu_backward,
    gelu_forward,
    identity_backward,
    identity_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    softmax,
    softmax_cross_entropy,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "dropout_backward",
    "dropout_forward",
    "fc_backward",
    "fc_forward",
    "gelu_backward",
    "gelu_forward",
    "identity_backward",
    "identity_forward",
    "relu_backward",
    "relu_forward",
    "sigmoid_backward",
    "sigmoid_forward",
    "softmax",
    "softmax_cross_entropy",
    "tanh_backward",
    "tanh_forward",
]
