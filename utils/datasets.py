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
