"""Local tests of initialization/init_schemes.py: the std of each scheme, sampled weights (shape, std, mean),
drawing only from the rng argument, and the scale argument."""

import math
import numbers

import numpy as np

from initialization.init_schemes import init_std, init_weights
from utils.testing import check, check_close, pick_hint

FAN_IN, FAN_OUT = 300, 100
STD_RTOL = 0.03  # sample std of 30,000 draws against its formula (measured worst over 20 seeds: 0.94%)

# The std of every scheme at (fan_in, fan_out) = (300, 100): sqrt(2/400) for Xavier, sqrt(2/300) for He.
EXPECTED_STD = {
    "zero": 0.0,
    "small": 0.01,
    "large": 1.0,
    "xavier": 0.070710678118655,
    "xavier_uniform": 0.070710678118655,
    "he": 0.081649658092773,
}
RANDOM_SCHEMES = ("small", "large", "xavier", "xavier_uniform", "he")
XAVIER_BOUND = math.sqrt(6 / (FAN_IN + FAN_OUT))  # a of U(-a, a) at scale 1

SHAPE_HINT = "W is (fan_in, fan_out) because z = h @ W"
VARIANCE_HINT = "you used the variance as the std"
BOUND_HINT = "sqrt(6/(fan_in + fan_out)) is the uniform bound a; the Xavier std is sqrt(2/(fan_in + fan_out))"
SCALE_HINT = "scale multiplies the std (the bound), not the variance"
UNIFORM_HINT = "xavier_uniform draws rng.uniform(-a, a, (fan_in, fan_out)) with a = scale * sqrt(6/(fan_in + fan_out))"


def _pick_std(std, wrong, default):
    """pick_hint for a sample std: an anticipated wrong std counts when it is within about 3% (on a log scale)."""
    logs = [(math.log(value), hint) for value, hint in wrong]
    return pick_hint(math.log(std) if std > 0 else -np.inf, logs, default, atol=STD_RTOL)


def _weights(scheme, seed, scale=1.0):
    """init_weights(scheme, 300, 100, default_rng(seed), scale) as an array, after a shape check."""
    W = init_weights(scheme, FAN_IN, FAN_OUT, np.random.default_rng(seed), scale=scale)
    shape = np.shape(W)
    hint = SHAPE_HINT if shape == (FAN_OUT, FAN_IN) else "return a (fan_in, fan_out) array"
    check(shape == (FAN_IN, FAN_OUT), hint, f"{scheme}: shape {shape}, expected {(FAN_IN, FAN_OUT)}")
    return np.asarray(W, dtype=np.float64)


def test_l1_init_std():
    """init_std at (fan_in, fan_out) = (300, 100): xavier and xavier_uniform sqrt(2/400), he sqrt(2/300),
    small 0.01, large 1.0, zero 0."""
    fan_out_hint = "Xavier uses fan_in + fan_out, not fan_out alone"
    lecun_hint = "that is 1/sqrt(fan_in) (LeCun); Xavier averages both fans"
    factor_hint = "Xavier's variance is 2/(fan_in + fan_out): the factor 2 is missing"
    variance_hint = "return the std, the square root of the variance"
    he_fan_hint = "He uses fan_in"
    xavier_wrong = [
        (math.sqrt(1 / FAN_OUT), fan_out_hint),
        (math.sqrt(2 / FAN_OUT), fan_out_hint),
        (math.sqrt(1 / FAN_IN), lecun_hint),
        (math.sqrt(1 / (FAN_IN + FAN_OUT)), factor_hint),
        (XAVIER_BOUND, BOUND_HINT),
        (2 / (FAN_IN + FAN_OUT), variance_hint),
    ]
    wrong = {
        "xavier": xavier_wrong,
        "xavier_uniform": xavier_wrong,
        "he": [
            (math.sqrt(1 / FAN_IN), "He has a factor 2 for ReLU"),
            (math.sqrt(2 / FAN_OUT), he_fan_hint),
            (math.sqrt(1 / FAN_OUT), he_fan_hint),
            (math.sqrt(2 / (FAN_IN + FAN_OUT)), he_fan_hint),
            (2 / FAN_IN, variance_hint),
        ],
    }
    defaults = {
        "zero": "zero weights have std 0",
        "small": "small is SMALL_STD = 0.01 whatever the fans",
        "large": "large is LARGE_STD = 1.0 whatever the fans",
        "xavier": "Xavier: sqrt(2/(fan_in + fan_out))",
        "xavier_uniform": "xavier_uniform has Xavier's std: sqrt(2/(fan_in + fan_out))",
        "he": "He: sqrt(2/fan_in)",
    }
    for scheme, expected in EXPECTED_STD.items():
        std = init_std(scheme, FAN_IN, FAN_OUT)
        number = isinstance(std, numbers.Real) and not isinstance(std, bool)
        check(number, "return the std as a float", f"init_std({scheme!r}, 300, 100) returned {type(std).__name__}")
        hint = pick_hint(std, wrong.get(scheme, []), defaults[scheme])
        check_close(std, expected, f"{hint} (init_std({scheme!r}, 300, 100))", atol=1e-12)


def test_l2_init_weights_sampling():
    """init_weights(scheme, 300, 100, default_rng(0)): shape (300, 100) for every scheme, exact zeros for zero,
    and for the others a sample std within 3% of the formula and |mean| below 4 std / sqrt(30,000)."""
    for scheme, expected in EXPECTED_STD.items():
        W = _weights(scheme, 0)
        if scheme == "zero":
            check(np.all(W == 0), "zero init is np.zeros((fan_in, fan_out))", f"{np.count_nonzero(W)} nonzero entries")
            continue
        std = float(np.std(W))
        wrong = [(expected**2, VARIANCE_HINT)]
        if scheme == "xavier":
            wrong.append((XAVIER_BOUND, BOUND_HINT))
        if scheme == "xavier_uniform":
            default = UNIFORM_HINT + "; its std is a/sqrt(3) = init_std"
        else:
            default = "draw scale * init_std(...) * rng.standard_normal((fan_in, fan_out))"
        check_close(std, expected, _pick_std(std, wrong, default) + f" ({scheme}: sample std)", rtol=STD_RTOL)
        mean = float(np.mean(W))
        limit = 4 * expected / math.sqrt(W.size)
        mean_hint = "weights are centred on 0: N(0, std^2), or U(-a, a) for xavier_uniform"
        check(abs(mean) < limit, mean_hint, f"{scheme}: mean {mean:.1e}, |mean| must be below {limit:.1e}")


def test_l3_determinism():
    """Two fresh default_rng(7) give identical weights for every random scheme; default_rng(8) gives other ones."""
    hint = "draw only from the rng argument"
    for scheme in RANDOM_SCHEMES:
        first, second, other = _weights(scheme, 7), _weights(scheme, 7), _weights(scheme, 8)
        check(np.array_equal(first, second), hint, f"{scheme}: two fresh default_rng(7) gave different weights")
        check(not np.array_equal(first, other), hint, f"{scheme}: default_rng(7) and default_rng(8) gave equal weights")


def test_l4_scale():
    """scale=3 triples the sample std of every random scheme (3%); xavier_uniform at scale 1 and 3 stays within
    a = scale * sqrt(6/400) and has a std within 3% of a/sqrt(3)."""
    for scheme in RANDOM_SCHEMES:
        std_1 = float(np.std(_weights(scheme, 0)))
        std_3 = float(np.std(_weights(scheme, 0, scale=3.0)))
        hint = SCALE_HINT + f" ({scheme}: std at scale=3 against 3x the std at scale=1)"
        check_close(std_3, 3 * std_1, hint, rtol=STD_RTOL)
    for scale in (1.0, 3.0):
        W = _weights("xavier_uniform", 0, scale=scale)
        bound = scale * XAVIER_BOUND
        largest = float(np.max(np.abs(W)))
        check(largest <= bound, UNIFORM_HINT, f"scale={scale:g}: max abs {largest:.4f} > a = {bound:.4f}")
        std = float(np.std(W))
        # a = scale * sqrt(3/(fan_in + fan_out)) gives a std of a/sqrt(6); a scale left out or squared, 1/3 or 3x.
        wrong = [(bound / math.sqrt(6), "U(-a, a) has std a/sqrt(3), so a = sqrt(6/(fan_in + fan_out)) for Xavier")]
        if scale != 1:
            wrong += [(bound / scale / math.sqrt(3), SCALE_HINT), (bound * scale / math.sqrt(3), SCALE_HINT)]
        hint = _pick_std(std, wrong, UNIFORM_HINT)
        check_close(std, bound / math.sqrt(3), hint + f" (xavier_uniform, scale={scale:g}: sample std)", rtol=STD_RTOL)
