"""Mini-batch training: write `minibatch_indices` and `train_step`; `fit` and `accuracy` are given.

`pytest tests/test_train.py` checks them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

History = dict[str, Any]


def minibatch_indices(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's batches: a single ``rng.permutation(n)`` cut into consecutive chunks of ``batch_size``.

    The last chunk may be shorter and is kept, so every index 0..n−1 appears exactly once.
    """
    raise NotImplementedError


def train_step(
    model: Any, optimizer: Any, X: np.ndarray, y: np.ndarray, l2: float = 0.0, rng: np.random.Generator | None = None
) -> float:
    """One optimisation step on the batch (X, y).

    Compute the loss and gradients in training mode (``model.loss(X, y, train=True, l2=l2, rng=rng)``), then
    ``optimizer.step(model.params, grads)`` once. Returns the loss (before the step) as a Python float.
    """
    raise NotImplementedError


def accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """Share of samples whose predicted label equals y (evaluation mode)."""
    return float(np.mean(model.predict(X) == np.asarray(y).reshape(-1)))


def _weight_norm(params: dict[str, np.ndarray]) -> float:
    """√(Σ_l ‖W_l‖²) over the weight matrices (biases excluded)."""
    return math.sqrt(sum(float(np.sum(w * w)) for key, w in params.items() if key.startswith("W")))


def fit(
    model: Any,
    optimizer: Any,
    data: dict[str, np.ndarray],
    epochs: int = 30,
    batch_size: int = 64,
    l2: float = 0.0,
    lr_decay: float = 1.0,
    seed: int = 0,
    progress: bool = True,
) -> History:
    """Train ``model`` on ``data["X_train"], data["y_train"]`` and evaluate on the validation split each epoch.

    ``data`` needs X_train, y_train and X_val, y_val (or X_test, y_test when there is no validation split).
    Returns a History (a dict): the lists ``loss`` per step and ``train_acc``, ``val_acc``, ``weight_norm`` per
    epoch; ``best_params``, a copy of the parameters with the best val acc; ``stopped``, None or the message
    saying why training stopped early (the loss became inf or nan).
    """
    from tqdm.auto import tqdm

    X, y = data["X_train"], data["y_train"]
    X_val, y_val = (data["X_val"], data["y_val"]) if "X_val" in data else (data["X_test"], data["y_test"])
    rng = np.random.default_rng(seed)
    history: History = {"loss": [], "train_acc": [], "val_acc": [], "weight_norm": [], "stopped": None}
    best_acc = -1.0
    best_params = {k: v.copy() for k, v in model.params.items()}
    bar = tqdm(range(epochs), desc="epochs", disable=not progress, leave=False)
    for epoch in bar:
        for batch in minibatch_indices(len(X), batch_size, rng):
            loss = train_step(model, optimizer, X[batch], y[batch], l2=l2)
            history["loss"].append(loss)
            if not math.isfinite(loss):
                history["stopped"] = f"loss became {loss} in epoch {epoch + 1}: is the learning rate too large?"
                break
        if history["stopped"]:
            break
        history["train_acc"].append(accuracy(model, X, y))
        history["val_acc"].append(accuracy(model, X_val, y_val))
        history["weight_norm"].append(_weight_norm(model.params))
        if history["val_acc"][-1] > best_acc:
            best_acc = history["val_acc"][-1]
            best_params = {k: v.copy() for k, v in model.params.items()}
        optimizer.lr *= lr_decay
        bar.set_postfix(loss=f"{loss:.3f}", val_acc=f"{history['val_acc'][-1]:.3f}")
    history["best_params"] = best_params
    return history
