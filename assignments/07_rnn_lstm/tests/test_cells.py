"""Local tests of charlm/cells.py: RNNCell and LSTMCell against torch's cells with the same weights (values and
gradients, float32 and float64), and run_rnn against a loop of torch cells, including a sequence split in two."""

import torch
from torch import nn

from charlm.cells import LSTMCell, RNNCell, run_rnn
from utils.testing import check, check_close

RNN_HINT = "Use both biases and multiply by Wᵀ: x @ W_ih.T + b_ih + h @ W_hh.T + b_hh."
LSTM_HINT = "torch stacks the gates as i, f, g, o; the forget gate scales the old c, not h; h' = o·tanh(c')."
GRAD_HINT = "Don't detach or use .data inside forward."
RUN_HINT = "Collect h after every step along dim 1 (batch-first)."
CARRY_HINT = "Start from the state you were given and return the last one."


def _first_line(error):
    """The first line of an exception's message (empty if it has none)."""
    return (str(error).strip().splitlines() or [""])[0]


def _pair(kind, D, H, dtype):
    """A torch cell built from torch.manual_seed(0) and your cell holding the same weights, both in ``dtype``."""
    torch.manual_seed(0)
    reference = (nn.RNNCell if kind == "rnn" else nn.LSTMCell)(D, H).to(dtype)
    mine = (RNNCell if kind == "rnn" else LSTMCell)(D, H).to(dtype)
    mine.load_state_dict(reference.state_dict())
    return reference, mine


def _inputs(B, D, H, dtype, seed=0):
    """x (B, D), h (B, H) and c (B, H) from standard normals."""
    generator = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(B, n, generator=generator, dtype=dtype) for n in (D, H, H))


def _call(hint, fn, *args):
    """fn(*args); a RuntimeError (mismatched shapes or dtypes) or a TypeError fails with ``hint``."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except (RuntimeError, TypeError) as error:
        crash = f"{type(error).__name__}: {_first_line(error)[:120]}"
    check(False, hint, crash)  # outside `except`, so only the hint line is printed


def _lstm_state(result, hint, where):
    """The (h, c) tuple returned by an LSTM cell."""
    pair = isinstance(result, tuple | list) and len(result) == 2
    check(pair, hint, f"{where}: the LSTM cell returned a {type(result).__name__}, expected the tuple (h', c')")
    return result


def test_rnn_cell_matches_torch():
    """B, D, H = 5, 7, 11 with the weights of torch.nn.RNNCell: h' within 1e-10 in float64 and 1e-6 in float32, in
    the input's dtype; h=None gives the same as explicit zeros."""
    B, D, H = 5, 7, 11
    for dtype, atol in ((torch.float64, 1e-10), (torch.float32, 1e-6)):
        reference, mine = _pair("rnn", D, H, dtype)
        x, h, _ = _inputs(B, D, H, dtype)
        out = _call(RNN_HINT, mine, x, h)
        check(isinstance(out, torch.Tensor), RNN_HINT, f"returned a {type(out).__name__}, expected h' (B, H)")
        check(out.dtype == dtype, RNN_HINT + " Keep x's dtype", f"{dtype}: h' has dtype {out.dtype}")
        check_close(out, reference(x, h), RNN_HINT + f" ({dtype})", atol=atol)
        zeros = torch.zeros(B, H, dtype=dtype)
        none = _call(RNN_HINT + " h=None means zeros of x's dtype.", mine, x, None)
        check_close(none, reference(x, zeros), RNN_HINT + f" h=None means zeros of x's dtype ({dtype})", atol=atol)


def test_lstm_cell_matches_torch():
    """(B, D, H) = (5, 7, 11) and (64, 32, 128) with the weights of torch.nn.LSTMCell: h' and c' within 1e-5 in
    float32 and 1e-10 in float64; state=None gives the same as two explicit zero tensors."""
    for B, D, H in ((5, 7, 11), (64, 32, 128)):
        for dtype, atol in ((torch.float64, 1e-10), (torch.float32, 1e-5)):
            reference, mine = _pair("lstm", D, H, dtype)
            x, h, c = _inputs(B, D, H, dtype)
            where = f"B,D,H = {B},{D},{H}, {dtype}"
            h_new, c_new = _lstm_state(_call(LSTM_HINT, mine, x, (h, c)), LSTM_HINT, where)
            h_ref, c_ref = reference(x, (h, c))
            check_close(h_new, h_ref, LSTM_HINT + f" (h', {where})", atol=atol)
            check_close(c_new, c_ref, LSTM_HINT + f" (c', {where})", atol=atol)
            zero_hint = LSTM_HINT + " state=None means two zero tensors of x's dtype."
            h_none, c_none = _lstm_state(_call(zero_hint, mine, x, None), zero_hint, where)
            zeros = torch.zeros(B, H, dtype=dtype)
            h_ref, c_ref = reference(x, (zeros, zeros))
            check_close(h_none, h_ref, zero_hint + f" (h', {where})", atol=atol)
            check_close(c_none, c_ref, zero_hint + f" (c', {where})", atol=atol)


def test_cell_gradients_match_torch():
    """float64, B, D, H = 4, 3, 5: the gradients of (h'·r).sum() (random r) with respect to x, h, c and the four
    parameters equal torch's within 1e-10, for both cells."""
    B, D, H = 4, 3, 5
    for kind in ("rnn", "lstm"):
        reference, mine = _pair(kind, D, H, torch.float64)
        x, h, c = _inputs(B, D, H, torch.float64, seed=1)
        r = torch.randn(B, H, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
        grads = {}
        for name, cell in (("torch", reference), ("yours", mine)):
            inputs = [t.clone().requires_grad_() for t in ((x, h, c) if kind == "lstm" else (x, h))]
            state = tuple(inputs[1:]) if kind == "lstm" else inputs[1]
            out = _call(GRAD_HINT, cell, inputs[0], state)
            h_new = out[0] if kind == "lstm" else out
            targets = inputs + list(cell.parameters())
            if not (isinstance(h_new, torch.Tensor) and h_new.requires_grad):
                check(False, GRAD_HINT, f"{kind}: h' is not connected to the inputs and weights")
            result = torch.autograd.grad((h_new * r).sum(), targets, allow_unused=True)
            grads[name] = [torch.zeros_like(t) if g is None else g for t, g in zip(targets, result, strict=True)]
        names = ["x", "h", "c"][: 3 if kind == "lstm" else 2] + [n for n, _ in mine.named_parameters()]
        for name, ours, theirs in zip(names, grads["yours"], grads["torch"], strict=True):
            check_close(ours, theirs, GRAD_HINT + f" ({kind}: gradient with respect to {name})", atol=1e-10)


def test_run_rnn_matches_loop():
    """x (3, 6, 4), H = 5, float64, from a zero state: run_rnn gives outputs (3, 6, 5) with outputs[:, -1] equal to
    the final h, equal to a loop of torch cells (1e-10), with torch's cells and with yours."""
    B, T, D, H = 3, 6, 4, 5
    x = torch.randn(B, T, D, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    for kind in ("rnn", "lstm"):
        reference, mine = _pair(kind, D, H, torch.float64)
        expected, state = [], None
        with torch.no_grad():
            for t in range(T):
                state = reference(x[:, t], state)
                expected.append(state[0] if kind == "lstm" else state)
        expected = torch.stack(expected, dim=1)
        for owner, cell in (("torch's", reference), ("your", mine)):
            where = f"{kind}, {owner} cell"
            with torch.no_grad():
                result = _call(RUN_HINT, run_rnn, cell, x)
            pair = isinstance(result, tuple | list) and len(result) == 2
            check(pair, RUN_HINT, f"{where}: run_rnn returned a {type(result).__name__}, expected (outputs, state)")
            outputs, final = result
            check(isinstance(outputs, torch.Tensor), RUN_HINT, f"{where}: outputs is a {type(outputs).__name__}")
            shape = tuple(outputs.shape)
            check(shape == (B, T, H), RUN_HINT, f"{where}: outputs shape {shape}, expected {(B, T, H)}")
            check_close(outputs, expected, RUN_HINT + f" ({where}: outputs[:, t] is h after step t)", atol=1e-10)
            if kind == "lstm":
                final = _lstm_state(final, RUN_HINT + " Return the cell's own state (h, c)", where)
                check_close(final[1], state[1], RUN_HINT + f" ({where}: final c)", atol=1e-10)
                final = final[0]
            check(isinstance(final, torch.Tensor), RUN_HINT, f"{where}: the final state is a {type(final).__name__}")
            check_close(final, outputs[:, -1], RUN_HINT + f" ({where}: the final h must equal outputs[:, -1])")


def test_state_carry():
    """Your cells, float64, x (2, 50, 3), H = 4: run_rnn over steps 0–22 and then over steps 23–49 from the returned
    state equals one run over all 50 steps (outputs and final state, 1e-10)."""
    B, T, D, H, split = 2, 50, 3, 4, 23
    x = torch.randn(B, T, D, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    for kind in ("rnn", "lstm"):
        _, cell = _pair(kind, D, H, torch.float64)
        with torch.no_grad():
            whole = _call(CARRY_HINT, run_rnn, cell, x)
            first = _call(CARRY_HINT, run_rnn, cell, x[:, :split])
            check(isinstance(first, tuple | list) and len(first) == 2, CARRY_HINT, f"{kind}: not (outputs, state)")
            second = _call(CARRY_HINT, run_rnn, cell, x[:, split:], first[1])
        outputs = _call(CARRY_HINT, torch.cat, [first[0], second[0]], 1)
        check_close(outputs, whole[0], CARRY_HINT + f" ({kind}: outputs of 23 + 27 steps against 50)", atol=1e-10)
        states = [(s,) if kind == "rnn" else tuple(s) for s in (second[1], whole[1])]
        for part, ours, theirs in zip(("h", "c"), *states, strict=False):
            check_close(ours, theirs, CARRY_HINT + f" ({kind}: final {part} of 23 + 27 steps against 50)", atol=1e-10)
