"""Weight initialization schemes for a dense layer whose weight W is (fan_in, fan_out), so that z = h @ W.

Write the bodies marked "raise NotImplementedError"; `pytest tests/test_init_schemes.py` checks them.
"""

from __future__ import annotations

import math

import numpy as np

SCHEMES = ("zero", "small", "large", "xavier", "xavier_uniform", "he")
SMALL_STD = 0.01
LARGE_STD = 1.0


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """The standard deviation of a scheme's weights.

    zero: 0; small: SMALL_STD; large: LARGE_STD; xavier and xavier_uniform: √(2 / (fan_in + fan_out));
    he: √(2 / fan_in). ValueError for an unknown scheme (the message lists SCHEMES) or for a fan_in or
    fan_out that is not a positive int.
    """
    raise NotImplementedError


def init_weights(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """A (fan_in, fan_out) float64 weight matrix drawn from ``rng`` only.

    zero: np.zeros (no draws). xavier_uniform: rng.uniform(−a, a, (fan_in, fan_out)) with
    a = scale·√(6 / (fan_in + fan_out)). Every other scheme: scale·init_std(...)·rng.standard_normal((fan_in, fan_out)).
    ValueError if scale < 0 (and for what init_std refuses).
    """
    raise NotImplementedError
