"""Local tests of charlm/gradients.py: global-norm clipping against torch.nn.utils.clip_grad_norm_, and the
per-step gradient norms of an unrolled scratch model against the analytic last step."""

import torch

from charlm.gradients import clip_grad_norm, hidden_grad_norms
from charlm.model import CharRNN
from utils.testing import check, check_close, check_raises

CLIP_HINT = "One global norm over all parameters, computed before scaling; only shrink, never grow."
GRAD_NORMS_HINT = "Use sum reduction over the batch; take one norm per example, then average."


def _parameters(seed):
    """Float64 parameters (3, 4), (5,), a 0-d one and (2, 2, 2) with random grads, and one (3,) with grad None."""
    generator = torch.Generator().manual_seed(seed)
    params = []
    for shape in ((3, 4), (5,), (), (2, 2, 2), (3,)):
        p = torch.randn(shape, generator=generator, dtype=torch.float64).requires_grad_()
        p.grad = 2.0 * torch.randn(shape, generator=generator, dtype=torch.float64)
        params.append(p)
    params[-1].grad = None
    return params


def _copy(params):
    copies = [p.detach().clone().requires_grad_() for p in params]
    for p, q in zip(params, copies, strict=True):
        q.grad = None if p.grad is None else p.grad.clone()
    return copies


def test_clip_grad_norm_matches_torch():
    """Float64 grads of five parameters (one 0-d, one with grad None), passed as a generator: with max_norm = 1
    (below the norm, about 7.4) the returned Python float and the clipped grads equal torch's within 1e-12; with
    max_norm = 100 the norm is returned and the grads are unchanged; the grad=None parameter stays None."""
    params = _parameters(0)
    reference = _copy(params)
    expected = float(torch.nn.utils.clip_grad_norm_(reference, 1.0))
    norm = clip_grad_norm((p for p in params), 1.0)
    check(isinstance(norm, float), CLIP_HINT + " Return a Python float", f"returned a {type(norm).__name__}")
    check_close(norm, expected, CLIP_HINT + " (the returned norm, before clipping)", atol=1e-12)
    for i, (p, q) in enumerate(zip(params[:-1], reference[:-1], strict=True)):
        check_close(p.grad, q.grad, CLIP_HINT + f" (clipped grad of parameter {i}, shape {tuple(p.shape)})", atol=1e-12)
    check(params[-1].grad is None, CLIP_HINT + " Skip parameters whose grad is None", "a grad appeared")
    params = _parameters(1)
    before = _copy(params)
    expected = float(torch.nn.utils.clip_grad_norm_(_copy(params), 100.0))
    norm = clip_grad_norm(params, 100.0)
    check_close(norm, expected, CLIP_HINT + " (max_norm above the norm: return the norm)", atol=1e-12)
    for i, (p, q) in enumerate(zip(params[:-1], before[:-1], strict=True)):
        check(torch.equal(p.grad, q.grad), CLIP_HINT, f"max_norm above the norm: grad of parameter {i} changed")


def _model(cell_type, backend="scratch"):
    torch.manual_seed(0)
    model = CharRNN(7, embed_dim=5, hidden_size=6, cell_type=cell_type, backend=backend)
    return model.double()


def _analytic_last(model, x, y):
    """mean_b ‖W_headᵀ(softmax(z_b) − e_{y_b})‖ with z = head(h_{T−1}) from torch's fused layer."""
    fused = model.to_backend("fused")
    with torch.no_grad():
        outputs, _ = fused.recurrent(fused.embed(x))
        z = fused.head(outputs[:, -1])
        delta = torch.softmax(z, dim=1) - torch.nn.functional.one_hot(y, z.shape[1]).to(z.dtype)
        return (delta @ fused.head.weight).norm(dim=1).mean()


def test_hidden_grad_norms():
    """Scratch models (V = 7, E = 5, H = 6, float64), x (4, 6), y (4,): the result has shape (T,) = (6,); for an RNN
    and an LSTM g[T−1] equals the analytic mean_b ‖W_headᵀ(softmax(z_b) − e_{y_b})‖ within 1e-6; an RNN with
    weight_hh = 0 gives g[t] == 0 for every t < T−1; a fused model raises ValueError."""
    generator = torch.Generator().manual_seed(0)
    x, y = torch.randint(7, (4, 6), generator=generator), torch.randint(7, (4,), generator=generator)
    for cell_type in ("rnn", "lstm"):
        model = _model(cell_type)
        g = hidden_grad_norms(model, x, y)
        check(isinstance(g, torch.Tensor), GRAD_NORMS_HINT, f"{cell_type}: returned a {type(g).__name__}")
        check(tuple(g.shape) == (6,), GRAD_NORMS_HINT, f"{cell_type}: shape {tuple(g.shape)}, expected (T,) = (6,)")
        expected = _analytic_last(model, x, y)
        check_close(g[-1], expected, GRAD_NORMS_HINT + f" ({cell_type}: g[T−1], the last step)", atol=1e-6)
    model = _model("rnn")
    with torch.no_grad():
        model.recurrent.cell.weight_hh.zero_()
    g = hidden_grad_norms(model, x, y)
    nonzero = [t for t in range(5) if float(g[t]) != 0.0]
    check(not nonzero, GRAD_NORMS_HINT, f"weight_hh = 0, so only h_(T−1) reaches the loss; g[t] ≠ 0 at t = {nonzero}")
    check_raises(
        ValueError,
        GRAD_NORMS_HINT + " A fused model raises ValueError",
        hidden_grad_norms,
        _model("rnn", "fused"),
        x,
        y,
    )
