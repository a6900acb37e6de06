"""Gradient descent by hand with torch autograd: one update, a loop that records it, an optimizer class.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_gradient_descent.py` checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import torch


def gd_step(x: torch.Tensor, grad: torch.Tensor, lr: float | torch.Tensor, weight_decay: float = 0.0) -> torch.Tensor:
    """One gradient-descent update with coupled L2 weight decay.

    x, grad: float tensors of the same shape (any shape).
    lr: a python float, a 0-d tensor, or a tensor broadcastable to x (one rate per coordinate).
    weight_decay: λ of the penalty (λ/2)·‖x‖², whose gradient λ·x joins the loss gradient.

    Returns a NEW tensor  x − lr·(grad + weight_decay·x).  x and grad must stay unchanged.
    """
    raise NotImplementedError


class GDHistory(NamedTuple):
    """What `run_gd` records: iterates xs (steps+1, d), losses (steps+1,), gradients grads (steps, d)."""

    xs: torch.Tensor
    losses: torch.Tensor
    grads: torch.Tensor


def run_gd(
    loss_fn: Callable[[torch.Tensor], torch.Tensor],
    x0: torch.Tensor,
    lr: float | torch.Tensor,
    steps: int,
    weight_decay: float = 0.0,
) -> GDHistory:
    """Run `steps` updates of `gd_step` from x0 and record the trajectory.

    loss_fn: maps a (d,) tensor to a 0-d tensor (e.g. a `Bowl`).
    x0: (d,) float tensor; never modified, and its dtype is kept.
    lr, weight_decay: passed to `gd_step` unchanged (lr may hold one rate per coordinate).

    Each step: evaluate the loss at x, `backward()`, record x, the loss and x.grad, update x with
    `gd_step` inside `torch.no_grad()`, clear x.grad.

    Returns GDHistory of detached tensors:
      xs (steps+1, d) with xs[0] = x0; losses (steps+1,) with losses[k] = loss_fn(xs[k]);
      grads (steps, d) with grads[k] = ∇loss_fn(xs[k]), the loss gradient WITHOUT the decay term.
    """
    raise NotImplementedError


class SimpleGradientDescent:
    """Gradient descent with coupled L2 weight decay, used like a torch.optim optimizer:

    optimizer = SimpleGradientDescent(model.parameters(), lr=0.1, weight_decay=1e-3)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    """

    def __init__(self, params: Iterable[torch.Tensor], lr: float = 0.1, weight_decay: float = 0.0) -> None:
        if lr < 0:
            raise ValueError(f"lr must be >= 0, got {lr}")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        # list(): a generator such as model.parameters() could only be walked once.
        self.params = list(params)
        self.lr = lr
        self.weight_decay = weight_decay

    def zero_grad(self) -> None:
        """Forget the gradients of the last backward(): the next one starts from None, not a sum."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter p whose p.grad is not None, in place:

            p ← p − lr·(p.grad + weight_decay·p)

        The tensors in self.params must be modified themselves (the model holds them), inside
        torch.no_grad() so that step() works when called outside a no_grad block. Parameters
        with p.grad None are skipped entirely (no decay either), as torch.optim.SGD does.
        Returns None.
        """
        raise NotImplementedError


def critical_learning_rate(A: torch.Tensor) -> float:
    """The largest stable step of gradient descent on the quadratic ½·xᵀAx.

    A: (d, d) symmetric tensor, the Hessian of the quadratic. GD multiplies the component of x along
    an eigenvector of A with eigenvalue λ by (1 − η·λ) per step, so it converges for every start
    exactly when η < 2/λmax.

    Returns 2/λmax(A) as a python float, with λmax from a symmetric eigen-solver (torch.linalg.eigvalsh).
    Raises ValueError if A is not square, not symmetric (atol 1e-6), or λmax ≤ 0.
    """
    raise NotImplementedError
