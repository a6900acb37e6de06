"""Local tests of charlm/model.py: CharRNN.forward's shapes, raw scores and initial loss, and the scratch backend
(your cells) against the fused one (torch's layers) with the same weights."""

import math

import torch
from torch.nn import functional as F

from charlm.model import CharRNN
from utils.testing import check, check_close

FORWARD_HINT = "Embed → recurrence → head; no softmax inside forward."
BACKENDS_HINT = "Your cell must be a drop-in for torch's: same weights, same result."


def _first_line(error):
    """The first line of an exception's message (empty if it has none)."""
    return (str(error).strip().splitlines() or [""])[0]


def _forward(model, x, hint, where):
    """model(x) as (logits, state); a RuntimeError or a wrong return type fails with ``hint``."""
    try:
        result = model(x)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        crash = f"{where}: RuntimeError: {_first_line(error)[:120]}"
    else:
        crash = ""
    check(not crash, hint, crash)  # outside `except`, so only the hint line is printed
    pair = isinstance(result, tuple | list) and len(result) == 2 and isinstance(result[0], torch.Tensor)
    check(pair, hint, f"{where}: forward returned a {type(result).__name__}, expected (logits, state)")
    return result


def test_charrnn_forward():
    """V = 53, E = 32, H = 128, torch.manual_seed(0), both cell types: logits (2, 9, V) for x (2, 9); the mean
    cross-entropy at initialisation (random ids and targets, (16, 64)) is within 0.15 of ln V; the logits are raw
    scores (some negative, some positive)."""
    V = 53
    generator = torch.Generator().manual_seed(0)
    x_small = torch.randint(V, (2, 9), generator=generator)
    x, y = torch.randint(V, (16, 64), generator=generator), torch.randint(V, (16, 64), generator=generator)
    for cell_type in ("rnn", "lstm"):
        torch.manual_seed(0)
        model = CharRNN(V, embed_dim=32, hidden_size=128, cell_type=cell_type)
        with torch.no_grad():
            logits, _ = _forward(model, x_small, FORWARD_HINT, cell_type)
            shape = tuple(logits.shape)
            check(
                shape == (2, 9, V),
                FORWARD_HINT,
                f"{cell_type}: logits shape {shape} for x (2, 9), expected (2, 9, {V})",
            )
            some_negative, some_positive = bool((logits < 0).any()), bool((logits > 0).any())
            fact = f"{cell_type}: every logit is {'>= 0' if not some_negative else '<= 0'}, as after a (log-)softmax"
            check(some_negative and some_positive, FORWARD_HINT, fact)
            logits, _ = _forward(model, x, FORWARD_HINT, cell_type)
            loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1)).item()
        check_close(
            loss, math.log(V), FORWARD_HINT + f" ({cell_type}: loss at init {loss:.3f}, ln V = 3.970)", atol=0.15
        )


def test_backends_agree():
    """V = 11, E = 5, H = 7, float32, both cell types: model.to_backend("scratch") gives the logits and the final
    state of the fused model within 1e-5 on x (3, 10), from a zero state and from a given state."""
    V = 11
    generator = torch.Generator().manual_seed(1)
    x = torch.randint(V, (3, 10), generator=generator)
    for cell_type in ("rnn", "lstm"):
        torch.manual_seed(0)
        fused = CharRNN(V, embed_dim=5, hidden_size=7, cell_type=cell_type, backend="fused")
        scratch = fused.to_backend("scratch")
        with torch.no_grad():
            logits, state = _forward(fused, x, BACKENDS_HINT, f"{cell_type}, fused")
            ours, our_state = _forward(scratch, x, BACKENDS_HINT, f"{cell_type}, scratch")
            check_close(ours, logits, BACKENDS_HINT + f" ({cell_type}: logits)", atol=1e-5)
            states = [(s,) if cell_type == "rnn" else tuple(s) for s in (our_state, state)]
            for part, mine, theirs in zip(("h", "c"), *states, strict=False):
                check_close(mine, theirs, BACKENDS_HINT + f" ({cell_type}: final {part})", atol=1e-5)
            expected, _ = fused(x, state)
            ours, _ = scratch(x, state)
            check_close(ours, expected, BACKENDS_HINT + f" ({cell_type}: logits from a given state)", atol=1e-5)
