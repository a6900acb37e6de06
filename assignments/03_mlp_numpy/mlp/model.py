"""A multi-layer perceptron assembled from the layers: fc → activation → dropout per hidden layer, then fc.

`__init__`, `predict_proba` and `predict` are given; write `forward`, `backward` and `loss`
(`pytest tests/test_model.py` checks them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

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
from .losses import binary_cross_entropy_with_logits, softmax, softmax_cross_entropy

ACTIVATIONS = ("relu", "gelu", "sigmoid", "tanh", "identity")


def activation_forward(name: str, x: np.ndarray) -> tuple[np.ndarray, object]:
    """The forward pass of the activation called ``name`` (looked up at call time, so tests can patch it)."""
    layer = {
        "relu": relu_forward,
        "gelu": gelu_forward,
        "sigmoid": sigmoid_forward,
        "tanh": tanh_forward,
        "identity": identity_forward,
    }[name]
    return layer(x)


def activation_backward(name: str, dout: np.ndarray, cache: object) -> np.ndarray:
    """The backward pass of the activation called ``name``."""
    layer = {
        "relu": relu_backward,
        "gelu": gelu_backward,
        "sigmoid": sigmoid_backward,
        "tanh": tanh_backward,
        "identity": identity_backward,
    }[name]
    return layer(dout, cache)


class MLP:
    """``len(hidden_dims) + 1`` affine layers with parameters ``W1, b1, …, WL, bL`` in ``self.params``.

    input_dim: D. hidden_dims: widths of the hidden layers (may be empty: logistic/softmax regression).
    num_classes: C (1 with ``loss="bce"``). activation: one of ACTIVATIONS. dropout: p, the drop probability
    after each hidden activation in training. weight_scale: std of the N(0, s²) weights, or None for
    √(2/fan_in) with relu/gelu and √(1/fan_in) otherwise. seed: makes the weights and ``self.rng`` (dropout).
    """

    def __init__(
        self,
        input_dim: int,
        hidden_dims: Sequence[int],
        num_classes: int,
        activation: str = "relu",
        dropout: float = 0.0,
        weight_scale: float | None = None,
        loss: str = "softmax",
        seed: int = 0,
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if loss not in ("softmax", "bce"):
            raise ValueError(f"loss must be 'softmax' or 'bce', got {loss!r}")
        if loss == "bce" and num_classes != 1:
            raise ValueError("loss='bce' predicts one logit per sample: use num_classes=1")
        if not 0.0 <= dropout < 1.0:
            raise ValueError("dropout p must be in [0, 1)")
        self.hidden_dims = tuple(hidden_dims)
        self.activation = activation
        self.dropout = dropout
        self.loss_kind = loss
        self.num_layers = len(self.hidden_dims) + 1
        init_rng, self.rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
        dims = (input_dim, *self.hidden_dims, num_classes)
        self.params: dict[str, np.ndarray] = {}
        for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:], strict=True), start=1):
            gain = 2.0 if activation in ("relu", "gelu") else 1.0
            scale = weight_scale if weight_scale is not None else math.sqrt(gain / fan_in)
            self.params[f"W{layer}"] = scale * init_rng.standard_normal((fan_in, fan_out))
            self.params[f"b{layer}"] = np.zeros(fan_out)

    def forward(
        self, X: np.ndarray, train: bool = False, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, list]:
        """Scores for a batch X (N, D): (N, C) logits and the caches backward needs, in layer order.

        Each hidden layer l: fc_forward(·, W_l, b_l) → activation_forward(self.activation, ·) →
        dropout_forward(·, self.dropout, train, rng); the last layer is fc_forward only.
        rng=None means self.rng. With train=False the result is deterministic.
        """
        raise NotImplementedError

    def backward(self, dscores: np.ndarray, caches: list) -> dict[str, np.ndarray]:
        """Gradients of every parameter from dscores (N, C) = ∂loss/∂scores and forward's caches.

        Walk the layers in reverse. Returns a dict with the same keys and shapes as self.params.
        """
        raise NotImplementedError

    def loss(
        self, X: np.ndarray, y: np.ndarray, train: bool = True, l2: float = 0.0, rng: np.random.Generator | None = None
    ) -> tuple[float, dict[str, np.ndarray]]:
        """Loss and gradients on a batch.

        Data loss: softmax_cross_entropy(scores, y), or binary_cross_entropy_with_logits when loss="bce".
        Plus (l2/2)·Σ_l ‖W_l‖² over the weights only (never the biases), whose gradient adds l2·W_l.
        Returns (loss as a float, grads with the keys of self.params).
        """
        raise NotImplementedError

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities in evaluation mode: (N, C) softmax, or (N,) σ(logit) with loss="bce"."""
        scores, _ = self.forward(X, train=False)
        if self.loss_kind == "bce":
            z = scores.reshape(-1)
            return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z), written so it never overflows
        return softmax(scores)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted labels (N,) int64: argmax of the scores, or logit > 0 with loss="bce"."""
        scores, _ = self.forward(X, train=False)
        if self.loss_kind == "bce":
            return (scores.reshape(-1) > 0).astype(np.int64)
        return scores.argmax(axis=1).astype(np.int64)
