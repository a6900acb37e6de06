# Generated from 03_mlp_numpy/mlp/losses.py by `python -m autograder release`; do not edit.
"""Losses computed from a network's raw outputs, each returning (loss, gradient w.r.t. its first argument).

Every loss is a mean over the N samples, so its gradient is divided by N exactly once.
Write the bodies marked "raise NotImplementedError"; `pytest tests/test_losses.py` checks them.
"""

from __future__ import annotations

import numpy as np


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of scores (N, C): exp(s − max_row s) / Σ exp(s − max_row s). Rows sum to 1."""
    # Subtracting the row maximum leaves softmax unchanged and makes every exponent ≤ 0: no overflow.
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(scores) against integer labels.

    scores: (N, C) logits. y: (N,) integers in [0, C).
    With z = s − max_row s and log p = z − log Σ exp z (log-sum-exp; never the log of a softmax output):
      loss = −mean_i log p[i, y_i],   dscores = (softmax(s) − onehot(y)) / N   (N, C).
    """
    n = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n


def binary_cross_entropy(probs: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean binary cross-entropy of probabilities 0 < p < 1 against float targets y in {0, 1} (same shape).

    loss = mean(−y·log p − (1 − y)·log(1 − p)),   dprobs = (p − y) / (p·(1 − p)·N).
    No clipping: p that rounded to exactly 0 or 1 gives an infinite loss, which is the point of the logits version.
    """
    n = probs.shape[0]
    with np.errstate(divide="ignore"):
        loss = np.mean(-y * np.log(probs) - (1.0 - y) * np.log(1.0 - probs))
    return float(loss), (probs - y) / (probs * (1.0 - probs) * n)


def binary_cross_entropy_with_logits(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of σ(z) computed from the logits z, stable for any |z|.

    logits: (N,) or (N, 1). y: N float targets in {0, 1}.
    loss = mean(max(z, 0) − z·y + log1p(exp(−|z|))),   dlogits = (σ(z) − y) / N, shaped like logits.
    """
    z = logits.reshape(-1)
    t = np.asarray(y, dtype=np.float64).reshape(-1)
    loss = np.mean(np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z))))
    e = np.exp(-np.abs(z))
    sigma = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(loss), ((sigma - t) / z.size).reshape(logits.shape)
