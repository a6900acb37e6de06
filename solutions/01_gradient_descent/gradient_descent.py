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
    ### BEGIN SOLUTION
    # Out-of-place arithmetic builds a new tensor, so the caller's x and grad keep their values;
    # `*` broadcasts, so a per-coordinate lr scales each coordinate by its own rate.
    return x - lr * (grad + weight_decay * x)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    # A fresh leaf for autograd to track: the caller's x0 is never touched.
    x = x0.detach().clone().requires_grad_(True)
    # Writing each step into preallocated rows copies the values, so no row aliases x.
    xs = x0.new_empty((steps + 1, *x0.shape))
    losses = x0.new_empty(steps + 1)
    grads = x0.new_empty((steps, *x0.shape))
    for k in range(steps):
        loss = loss_fn(x)
        loss.backward()
        xs[k], losses[k], grads[k] = x.detach(), loss.detach(), x.grad
        # The update itself must not become part of the graph; copy_ keeps x the same leaf.
        with torch.no_grad():
            x.copy_(gd_step(x, x.grad, lr, weight_decay))
        # backward() adds into .grad, so clear it before the next step's gradient arrives.
        x.grad = None
    xs[steps] = x.detach()
    with torch.no_grad():
        losses[steps] = loss_fn(x)
    return GDHistory(xs, losses, grads)
    ### END SOLUTION


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
        ### BEGIN SOLUTION
        # Without no_grad, an in-place edit of a leaf that requires grad is an autograd error.
        with torch.no_grad():
            for p in self.params:
                if p.grad is None:
                    continue
                # `p -= ...` edits the tensor the model holds; `p = p - ...` would only rebind a name.
                p -= self.lr * (p.grad + self.weight_decay * p)
        ### END SOLUTION


def critical_learning_rate(A: torch.Tensor) -> float:
    """The largest stable step of gradient descent on the quadratic ½·xᵀAx.

    A: (d, d) symmetric tensor, the Hessian of the quadratic. GD multiplies the component of x along
    an eigenvector of A with eigenvalue λ by (1 − η·λ) per step, so it converges for every start
    exactly when η < 2/λmax.

    Returns 2/λmax(A) as a python float, with λmax from a symmetric eigen-solver (torch.linalg.eigvalsh).
    Raises ValueError if A is not square, not symmetric (atol 1e-6), or λmax ≤ 0.
    """
    ### BEGIN SOLUTION
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got shape {tuple(A.shape)}")
    if not torch.allclose(A, A.T, rtol=0.0, atol=1e-6):
        raise ValueError("A must be symmetric")
    # eigvalsh returns real eigenvalues in ascending order: the last one is λmax.
    largest = float(torch.linalg.eigvalsh(A)[-1])
    if largest <= 0:
        raise ValueError(f"the largest eigenvalue must be positive, got {largest}")
    return 2.0 / largest
    ### END SOLUTION
