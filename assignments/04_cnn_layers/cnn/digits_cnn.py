"""The same small CNN in torch, trained on the 8×8 digits: the model, the epoch loop and the evaluation.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_digits_cnn.py` checks them.
`predict`, `fit` and `DeeperDigitsCNN` are given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn


class DigitsCNN(nn.Module):
    """conv (1 → F, K×K, padding K//2) → ReLU → 2×2 max pool → flatten → linear (F·4·4 → num_classes).

    Attribute names are fixed: ``self.conv``, ``self.pool``, ``self.fc``. 1,370 parameters at the defaults.
    """

    def __init__(self, num_filters: int = 8, kernel_size: int = 3, num_classes: int = 10) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_classes) for images x (N, 1, 8, 8): fc(flatten(pool(relu(conv(x))))), no softmax."""
        raise NotImplementedError


def copy_numpy_params(numpy_net: Any, torch_net: DigitsCNN) -> None:
    """Copy a SmallConvNet's params into a DigitsCNN in place, keeping the torch net's dtype.

    conv weight and bias are copied as they are; the linear weight is fc_w.T (torch stores (out, in)).
    Runs under torch.no_grad().
    """
    raise NotImplementedError


def train_one_epoch(
    model: nn.Module, loader: Any, loss_fn: Any, optimizer: torch.optim.Optimizer
) -> tuple[float, float]:
    """One pass over ``loader`` in training mode: zero_grad, forward, loss, backward, step per batch.

    Returns (mean loss, accuracy), both weighted by batch size: Σ loss·batch size / samples, correct / samples.
    """
    raise NotImplementedError


def evaluate(model: nn.Module, loader: Any, loss_fn: Any) -> tuple[float, float]:
    """(mean loss, accuracy) over ``loader`` in evaluation mode under torch.no_grad(), weighted by batch size.

    Changes no parameter and no ``.grad``.
    """
    raise NotImplementedError


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int) -> np.ndarray:
    """int64 (K, K) counts: M[t, p] is the number of samples of true class t predicted as p (rows are true).

    Classes that never occur keep their (zero) row and column. ValueError if a label is outside [0, K) or the
    two arrays differ in length.
    """
    raise NotImplementedError


def filters_to_grid(w: np.ndarray, ncols: int = 8, pad: int = 1) -> np.ndarray:
    """Tile filters w (F, C, KH, KW), C in {1, 3}, into one image for display.

    Each filter is min-max scaled to [0, 1] on its own (a constant filter becomes 0.5). Tiles go row-major on
    ceil(F / ncols) rows and min(F, ncols) columns, separated by ``pad`` pixels of 1.0; unused cells are 1.0.
    Returns (R·KH + (R−1)·pad, Cc·KW + (Cc−1)·pad), with a trailing axis of 3 when C == 3.
    """
    raise NotImplementedError


def predict(model: nn.Module, loader: Any) -> tuple[np.ndarray, np.ndarray]:
    """(y_true, y_pred) over ``loader`` in evaluation mode, as int64 numpy arrays."""
    model.eval()
    true, predicted = [], []
    with torch.no_grad():
        for inputs, targets in loader:
            true.append(targets.numpy())
            predicted.append(model(inputs).argmax(dim=1).numpy())
    return np.concatenate(true).astype(np.int64), np.concatenate(predicted).astype(np.int64)


def fit(
    model: nn.Module, train_loader: Any, val_loader: Any, epochs: int, optimizer: torch.optim.Optimizer, loss_fn: Any
) -> dict[str, list[float]]:
    """Train for ``epochs`` epochs; history holds per-epoch train_loss, train_acc, val_loss, val_acc."""
    from tqdm.auto import tqdm

    history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    bar = tqdm(range(epochs), desc="epochs", leave=False)
    for _ in bar:
        train_loss, train_acc = train_one_epoch(model, train_loader, loss_fn, optimizer)
        val_loss, val_acc = evaluate(model, val_loader, loss_fn)
        for key, value in zip(history, (train_loss, train_acc, val_loss, val_acc), strict=True):
            history[key].append(value)
        bar.set_postfix(loss=f"{train_loss:.3f}", val_acc=f"{val_acc:.3f}")
    return history


class DeeperDigitsCNN(nn.Module):
    """Optional: conv(1→16) → [BN] → ReLU → pool → conv(16→32) → [BN] → ReLU → pool → linear(128→10)."""

    def __init__(self, batchnorm: bool = False) -> None:
        super().__init__()

        def block(c_in: int, c_out: int) -> list[nn.Module]:
            norm: list[nn.Module] = [nn.BatchNorm2d(c_out)] if batchnorm else []
            return [nn.Conv2d(c_in, c_out, 3, padding=1), *norm, nn.ReLU(), nn.MaxPool2d(2)]

        self.features = nn.Sequential(*block(1, 16), *block(16, 32))
        self.fc = nn.Linear(32 * 2 * 2, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.features(x), 1))
