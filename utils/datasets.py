"""Small offline data sets for the notebooks. Everything is generated or bundled with a package: no downloads.

torch is imported inside the loaders that return tensors, so importing this module never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def regime_switch_series(
    n_per_regime: int = 100,
    means: Sequence[float] = (-10.0, 0.5),
    stds: Sequence[float] = (0.1, 1.0),
    seed: int = 0,
) -> Any:
    """A float32 tensor (n_per_regime·len(means),): ``n_per_regime`` Gaussian draws per regime, in order.

    Regime k is ``means[k] + stds[k]·randn(n_per_regime)`` from one ``torch.Generator().manual_seed(seed)``,
    one draw call per regime (a single call for all regimes would give other values).
    """
    import torch

    if len(means) != len(stds):
        raise ValueError(f"one std per mean: got {len(means)} means and {len(stds)} stds")
    gen = torch.Generator().manual_seed(seed)
    regimes = [mean + std * torch.randn(n_per_regime, generator=gen) for mean, std in zip(means, stds, strict=True)]
    return torch.cat(regimes)


def breast_cancer_standardized() -> tuple[Any, Any]:
    """scikit-learn's bundled breast-cancer data as float32 tensors.

    Returns X (569, 30), each feature z-scored, and y (569,) with values in {0, 1}.
    """
    import torch
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def load_digits_split(seed: int = 0) -> dict[str, Any]:
    """scikit-learn's bundled 8×8 digits, split 1197 / 300 / 300 (train / val / test), stratified.

    Pixels are divided by 16, then the train set's per-pixel mean is subtracted from all three splits (no
    division: some pixels are constant). Returns float64 ``X_train, X_val, X_test`` (·, 64), int64
    ``y_train, y_val, y_test``, and ``images_test`` (300, 8, 8), the raw test images for plots.
    """
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=300, stratify=y, random_state=seed)
    train, val = train_test_split(rest, test_size=300, stratify=y[rest], random_state=seed)
    mean = X[train].mean(axis=0)
    return {
        "X_train": X[train] - mean,
        "y_train": y[train],
        "X_val": X[val] - mean,
        "y_val": y[val],
        "X_test": X[test] - mean,
        "y_test": y[test],
        "images_test": digits.images[test].astype(np.float64),
    }


def make_moons_split(
    n: int = 500,
    noise: float = 0.25,
    seed: int = 0,
    test: int = 200,
    *,
    standardize: bool = True,
    signed_labels: bool = False,
) -> dict[str, Any]:
    """Two interleaved half-moons, split stratified into ``n − test`` train and ``test`` test points.

    ``standardize`` scales both splits by the train mean and std; ``signed_labels`` gives labels ±1 instead of
    0/1 (int64 either way). Returns ``X_train, y_train, X_test, y_test``.
    """
    import numpy as np
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n, noise=noise, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test, stratify=y, random_state=seed)
    if standardize:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)
    if signed_labels:
        y_train, y_test = 2 * y_train - 1, 2 * y_test - 1
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


def _rejection_sample(n: int, low: float, high: float, keep: Any, seed: int) -> Any:
    """``n`` points uniform on [low, high]², drawn in batches ``rng.uniform(low, high, (n, 2))`` from
    ``np.random.default_rng(seed)``; the points where ``keep(batch)`` is True are kept in order until n are."""
    import numpy as np

    rng = np.random.default_rng(seed)
    accepted: list[Any] = []
    count = 0
    while count < n:
        batch = rng.uniform(low, high, (n, 2))
        batch = batch[keep(batch)]
        accepted.append(batch)
        count += len(batch)
    return np.concatenate(accepted)[:n].astype(np.float64)


def make_xor(n: int = 200, gap: float = 0.1, seed: int = 0) -> tuple[Any, Any]:
    """XOR on [−1, 1]²: points with |x₁| < gap or |x₂| < gap are rejected; y = sign(x₁x₂).

    Returns X (n, 2) float64 and y (n,) int64 in {−1, +1}.
    """
    import numpy as np

    X = _rejection_sample(n, -1.0, 1.0, lambda B: (np.abs(B[:, 0]) >= gap) & (np.abs(B[:, 1]) >= gap), seed)
    return X, np.where(X[:, 0] * X[:, 1] > 0, 1, -1).astype(np.int64)


def make_wave(n: int = 200, gap: float = 0.15, freq: float = 2.0, seed: int = 0) -> tuple[Any, Any]:
    """Two classes on [−2, 2]² split by the curve x₂ = sin(freq·x₁): points within ``gap`` of it
    (|x₂ − sin(freq·x₁)| ≤ gap) are rejected; y = +1 above the curve, −1 below.

    Returns X (n, 2) float64 and y (n,) int64 in {−1, +1}.
    """
    import numpy as np

    X = _rejection_sample(n, -2.0, 2.0, lambda B: np.abs(B[:, 1] - np.sin(freq * B[:, 0])) > gap, seed)
    return X, np.where(X[:, 1] > np.sin(freq * X[:, 0]), 1, -1).astype(np.int64)


def circles() -> tuple[Any, Any]:
    """``make_circles(200, noise=0.08, factor=0.4, random_state=0)``: X (200, 2) float64, y int64 ±1
    (+1 on the inner circle)."""
    import numpy as np
    from sklearn.datasets import make_circles

    X, y = make_circles(200, noise=0.08, factor=0.4, random_state=0)
    return X.astype(np.float64), (2 * y - 1).astype(np.int64)


def blobs() -> tuple[Any, Any]:
    """``make_blobs(200, centers=[[−1.5, −1], [1.5, 1]], cluster_std=0.8, random_state=0)``: X (200, 2)
    float64, y int64 ±1 (+1 around (1.5, 1))."""
    import numpy as np
    from sklearn.datasets import make_blobs

    X, y = make_blobs(200, centers=[[-1.5, -1.0], [1.5, 1.0]], cluster_std=0.8, random_state=0)
    return X.astype(np.float64), (2 * y - 1).astype(np.int64)
