"""Wrong implementations of assignment 01 (spec §6): gd_step, run_gd, SimpleGradientDescent.step and
critical_learning_rate in ``gradient_descent.py`` (where ``torch`` is already imported); ripple_grad and
ripple_descent in ``ripple.py`` (where ``np``, ``ripple_f`` and ``ripple_grad`` are).

Two fixtures (``sgd_no_decay``, ``sgd_decays_unused``) are not in the spec's list; they pin the hints of
``test_sgd_source_run`` and of the hidden grad-is-None test.
"""

from . import Wrong

MODULE = "gradient_descent.py"
RIPPLE = "ripple.py"
GD_STEP = "gd_step"
RUN_GD = "run_gd"
SGD_STEP = "simple_gradient_descent__step"
CRITICAL_LR = "critical_learning_rate"
RIPPLE_GRAD = "ripple_grad"
RIPPLE_DESCENT = "ripple_descent"


def _gd_step(body: str) -> str:
    """A gd_step whose body is one return expression."""
    return f"def gd_step(x, grad, lr, weight_decay=0.0):\n    return {body}\n"


def _run_gd(
    record: str,
    update: str = "x.copy_(gd_step(x, x.grad, lr, weight_decay))",
    start: str = "x = x0.detach().clone().requires_grad_(True)",
    clear: str = "x.grad = None",
) -> str:
    """The solution's run_gd loop with one of its lines (start, record, update, clear) replaced."""
    return f"""
def run_gd(loss_fn, x0, lr, steps, weight_decay=0.0):
    {start}
    xs, losses, grads = [], [], []
    for _ in range(steps):
        loss = loss_fn(x)
        loss.backward()
        {record}
        with torch.no_grad():
            {update}
        {clear}
    xs.append(x.detach().clone())
    losses.append(loss_fn(x).detach())
    grads = torch.stack(grads) if grads else x0.new_empty((0, *x0.shape))
    return GDHistory(torch.stack(xs), torch.stack(losses), grads)
"""


GOOD_RECORD = "xs.append(x.detach().clone()); losses.append(loss.detach()); grads.append(x.grad.clone())"


def _sgd_step(loop_body: str, no_grad: bool = True) -> str:
    """A SimpleGradientDescent.step whose loop over self.params runs ``loop_body``."""
    loop = "for p in self.params:\n" + "".join(f"    {line}\n" for line in loop_body.strip().splitlines())
    if no_grad:
        loop = "with torch.no_grad():\n" + "".join(f"    {line}\n" for line in loop.splitlines())
    body = "".join(f"    {line}\n" for line in loop.splitlines())
    return f"def _wrong_step(self):\n{body}\nSimpleGradientDescent.step = _wrong_step\n"


SKIP_NONE = "if p.grad is None:\n    continue\n"


def _critical_lr(body: str) -> str:
    """A critical_learning_rate whose body is one return expression of the matrix A."""
    return f"def critical_learning_rate(A):\n    return {body}\n"


def _ripple_dfdx(body: str) -> str:
    """A ripple_grad with a wrong ∂f/∂x (``body``) and the right ∂f/∂y."""
    return f"def ripple_grad(x, y):\n    return {body}, x + 2 * y\n"


def _ripple_descent(update: str, step: str = "step_size * decay**t", first: str = "[x], [y]") -> str:
    """A ripple_descent loop whose update, step schedule or history start the caller chooses."""
    return f"""
def ripple_descent(x, y, step_size, steps, decay=1.0):
    x_hist, y_hist = {first}
    for t in range(steps):
        step = {step}
        {update}
        x_hist.append(x)
        y_hist.append(y)
    return float(x), float(y), float(ripple_f(x, y)), np.array(x_hist, dtype=float), np.array(y_hist, dtype=float)
"""


SIMULTANEOUS = "dfdx, dfdy = ripple_grad(x, y); x, y = x - step * dfdx, y - step * dfdy"

WRONG = [
    Wrong(
        "gd_step_ascent",
        MODULE,
        _gd_step("x + lr * (grad + weight_decay * x)"),
        ("test_gd_step_basic", "test_run_gd_source_trajectory", GD_STEP, RUN_GD),
    ),
    Wrong(
        "gd_step_in_place",
        MODULE,
        "def gd_step(x, grad, lr, weight_decay=0.0):\n    x -= lr * (grad + weight_decay * x)\n    return x\n",
        ("test_gd_step_basic", GD_STEP),
    ),
    Wrong(
        "gd_step_lr_ignored",
        MODULE,  # one shared rate: the mean of the per-coordinate rates
        _gd_step("x - float(torch.as_tensor(lr).mean()) * (grad + weight_decay * x)"),
        ("test_gd_step_per_coordinate", "test_run_gd_per_coordinate", GD_STEP),
    ),
    Wrong(
        "gd_step_lr_first_only",
        MODULE,
        _gd_step("x - torch.as_tensor(lr).flatten()[0] * (grad + weight_decay * x)"),
        ("test_gd_step_per_coordinate", "test_run_gd_per_coordinate", GD_STEP),
    ),
    Wrong(
        "gd_step_decay_not_scaled",
        MODULE,
        _gd_step("x - lr * grad - weight_decay * x"),
        ("test_gd_step_weight_decay", GD_STEP),
    ),
    Wrong(
        "gd_step_half_decay",
        MODULE,
        _gd_step("x - lr * (grad + 0.5 * weight_decay * x)"),
        ("test_gd_step_weight_decay", GD_STEP),
    ),
    Wrong(
        "gd_step_decay_after_step",
        MODULE,
        _gd_step("(x - lr * grad) * (1 - lr * weight_decay)"),
        ("test_gd_step_weight_decay", GD_STEP),
    ),
    Wrong(
        "gd_step_l1_decay",
        MODULE,
        _gd_step("x - lr * (grad + weight_decay * torch.sign(x))"),
        ("test_gd_step_weight_decay", GD_STEP),
    ),
    Wrong(
        "gd_step_constant_decay",
        MODULE,
        _gd_step("x - lr * (grad + weight_decay)"),
        ("test_gd_step_weight_decay", GD_STEP),
    ),
    Wrong(
        "run_gd_grad_accumulates", MODULE, _run_gd(GOOD_RECORD, clear="pass"), ("test_run_gd_source_trajectory", RUN_GD)
    ),
    Wrong(
        "run_gd_history_aliased",
        MODULE,  # every row is the same tensor, which keeps moving
        _run_gd("xs.append(x); losses.append(loss.detach()); grads.append(x.grad.clone())"),
        ("test_run_gd_shapes", RUN_GD),
    ),
    Wrong(
        "run_gd_mutates_x0",
        MODULE,
        _run_gd(GOOD_RECORD, start="x = x0.requires_grad_(True)"),
        ("test_run_gd_shapes", RUN_GD),
    ),
    Wrong(
        "run_gd_loss_after_update",
        MODULE,  # records the loss of the point it has just moved to
        _run_gd(
            "xs.append(x.detach().clone()); grads.append(x.grad.clone())",
            update="x.copy_(gd_step(x, x.grad, lr, weight_decay)); losses.append(loss_fn(x))",
        ),
        ("test_run_gd_source_trajectory", RUN_GD),
    ),
    Wrong(
        "run_gd_grads_with_decay",
        MODULE,
        _run_gd(
            "xs.append(x.detach().clone()); losses.append(loss.detach()); "
            "grads.append(x.grad + weight_decay * x.detach())"
        ),
        (RUN_GD,),
    ),
    Wrong(
        "sgd_rebinds_local",
        MODULE,
        _sgd_step(SKIP_NONE + "p = p - self.lr * (p.grad + self.weight_decay * p)"),
        ("test_sgd_step_in_place", SGD_STEP),
    ),
    Wrong(
        "sgd_missing_no_grad",
        MODULE,
        _sgd_step(SKIP_NONE + "p -= self.lr * (p.grad + self.weight_decay * p)", no_grad=False),
        ("test_sgd_step_in_place", SGD_STEP),
    ),
    Wrong("sgd_crash_on_grad_none", MODULE, _sgd_step("p -= self.lr * (p.grad + self.weight_decay * p)"), (SGD_STEP,)),
    Wrong(
        "sgd_no_decay",
        MODULE,
        _sgd_step(SKIP_NONE + "p -= self.lr * p.grad"),
        ("test_sgd_source_run", "test_sgd_matches_torch", SGD_STEP),
    ),
    Wrong(
        "sgd_decays_unused",
        MODULE,  # treats a missing gradient as zero, so decay still shrinks p
        _sgd_step("g = torch.zeros_like(p) if p.grad is None else p.grad\np -= self.lr * (g + self.weight_decay * p)"),
        (SGD_STEP,),
    ),
    Wrong(
        "critical_lr_one_over_max",
        MODULE,
        _critical_lr("1.0 / float(torch.linalg.eigvalsh(A)[-1])"),
        ("test_critical_lr", CRITICAL_LR),
    ),
    Wrong(
        "critical_lr_smallest_eigenvalue",
        MODULE,
        _critical_lr("2.0 / float(torch.linalg.eigvalsh(A)[0])"),
        ("test_critical_lr", CRITICAL_LR),
    ),
    Wrong(
        "critical_lr_max_diagonal",
        MODULE,  # 0.3610 for BᵀB instead of 0.3538
        _critical_lr("2.0 / float(torch.diagonal(A).max())"),
        ("test_critical_lr", CRITICAL_LR),
    ),
    Wrong(
        "ripple_grad_plus_sine",
        RIPPLE,
        _ripple_dfdx("2 * x + 3 * np.sin(3 * x) + y + 2"),
        ("test_ripple_grad", RIPPLE_GRAD),
    ),
    Wrong(
        "ripple_grad_lost_chain_rule",
        RIPPLE,
        _ripple_dfdx("2 * x - np.sin(3 * x) + y + 2"),
        ("test_ripple_grad", RIPPLE_GRAD),
    ),
    Wrong(
        "ripple_grad_missing_y",
        RIPPLE,
        _ripple_dfdx("2 * x - 3 * np.sin(3 * x) + 2"),
        ("test_ripple_grad", RIPPLE_GRAD),
    ),
    Wrong(
        "ripple_descent_sequential",
        RIPPLE,  # y's partial sees the new x: y = 1.387636 after one step
        _ripple_descent("x = x - step * ripple_grad(x, y)[0]; y = y - step * ripple_grad(x, y)[1]"),
        ("test_ripple_one_step", RIPPLE_DESCENT),
    ),
    Wrong(
        "ripple_descent_schedule_off_by_one",
        RIPPLE,  # decays before the first step
        _ripple_descent(SIMULTANEOUS, step="step_size * decay**(t + 1)"),
        ("test_ripple_decay", RIPPLE_DESCENT),
    ),
    Wrong(
        "ripple_descent_history_without_start",
        RIPPLE,
        _ripple_descent(SIMULTANEOUS, first="[], []"),
        ("test_ripple_one_step", RIPPLE_DESCENT),
    ),
]
