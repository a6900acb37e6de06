"""The exponential moving average (EMA) with bias correction: one running number per coordinate.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_ema.py` checks them.
"""

from __future__ import annotations

import torch

Number = float | torch.Tensor


def ema_update(x_t: Number, beta: float, t: int, ema_star_old: Number) -> tuple[Number, Number]:
    """One EMA step on sample t (t = 1 for the first sample).

    x_t, ema_star_old: python floats or broadcastable tensors (every operation is elementwise).
    beta: the decay, in [0, 1). t: the sample's index, an int ≥ 1.

    Returns (ema, ema_star):
      ema_star = beta·ema_star_old + (1 − beta)·x_t   the UNCORRECTED running state, fed back next call;
      ema      = ema_star / (1 − beta**t)              the bias-corrected average.
    Inputs are never modified in place. Raises ValueError if t < 1 or beta is outside [0, 1).
    """
    ### BEGIN SOLUTION
    if t < 1:
        raise ValueError(f"t counts samples from 1, got {t}")
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must lie in [0, 1), got {beta}")
    # Out-of-place arithmetic: the caller's tensors keep their values.
    ema_star = beta * ema_star_old + (1 - beta) * x_t
    # The weights β^(t−i)(1 − β) of the t samples so far sum to 1 − β^t: dividing makes them sum to 1.
    return ema_star / (1 - beta**t), ema_star
    ### END SOLUTION


def ema_series(xs: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The EMA of a whole series, one `ema_update` per sample.

    xs: tensor (T, *shape), one sample per row. beta: the decay, in [0, 1).
    Starts from ema_star = 0 and calls `ema_update` with t = 1, …, T.
    Returns (ema, ema_star), two tensors of shape (T, *shape): row t−1 holds the values after sample t.
    """
    ### BEGIN SOLUTION
    ema, ema_star = torch.empty_like(xs), torch.empty_like(xs)
    state: Number = xs.new_zeros(xs.shape[1:])
    for t in range(1, len(xs) + 1):
        ema[t - 1], state = ema_update(xs[t - 1], beta, t, state)
        ema_star[t - 1] = state
    return ema, ema_star
    ### END SOLUTION
