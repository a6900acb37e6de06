"""Local tests of grad_stats.py: grad_mean and grad_rms on a tiny history and on 01's SGD run on the bowl."""

import torch

from grad_stats import grad_mean, grad_rms, sgd_gradient_trace
from utils.landscapes import X0, Bowl
from utils.testing import check, check_close


def test_stats_hand():
    hint = "Reduce over dim 0 (the steps), not over coordinates. RMS = sqrt(mean(g**2)), not std, not mean(abs(g))."
    grads = torch.tensor([[1.0, -2.0], [3.0, 2.0]])
    mean, rms = grad_mean(grads), grad_rms(grads)
    check(tuple(mean.shape) == (2,), hint, f"mean shape {tuple(mean.shape)}, expected (2,)")
    check(tuple(rms.shape) == (2,), hint, f"rms shape {tuple(rms.shape)}, expected (2,)")
    check_close(mean, [2.0, 0.0], hint, atol=1e-6)
    check_close(rms, [2.236068, 2.0], hint, atol=1e-6)


def test_stats_bowl():
    hint = "These are the SGD gradients from 01; compute per coordinate."
    grads = sgd_gradient_trace(Bowl(), X0, 0.1, 50)
    mean, rms = grad_mean(grads), grad_rms(grads)
    check_close(mean, [-0.2982, 0.0940], hint, atol=2e-4)
    check_close(rms, [2.1092, 0.3078], hint, atol=2e-4)
    check(bool((mean.abs() <= rms).all()), hint, "|mean| > RMS for some coordinate")
