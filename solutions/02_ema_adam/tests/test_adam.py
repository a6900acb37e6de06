"""Local tests of adam.py: adam_step by hand (two steps, weight decay, a tiny gradient) and Adam against
torch.optim.Adam on the cone."""

import torch

from adam import Adam, adam_step
from utils.landscapes import X0, Bowl
from utils.testing import check, check_close

THETA = torch.tensor([1.0, -2.0])
GRAD_1 = torch.tensor([0.5, -0.1])
GRAD_2 = torch.tensor([-0.5, 0.3])
ZEROS = torch.zeros(2)


def _two_steps(weight_decay=0.0):
    """(θ, m, v) after steps t = 1 and t = 2 from THETA with η 0.1, and whether step 1 left its inputs unchanged."""
    theta, m, v = THETA.clone(), ZEROS.clone(), ZEROS.clone()
    first = adam_step(theta, GRAD_1.clone(), m, v, 1, 0.1, weight_decay=weight_decay)
    unchanged = torch.equal(theta, THETA) and torch.equal(m, ZEROS) and torch.equal(v, ZEROS)
    second = adam_step(*first[:1], GRAD_2.clone(), *first[1:], 2, 0.1, weight_decay=weight_decay)
    return first, second, unchanged


def _adam_run(optimizer_cls, steps=50):
    """Iterates (steps+1, 2), read from x itself, and losses (steps,) on the cone from x0 (η 0.1, λ 0.1)."""
    x = X0.clone().requires_grad_(True)
    optimizer = optimizer_cls([x], lr=0.1, weight_decay=0.1)
    xs, losses = [x.detach().clone()], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = Bowl()(x)
        loss.backward()
        optimizer.step()  # deliberately outside torch.no_grad(): step() must handle that itself
        losses.append(loss.item())
        xs.append(x.detach().clone())
    return torch.stack(xs), torch.tensor(losses)


def test_adam_first_step():
    hint = "With bias correction, the first Adam step is −lr·g/(|g|+eps) ≈ −lr·sign(g)."
    (theta, m, v), _, unchanged = _two_steps()
    check_close(theta, [0.9, -1.9], hint, atol=1e-6)
    check_close(m, [0.05, -0.01], hint, atol=1e-6)
    check_close(v, [2.5e-4, 1e-5], hint, atol=1e-9)
    check(unchanged, hint, "adam_step modified param, m or v in place")


def test_adam_second_step():
    hint = "Numerator is the corrected first moment m̂, not the raw gradient."
    _, (theta, m, v), _ = _two_steps()
    check_close(theta, [0.905263, -1.949419], hint, atol=1e-6)
    check_close(m, [-0.005, 0.021], hint, atol=1e-6)
    check_close(v, [4.9975e-4, 9.999e-5], hint, atol=1e-9)


def test_adam_weight_decay():
    hint = "torch.optim.Adam adds λ·θ to the gradient before both moment updates (this is not AdamW)."
    (_, m, v), (theta, _, _), _ = _two_steps(weight_decay=0.5)
    check_close(m, [0.1, -0.11], hint, atol=1e-6)
    check_close(v, [1e-3, 1.21e-3], hint, atol=1e-9)
    check_close(theta, [0.836796, -1.804450], hint, atol=1e-6)


def test_adam_tiny_gradient():
    hint = "eps goes outside the square root: sqrt(v̂) + eps."
    theta, _, _ = adam_step(THETA.clone(), torch.full((2,), 1e-6), ZEROS.clone(), ZEROS.clone(), 1, 0.1)
    check_close(THETA - theta, [0.0990099, 0.0990099], hint, atol=1e-6)


def test_adam_bowl_vs_torch():
    hint = "Compare your first two steps with torch.optim.Adam's; update p in place under no_grad."
    try:
        ours, losses = _adam_run(Adam)
    except NotImplementedError:
        raise
    except RuntimeError as error:  # autograd refuses an in-place edit of a leaf that requires grad
        check(False, hint, f"step() raised RuntimeError: {str(error)[:80]}")
    theirs, _ = _adam_run(torch.optim.Adam)
    check(not torch.equal(ours[1], ours[0]), hint, "x did not move: write the update into p itself")
    check_close(losses[0:43:7], [3.9365, 2.0540, 0.1858, 0.6053, 0.0998, 0.1623, 0.0899], hint, atol=1e-3)
    check_close(ours, theirs, hint, atol=1e-5)


def test_adam_skips_none():
    hint = "Skip parameters whose .grad is None, like torch does."
    used, unused = torch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([3.0, 4.0], requires_grad=True)
    optimizer = Adam([used, unused], lr=0.1)
    (used**2).sum().backward()
    optimizer.step()
    check_close(unused.detach(), [3.0, 4.0], hint)
    check(unused not in optimizer.state, hint, "a parameter without a grad got a state entry")
    check_close(used.detach(), [0.9, 1.9], hint, atol=1e-6)
