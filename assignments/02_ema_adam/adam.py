"""Adam, written twice: `adam_step`, one update of plain tensors, and `Adam`, a drop-in for torch.optim.Adam.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_adam.py` checks them.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


def adam_step(
    param: torch.Tensor,
    grad: torch.Tensor,
    m: torch.Tensor,
    v: torch.Tensor,
    t: int,
    lr: float,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One Adam update with coupled L2 weight decay, as torch.optim.Adam does it (every operation elementwise).

    param, grad, m, v: tensors of one shape; m and v are the previous UNCORRECTED moments (zeros before
    the first step). t: this step's index, an int ≥ 1. lr: η. betas: (β1, β2). eps: ε. weight_decay: λ.

        g  = grad + λ·param
        m' = β1·m + (1 − β1)·g            v' = β2·v + (1 − β2)·g²
        m̂  = m' / (1 − β1**t)             v̂  = v' / (1 − β2**t)
        param' = param − η·m̂ / (sqrt(v̂) + ε)

    Returns NEW tensors (param', m', v'); every input stays unchanged. Raises ValueError if t < 1.
    """
    raise NotImplementedError


class Adam:
    """Adam used like a torch.optim optimizer (no amsgrad, maximize or closure):

    optimizer = Adam(model.parameters(), lr=1e-3)
    optimizer.zero_grad(); loss.backward(); optimizer.step()

    ``self.state[p]`` holds each parameter's ``step`` (its own update counter) and its uncorrected
    moments ``exp_avg`` (m) and ``exp_avg_sq`` (v), under torch's key names.
    """

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        if lr < 0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for index, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
        if weight_decay < 0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        # list(): a generator such as model.parameters() could only be walked once.
        self.params = list(params)
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.state: dict[torch.Tensor, dict] = {}

    def zero_grad(self) -> None:
        """Forget the gradients of the last backward(): the next one starts from None, not a sum."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """One Adam update of every parameter p whose p.grad is not None, in place, inside torch.no_grad().

        On p's first update create ``self.state[p] = {"step": 0, "exp_avg": zeros_like(p),
        "exp_avg_sq": zeros_like(p)}``. Then add 1 to p's own ``step``, call `adam_step` with it, write the
        new value into p itself (the model holds this tensor) and store the new uncorrected moments.
        Parameters with p.grad None are skipped: no state, and their step counter does not advance.
        Returns None.
        """
        raise NotImplementedError
