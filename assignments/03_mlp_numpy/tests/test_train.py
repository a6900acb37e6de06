"""Local tests of mlp/train.py: minibatch_indices, one train_step with plain SGD, and a 5-epoch digits run."""

import numpy as np

from mlp.model import MLP
from mlp.optim import Optimizer, sgd, sgd_momentum
from mlp.train import fit, minibatch_indices, train_step
from utils.datasets import load_digits_split
from utils.testing import check, check_close


def _small_problem():
    """A 4-6-3 ReLU network without dropout and a batch of 8 rows."""
    rng = np.random.default_rng(0)
    return MLP(4, (6,), 3, seed=0), rng.standard_normal((8, 4)), rng.integers(0, 3, size=8)


def test_minibatch_indices():
    """n = 10, batch size 4: batches of 4, 4, 2 covering 0..9 once; reproducible per seed, new each epoch."""
    hint = "keep the last short batch; draw a new permutation each epoch"
    batches = minibatch_indices(10, 4, np.random.default_rng(0))
    sizes = [len(batch) for batch in batches]
    check(sizes == [4, 4, 2], "keep the last short batch", f"batch sizes {sizes}, expected [4, 4, 2]")
    union = np.sort(np.concatenate(batches))
    check(np.array_equal(union, np.arange(10)), hint, "the batches do not hold each index 0..9 exactly once")
    again = minibatch_indices(10, 4, np.random.default_rng(0))
    same = all(np.array_equal(a, b) for a, b in zip(batches, again, strict=True))
    check(same, "take the permutation from `rng`", "the same seed gave different batches")
    rng = np.random.default_rng(1)
    first, second = np.concatenate(minibatch_indices(10, 4, rng)), np.concatenate(minibatch_indices(10, 4, rng))
    check(not np.array_equal(first, second), "draw a new permutation each epoch", "two epochs had the same order")


def test_train_step():
    """lr 0 leaves the params bit-identical and returns model.loss as a float; each SGD step (lr .1) moves the
    params by −0.1·grads at the current params and returns the loss before the step; l2 reaches model.loss."""
    hint = "compute grads before stepping; return `float(loss)`"
    model, X, y = _small_problem()
    before = {name: value.copy() for name, value in model.params.items()}
    expected_loss, _ = model.loss(X, y)
    loss = train_step(model, Optimizer(sgd, lr=0.0), X, y)
    check(isinstance(loss, float), hint, f"train_step returned a {type(loss).__name__}, expected float")
    check_close(loss, expected_loss, hint + " (the returned loss must be model.loss on the batch)", rtol=1e-12)
    for name, value in before.items():
        check(np.array_equal(model.params[name], value), hint, f"lr = 0 changed params[{name!r}]")
    optimizer = Optimizer(sgd, lr=0.1)
    for step in (1, 2):  # the second step shows whether the gradients are fresh
        before = {name: value.copy() for name, value in model.params.items()}
        expected_loss, grads = model.loss(X, y)
        loss = train_step(model, optimizer, X, y)
        check_close(loss, expected_loss, hint + f" (step {step}: return the loss before the step)", rtol=1e-12)
        for name, value in before.items():
            expected = value - 0.1 * grads[name]
            check_close(model.params[name], expected, hint + f" (step {step}, params[{name!r}])", atol=1e-12)
    before = {name: value.copy() for name, value in model.params.items()}
    _, grads = model.loss(X, y, l2=0.5)
    train_step(model, optimizer, X, y, l2=0.5)
    for name, value in before.items():
        expected = value - 0.1 * grads[name]
        check_close(model.params[name], expected, "pass `l2` on to model.loss" + f" (params[{name!r}])", atol=1e-12)


def test_fit_smoke():
    """Digits, 64-128-10 ReLU, SGD with momentum lr .05, 5 epochs: validation accuracy ≥ 0.90."""
    hint = "if the loss falls but accuracy does not, check `predict`'s input: eval mode, same preprocessing"
    data = load_digits_split(seed=0)
    model = MLP(64, (128,), 10, seed=0)
    history = fit(model, Optimizer(sgd_momentum, lr=0.05), data, epochs=5, progress=False)
    check(history["stopped"] is None, hint, f"training stopped: {history['stopped']}")
    val_acc = history["val_acc"][-1]
    check(val_acc >= 0.90, hint, f"val acc {val_acc:.3f} after 5 epochs, expected ≥ 0.90")
