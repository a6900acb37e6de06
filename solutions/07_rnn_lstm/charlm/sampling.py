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
    ### BEGIN SOLUTION
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    logits = torch.as_tensor(logits).detach()
    if logits.dim() != 1:
        raise ValueError(f"logits must be (V,), got shape {tuple(logits.shape)}")
    if temperature == 0:
        return int(torch.argmax(logits))
    scaled = logits / temperature
    p = torch.softmax(scaled - scaled.max(), dim=0)
    return int(torch.multinomial(p, 1, generator=generator))
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    if not prompt:
        raise ValueError("the prompt must contain at least one character")
    if n_chars < 0:
        raise ValueError(f"n_chars must be >= 0, got {n_chars}")
    ids = torch.tensor([[stoi[ch] for ch in prompt]], dtype=torch.long)
    generator = torch.Generator().manual_seed(seed)
    was_training = model.training
    model.eval()
    new: list[int] = []
    try:
        with torch.no_grad():
            logits, state = model(ids)
            while len(new) < n_chars:
                new.append(sample_next(logits[0, -1], temperature, generator))
                if len(new) < n_chars:
                    logits, state = model(torch.tensor([[new[-1]]], dtype=torch.long), state)
    finally:
        model.train(was_training)
    return "".join(itos[i] for i in new)
    ### END SOLUTION
