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
    ### BEGIN SOLUTION
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {SCHEMES}")
    for name, fan in (("fan_in", fan_in), ("fan_out", fan_out)):
        if not isinstance(fan, int | np.integer) or isinstance(fan, bool) or fan < 1:
            raise ValueError(f"{name} must be a positive int, got {fan!r}")
    if scheme in ("xavier", "xavier_uniform"):
        # The compromise between keeping the forward (1/fan_in) and the backward (1/fan_out) variance.
        return math.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "he":
        return math.sqrt(2.0 / fan_in)  # ReLU zeroes half the units: twice LeCun's 1/fan_in
    return {"zero": 0.0, "small": SMALL_STD, "large": LARGE_STD}[scheme]
    ### END SOLUTION


def init_weights(scheme: str, fan_in: int, fan_out: int, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """A (fan_in, fan_out) float64 weight matrix drawn from ``rng`` only.

    zero: np.zeros (no draws). xavier_uniform: rng.uniform(−a, a, (fan_in, fan_out)) with
    a = scale·√(6 / (fan_in + fan_out)). Every other scheme: scale·init_std(...)·rng.standard_normal((fan_in, fan_out)).
    ValueError if scale < 0 (and for what init_std refuses).
    """
    ### BEGIN SOLUTION
    if scale < 0:
        raise ValueError(f"scale must be >= 0, got {scale}")
    std = init_std(scheme, fan_in, fan_out)
    if scheme == "zero":
        return np.zeros((fan_in, fan_out))
    if scheme == "xavier_uniform":
        bound = scale * math.sqrt(3.0) * std  # U(−a, a) has std a/√3, so a = √3·std = √(6/(fan_in + fan_out))
        return rng.uniform(-bound, bound, (fan_in, fan_out))
    return scale * std * rng.standard_normal((fan_in, fan_out))
    ### END SOLUTION
