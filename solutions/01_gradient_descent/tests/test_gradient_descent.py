"""Local tests of gradient_descent.py: gd_step, run_gd and SimpleGradientDescent on the bowl, and the
critical learning rate of its quadratic twin."""

import torch

from gradient_descent import SimpleGradientDescent, critical_learning_rate, gd_step, run_gd
from utils.landscapes import X0, Bowl
from utils.testing import check, check_close, check_raises

# ∇‖Bx‖ at x0 = (−1.5, 1.2), rounded as printed in the notebook.
GRAD_X0 = torch.tensor([-2.35182, 0.34066])


def _gd_step_from_x0(lr, weight_decay=0.0):
    """gd_step at x0 with GRAD_X0, plus whether it left both inputs unchanged."""
    x, grad = X0.clone(), GRAD_X0.clone()
    new_x = gd_step(x, grad, lr, weight_decay)
    return new_x, torch.equal(x, X0) and torch.equal(grad, GRAD_X0)


def _optimizer_run(optimizer_cls, loss_fn, steps, lr, weight_decay):
    """Iterates (steps+1, 2) and losses (steps,) of a torch.optim-style optimizer started at x0."""
    x = X0.clone().requires_grad_(True)
    optimizer = optimizer_cls([x], lr=lr, weight_decay=weight_decay)
    xs, losses = [x.detach().clone()], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(x)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        xs.append(x.detach().clone())
    return torch.stack(xs), torch.tensor(losses)


def test_gd_step_basic():
    hint = "New point = x − lr·grad. Return a new tensor; do not edit x or grad in place."
    new_x, inputs_unchanged = _gd_step_from_x0(0.1)
    check_close(new_x, [-1.264818, 1.165934], hint, atol=1e-5)
    check(inputs_unchanged, hint, "x or grad was modified")


def test_gd_step_per_coordinate():
    hint = "lr may be a tensor with one rate per coordinate; let broadcasting multiply elementwise."
    new_x, _ = _gd_step_from_x0(torch.tensor([0.03, 0.5]))
    check_close(new_x, [-1.429445, 1.029670], hint, atol=1e-5)


def test_gd_step_weight_decay():
    hint = "Decay adds λ·x to the gradient *before* scaling by lr: x − lr·(g + λx)."
    new_x, _ = _gd_step_from_x0(0.1, weight_decay=0.5)
    check_close(new_x, [-1.189818, 1.105934], hint, atol=1e-5)


def test_run_gd_shapes():
    hint = "Store a detached copy of x each step (x.detach().clone()); never update x0 itself."
    x0 = X0.clone()
    xs, losses, grads = run_gd(Bowl(), x0, 0.1, 5)
    for name, value, shape in (("xs", xs, (6, 2)), ("losses", losses, (6,)), ("grads", grads, (5, 2))):
        check(tuple(value.shape) == shape, hint, f"{name} shape {tuple(value.shape)}, expected {shape}")
        check(not value.requires_grad, hint, f"{name} still requires grad")
    check_close(xs[0], X0, hint)
    check(torch.equal(x0, X0), hint, "x0 was modified")
    check(bool((xs[1:] != xs[:-1]).any(dim=1).all()), hint, "two consecutive rows of xs are equal")


def test_run_gd_source_trajectory():
    hint = "Clear x.grad after every update, otherwise gradients from earlier steps pile up."
    _, losses, grads = run_gd(Bowl(), X0.clone(), 0.1, 50)
    check_close(losses[[0, 7, 14, 21]], [3.9365, 0.1262, 0.2927, 0.2819], hint, atol=1e-3)
    check_close(losses[28:], torch.full((23,), 0.2825), hint, atol=1e-3)
    check_close(grads[0], GRAD_X0, hint, atol=1e-4)


def test_run_gd_per_coordinate():
    hint = "Pass the lr tensor through to gd_step unchanged."
    _, losses, _ = run_gd(Bowl(), X0.clone(), torch.tensor([0.03, 0.5]), 50)
    expected = [3.937, 2.372, 0.838, 0.201, 0.157, 0.112, 0.067]
    check_close(losses[0:43:7], expected, hint, atol=2e-3)
    check(losses[49] < 0.05, hint, f"loss at step 49 is {float(losses[49]):.3f}, expected < 0.05")


def test_sgd_step_in_place():
    hint = "Update p in place (p -= … or p.copy_) inside torch.no_grad(); rebinding a local name changes nothing."
    x = X0.clone().requires_grad_(True)
    Bowl()(x).backward()
    optimizer = SimpleGradientDescent([x], 0.1, 0.5)
    try:
        optimizer.step()  # deliberately outside torch.no_grad(): step() must handle that itself
    except NotImplementedError:
        raise
    except RuntimeError as error:  # autograd refuses an in-place edit of a leaf that requires grad
        check(False, hint, f"step() raised RuntimeError: {str(error)[:80]}")
    check_close(x.detach(), [-1.189818, 1.105934], hint, atol=1e-5)


def test_sgd_source_run():
    hint = "Did you include weight_decay·p in the step?"
    _, losses = _optimizer_run(SimpleGradientDescent, Bowl(), 50, lr=0.1, weight_decay=1e-3)
    check_close(losses[[0, 7, 14]], [3.9365, 0.1261, 0.2818], hint, atol=1e-3)


def test_sgd_matches_torch():
    hint = "torch.optim.SGD's weight_decay is the same L2 term; compare one step by hand."
    bowl = Bowl(squared=True, center=(1, 1))
    ours, _ = _optimizer_run(SimpleGradientDescent, bowl, 20, lr=0.2, weight_decay=1.0)
    theirs, _ = _optimizer_run(torch.optim.SGD, bowl, 20, lr=0.2, weight_decay=1.0)
    check_close(ours, theirs, hint, atol=1e-6)
    longer, _ = _optimizer_run(SimpleGradientDescent, bowl, 100, lr=0.2, weight_decay=1.0)
    check_close(longer[-1], [0.716232, -0.083342], hint, atol=1e-4)


def test_critical_lr():
    hint = "2 divided by the LARGEST eigenvalue; use torch.linalg.eigvalsh for symmetric A."
    A = Bowl(squared=True).hessian()  # BᵀB, eigenvalues 5.6530 and 0.0170
    check_close(critical_learning_rate(A), 0.353794, hint, atol=1e-5)
    check_close(critical_learning_rate(torch.diag(torch.tensor([4.0, 1.0]))), 0.5, hint, atol=1e-6)
    check_raises(
        ValueError,
        "Raise ValueError when λmax ≤ 0: then no step size makes GD converge.",
        critical_learning_rate,
        torch.zeros(2, 2),
    )
