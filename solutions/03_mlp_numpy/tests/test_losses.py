"""Local tests of mlp/losses.py: softmax, softmax cross-entropy and the two binary cross-entropies, by fixed
values, extreme logits, the batch mean and finite differences."""

import math

import numpy as np

from mlp.losses import binary_cross_entropy, binary_cross_entropy_with_logits, softmax, softmax_cross_entropy
from utils.gradcheck import eval_numerical_gradient
from utils.testing import check, check_close, check_rel_error, pick_hint

GRAD_TOL = 1e-7  # finite differences (h = 1e-5) against the analytic gradient, float64
VAL_TOL = 1e-8  # rel_error against the fixed values below


def _gradcheck(loss_fn, x, target, hint):
    """The gradient returned by ``loss_fn(x, target)`` against centred differences of its loss."""
    _, grad = loss_fn(x, target)
    check(np.shape(grad) == x.shape, hint, f"gradient shape {np.shape(grad)}, expected {x.shape}")
    numerical = eval_numerical_gradient(lambda v: loss_fn(v, target)[0], x)
    check_rel_error(grad, numerical, GRAD_TOL, hint)


def test_softmax():
    """Rows sum to 1, adding a constant to a row changes nothing, and ±1e4 stays finite."""
    hint = "subtract the row maximum before `exp`"
    scores = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    probs = softmax(scores)
    check(np.shape(probs) == scores.shape, hint, f"shape {np.shape(probs)}, expected {scores.shape}")
    check_close(probs.sum(axis=1), np.ones(3), hint + " (rows must sum to 1)", atol=1e-12)
    shifted = softmax(scores + np.array([[100.0], [-50.0], [7.0]]))
    check_close(shifted, probs, hint + " (adding a constant to a row must not change it)", atol=1e-12)
    extreme = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, 0.0]])
    with np.errstate(all="ignore"):
        probs = softmax(extreme)
    check(np.all(np.isfinite(probs)), hint, "softmax at ±1e4 is not finite")
    check_close(probs, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], hint, atol=1e-12)


def test_ce_small_scores():
    """Near-uniform scores over 10 classes give a loss of log 10; the gradient matches finite differences."""
    hint = "near-uniform scores must give ≈ log C"
    rng = np.random.default_rng(0)
    scores = 1e-3 * rng.standard_normal((100, 10))
    y = rng.integers(0, 10, size=100)
    loss, _ = softmax_cross_entropy(scores, y)
    hint = pick_hint(loss, [(100 * math.log(10), "the loss is a mean over N, not a sum")], hint, atol=1.0)
    check_close(loss, math.log(10), hint, atol=1e-2)
    _gradcheck(softmax_cross_entropy, scores, y, "dscores = (softmax(scores) − onehot(y)) / N")


def test_ce_extreme():
    """Logits of ±1000 give the exact losses 1000 and 0 and finite gradients (log-sum-exp)."""
    hint = "compute log-probabilities with log-sum-exp, never `log(softmax)`"
    with np.errstate(all="ignore"):
        loss, dscores = softmax_cross_entropy(np.array([[0.0, -1000.0]]), np.array([1]))
    check(math.isfinite(loss), hint, f"loss is {loss}, expected 1000")
    check_close(loss, 1000.0, hint, rtol=1e-12)
    check(np.all(np.isfinite(dscores)), hint, "the gradient is not finite")
    check_close(dscores, [[1.0, -1.0]], hint, atol=1e-12)
    with np.errstate(all="ignore"):
        loss, dscores = softmax_cross_entropy(np.array([[1000.0, 0.0, -1000.0]]), np.array([0]))
    check(math.isfinite(loss), hint, f"loss is {loss}, expected 0")
    check_close(loss, 0.0, hint, atol=1e-12)
    check(np.all(np.isfinite(dscores)), hint, "the gradient is not finite")
    check_close(dscores, [[0.0, 0.0, 0.0]], hint, atol=1e-12)


def test_ce_mean():
    """Stacking the batch twice leaves the loss unchanged and halves every gradient row."""
    hint = "the loss is a mean over N: divide by N exactly once"
    rng = np.random.default_rng(1)
    scores = rng.standard_normal((4, 5))
    y = np.array([0, 3, 4, 1])
    loss, dscores = softmax_cross_entropy(scores, y)
    loss2, dscores2 = softmax_cross_entropy(np.vstack([scores, scores]), np.concatenate([y, y]))
    check_close(loss2, loss, hint + " (the loss doubled with the batch)", rtol=1e-12)
    check(np.shape(dscores2) == (8, 5), hint, f"gradient shape {np.shape(dscores2)}, expected (8, 5)")
    check_close(dscores2[:4], dscores / 2, hint + " (gradient rows must halve)", rtol=1e-12, atol=1e-15)
    check_close(dscores2[4:], dscores / 2, hint + " (gradient rows must halve)", rtol=1e-12, atol=1e-15)


def test_bce_probs():
    """Binary cross-entropy of probabilities: a fixed value and a grad check."""
    hint = "derivative w.r.t. p is (p−y)/(p(1−p)), then /N"
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    probs = np.array([0.7, 0.4, 0.3, 0.6, 0.2])
    loss, _ = binary_cross_entropy(probs, y)
    check_rel_error(loss, 0.6421815310, VAL_TOL, "loss = mean(−y·log p − (1 − y)·log(1 − p)) over the N samples")
    _gradcheck(binary_cross_entropy, probs, y, hint)


def test_bce_logits():
    """Binary cross-entropy from logits: a fixed value, finite at ±1000, dlogits shaped like logits."""
    hint = "use `max(z,0) − z·y + log1p(exp(−abs(z)))`"
    loss, _ = binary_cross_entropy_with_logits(np.array([2.0, -1.0, 0.0]), np.array([1.0, 0.0, 1.0]))
    check_rel_error(loss, 0.3777789597, VAL_TOL, hint)
    for z, target in ((1000.0, 0.0), (-1000.0, 1.0)):
        with np.errstate(all="ignore"):
            loss, dlogits = binary_cross_entropy_with_logits(np.array([z]), np.array([target]))
        check(math.isfinite(loss), hint, f"z = {z:g}, y = {target:g}: loss is {loss}, expected 1000")
        check_close(loss, 1000.0, hint + f" (z = {z:g}, y = {target:g})", rtol=1e-12)
        check(np.all(np.isfinite(dlogits)), hint, f"z = {z:g}, y = {target:g}: the gradient is not finite")
    rng = np.random.default_rng(0)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    for shape in ((6,), (6, 1)):
        logits = rng.standard_normal(shape)
        _, dlogits = binary_cross_entropy_with_logits(logits, y)
        shape_hint = "return `dlogits` shaped like `logits`: (N,) or (N, 1)"
        check(np.shape(dlogits) == shape, shape_hint, f"dlogits shape {np.shape(dlogits)}, expected {shape}")
        _gradcheck(binary_cross_entropy_with_logits, logits, y, "dlogits = (σ(z) − y) / N" + f" (logits {shape})")
