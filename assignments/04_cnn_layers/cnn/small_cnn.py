"""A small convolutional network in numpy: conv → ReLU → 2×2 max pool → affine → softmax cross-entropy.

It uses your fast convolution and max pooling, and 03's layers (provided in `mlp/`).
Write `SmallConvNet.loss`; `pytest tests/test_small_cnn.py` checks it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlp.layers import fc_backward, fc_forward, relu_backward, relu_forward
from mlp.losses import softmax_cross_entropy

from .conv2d import conv2d_backward, conv2d_forward
from .maxpool2d import maxpool2d_backward, maxpool2d_forward


class SmallConvNet:
    """conv (F filters K×K, stride 1, "same" padding (K−1)//2) → ReLU → max pool 2×2 stride 2 → affine.

    ``params``: conv_w (F, C, K, K) and fc_w (F·(H//2)·(W//2), num_classes) drawn from N(0, weight_scale²),
    conv_b (F,) and fc_b (num_classes,) zeros; all draws from ``np.random.default_rng(seed)``.
    """

    def __init__(
        self,
        in_shape: Sequence[int] = (1, 8, 8),
        num_filters: int = 8,
        kernel_size: int = 3,
        num_classes: int = 10,
        weight_scale: float = 0.1,
        seed: int = 0,
    ) -> None:
        C, H, W = in_shape
        rng = np.random.default_rng(seed)
        self.kernel_size = kernel_size
        self.params = {
            "conv_w": weight_scale * rng.standard_normal((num_filters, C, kernel_size, kernel_size)),
            "conv_b": np.zeros(num_filters),
            "fc_w": weight_scale * rng.standard_normal((num_filters * (H // 2) * (W // 2), num_classes)),
            "fc_b": np.zeros(num_classes),
        }

    def loss(self, X: np.ndarray, y: np.ndarray | None = None) -> np.ndarray | tuple[float, dict[str, np.ndarray]]:
        """Scores (N, num_classes) for X (N, C, H, W) when y is None; else (loss, grads).

        Forward: conv2d_forward(X, conv_w, conv_b, stride 1, pad (K−1)//2) → relu_forward →
        maxpool2d_forward(2, 2, stride 2) → fc_forward (which flattens each sample in (F, H', W') C-order) →
        softmax_cross_entropy(scores, y), the mean over the batch.
        grads has the keys and shapes of self.params.
        """
        raise NotImplementedError


def train_numpy_net(
    net: SmallConvNet,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int = 5,
    lr: float = 0.1,
    momentum: float = 0.9,
    batch_size: int = 64,
    seed: int = 0,
) -> list[float]:
    """Mini-batch SGD with momentum on ``net.loss``; returns the mean training loss of each epoch."""
    rng = np.random.default_rng(seed)
    velocity = {key: np.zeros_like(value) for key, value in net.params.items()}
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            loss, grads = net.loss(X[batch], y[batch])
            total += loss * len(batch)
            for key in net.params:
                velocity[key] = momentum * velocity[key] + grads[key]
                net.params[key] = net.params[key] - lr * velocity[key]
        epoch_losses.append(total / len(X))
    return epoch_losses
