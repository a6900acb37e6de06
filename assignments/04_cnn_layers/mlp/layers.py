# Generated from 03_mlp_numpy/mlp/layers.py by `python -m autograder release`; do not edit.
"""Layers as forward/backward pairs (numpy, float64, rows are samples).

Every ``*_forward`` returns ``(out, cache)`` and never modifies its inputs; every ``*_backward(dout, cache)``
returns the gradient(s) with respect to the forward's inputs and never modifies ``dout``.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_layers.py` checks them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf


def fc_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Fully connected (affine) layer.

    x: (N, d1, ..., dk), each sample flattened to one row of D = d1·…·dk numbers.
    W: (D, M). b: (M,).
    Returns out (N, M) = x.reshape(N, D) @ W + b and cache (x, W).
    """
    out = x.reshape(x.shape[0], -1) @ W + b
    return out, (x, W)


def fc_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the affine layer.

    dout: (N, M), the upstream gradient ∂L/∂out. cache: (x, W) from fc_forward.
    Returns (dx, dW, db):
      dx = (dout @ W.T) reshaped to x.shape,   dW = x2d.T @ dout  (D, M),   db = dout summed over rows (M,).
    """
    x, W = cache
    x2d = x.reshape(x.shape[0], -1)
    dx = (dout @ W.T).reshape(x.shape)
    # The bias is added to every row, so every row's gradient flows into it.
    return dx, x2d.T @ dout, dout.sum(axis=0)


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ReLU, max(x, 0) elementwise. Returns (out, cache) with cache = x."""
    return np.maximum(x, 0.0), x


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dx = dout where x > 0, else 0 (the gradient at exactly 0 is 0, as in torch)."""
    return dout * (cache > 0)


def sigmoid_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """σ(x) = 1 / (1 + e^(−x)) without overflow for |x| up to 1e4.

    Use e = exp(−|x|), which is at most 1: σ = 1/(1 + e) where x ≥ 0 and e/(1 + e) where x < 0.
    Returns (out, cache) with cache = out (σ itself is all backward needs).
    """
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out, out


def sigmoid_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dx = dout · σ(x)·(1 − σ(x)), with σ(x) from the cache."""
    return dout * cache * (1.0 - cache)


def gelu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact GeLU: x·Φ(x) = ½·x·(1 + erf(x/√2)), Φ the standard normal CDF (not the tanh approximation).

    Returns (out, cache) with cache = x.
    """
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0))), x


def gelu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dx = dout · (Φ(x) + x·φ(x)), with φ(x) = e^(−x²/2)/√(2π) the standard normal density."""
    x = cache
    cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return dout * (cdf + x * pdf)


def tanh_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """tanh, the worked example of the cache convention: cache the output, which is all backward needs."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dx = dout · (1 − tanh(x)²)."""
    return dout * (1.0 - cache**2)


def identity_forward(x: np.ndarray) -> tuple[np.ndarray, None]:
    """No activation at all: out = x (a copy, so callers may not alias the input)."""
    return x.copy(), None


def identity_backward(dout: np.ndarray, cache: None) -> np.ndarray:
    """dx = dout."""
    return dout.copy()


def dropout_forward(
    x: np.ndarray, p: float, train: bool, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[np.ndarray | None, float, bool]]:
    """Inverted dropout: in training, drop each unit with probability p and scale the kept ones by 1/(1 − p).

    x: any shape. p: probability of DROPPING a unit, 0 ≤ p < 1, else ValueError("p must be in [0, 1)").
    train: False (evaluation) or p == 0 returns x unchanged in value. rng: the only source of randomness.
    Recipe: keep = rng.random(x.shape) >= p; out = x · keep / (1 − p).
    Returns (out, cache) with cache = (keep, p, train) (keep may be None when nothing is dropped).
    """
    if not 0.0 <= p < 1.0:
        raise ValueError("p must be in [0, 1)")
    if not train or p == 0.0:
        return x.copy(), (None, p, train)
    keep = rng.random(x.shape) >= p
    # Scaling now keeps the expected activation equal to x, so evaluation needs no rescaling.
    return x * keep / (1.0 - p), (keep, p, train)


def dropout_backward(dout: np.ndarray, cache: tuple[np.ndarray | None, float, bool]) -> np.ndarray:
    """dx = dout · keep / (1 − p) with the mask cached by the forward pass; dout itself when nothing was dropped."""
    keep, p, _ = cache
    if keep is None:
        return dout.copy()
    return dout * keep / (1.0 - p)
