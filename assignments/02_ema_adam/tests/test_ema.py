"""Local tests of ema.py: ema_update by hand, ema_series on a constant and on the regime-switch series."""

import torch

from ema import ema_series, ema_update
from utils.datasets import regime_switch_series
from utils.testing import check, check_close


def test_ema_first_step():
    hint = "At t = 1 the corrected EMA must equal the first sample. Use 1 − beta**t with t starting at 1."
    for beta in (0.5, 0.9, 0.99):
        ema, ema_star = ema_update(-10.0, beta, 1, 0.0)
        check_close(ema, -10.0, hint, rtol=1e-12)
        check_close(ema_star, -10.0 * (1 - beta), hint, rtol=1e-12)


def test_ema_two_steps():
    hint = "Feed back ema_star (uncorrected), not ema. New state = β·old + (1−β)·x."
    expected = [(2.0, 1.0), (3.333333, 2.5), (-0.285714, -0.25)]
    ema_star = 0.0
    for t, (x, pair) in enumerate(zip([2.0, 4.0, -3.0], expected, strict=True), start=1):
        ema, ema_star = ema_update(x, 0.5, t, ema_star)
        check_close([ema, ema_star], pair, hint, atol=1e-6)


def test_ema_constant():
    hint = "A bias-corrected EMA of a constant series is that constant."
    ema, ema_star = ema_series(torch.tensor([-10.0, -10.0, -10.0]), 0.9)
    check_close(ema, [-10.0, -10.0, -10.0], hint, atol=1e-6)
    check_close(ema_star, [-1.0, -1.9, -2.71], hint, atol=1e-6)


def test_ema_closed_form():
    hint = "EMA is a weighted average whose weights decay by β per step of age."
    xs, beta = regime_switch_series(), 0.9
    ema, ema_star = ema_series(xs, beta)
    check(tuple(ema.shape) == (200,), hint, f"ema shape {tuple(ema.shape)}, expected (200,)")
    check(tuple(ema_star.shape) == (200,), hint, f"ema_star shape {tuple(ema_star.shape)}, expected (200,)")
    for t in (1, 10, 100, 150, 200):
        weights = beta ** torch.arange(t - 1, -1, -1, dtype=torch.float64)  # β^(t−i) for i = 1 … t
        expected = float((weights * xs[:t].double()).sum() / weights.sum())
        check_close(ema[t - 1], expected, hint + f" (t = {t})", rtol=1e-5)
