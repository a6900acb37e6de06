"""Per-coordinate statistics of a gradient history: its mean and its root mean square.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_grad_stats.py` checks them.
`sgd_gradient_trace` is provided: it records the gradients that 01's gradient descent sees.
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def sgd_gradient_trace(
    loss_fn: Callable[[torch.Tensor], torch.Tensor], x0: torch.Tensor, lr: float, steps: int
) -> torch.Tensor:
    """The gradients of ``loss_fn`` at x_0 … x_{steps−1} along a ``torch.optim.SGD(lr=lr)`` run from x0.

    loss_fn: maps a (d,) tensor to a 0-d tensor (e.g. a `Bowl`). x0: (d,) float tensor, never modified.
    Returns a detached (steps, d) tensor in x0's dtype: row k is ∇loss_fn(x_k).
    """
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=lr)
    grads = x0.new_empty((steps, *x0.shape))
    for k in range(steps):
        optimizer.zero_grad()
        loss_fn(x).backward()
        grads[k] = x.grad
        optimizer.step()
    return grads


def _require_steps(grads: torch.Tensor) -> None:
    """A statistic over steps needs at least one step (row)."""
    if grads.shape[0] == 0:
        raise ValueError("grads must hold at least one step (T ≥ 1 rows)")


def grad_mean(grads: torch.Tensor) -> torch.Tensor:
    """The mean gradient per coordinate.

    grads: float tensor (T, *shape), one row per step, T ≥ 1.
    Returns mean_i = (1/T)·Σ_t grads[t, i], a tensor of shape `shape` (the mean over dim 0).
    Raises ValueError when T = 0.
    """
    raise NotImplementedError


def grad_rms(grads: torch.Tensor) -> torch.Tensor:
    """The root mean square gradient per coordinate: its typical size, whatever its sign.

    grads: float tensor (T, *shape), one row per step, T ≥ 1.
    Returns rms_i = sqrt((1/T)·Σ_t grads[t, i]²), a tensor of shape `shape`. No mean is subtracted:
    this is not a standard deviation.
    Raises ValueError when T = 0.
    """
    raise NotImplementedError
