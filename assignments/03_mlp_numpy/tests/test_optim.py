"""Local tests of mlp/optim.py: sgd, sgd_momentum and adam by hand on one (3, 4) array, with and without
decoupled weight decay, and Adam's first step."""

import numpy as np

from mlp.optim import adam, sgd, sgd_momentum
from utils.testing import check, check_close, check_rel_error, pick_hint

VAL_TOL = 1e-8  # rel_error against the fixed values below


def _w_dw():
    """w = linspace(−1, 1, 12) and dw = linspace(.5, −.5, 12), both as (3, 4)."""
    return np.linspace(-1.0, 1.0, 12).reshape(3, 4), np.linspace(0.5, -0.5, 12).reshape(3, 4)


def _adam_state():
    """The state of mlp_adam_values: two steps done, m = 0.1 and v = 0.01 everywhere."""
    return {"t": 2, "m": np.full((3, 4), 0.1), "v": np.full((3, 4), 0.01)}


def test_sgd():
    """Plain SGD values, decoupled decay scaled by lr (equal to coupled L2 for SGD), inputs unchanged."""
    hint = "decay is multiplied by lr"
    w, dw = _w_dw()
    new_w, _ = sgd(w.copy(), dw.copy(), {}, lr=0.1)
    check_close(new_w, w - 0.1 * dw, "plain SGD: new_w = w − lr·dw", atol=1e-12)
    w_in, dw_in = w.copy(), dw.copy()
    decayed, _ = sgd(w_in, dw_in, {}, lr=0.1, decoupled_wd=0.5)
    wrong = [(w * 0.5 - 0.1 * dw, hint + " (lr·wd·w, not wd·w)"), (w - 0.1 * dw, hint + " (decoupled_wd was ignored)")]
    check_close(decayed, w * (1 - 0.1 * 0.5) - 0.1 * dw, pick_hint(decayed, wrong, hint), atol=1e-12)
    coupled, _ = sgd(w.copy(), dw + 0.5 * w, {}, lr=0.1)
    check_close(coupled, decayed, hint + " (sgd(w, dw + λw) must equal sgd(w, dw, decoupled_wd=λ))", atol=1e-14)
    unchanged = np.array_equal(w_in, w) and np.array_equal(dw_in, dw)
    check(unchanged, "return a new array; do not update w or dw in place", "sgd modified w or dw")


def test_sgd_momentum():
    """One momentum step from velocity 0.2 by hand, then a second step that uses the returned state."""
    hint = "velocity accumulates raw gradients: v = μv + dw"
    w, dw = _w_dw()
    new_w, state = sgd_momentum(w, dw, {"velocity": np.full((3, 4), 0.2)}, lr=0.1)
    keep_hint = "return the new state {'velocity': velocity}; the next step starts from it"
    check(
        isinstance(state, dict) and "velocity" in state,
        keep_hint,
        f"returned a {type(state).__name__} without 'velocity'",
    )
    velocity_hint = pick_hint(state["velocity"][0, 0], [(0.2, keep_hint)], hint)
    check_close(state["velocity"][0, 0], 0.68, velocity_hint, atol=1e-12)
    check_rel_error(new_w[0, :2], [-1.068, -0.8770909091], VAL_TOL, hint + "; then w − lr·v")
    second_w, second_state = sgd_momentum(new_w, dw, state, lr=0.1)
    velocity = 0.9 * (0.9 * 0.2 + dw) + dw
    check_close(second_state["velocity"], velocity, keep_hint, atol=1e-12)
    check_close(second_w, new_w - 0.1 * velocity, keep_hint, atol=1e-12)


def test_adam_values():
    """One Adam step from t = 2 by hand: t, m, v and w, and the same step with decoupled decay 0.5."""
    hint = "increment t before the bias correction; eps goes outside the square root"
    w, dw = _w_dw()
    new_w, state = adam(w, dw, _adam_state(), lr=1e-2)
    check(isinstance(state, dict) and {"t", "m", "v"} <= set(state), hint, "return the state {'t', 'm', 'v'}")
    check(state["t"] == 3, hint, f"t = {state['t']}, expected 3")
    check_close(state["m"][0, 0], 0.14, "m = β1·m + (1 − β1)·dw", atol=1e-12)
    check_close(state["v"][0, 0], 0.01024, "v = β2·v + (1 − β2)·dw²", atol=1e-12)
    check_rel_error(new_w[0, :2], [-1.0027948095, -0.8208057566], VAL_TOL, hint)
    check_rel_error(new_w[2, 2:], [0.8171978413, 0.9992014830], VAL_TOL, hint)
    decayed, _ = adam(w, dw, _adam_state(), lr=1e-2, decoupled_wd=0.5)
    wd_hint = "decoupled decay is w·(1 − lr·wd) next to the Adam step, never added to the gradient"
    check_rel_error(decayed[0, :2], [-0.9977948095, -0.8167148475], VAL_TOL, wd_hint)


def test_adam_first_step():
    """From an empty state, every coordinate moves by ≈ lr whatever the gradient's size (bias correction)."""
    hint = "a first step of ≈ 3.16·lr means the bias correction is missing"
    lr = 1e-3
    rng = np.random.default_rng(0)
    g = rng.standard_normal((3, 3))  # min |g| ≈ 0.1: eps/|g| ≤ 1e-7
    w = rng.standard_normal((3, 3))
    with np.errstate(all="ignore"):
        new_w, state = adam(w, g, {}, lr=lr)
    check(
        np.all(np.isfinite(new_w)),
        "increment t before the bias correction: the first step has t = 1",
        "the first step is not finite (1 − β^0 = 0)",
    )
    check(state.get("t") == 1, "the first update has t = 1", f"t = {state.get('t')}, expected 1")
    step = np.abs(new_w - w)
    check_close(
        step,
        np.full((3, 3), lr),
        pick_hint(step, [(np.full((3, 3), np.sqrt(10) * lr), hint)], hint, atol=1e-4 * lr),
        rtol=1e-4,
    )
