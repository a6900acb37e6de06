"""Weight initialization seen through a deep MLP's activations and gradients, in numpy and in torch."""

from .deep_mlp import ACTIVATIONS, activate, activate_grad, layer_stats, mlp_backward, mlp_forward
from .init_schemes import LARGE_STD, SCHEMES, SMALL_STD, init_std, init_weights
from .torch_init import ResidualBlock, init_linear_layers_, make_deep_mlp, record_activations, train_classifier

__all__ = [
    "ACTIVATIONS",
    "LARGE_STD",
    "SCHEMES",
    "SMALL_STD",
    "ResidualBlock",
    "activate",
    "activate_grad",
    "init_linear_layers_",
    "init_std",
    "init_weights",
    "layer_stats",
    "make_deep_mlp",
    "mlp_backward",
    "mlp_forward",
    "record_activations",
    "train_classifier",
]
