"""Gradient tools: global-norm clipping, and the size of ∂L/∂h_t at every time step of an unrolled cell.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_gradients.py` checks them.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn
from torch.nn import functional as F


def clip_grad_norm(parameters: Iterable[torch.Tensor], max_norm: float, eps: float = 1e-6) -> float:
    """Scale all gradients together so that their global norm is at most about ``max_norm``, in place.

    ``parameters`` is any iterable, a generator included (so make it a list first); parameters whose ``grad`` is
    None are skipped. ‖g‖ = sqrt(Σ_p ‖g_p‖²) over every element of every gradient; if max_norm / (‖g‖ + eps) < 1,
    every gradient is multiplied by that factor (never scaled up). Returns ‖g‖ **before** clipping as a Python
    float (0.0 for no gradients). max_norm ≤ 0 raises ValueError; max_norm = inf changes nothing.
    Same result as ``torch.nn.utils.clip_grad_norm_``.
    """
    raise NotImplementedError


def hidden_grad_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """g[t] = mean over the batch of ‖∂L/∂h_{b,t}‖₂ for t = 0 … T−1, a (T,) tensor indexed by time.

    ``model`` is a CharRNN with ``backend == "scratch"`` (else ValueError); x: (B, T) long windows; y: (B,) long,
    the character after each window. Embed x, step ``model.recurrent.cell`` by hand from a zero state and keep
    every h_t (B, H); the loss L = Σ_b CE(head(h_{b,T−1}), y_b) uses **sum** reduction, so each example's gradient
    is not divided by B. Take the gradients with ``torch.autograd.grad`` (no ``.grad`` is left on the parameters),
    one norm per example and time step, then the mean over the batch. g[T−1] is the last step.
    """
    raise NotImplementedError
