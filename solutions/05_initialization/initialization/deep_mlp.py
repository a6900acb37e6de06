"""A deep bias-free MLP in numpy for watching signals: z_l = h_l @ W_l, h_{l+1} = f(z_l), at every layer.

Activations are (N, D) with samples as rows; weights are (fan_in, fan_out); float64.
Write the bodies marked "raise NotImplementedError"; `pytest tests/test_deep_mlp.py` checks them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ACTIVATIONS = ("tanh", "relu", "identity")


def activate(z: np.ndarray, name: str) -> np.ndarray:
    """f(z) for name in ACTIVATIONS: tanh(z), max(z, 0) or z itself. ValueError for any other name."""
    ### BEGIN SOLUTION
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "identity":
        return z.copy()
    raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")
    ### END SOLUTION


def activate_grad(z: np.ndarray, name: str) -> np.ndarray:
    """f'(z) from the PRE-activation z: 1 − tanh(z)², (z > 0) as floats (0 at exactly 0, as torch), or ones."""
    ### BEGIN SOLUTION
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "identity":
        return np.ones_like(z, dtype=np.float64)
    raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")
    ### END SOLUTION


def mlp_forward(
    x: np.ndarray, weights: Sequence[np.ndarray], activation: str
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Push x (N, D) through the layers; the activation follows every layer, the last one included.

    zs[l] = hs[l] @ weights[l] and hs[l+1] = activate(zs[l], activation) for l = 0 … L−1, with hs[0] = x.
    Returns (hs, zs): lists of L+1 and L arrays. ValueError if consecutive shapes do not chain.
    """
    ### BEGIN SOLUTION
    hs, zs = [x], []
    for layer, W in enumerate(weights):
        if hs[-1].shape[1] != W.shape[0]:
            raise ValueError(f"layer {layer}: input width {hs[-1].shape[1]} does not match W {W.shape}")
        zs.append(hs[-1] @ W)
        hs.append(activate(zs[-1], activation))
    return hs, zs
    ### END SOLUTION


def mlp_backward(
    dout: np.ndarray, weights: Sequence[np.ndarray], hs: Sequence[np.ndarray], zs: Sequence[np.ndarray], activation: str
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Gradients from dout = ∂L/∂h_L (N, d_L) and mlp_forward's hs and zs.

    delta = dout · f'(zs[L−1]); for l = L−1 … 0: dWs[l] = hs[l].T @ delta, dhs[l] = delta @ weights[l].T, and
    (if l > 0) delta = dhs[l] · f'(zs[l−1]). Returns (dWs, dhs), each a list of L arrays; dhs[0] = ∂L/∂x.
    """
    ### BEGIN SOLUTION
    L = len(weights)
    dWs: list[np.ndarray] = [np.empty(0)] * L
    dhs: list[np.ndarray] = [np.empty(0)] * L
    delta = dout * activate_grad(zs[L - 1], activation)
    for layer in range(L - 1, -1, -1):
        dWs[layer] = hs[layer].T @ delta
        dhs[layer] = delta @ weights[layer].T
        if layer > 0:
            delta = dhs[layer] * activate_grad(zs[layer - 1], activation)
    return dWs, dhs
    ### END SOLUTION


def layer_stats(arrays: Sequence[np.ndarray]) -> dict[str, np.ndarray]:
    """One value per array, each over ALL of the array's entries.

    Keys: mean, std (ddof=0), frac_zero (entries exactly 0), frac_saturated (|entry| > 0.99), norm (Frobenius).
    An empty list gives arrays of length 0.
    """
    ### BEGIN SOLUTION
    stats: dict[str, list[float]] = {"mean": [], "std": [], "frac_zero": [], "frac_saturated": [], "norm": []}
    for array in arrays:
        a = np.asarray(array, dtype=np.float64)
        stats["mean"].append(float(a.mean()))
        stats["std"].append(float(a.std()))
        stats["frac_zero"].append(float(np.mean(a == 0)))
        stats["frac_saturated"].append(float(np.mean(np.abs(a) > 0.99)))
        stats["norm"].append(float(np.sqrt(np.sum(a * a))))
    return {key: np.array(values, dtype=np.float64) for key, values in stats.items()}
    ### END SOLUTION
