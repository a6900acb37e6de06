"""A multi-layer perceptron from scratch in numpy: layers, losses, the model, update rules and training."""

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
from .losses import binary_cross_entropy, binary_cross_entropy_with_logits, softmax, softmax_cross_entropy
from .model import MLP
from .optim import Optimizer, adam, sgd, sgd_momentum
from .train import History, accuracy, fit, minibatch_indices, train_step

__all__ = [
    "MLP",
    "History",
    "Optimizer",
    "accuracy",
    "adam",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "dropout_backward",
    "dropout_forward",
    "fc_backward",
    "fc_forward",
    "fit",
    "gelu_backward",
    "gelu_forward",
    "identity_backward",
    "identity_forward",
    "minibatch_indices",
    "relu_backward",
    "relu_forward",
    "sgd",
    "sgd_momentum",
    "sigmoid_backward",
    "sigmoid_forward",
    "softmax",
    "softmax_cross_entropy",
    "tanh_backward",
    "tanh_forward",
    "train_step",
]
