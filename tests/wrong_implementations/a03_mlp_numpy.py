"""Wrong implementations of assignment 03 (spec §6, w01–w29; an item with two variants is split into a/b).

Each ``code`` is appended to the solution module it names, where the module's own imports (``np``, ``math``,
``erf``, the layers and losses in model.py, ``MLP``) are already defined; it redefines one function, or one
method by assigning to ``MLP.<method>`` (wrapping the saved original where the mistake is an addition).
Redefinitions in layers.py and losses.py reach the model and ``mlp.*`` too: model.py and ``__init__`` import
the names after the whole module has run.

``catches`` lists the local tests of the spec's "caught by" and the grade_ids of the hidden checks that fail.
w11 (softmax without the max) names test_softmax but not test_ce_extreme: the solution's
softmax_cross_entropy computes its own log-sum-exp, so a wrong ``softmax`` alone never reaches it.
"""

from . import Wrong

LAYERS = "mlp/layers.py"
LOSSES = "mlp/losses.py"
MODEL = "mlp/model.py"
OPTIM = "mlp/optim.py"
TRAIN = "mlp/train.py"

FC_GRADCHECK = "test_fc_backward_gradcheck"
CE_MEAN = ("test_ce_mean", "test_ce_small_scores")


def _fc_backward(
    dx: str = "(dout @ W.T).reshape(x.shape)", dW: str = "x2d.T @ dout", db: str = "dout.sum(axis=0)"
) -> str:
    """The solution's fc_backward with one of its three results replaced."""
    return f"""
def fc_backward(dout, cache):
    x, W = cache
    x2d = x.reshape(x.shape[0], -1)
    return {dx}, {dW}, {db}
"""


def _softmax_ce(loss: str = "-log_probs[rows, y].mean()", dscores: str = "(probs - onehot) / n") -> str:
    """A softmax_cross_entropy from log-sum-exp with its loss or its gradient replaced."""
    return f"""
def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    rows = np.arange(n)
    z = scores - scores.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    onehot = np.zeros_like(probs)
    onehot[rows, y] = 1.0
    return float({loss}), {dscores}
"""


def _adam(
    t: str = 'state.get("t", 0) + 1',
    dw: str = "dw",
    m_hat: str = "m / (1 - beta1**t)",
    v_hat: str = "v / (1 - beta2**t)",
    update: str = "w * (1 - lr * decoupled_wd) - lr * m_hat / (np.sqrt(v_hat) + eps)",
    state_t: str = "t",
) -> str:
    """The solution's adam with one of its lines replaced."""
    return f"""
def adam(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, decoupled_wd=0.0):
    t = {t}
    g = {dw}
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
    m_hat = {m_hat}
    v_hat = {v_hat}
    return {update}, {{"t": {state_t}, "m": m, "v": v}}
"""


WRONG = [
    Wrong("w01", LAYERS, _fc_backward(db="dout.mean(axis=0)"), (FC_GRADCHECK, "fc_backward")),
    Wrong("w02a", LAYERS, _fc_backward(db="dout.sum()"), (FC_GRADCHECK, "fc_backward")),
    Wrong("w02b", LAYERS, _fc_backward(db="dout.sum(axis=0, keepdims=True)"), (FC_GRADCHECK, "fc_backward")),
    Wrong("w03", LAYERS, _fc_backward(dx="dout @ W.T"), (FC_GRADCHECK, "fc_backward")),  # (N, D) for 3-D x
    Wrong("w04", LAYERS, _fc_backward(dW="dout.T @ x2d"), (FC_GRADCHECK, "fc_backward")),
    Wrong(
        "w05",
        LAYERS,
        """
def relu_backward(dout, cache):
    return dout * (cache >= 0)
""",
        ("test_relu", "relu_backward"),
    ),
    Wrong(
        "w06",
        LAYERS,  # writes into the caller's x
        """
def relu_forward(x):
    x[x < 0] = 0.0
    return x, x
""",
        ("test_relu", "relu_backward"),
    ),
    Wrong(
        "w07",
        LAYERS,  # overflows in exp(−x) for x ≪ 0
        """
def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out
""",
        ("test_sigmoid", "sigmoid_backward"),
    ),
    Wrong(
        "w08a",
        LAYERS,
        """
def sigmoid_backward(dout, cache):
    return dout * cache
""",
        ("test_sigmoid", "sigmoid_backward"),
    ),
    Wrong(
        "w08b",
        LAYERS,
        """
def sigmoid_backward(dout, cache):
    return sigmoid_forward(dout)[0]
""",
        ("test_sigmoid", "sigmoid_backward"),
    ),
    Wrong(
        "w09",
        LAYERS,  # 4.1e-4 off at x = −3
        """
def gelu_forward(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3))), x
""",
        ("test_gelu", "gelu_backward"),
    ),
    Wrong(
        "w10",
        LAYERS,  # drops the x·φ(x) term
        """
def gelu_backward(dout, cache):
    return dout * 0.5 * (1.0 + erf(cache / math.sqrt(2.0)))
""",
        ("test_gelu", "gelu_backward"),
    ),
    Wrong(
        "w11",
        LOSSES,  # nan at ±1e4
        """
def softmax(scores):
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
""",
        ("test_softmax", "softmax_cross_entropy"),
    ),
    Wrong(
        "w12",
        LOSSES,  # inf instead of 1000 for [[0, −1000]], y = [1]
        """
def softmax_cross_entropy(scores, y):
    n = scores.shape[0]
    probs = softmax(scores)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1.0
    return float(loss), dscores / n
""",
        ("test_ce_extreme", "softmax_cross_entropy"),
    ),
    Wrong(
        "w13",
        LOSSES,  # ≈ 230 instead of 2.30 for 100 near-uniform rows
        _softmax_ce(loss="-log_probs[rows, y].sum()", dscores="probs - onehot"),
        (*CE_MEAN, "softmax_cross_entropy"),
    ),
    Wrong("w14a", LOSSES, _softmax_ce(dscores="probs - onehot"), (*CE_MEAN, "softmax_cross_entropy")),
    Wrong("w14b", LOSSES, _softmax_ce(dscores="(probs - onehot) / n / n"), (*CE_MEAN, "softmax_cross_entropy")),
    Wrong(
        "w15",
        LOSSES,  # σ(1000) rounds to 1: log(1 − 1) = −inf
        """
def binary_cross_entropy_with_logits(logits, y):
    z = logits.reshape(-1)
    t = np.asarray(y, dtype=np.float64).reshape(-1)
    probs = 1.0 / (1.0 + np.exp(-z))
    loss, dprobs = binary_cross_entropy(probs, t)
    return loss, (dprobs * probs * (1.0 - probs)).reshape(logits.shape)
""",
        ("test_bce_logits", "binary_cross_entropy_with_logits"),
    ),
    Wrong(
        "w16",
        LAYERS,  # mean ratio 1 − p
        """
def dropout_forward(x, p, train, rng):
    if not 0.0 <= p < 1.0:
        raise ValueError("p must be in [0, 1)")
    if not train or p == 0.0:
        return x.copy(), (None, p, train)
    keep = rng.random(x.shape) >= p
    return x * keep, (keep, p, train)
""",
        ("test_dropout_statistics", "dropout_backward"),
    ),
    Wrong(
        "w17",
        LAYERS,  # zero fraction 1 − p
        """
def dropout_forward(x, p, train, rng):
    if not 0.0 <= p < 1.0:
        raise ValueError("p must be in [0, 1)")
    if not train or p == 0.0:
        return x.copy(), (None, p, train)
    keep = rng.random(x.shape) < p
    return x * keep / p, (keep, 1.0 - p, train)
""",
        ("test_dropout_statistics", "dropout_backward"),
    ),
    Wrong(
        "w18a",
        LAYERS,  # drops units in eval mode too
        """
def dropout_forward(x, p, train, rng):
    if not 0.0 <= p < 1.0:
        raise ValueError("p must be in [0, 1)")
    if p == 0.0:
        return x.copy(), (None, p, train)
    keep = rng.random(x.shape) >= p
    return x * keep / (1.0 - p), (keep, p, True)
""",
        ("test_dropout_identity", "test_mlp_dropout", "dropout_backward", "mlp__forward"),
    ),
    Wrong(
        "w18b",
        LAYERS,  # classic (not inverted) test-time scaling on top of inverted dropout
        """
_solution_dropout_forward = dropout_forward


def dropout_forward(x, p, train, rng):
    if not train and 0.0 <= p < 1.0:
        return x * (1.0 - p), (None, p, train)
    return _solution_dropout_forward(x, p, train, rng)
""",
        ("test_dropout_identity", "test_mlp_dropout", "dropout_backward", "mlp__forward"),
    ),
    Wrong(
        "w19",
        LAYERS,
        """
def dropout_backward(dout, cache):
    keep, p, _ = cache
    if keep is None:
        return dout.copy()
    fresh = np.random.default_rng().random(dout.shape) >= p
    return dout * fresh / (1.0 - p)
""",
        ("test_dropout_backward", "dropout_backward"),
    ),
    Wrong(
        "w20a",
        MODEL,  # the local tests are blind to it; the call count of H7 is not
        """
_solution_forward = MLP.forward


def _forward_dropping_inputs(self, X, train=False, rng=None):
    rng = self.rng if rng is None else rng
    X, _ = dropout_forward(X, self.dropout, train, rng)
    return _solution_forward(self, X, train, rng)


MLP.forward = _forward_dropping_inputs
""",
        ("mlp__forward",),
    ),
    Wrong(
        "w20b",
        MODEL,
        """
_solution_forward = MLP.forward


def _forward_dropping_scores(self, X, train=False, rng=None):
    rng = self.rng if rng is None else rng
    scores, caches = _solution_forward(self, X, train, rng)
    scores, _ = dropout_forward(scores, self.dropout, train, rng)
    return scores, caches


MLP.forward = _forward_dropping_scores
""",
        ("mlp__forward",),
    ),
    Wrong(
        "w21a",
        MODEL,
        """
_solution_loss = MLP.loss


def _loss_decaying_biases(self, X, y, train=True, l2=0.0, rng=None):
    loss, grads = _solution_loss(self, X, y, train, l2, rng)
    for key, value in self.params.items():
        if key.startswith("b"):
            loss += 0.5 * l2 * float(np.sum(value * value))
            grads[key] = grads[key] + l2 * value
    return loss, grads


MLP.loss = _loss_decaying_biases
""",
        ("test_mlp_keys_l2", "mlp__loss"),
    ),
    Wrong(
        "w21b",
        MODEL,  # l2·ΣW² in the loss, l2·W in the gradient
        """
_solution_loss = MLP.loss


def _loss_without_half(self, X, y, train=True, l2=0.0, rng=None):
    loss, grads = _solution_loss(self, X, y, train, l2, rng)
    weights = sum(float(np.sum(w * w)) for key, w in self.params.items() if key.startswith("W"))
    return loss + 0.5 * l2 * weights, grads


MLP.loss = _loss_without_half
""",
        ("test_mlp_keys_l2", "mlp__loss"),
    ),
    Wrong("w22", OPTIM, _adam(m_hat="m", v_hat="v"), ("test_adam_first_step", "adam")),  # first step ≈ 3.16·lr
    Wrong(
        "w23",
        OPTIM,  # t = 0 on the first update: 1 − β^0 = 0
        _adam(t='state.get("t", 0)', state_t="t + 1"),
        ("test_adam_first_step", "adam"),
    ),
    Wrong(
        "w24",
        OPTIM,  # invisible at gradient scale 1; 9.95e-5 instead of 9.99e-4 for g ≡ 1e-5
        _adam(update="w * (1 - lr * decoupled_wd) - lr * m_hat / np.sqrt(v_hat + eps)"),
        ("adam",),
    ),
    Wrong(
        "w25a",
        OPTIM,  # coupled L2 where decoupled decay is asked for
        _adam(dw="dw + decoupled_wd * w", update="w - lr * m_hat / (np.sqrt(v_hat) + eps)"),
        ("test_adam_values", "adam"),
    ),
    Wrong(
        "w25b",
        OPTIM,
        _adam(update="w * (1 - decoupled_wd) - lr * m_hat / (np.sqrt(v_hat) + eps)"),
        ("test_adam_values", "adam"),
    ),
    Wrong(
        "w26",
        OPTIM,  # m and v kept in a module-level dict keyed by shape: same-shaped parameters share them
        """
_shared_moments = {}


def adam(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, decoupled_wd=0.0):
    t = state.get("t", 0) + 1
    if t == 1:
        _shared_moments[w.shape] = (0.0, 0.0)
    m, v = _shared_moments[w.shape]
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw * dw
    _shared_moments[w.shape] = (m, v)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w * (1 - lr * decoupled_wd) - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t}
""",
        ("adam",),
    ),
    Wrong(
        "w27",
        OPTIM,  # the new velocity is never returned: every step starts from the state it was given
        """
def sgd_momentum(w, dw, state, lr=1e-2, momentum=0.9, decoupled_wd=0.0):
    velocity = momentum * state.get("velocity", 0.0) + dw
    return w - lr * velocity - lr * decoupled_wd * w, state
""",
        ("test_sgd_momentum", "sgd_momentum"),
    ),
    Wrong(
        "w28a",
        TRAIN,
        """
def minibatch_indices(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]
""",
        ("test_minibatch_indices", "minibatch_indices"),
    ),
    Wrong(
        "w28b",
        TRAIN,  # one permutation per n, drawn on the first call and reused every epoch
        """
_first_orders = {}


def minibatch_indices(n, batch_size, rng):
    order = _first_orders.setdefault(n, rng.permutation(n))
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
""",
        ("test_minibatch_indices", "minibatch_indices"),
    ),
    Wrong(
        "w29a",
        TRAIN,  # steps with the previous batch's grads (zeros on the first call), then computes this batch's
        """
def train_step(model, optimizer, X, y, l2=0.0, rng=None):
    stale = getattr(model, "_stale_grads", None) or {k: np.zeros_like(v) for k, v in model.params.items()}
    optimizer.step(model.params, stale)
    loss, model._stale_grads = model.loss(X, y, train=True, l2=l2, rng=rng)
    return float(loss)
""",
        ("test_train_step", "train_step"),
    ),
    Wrong(
        "w29b",
        TRAIN,  # at p = 0 (the local test) both modes agree
        """
def train_step(model, optimizer, X, y, l2=0.0, rng=None):
    loss, grads = model.loss(X, y, train=False, l2=l2, rng=rng)
    optimizer.step(model.params, grads)
    return float(loss)
""",
        ("train_step",),
    ),
]
