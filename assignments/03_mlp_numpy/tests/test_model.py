"""Local tests of mlp/model.py: the MLP's initial loss, fixed scores and losses, whole-network grad checks
(with and without dropout), the gradient keys and the L2 penalty."""

import math

import numpy as np

from mlp.model import MLP
from utils.gradcheck import eval_numerical_gradient
from utils.testing import check, check_close, check_rel_error, pick_hint

NET_TOL = 1e-5  # finite differences (h = 1e-5) against a whole network's backward, float64
VAL_TOL = 1e-8  # rel_error against the fixed values below
SEED = 5  # data and weights of the grad checks, frozen where every error is < 1e-7


def _fixed_params():
    """The 4-6-3 network of mlp_forward_values."""
    return {
        "W1": np.linspace(-0.7, 0.3, 24).reshape(4, 6),
        "b1": np.linspace(-0.1, 0.2, 6),
        "W2": np.linspace(-0.4, 0.4, 18).reshape(6, 3),
        "b2": np.linspace(-0.3, 0.1, 3),
    }


def _fixed_model(activation="relu"):
    model = MLP(4, (6,), 3, activation=activation)
    model.params = _fixed_params()
    return model


def _data(num_classes, seed=SEED, n=5, dim=4):
    """n random rows and their labels: integers for softmax, floats 0/1 for bce (num_classes = 1)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, dim))
    if num_classes == 1:
        return X, rng.integers(0, 2, size=n).astype(np.float64)
    return X, rng.integers(0, num_classes, size=n)


def _model(*args, **kwargs):
    """An MLP of seed SEED with small random biases, so no unit sits exactly on a ReLU kink."""
    model = MLP(*args, seed=SEED, **kwargs)
    rng = np.random.default_rng(SEED + 100)
    for name, value in model.params.items():
        if name.startswith("b"):
            model.params[name] = 0.1 * rng.standard_normal(value.shape)
    return model


def _check_keys(model, grads, hint):
    """grads has exactly the keys of model.params, each with its parameter's shape."""
    check(isinstance(grads, dict), hint, f"grads is a {type(grads).__name__}, expected a dict")
    check(set(grads) == set(model.params), hint, f"grads keys {sorted(grads)}, expected {sorted(model.params)}")
    for name, value in model.params.items():
        shape = np.shape(grads[name])
        check(shape == value.shape, hint, f"grads[{name!r}] shape {shape}, expected {value.shape}")


def _gradcheck(model, X, y, hint, tol=NET_TOL, rng_seed=None, **loss_kwargs):
    """Every parameter's gradient from model.loss against centred differences of the loss.

    With ``rng_seed``, each call gets a fresh ``default_rng(rng_seed)``, so dropout draws the same mask.
    """

    def loss(_):
        rng = None if rng_seed is None else np.random.default_rng(rng_seed)
        return model.loss(X, y, rng=rng, **loss_kwargs)[0]

    rng = None if rng_seed is None else np.random.default_rng(rng_seed)
    _, grads = model.loss(X, y, rng=rng, **loss_kwargs)
    _check_keys(model, grads, "return one gradient per parameter, with the same keys and shapes as model.params")
    for name in model.params:
        numerical = eval_numerical_gradient(loss, model.params[name])  # perturbs model.params[name] in place
        check_rel_error(grads[name], numerical, tol, hint + f" ({name})")


def test_mlp_init_loss():
    """With tiny weights the 64-128-10 network predicts uniformly: the loss is log 10."""
    hint = "tiny weights ⇒ uniform predictions"
    model = MLP(64, (128,), 10, weight_scale=1e-3)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 64))
    y = rng.integers(0, 10, size=50)
    loss, _ = model.loss(X, y)
    check_close(loss, math.log(10), hint, atol=0.01)


def test_mlp_forward_values():
    """Fixed 4-6-3 network: scores with relu, the loss, the loss with l2 = 0.1, and the loss with gelu."""
    hint = "order is fc → activation → (dropout) per hidden layer, final fc without activation"
    X = np.linspace(-2.0, 3.0, 8).reshape(2, 4)
    y = np.array([0, 2])
    model = _fixed_model()
    scores, _ = model.forward(X)
    expected = [[-1.0376689806, -0.3507416880, 0.3361856047], [-0.1640292291, 0.0575827548, 0.2791947388]]
    check_rel_error(scores, expected, VAL_TOL, hint)
    loss, _ = model.loss(X, y)
    check_rel_error(loss, 1.4151696364, VAL_TOL, "the data loss is softmax_cross_entropy of the scores")
    loss, _ = model.loss(X, y, l2=0.1)
    params = _fixed_params()
    squares = {name: float(np.sum(value**2)) for name, value in params.items()}
    weights = squares["W1"] + squares["W2"]
    wrong = [
        (1.4151696364 + 0.1 * weights, "the penalty is (l2/2)·Σ‖W‖², with the ½"),
        (1.4151696364 + 0.05 * sum(squares.values()), "do not regularise biases: sum over W1, W2 only"),
    ]
    check_rel_error(loss, 1.6255123474, VAL_TOL, pick_hint(loss, wrong, "add (l2/2)·Σ‖W‖² to the data loss"))
    loss, _ = _fixed_model("gelu").loss(X, y)
    check_rel_error(loss, 1.4144423019, VAL_TOL, hint + " (use self.activation)")


def test_mlp_gradcheck():
    """Whole-network gradients match finite differences: depth 1 and 3, relu/gelu/sigmoid, l2, and bce."""
    hint = "walk the caches in reverse; L2 adds l2·W to weight grads only"
    X, y = _data(3)
    for hidden in ((6, 5), ()):
        for activation in ("relu", "gelu", "sigmoid"):
            for l2 in (0.0, 0.1):
                model = _model(4, hidden, 3, activation=activation)
                case = f"hidden {hidden}, {activation}, l2 {l2}"
                _gradcheck(model, X, y, hint + f" [{case}]", l2=l2)
    X, y = _data(1)
    for hidden in ((6, 5), ()):
        model = _model(4, hidden, 1, activation="gelu", loss="bce")
        _gradcheck(model, X, y, hint + f" [loss='bce', hidden {hidden}, l2 0.1]", l2=0.1)


def test_mlp_dropout():
    """Dropout p = .3 in training passes a grad check (same mask per call); in eval mode p = .5 changes nothing."""
    hint = "dropout belongs after hidden activations and only in train mode"
    X, y = _data(3)
    model = _model(4, (6, 5), 3, activation="relu", dropout=0.3)
    _gradcheck(model, X, y, hint + " (train mode, p = 0.3)", rng_seed=2, train=True)
    with_dropout = MLP(4, (6, 5), 3, dropout=0.5, seed=SEED)
    without = MLP(4, (6, 5), 3, dropout=0.0, seed=SEED)
    scores, _ = with_dropout.forward(X, train=False)
    expected, _ = without.forward(X, train=False)
    check_close(scores, expected, hint + " (eval mode with p = 0.5 must equal the p = 0 network)", atol=1e-12)


def test_mlp_keys_l2():
    """grads has the keys and shapes of params; the L2 term is (l2/2)·Σ‖W‖² and leaves the biases alone."""
    hint = "do not regularise biases"
    X, y = _data(3)
    model = MLP(4, (6, 5), 3, seed=SEED)
    for name in ("b1", "b2", "b3"):  # nonzero biases, so a penalty on them would show
        model.params[name] = np.linspace(-0.5, 0.5, model.params[name].size)
    loss0, grads0 = model.loss(X, y, l2=0.0)
    _check_keys(model, grads0, "return one gradient per parameter, with the same keys and shapes as model.params")
    l2 = 0.1
    loss1, grads1 = model.loss(X, y, l2=l2)
    weights = sum(float(np.sum(model.params[name] ** 2)) for name in ("W1", "W2", "W3"))
    biases = sum(float(np.sum(model.params[name] ** 2)) for name in ("b1", "b2", "b3"))
    wrong = [
        (l2 * weights, "the penalty is (l2/2)·Σ‖W‖², with the ½"),
        (l2 / 2 * (weights + biases), hint),
        (l2 * (weights + biases), hint),
    ]
    difference = loss1 - loss0
    penalty_hint = pick_hint(difference, wrong, "loss(l2) − loss(0) must be (l2/2)·Σ‖W‖²")
    check_close(difference, l2 / 2 * weights, penalty_hint, rtol=1e-10, atol=1e-12)
    for name, value in model.params.items():
        extra = l2 * value if name.startswith("W") else np.zeros_like(value)
        grad_hint = hint if name.startswith("b") else "the L2 term adds l2·W to each weight gradient"
        check_close(grads1[name] - grads0[name], extra, grad_hint + f" ({name})", atol=1e-12)
