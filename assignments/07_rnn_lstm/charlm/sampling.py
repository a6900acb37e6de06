"""Sampling text from a trained CharRNN: one next character with a temperature, then a whole continuation.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_sampling.py` checks them.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def sample_next(logits: torch.Tensor, temperature: float = 1.0, generator: torch.Generator | None = None) -> int:
    """One index drawn from softmax(logits / τ), τ = ``temperature``. logits: (V,) raw scores.

    τ = 0: return the argmax (the first maximum) and draw nothing. τ > 0: scale the logits by 1/τ, subtract the
    largest scaled logit (so that τ = 1e-3 cannot overflow exp), take the softmax p and return
    ``torch.multinomial(p, 1, generator=generator)`` as a Python int. τ < 0 raises ValueError.
    """
    raise NotImplementedError


def generate(
    model: nn.Module,
    prompt: str,
    n_chars: int,
    stoi: dict[str, int],
    itos: Sequence[str],
    temperature: float = 1.0,
    seed: int = 0,
) -> str:
    """``n_chars`` new characters that continue ``prompt`` (the prompt itself is not returned).

    In eval mode and under ``torch.no_grad()``: one forward over the whole prompt (a (1, L) batch) gives the logits
    at its last position and the state; then repeat: c = sample_next(last logits, temperature, generator), and feed
    only c, as a (1, 1) batch, with the carried state. The generator is ``torch.Generator().manual_seed(seed)``.
    The model's train/eval mode is restored afterwards. An empty prompt raises ValueError; a prompt character
    missing from ``stoi`` raises KeyError.
    """
    raise NotImplementedError
