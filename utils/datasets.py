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
