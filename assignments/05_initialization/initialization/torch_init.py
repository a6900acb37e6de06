"""The schemes applied to torch models: initialise every nn.Linear, then train deep MLPs on the digits.

Write `init_linear_layers_` (and, for the optional section, `ResidualBlock.forward`);
`pytest tests/test_torch_init.py` checks them. `make_deep_mlp`, `train_classifier` and
`record_activations` are given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from .init_schemes import init_weights

_ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "identity": nn.Identity}


def init_linear_layers_(model: nn.Module, scheme: str, seed: int = 0, scale: float = 1.0) -> nn.Module:
    """Initialise every nn.Linear of ``model`` in place, in ``model.modules()`` order, from one rng.

    rng = np.random.default_rng(seed); for each Linear m: W = init_weights(scheme, m.in_features,
    m.out_features, rng, scale), copied as W.T (torch stores (out, in)) in the weight's dtype, under
    torch.no_grad(); the bias set to zero. Nothing else changes. Returns ``model``.
    """
    raise NotImplementedError


class ResidualBlock(nn.Module):
    """x + act(linear(x)): a width-preserving layer whose Jacobian is the identity plus a term."""

    def __init__(self, width: int, activation: str = "tanh") -> None:
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.act = _ACTIVATIONS[activation]()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Optional: return x + self.act(self.linear(x))."""
        raise NotImplementedError


def make_deep_mlp(
    in_dim: int = 64,
    width: int = 128,
    depth: int = 6,
    num_classes: int = 10,
    activation: str = "tanh",
    batchnorm: bool = False,
    residual: bool = False,
) -> nn.Sequential:
    """Linear(in, width) + activation, then depth − 1 hidden blocks, then Linear(width, classes).

    A hidden block is Linear(width, width) [+ BatchNorm1d] + activation, or a ResidualBlock if ``residual``.
    At the defaults: 7 Linear layers and 92,170 parameters (93,450 with BatchNorm).
    """
    layers: list[nn.Module] = [nn.Linear(in_dim, width), _ACTIVATIONS[activation]()]
    for _ in range(depth - 1):
        if residual:
            layers.append(ResidualBlock(width, activation))
            continue
        layers.append(nn.Linear(width, width))
        if batchnorm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(_ACTIVATIONS[activation]())
    layers.append(nn.Linear(width, num_classes))
    return nn.Sequential(*layers)


def train_classifier(
    model: nn.Module,
    data: dict[str, np.ndarray],
    epochs: int = 15,
    lr: float = 0.02,
    momentum: float = 0.9,
    batch_size: int = 64,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, Any]:
    """SGD with momentum on cross-entropy over data["X_train"], then the accuracy on data["X_test"].

    Returns train_loss (the mean training loss of each epoch), test_acc and diverged. On the first loss that is
    not finite training stops and the remaining epochs are filled with NaN.
    """
    from tqdm.auto import tqdm

    X = torch.as_tensor(data["X_train"], dtype=torch.float32)
    y = torch.as_tensor(data["y_train"], dtype=torch.int64)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = nn.CrossEntropyLoss()
    losses: list[float] = []
    diverged = False
    model.train()
    for _ in tqdm(range(epochs), desc="epochs", leave=False, disable=not progress):
        order = torch.randperm(len(X), generator=generator)
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            if not math.isfinite(loss.item()):
                diverged = True
                break
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        if diverged:
            break
        losses.append(total / len(X))
    losses += [math.nan] * (epochs - len(losses))
    model.eval()
    with torch.no_grad():
        X_test = torch.as_tensor(data["X_test"], dtype=torch.float32)
        predictions = model(X_test).argmax(dim=1).numpy()
    test_acc = float(np.mean(predictions == np.asarray(data["y_test"])))
    return {"train_loss": losses, "test_acc": test_acc, "diverged": diverged}


def record_activations(model: nn.Module, x: torch.Tensor) -> list[np.ndarray]:
    """The output of every activation module (Tanh, ReLU, Identity) for input x, in order, without gradients."""
    recorded: list[np.ndarray] = []
    hooks = [
        module.register_forward_hook(lambda _m, _i, out: recorded.append(out.detach().numpy().copy()))
        for module in model.modules()
        if isinstance(module, tuple(_ACTIVATIONS.values()))
    ]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for hook in hooks:
            hook.remove()
    return recorded
