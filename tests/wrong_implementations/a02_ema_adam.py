"""Wrong implementations of assignment 02 (spec §6): grad_mean and grad_rms in ``grad_stats.py``,
ema_update in ``ema.py``, adam_step and Adam.step in ``adam.py`` (where ``torch`` and ``adam_step`` are
already defined).

Fixtures that redefine ``adam_step`` also reach ``Adam.step``, which calls it; their catchers are the spec's.
"""

from . import Wrong

STATS = "grad_stats.py"
EMA = "ema.py"
ADAM = "adam.py"
STATS_HAND = "test_stats_hand"
FIRST_STEP = "test_ema_first_step"
TWO_STEPS = "test_ema_two_steps"
ADAM_FIRST = "test_adam_first_step"
ADAM_SECOND = "test_adam_second_step"
ADAM_DECAY = "test_adam_weight_decay"
BOWL_VS_TORCH = "test_adam_bowl_vs_torch"


def _stat(name: str, body: str) -> str:
    """A grad_mean or grad_rms whose body is one return expression of grads."""
    return f"def {name}(grads):\n    return {body}\n"


def _ema_update(state: str, ema: str = "ema_star / (1 - beta**t)", returned: str = "ema, ema_star") -> str:
    """An ema_update with its state update, its correction or its returned pair replaced."""
    return f"""
def ema_update(x_t, beta, t, ema_star_old):
    ema_star = {state}
    ema = {ema}
    return {returned}
"""


GOOD_STATE = "beta * ema_star_old + (1 - beta) * x_t"


def _adam_step(
    g: str = "grad + weight_decay * param",
    m: str = "beta1 * m + (1 - beta1) * g",
    v: str = "beta2 * v + (1 - beta2) * g * g",
    m_hat: str = "new_m / (1 - beta1**t)",
    v_hat: str = "new_v / (1 - beta2**t)",
    update: str = "param - lr * m_hat / (v_hat.sqrt() + eps)",
) -> str:
    """The solution's adam_step with one of its lines replaced (``g`` may use ``param``, ``grad``)."""
    return f"""
def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    g = {g}
    new_m = {m}
    new_v = {v}
    m_hat = {m_hat}
    v_hat = {v_hat}
    return {update}, new_m, new_v
"""


def _adam_class_step(body: str) -> str:
    """An Adam.step with the given body (indented under the method)."""
    lines = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return f"def _wrong_step(self):\n{lines}\nAdam.step = _wrong_step\n"


ZERO_STATE = 'self.state[p] = {"step": 0, "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)}'
ARGS = "self.lr, self.betas, self.eps, self.weight_decay"


def _per_param_step(
    init: str = ZERO_STATE,
    counter: str = 's["step"] += 1',
    t: str = 's["step"]',
    write: str = "p.copy_(new_p)",
    before: str = "",
) -> str:
    """The solution's Adam.step loop with its state initialisation, counter, t or final write replaced,
    after an optional line ``before`` the loop."""
    return _adam_class_step(f"""
{before}
with torch.no_grad():
    for p in self.params:
        if p.grad is None:
            continue
        if p not in self.state:
            {init}
        s = self.state[p]
        {counter}
        new_p, s["exp_avg"], s["exp_avg_sq"] = adam_step(p, p.grad, s["exp_avg"], s["exp_avg_sq"], {t}, {ARGS})
        {write}
""")


WRONG = [
    Wrong("rms_no_sqrt", STATS, _stat("grad_rms", "(grads**2).mean(dim=0)"), (STATS_HAND, "grad_rms")),
    Wrong("rms_is_std", STATS, _stat("grad_rms", "grads.std(dim=0)"), (STATS_HAND, "grad_rms")),
    Wrong(
        "rms_is_population_std", STATS, _stat("grad_rms", "grads.std(dim=0, correction=0)"), (STATS_HAND, "grad_rms")
    ),
    Wrong("mean_of_abs", STATS, _stat("grad_mean", "grads.abs().mean(dim=0)"), (STATS_HAND, "grad_mean")),
    Wrong("mean_over_dim1", STATS, _stat("grad_mean", "grads.mean(dim=1)"), (STATS_HAND, "grad_mean")),
    Wrong("ema_no_bias_correction", EMA, _ema_update(GOOD_STATE, ema="ema_star"), (FIRST_STEP, "ema_update")),
    Wrong(
        "ema_correction_t_minus_1",
        EMA,  # divides by zero at t = 1
        _ema_update(GOOD_STATE, ema="ema_star / (1 - beta ** (t - 1))"),
        (FIRST_STEP, "ema_update"),
    ),
    Wrong(
        "ema_correction_t_plus_1",
        EMA,  # t treated as 0-based
        _ema_update(GOOD_STATE, ema="ema_star / (1 - beta ** (t + 1))"),
        (FIRST_STEP, "ema_update"),
    ),
    Wrong(
        "ema_weights_swapped",
        EMA,  # −90 at β 0.9; invisible at β 0.5, where both weights are 0.5
        _ema_update("beta * x_t + (1 - beta) * ema_star_old"),
        (FIRST_STEP, "test_ema_constant", "ema_update"),
    ),
    Wrong(
        "ema_feeds_back_corrected",
        EMA,  # the corrected value is returned as the state: t = 2 gives 4.0 instead of 3.333
        _ema_update(GOOD_STATE, returned="ema, ema"),
        (TWO_STEPS, "ema_update"),
    ),
    Wrong(
        "ema_misprinted_state",
        EMA,  # source A's display: the old numerator is not multiplied by β
        _ema_update("ema_star_old + (1 - beta) * x_t"),
        (TWO_STEPS, "ema_update"),
    ),
    Wrong(
        "adam_numerator_grad",
        ADAM,  # source A's display: identical at t = 1, θ2 = (1.0, −2.034) at t = 2
        _adam_step(update="param - lr * (g / (1 - beta1**t)) / (v_hat.sqrt() + eps)"),
        (ADAM_SECOND, BOWL_VS_TORCH, "adam_step"),
    ),
    Wrong(
        "adam_no_bias_correction",
        ADAM,  # first step ≈ 3.16·lr at the default betas
        _adam_step(m_hat="new_m", v_hat="new_v"),
        (ADAM_FIRST, "adam_step"),
    ),
    Wrong(
        "adam_step_t_zero_based",
        ADAM,  # 1 − β**0 = 0: inf/nan on the first step
        _adam_step(m_hat="new_m / (1 - beta1 ** (t - 1))", v_hat="new_v / (1 - beta2 ** (t - 1))"),
        (ADAM_FIRST, "adam_step"),
    ),
    Wrong(
        "adam_step_t_off_by_one",
        ADAM,  # first step 0.744·lr
        _adam_step(m_hat="new_m / (1 - beta1 ** (t + 1))", v_hat="new_v / (1 - beta2 ** (t + 1))"),
        (ADAM_FIRST, "adam_step"),
    ),
    Wrong(
        "adam_eps_inside_sqrt",
        ADAM,  # source C's display: invisible at gradient scale 1, 0.001 instead of 0.099 for g = 1e-6
        _adam_step(update="param - lr * m_hat / (v_hat + eps).sqrt()"),
        ("test_adam_tiny_gradient", "adam_step"),
    ),
    Wrong(
        "adam_decoupled_decay",
        ADAM,  # AdamW: t = 1 gives (0.85, −1.8)
        _adam_step(g="grad", update="param - lr * m_hat / (v_hat.sqrt() + eps) - lr * weight_decay * param"),
        (ADAM_DECAY, "adam_step"),
    ),
    Wrong(
        "adam_decay_first_moment_only",
        ADAM,
        _adam_step(v="beta2 * v + (1 - beta2) * grad * grad"),
        (ADAM_DECAY, "adam_step"),
    ),
    Wrong(
        "adam_decay_second_moment_only",
        ADAM,
        _adam_step(m="beta1 * m + (1 - beta1) * grad", v="beta2 * v + (1 - beta2) * g * g"),
        (ADAM_DECAY, "adam_step"),
    ),
    Wrong(
        "adam_step_moments_from_first_grad",
        ADAM,  # at t = 1 the moments start from g and g² instead of zeros: first step 0.316·lr
        _adam_step(
            m="beta1 * (g if t == 1 else m) + (1 - beta1) * g",
            v="beta2 * (g * g if t == 1 else v) + (1 - beta2) * g * g",
        ),
        (ADAM_FIRST, "adam_step"),
    ),
    Wrong(
        "adam_v_ema_of_m_squared",
        ADAM,  # first step 10·lr
        _adam_step(v="beta2 * v + (1 - beta2) * new_m * new_m"),
        (ADAM_FIRST, "adam_step"),
    ),
    Wrong("adam_v_is_m_squared", ADAM, _adam_step(v="new_m * new_m"), (ADAM_FIRST, "adam_step")),
    Wrong("adam_v_hat_is_m_hat_squared", ADAM, _adam_step(v_hat="m_hat * m_hat"), (ADAM_SECOND, "adam_step")),
    Wrong(
        "adam_state_step_from_zero",
        ADAM,  # increments after the update: t = 0 on the first step
        _per_param_step(counter="pass", write='p.copy_(new_p); s["step"] += 1'),
        (BOWL_VS_TORCH, "adam__step"),
    ),
    Wrong(
        "adam_state_step_off_by_one",
        ADAM,  # the first update already uses t = 2
        _per_param_step(t='s["step"] + 1'),
        (BOWL_VS_TORCH, "adam__step"),
    ),
    Wrong(
        "adam_state_from_first_grad",
        ADAM,  # first step 0.316·lr
        _per_param_step(init='self.state[p] = {"step": 0, "exp_avg": p.grad.clone(), "exp_avg_sq": p.grad * p.grad}'),
        (BOWL_VS_TORCH, "adam__step"),
    ),
    Wrong(
        "adam_global_step_per_param",
        ADAM,  # one counter, advanced once per parameter: #params per step
        _per_param_step(counter='self.t = getattr(self, "t", 0) + 1; s["step"] = self.t', t="self.t"),
        ("adam__step",),
    ),
    Wrong(
        "adam_global_step_counts_skipped",
        ADAM,  # one counter per step, advanced even for parameters without a grad
        _per_param_step(counter='s["step"] = self.t', t="self.t", before='self.t = getattr(self, "t", 0) + 1'),
        ("adam__step",),
    ),
    Wrong(
        "adam_shared_moments",
        ADAM,  # one m and v for every parameter
        _adam_class_step(f"""
with torch.no_grad():
    for p in self.params:
        if p.grad is None:
            continue
        if not hasattr(self, "shared"):
            self.shared = {ZERO_STATE.split(" = ", 1)[1]}
        s = self.state[p] = self.shared
        s["step"] += 1
        new_p, s["exp_avg"], s["exp_avg_sq"] = adam_step(p, p.grad, s["exp_avg"], s["exp_avg_sq"], s["step"], {ARGS})
        p.copy_(new_p)
"""),
        ("adam__step",),
    ),
    Wrong(
        "adam_out_of_place",
        ADAM,  # rebinds a local name: the model's tensor never moves
        _per_param_step(write="p = new_p"),
        (BOWL_VS_TORCH, "adam__step"),
    ),
    Wrong(
        "adam_missing_no_grad",
        ADAM,  # an in-place edit of a leaf that requires grad: RuntimeError
        _per_param_step().replace("with torch.no_grad():", "if True:"),
        (BOWL_VS_TORCH, "adam__step"),
    ),
    Wrong(
        "adam_crash_on_grad_none",
        ADAM,
        _per_param_step().replace("if p.grad is None:\n                continue", "pass"),
        ("test_adam_skips_none", "adam__step"),
    ),
    Wrong(
        "adam_stores_corrected_moments",
        ADAM,
        _adam_class_step(f"""
with torch.no_grad():
    for p in self.params:
        if p.grad is None:
            continue
        if p not in self.state:
            {ZERO_STATE}
        s = self.state[p]
        s["step"] += 1
        t = s["step"]
        m, v = s["exp_avg"] * (1 - self.betas[0] ** (t - 1)), s["exp_avg_sq"] * (1 - self.betas[1] ** (t - 1))
        new_p, m, v = adam_step(p, p.grad, m, v, t, {ARGS})
        s["exp_avg"], s["exp_avg_sq"] = m / (1 - self.betas[0] ** t), v / (1 - self.betas[1] ** t)
        p.copy_(new_p)
"""),
        ("adam__step",),
    ),
]
