"""Hidden checks of assignment 07 (spec §5): the vocabulary, encoding, decoding and windows; the RNN and LSTM
cells, the unrolling loop and the model's forward; temperature sampling and generation; global-norm clipping and
the per-step hidden-state gradient norms.

Every check receives the student's package ``charlm``. Both halves rebuild each check's inputs from the seed (a
``torch.Generator`` seeded with it); ``judge`` recomputes the expected values with torch's own modules
(``nn.RNNCell``, ``nn.LSTMCell``, ``nn.RNN``, ``nn.LSTM``, ``torch.nn.utils.clip_grad_norm_``) or with its own
reference (vocabulary, windows, greedy decoding, the gradient norms by autograd). Checks that need a cell or a model
(``run_rnn``, ``generate``, ``hidden_grad_norms``) hand the student function the check's own reference cell or model,
so each check grades one function only.

What each check observes:
- ``build_vocab``: random texts (with ``\\n``) give itos = sorted(set(text)) and stoi its inverse; "" raises ValueError.
- ``encode``: ids equal stoi's, dtype torch.long; an unknown character raises KeyError whose message names it.
- ``decode``: a list and a 1-D tensor decode to the text; a 2-D tensor raises ValueError.
- ``make_windows``: stride ∈ {1, 2, 5, T} and L = T+1 (N = 1): X, Y equal the reference (exact), dtype long;
  L = T raises ValueError.
- ``rnn_cell__forward``, ``lstm_cell__forward``: random B ∈ {1,3,17}, D ∈ {1,5}, H ∈ {1,7,32} in float32 (atol 1e-5)
  and float64 (atol 1e-10) against torch's cell with the same weights, with a given state and with None; the
  given state is unchanged (clone comparison); float64 gradients w.r.t. x and the state (atol 1e-10); all run with
  ``torch._VF`` rnn_tanh_cell, lstm_cell, rnn_tanh and lstm patched to raise.
- ``run_rnn``: T ∈ {1, 2, 9}, both reference cells, float32/64: outputs (B, T, H) and final state equal a loop of
  torch cells; a run split at a random k carries the state; the caller's state is unchanged; T = 0 raises ValueError.
- ``char_rnn__forward``: a fused float64 CharRNN with seeded weights gives the reference logits (B, T, V) and state
  (atol 1e-10), a split run carries the state, the given state is unchanged.
- ``clip_grad_norm``: random float64 grads (a 0-d parameter, a grad=None parameter), given as a generator, with
  max_norm below and above the norm and inf: norm (Python float) and grads vs ``clip_grad_norm_`` (atol 1e-12);
  max_norm = 0 raises ValueError; an empty iterable returns 0.0.
- ``sample_next``: τ ∈ {0, 1e-4} and logits spread over [0, 50] at τ = 1e-3 give the argmax; τ < 0 raises
  ValueError; 1,500 draws at τ = 1 are within 0.05 of the softmax; the entropy at τ = 2 exceeds that at τ = 0.5;
  the same generator seed gives the same draws.
- ``generate``: a seeded reference LSTM/RNN model: τ = 0 equals a greedy reference that reruns the whole text (exact),
  whatever the seed; the same seed gives the same text at τ = 1 with exactly n characters from itos; empty prompt
  ValueError, unknown prompt character KeyError; train and eval mode restored.
- ``hidden_grad_norms``: a seeded reference scratch model (RNN and LSTM): g equals the autograd reference (rtol 1e-6),
  shape (T,); a duplicated batch gives the same g (1e-6); no parameter has a .grad afterwards; a fused model raises
  ValueError.

Residual trust: what only ``run`` observes — dtypes, exception types and messages, the parameters' ``.grad`` and the
caller's state after the call, and the model mode.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from autograder.checks._base import checks, exception_raised, judged, plain, student_error
from utils.testing import check, check_close

F64 = {"rtol": 0.0, "atol": 1e-10}
F32 = {"rtol": 0.0, "atol": 1e-5}
PACKAGE = "charlm"
ALPHABET = list("abcdefghijklmnopqrstuvwxyz .,\n()'")
VF_NAMES = ("rnn_tanh_cell", "lstm_cell", "rnn_tanh", "lstm")


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _tol(dtype: torch.dtype) -> dict:
    return F64 if dtype == torch.float64 else F32


class _FusedCall(RuntimeError):
    """Raised by the patched ``torch._VF`` kernels."""


FUSED_HINT = (
    "Hint: {} called torch's fused RNN/LSTM kernels; write the step with tensor ops (no nn.RNN*, nn.LSTM*, _VF)."
)


def _cell_error(name: str, error: BaseException) -> dict:
    """``student_error``, naming the fused-kernel rule when the patched ``_VF`` raised."""
    if isinstance(error, _FusedCall):
        return {"error": FUSED_HINT.format(name)}
    return student_error(name, error, PACKAGE)


@contextmanager
def _no_fused_ops() -> Iterator[None]:
    """``torch._VF``'s recurrent kernels replaced by functions that raise (spec §5)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise _FusedCall("fused recurrent kernel called")

    saved = {name: getattr(torch._VF, name) for name in VF_NAMES}
    try:
        for name in VF_NAMES:
            setattr(torch._VF, name, refuse)
        yield
    finally:
        for name, fn in saved.items():
            setattr(torch._VF, name, fn)


# ------------------------------------------------------------------------------------------------- data


def _texts(seed: int) -> list[str]:
    g = _gen(seed)
    texts = []
    for length in (1, 7, 60):
        idx = torch.randint(len(ALPHABET), (length,), generator=g).tolist()
        texts.append("".join(ALPHABET[i] for i in idx))
    return [*texts, "hello world\n"]


def _run_build_vocab(student: Any, seed: int) -> dict:
    try:
        out = [student.build_vocab(t) for t in _texts(seed)]
        vocabs = [({str(k): int(v) for k, v in stoi.items()}, [str(c) for c in itos]) for stoi, itos in out]
    except Exception as error:  # noqa: BLE001
        return student_error("build_vocab", error, PACKAGE)
    return {"vocabs": vocabs, "empty": exception_raised(student.build_vocab, "")}


@judged
def _judge_build_vocab(data: dict, seed: int) -> None:
    for text, (stoi, itos) in zip(_texts(seed), data["vocabs"], strict=True):
        expected = sorted(set(text))
        check(itos == expected, "itos = sorted(set(text)): sort the unique characters", f"text {text[:20]!r}")
        check(stoi == {c: i for i, c in enumerate(expected)}, "stoi[c] must be the index of c in itos")
    check(data["empty"] == "ValueError", "build_vocab('') must raise ValueError", data["empty"])


def _run_encode(student: Any, seed: int) -> dict:
    texts = _texts(seed)
    stoi = {c: i for i, c in enumerate(sorted(set(ALPHABET)))}
    try:
        encoded = [student.encode(t, stoi) for t in texts]
        result = [{"dtype": str(getattr(e, "dtype", type(e).__name__)), "ids": plain(e).tolist()} for e in encoded]
    except Exception as error:  # noqa: BLE001
        return student_error("encode", error, PACKAGE)
    missing = {c: i for c, i in stoi.items() if c != "x"}
    try:
        student.encode("abx", missing)
        unknown = "no error"
    except KeyError as error:
        unknown = "KeyError naming it" if "x" in str(error) else "KeyError"
    except Exception as error:  # noqa: BLE001
        unknown = type(error).__name__
    return {"encoded": result, "unknown": unknown}


@judged
def _judge_encode(data: dict, seed: int) -> None:
    stoi = {c: i for i, c in enumerate(sorted(set(ALPHABET)))}
    for text, got in zip(_texts(seed), data["encoded"], strict=True):
        check(got["dtype"] == "torch.int64", "encode must return a torch.long tensor", f"got {got['dtype']}")
        check(got["ids"] == [float(stoi[c]) for c in text], "encode: ids[i] = stoi[text[i]]", f"text {text[:20]!r}")
    check(
        data["unknown"] == "KeyError naming it",
        "Unknown characters must raise KeyError naming the character, not map to 0.",
        data["unknown"],
    )


def _run_decode(student: Any, seed: int) -> dict:
    itos = sorted(set(ALPHABET))
    ids = torch.randint(len(itos), (23,), generator=_gen(seed))
    try:
        from_list = student.decode(ids.tolist(), itos)
        from_tensor = student.decode(ids, itos)
    except Exception as error:  # noqa: BLE001
        return student_error("decode", error, PACKAGE)
    return {
        "list": from_list,
        "tensor": from_tensor,
        "two_d": exception_raised(student.decode, ids.reshape(1, -1), itos),
    }


@judged
def _judge_decode(data: dict, seed: int) -> None:
    itos = sorted(set(ALPHABET))
    ids = torch.randint(len(itos), (23,), generator=_gen(seed))
    expected = "".join(itos[i] for i in ids.tolist())
    check(data["list"] == expected, "decode of a list of ints: ''.join(itos[i] for i in ids)")
    check(data["tensor"] == expected, "decode of a 1-D LongTensor: ''.join(itos[i] for i in ids)")
    check(data["two_d"] == "ValueError", "decode of a 2-D tensor must raise ValueError", data["two_d"])


def _window_cases(seed: int) -> list[tuple[int, int, int]]:
    """(L, T, stride): stride 1, 2, 5 and T, plus L = T + 1."""
    g = _gen(seed)
    T = int(torch.randint(1, 9, (1,), generator=g))
    L = int(torch.randint(T + 1, T + 40, (1,), generator=g))
    return [(L, T, 1), (L, T, 2), (L, T, 5), (L, T, T), (T + 1, T, 1), (T + 1, T, 3)]


def _run_make_windows(student: Any, seed: int) -> dict:
    cases = []
    try:
        for L, T, stride in _window_cases(seed):
            ids = torch.randint(100, (L,), generator=_gen(seed + L))
            X, Y = student.make_windows(ids, T, stride)
            cases.append({"dtype": [str(X.dtype), str(Y.dtype)], "X": plain(X).tolist(), "Y": plain(Y).tolist()})
    except Exception as error:  # noqa: BLE001
        return student_error("make_windows", error, PACKAGE)
    T = _window_cases(seed)[0][1]
    return {"cases": cases, "short": exception_raised(student.make_windows, torch.arange(T), T)}


@judged
def _judge_make_windows(data: dict, seed: int) -> None:
    for (L, T, stride), got in zip(_window_cases(seed), data["cases"], strict=True):
        ids = torch.randint(100, (L,), generator=_gen(seed + L)).tolist()
        starts = range(0, L - T, stride)
        X = [[float(v) for v in ids[s : s + T]] for s in starts]
        Y = [[float(v) for v in ids[s + 1 : s + T + 1]] for s in starts]
        where = f" (L={L}, T={T}, stride={stride})"
        check(got["dtype"] == ["torch.int64", "torch.int64"], "X and Y must be long tensors" + where)
        check(len(got["X"]) == len(X), "N = ⌊(L−T−1)/stride⌋ + 1 windows" + where, f"got {len(got['X'])}")
        check(got["X"] == X, "X[k] = ids[s:s+T] with s = k·stride" + where)
        check(got["Y"] == Y, "Y[k] = ids[s+1:s+T+1]: the target of position t is the character at t+1" + where)
    check(data["short"] == "ValueError", "L = T must raise ValueError: a window needs T+1 characters", data["short"])


# ------------------------------------------------------------------------------------------------- cells


def _weights(seed: int, D: int, H: int, gates: int, dtype: torch.dtype) -> dict[str, torch.Tensor]:
    g = _gen(seed)
    shapes = {
        "weight_ih": (gates * H, D),
        "weight_hh": (gates * H, H),
        "bias_ih": (gates * H,),
        "bias_hh": (gates * H,),
    }
    return {k: (torch.rand(s, generator=g, dtype=torch.float64) * 2 - 1).to(dtype) for k, s in shapes.items()}


def _cell_cases(seed: int) -> list[dict]:
    g = _gen(seed)

    def pick(options: tuple[int, ...]) -> int:
        return options[int(torch.randint(len(options), (1,), generator=g))]

    cases = [{"B": 1, "D": 1, "H": 1, "dtype": torch.float64}]
    for dtype in (torch.float32, torch.float64, torch.float64):
        cases.append({"B": pick((1, 3, 17)), "D": pick((1, 5)), "H": pick((1, 7, 32)), "dtype": dtype})
    return cases


def _cell_inputs(seed: int, case: dict, lstm: bool) -> tuple[dict, torch.Tensor, Any]:
    B, D, H, dtype = case["B"], case["D"], case["H"], case["dtype"]
    weights = _weights(seed, D, H, 4 if lstm else 1, dtype)
    g = _gen(seed + 1)
    x = torch.randn(B, D, generator=g, dtype=torch.float64).to(dtype)
    h = torch.randn(B, H, generator=g, dtype=torch.float64).to(dtype)
    c = torch.randn(B, H, generator=g, dtype=torch.float64).to(dtype)
    return weights, x, ((h, c) if lstm else h)


def _as_tuple(state: Any) -> tuple:
    return tuple(state) if isinstance(state, tuple | list) else (state,)


def _run_cell(student: Any, seed: int, lstm: bool) -> dict:
    name = "LSTMCell.forward" if lstm else "RNNCell.forward"
    results = []
    try:
        with _no_fused_ops():
            for case in _cell_cases(seed):
                weights, x, state = _cell_inputs(seed, case, lstm)
                cell = (student.LSTMCell if lstm else student.RNNCell)(case["D"], case["H"]).to(case["dtype"])
                cell.load_state_dict(weights)
                clones = [s.clone() for s in _as_tuple(state)]
                given = _as_tuple(cell(x, state))
                unchanged = all(torch.equal(a, b) for a, b in zip(_as_tuple(state), clones, strict=True))
                none = _as_tuple(cell(x, None))
                entry = {
                    "given": [plain(s) for s in given],
                    "none": [plain(s) for s in none],
                    "dtypes": [str(s.dtype) for s in given + none],
                    "unchanged": unchanged,
                }
                if case["dtype"] == torch.float64:
                    xg = x.clone().requires_grad_(True)
                    sg = tuple(s.clone().requires_grad_(True) for s in _as_tuple(state))
                    out = _as_tuple(cell(xg, sg if lstm else sg[0]))
                    grads = torch.autograd.grad(out[0].sum() + out[-1].pow(2).sum(), (xg, *sg), allow_unused=True)
                    entry["grads"] = [None if gr is None else plain(gr) for gr in grads]
                results.append(entry)
    except Exception as error:  # noqa: BLE001
        return _cell_error(name, error)
    return {"results": results}


def _torch_cell(weights: dict, lstm: bool, dtype: torch.dtype) -> nn.Module:
    H, D = weights["weight_hh"].shape[1], weights["weight_ih"].shape[1]
    cell = (nn.LSTMCell if lstm else nn.RNNCell)(D, H).to(dtype)
    cell.load_state_dict(weights)
    return cell


def _judge_cell(data: dict, seed: int, lstm: bool) -> None:
    hint = (
        "torch stacks the gates as i, f, g, o; the forget gate scales the old c; h' = o·tanh(c')"
        if lstm
        else "Use both biases and multiply by Wᵀ: tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)"
    )
    for case, got in zip(_cell_cases(seed), data["results"], strict=True):
        weights, x, state = _cell_inputs(seed, case, lstm)
        cell, dtype = _torch_cell(weights, lstm, case["dtype"]), case["dtype"]
        where = f" (B={case['B']}, D={case['D']}, H={case['H']}, {str(dtype)[6:]})"
        check(len(got["given"]) == (2 if lstm else 1), "return (h', c') for the LSTM, h' for the RNN" + where)
        check(got["unchanged"], "never modify the given state in place" + where)
        check(all(d == str(dtype) for d in got["dtypes"]), "keep x's dtype (also for state=None)" + where)
        expected = _as_tuple(cell(x, state))
        zeros = _as_tuple(cell(x, None))
        for a, b in zip(got["given"], expected, strict=True):
            check_close(a, plain(b), hint + where, **_tol(dtype))
        for a, b in zip(got["none"], zeros, strict=True):
            check_close(a, plain(b), "state=None means zeros of x's dtype" + where, **_tol(dtype))
        if "grads" in got:
            xg = x.clone().requires_grad_(True)
            sg = tuple(s.clone().requires_grad_(True) for s in _as_tuple(state))
            out = _as_tuple(cell(xg, sg if lstm else sg[0]))
            grads = torch.autograd.grad(out[0].sum() + out[-1].pow(2).sum(), (xg, *sg))
            for a, b in zip(got["grads"], grads, strict=True):
                check(a is not None, "Don't detach or use .data inside forward" + where)
                check_close(a, plain(b), "Don't detach or use .data inside forward" + where, **F64)


def _run_rnn_cell(student: Any, seed: int) -> dict:
    return _run_cell(student, seed, lstm=False)


def _run_lstm_cell(student: Any, seed: int) -> dict:
    return _run_cell(student, seed, lstm=True)


@judged
def _judge_rnn_cell(data: dict, seed: int) -> None:
    _judge_cell(data, seed, lstm=False)


@judged
def _judge_lstm_cell(data: dict, seed: int) -> None:
    _judge_cell(data, seed, lstm=True)


# ------------------------------------------------------------------------------------------------- run_rnn


class _RefCell(nn.Module):
    """The check's own cells (plain tensor ops, no _VF), torch's parameter names and gate order."""

    weight_ih: torch.Tensor
    weight_hh: torch.Tensor
    bias_ih: torch.Tensor
    bias_hh: torch.Tensor

    def __init__(self, weights: dict, lstm: bool) -> None:
        super().__init__()
        self.lstm = lstm
        for name, value in weights.items():
            setattr(self, name, nn.Parameter(value.clone()))

    def forward(self, x: torch.Tensor, state: Any = None) -> Any:
        H = self.weight_hh.shape[1]
        if state is None:
            zeros = x.new_zeros(x.shape[0], H)
            state = (zeros, zeros) if self.lstm else zeros
        h = state[0] if self.lstm else state
        z = x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh
        if not self.lstm:
            return torch.tanh(z)
        i, f, g, o = z.chunk(4, dim=1)
        c = torch.sigmoid(f) * state[1] + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


def _run_cases(seed: int) -> list[dict]:
    g = _gen(seed + 7)
    cases = []
    for lstm in (False, True):
        for T, dtype in ((1, torch.float64), (2, torch.float32), (9, torch.float64)):
            B, D, H = (1, 3, 17)[int(torch.randint(3, (1,), generator=g))], 5, (1, 7, 32)[lstm + 1]
            k = int(torch.randint(1, T + 1, (1,), generator=g))
            cases.append({"lstm": lstm, "T": T, "B": B, "D": D, "H": H, "dtype": dtype, "k": k})
    return cases


def _run_inputs(seed: int, case: dict) -> tuple[dict, torch.Tensor, Any]:
    weights = _weights(seed, case["D"], case["H"], 4 if case["lstm"] else 1, case["dtype"])
    g = _gen(seed + case["T"])
    x = torch.randn(case["B"], case["T"], case["D"], generator=g, dtype=torch.float64).to(case["dtype"])
    h = torch.randn(case["B"], case["H"], generator=g, dtype=torch.float64).to(case["dtype"])
    c = torch.randn(case["B"], case["H"], generator=g, dtype=torch.float64).to(case["dtype"])
    return weights, x, ((h, c) if case["lstm"] else h)


def _run_run_rnn(student: Any, seed: int) -> dict:
    results = []
    try:
        with _no_fused_ops(), torch.no_grad():
            for case in _run_cases(seed):
                weights, x, state = _run_inputs(seed, case)
                cell = _RefCell(weights, case["lstm"])
                clones = [s.clone() for s in _as_tuple(state)]
                out, final = student.run_rnn(cell, x, state)
                unchanged = all(torch.equal(a, b) for a, b in zip(_as_tuple(state), clones, strict=True))
                k = case["k"]
                out1, mid = student.run_rnn(cell, x[:, :k], state)
                parts = [out1]
                if k < case["T"]:
                    out2, final2 = student.run_rnn(cell, x[:, k:], mid)
                    parts.append(out2)
                else:
                    final2 = mid
                results.append(
                    {
                        "out": plain(out),
                        "final": [plain(s) for s in _as_tuple(final)],
                        "final_type": "tuple" if isinstance(final, tuple) else "tensor",
                        "split": plain(torch.cat(parts, dim=1)),
                        "split_final": [plain(s) for s in _as_tuple(final2)],
                        "unchanged": unchanged,
                    }
                )
            empty = exception_raised(
                student.run_rnn,
                _RefCell(_weights(seed, 2, 3, 1, torch.float64), False),
                torch.zeros(2, 0, 2, dtype=torch.float64),
            )
    except Exception as error:  # noqa: BLE001
        return _cell_error("run_rnn", error)
    return {"results": results, "empty": empty}


def _loop(cell: nn.Module, x: torch.Tensor, state: Any) -> tuple[torch.Tensor, Any]:
    outs = []
    for t in range(x.shape[1]):
        state = cell(x[:, t], state)
        outs.append(state[0] if isinstance(state, tuple) else state)
    return torch.stack(outs, dim=1), state


@judged
def _judge_run_rnn(data: dict, seed: int) -> None:
    hint = "Collect h after every step along dim 1 (batch-first); start from the given state"
    for case, got in zip(_run_cases(seed), data["results"], strict=True):
        weights, x, state = _run_inputs(seed, case)
        cell = _torch_cell(weights, case["lstm"], case["dtype"])
        with torch.no_grad():
            out, final = _loop(cell, x, state)
        tol = _tol(case["dtype"])
        where = f" ({'LSTM' if case['lstm'] else 'RNN'} B={case['B']}, T={case['T']}, H={case['H']})"
        check(got["unchanged"], "never modify the caller's state in place" + where)
        check_close(got["out"], plain(out), hint + where, **tol)
        check(got["final_type"] == ("tuple" if case["lstm"] else "tensor"), "return the cell's own state type" + where)
        for a, b in zip(got["final"], _as_tuple(final), strict=True):
            check_close(a, plain(b), "return the state after the last step" + where, **tol)
        check_close(got["split"], plain(out), "a run continued from the returned state must carry on" + where, **tol)
        for a, b in zip(got["split_final"], _as_tuple(final), strict=True):
            check_close(a, plain(b), "start from the state you were given and return the last one" + where, **tol)
    check(data["empty"] == "ValueError", "T = 0 must raise ValueError", data["empty"])


# ------------------------------------------------------------------------------------------------- CharRNN


def _model_spec(seed: int) -> dict:
    g = _gen(seed + 11)
    lstm = bool(int(torch.randint(2, (1,), generator=g)))
    return {"V": 6, "E": 4, "H": 5, "lstm": lstm, "B": 3, "T": 7, "k": int(torch.randint(1, 7, (1,), generator=g))}


def _model_weights(seed: int, spec: dict, prefix: str) -> dict[str, torch.Tensor]:
    g = _gen(seed + 3)
    V, E, H, gates = spec["V"], spec["E"], spec["H"], 4 if spec["lstm"] else 1

    def u(*shape: int) -> torch.Tensor:
        return torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1

    names = {
        "weight_ih": u(gates * H, E),
        "weight_hh": u(gates * H, H),
        "bias_ih": u(gates * H),
        "bias_hh": u(gates * H),
    }
    weights = {"embed.weight": u(V, E), "head.weight": u(V, H), "head.bias": u(V)}
    weights.update({prefix.format(name): value for name, value in names.items()})
    return weights


def _model_inputs(seed: int, spec: dict) -> tuple[torch.Tensor, Any]:
    g = _gen(seed + 5)
    x = torch.randint(spec["V"], (spec["B"], spec["T"]), generator=g)
    h = torch.randn(spec["B"], spec["H"], generator=g, dtype=torch.float64)
    c = torch.randn(spec["B"], spec["H"], generator=g, dtype=torch.float64)
    return x, ((h, c) if spec["lstm"] else h)


def _run_char_rnn(student: Any, seed: int) -> dict:
    spec = _model_spec(seed)
    x, state = _model_inputs(seed, spec)
    try:
        model = student.CharRNN(spec["V"], spec["E"], spec["H"], "lstm" if spec["lstm"] else "rnn", "fused").double()
        model.load_state_dict(_model_weights(seed, spec, "recurrent.rnn.{}_l0"))
        clones = [s.clone() for s in _as_tuple(state)]
        with torch.no_grad():
            logits, final = model(x, state)
            unchanged = all(torch.equal(a, b) for a, b in zip(_as_tuple(state), clones, strict=True))
            first, mid = model(x[:, : spec["k"]], state)
            second, _ = model(x[:, spec["k"] :], mid)
            fresh, _ = model(x)
        smoke = [_smoke_run(student, cell_type) for cell_type in ("rnn", "lstm")]
    except Exception as error:  # noqa: BLE001
        return student_error("CharRNN.forward", error, PACKAGE)
    return {
        "logits": plain(logits),
        "final": [plain(s) for s in _as_tuple(final)],
        "split": plain(torch.cat([first, second], dim=1)),
        "fresh": plain(fresh),
        "unchanged": unchanged,
        "smoke": smoke,
    }


SMOKE_TEXT = "abcd" * 50


def _smoke_run(student: Any, cell_type: str) -> dict:
    """Spec §5's end-to-end smoke run: a fused model (so only the student's forward is graded) learns "abcd"*50.

    Adam lr 0.05, 60 steps of 16 random windows of 8; then a greedy continuation of "ab" by a loop that feeds one
    character at a time with the carried state. A softmax inside forward keeps the loss far above 0.05.
    """
    itos = sorted(set(SMOKE_TEXT))
    ids = torch.tensor([itos.index(ch) for ch in SMOKE_TEXT])
    starts = torch.arange(len(ids) - 8)
    X = torch.stack([ids[s : s + 8] for s in starts])
    Y = torch.stack([ids[s + 1 : s + 9] for s in starts])
    torch.manual_seed(0)
    model = student.CharRNN(len(itos), 8, 16, cell_type, "fused")
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    g = _gen(0)
    for _ in range(60):
        batch = torch.randint(len(X), (16,), generator=g)
        logits, _ = model(X[batch])
        loss = F.cross_entropy(logits.reshape(-1, len(itos)), Y[batch].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        logits, state = model(torch.tensor([[0, 1]]))
        text = ""
        for _ in range(8):
            nxt = int(logits[0, -1].argmax())
            text += itos[nxt]
            logits, state = model(torch.tensor([[nxt]]), state)
    return {"loss": loss.item(), "text": text}


def _reference_model(seed: int, spec: dict) -> nn.Module:
    class Ref(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(spec["V"], spec["E"])
            layer = nn.LSTM if spec["lstm"] else nn.RNN
            self.rnn = layer(spec["E"], spec["H"], batch_first=True)
            self.head = nn.Linear(spec["H"], spec["V"])

        def forward(self, x: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
            if state is not None:
                state = tuple(s.unsqueeze(0) for s in state) if isinstance(state, tuple) else state.unsqueeze(0)
            out, final = self.rnn(self.embed(x), state)
            final = (final[0][0], final[1][0]) if isinstance(final, tuple) else final[0]
            return self.head(out), final

    model = Ref().double()
    model.load_state_dict(_model_weights(seed, spec, "rnn.{}_l0"))
    return model


@judged
def _judge_char_rnn(data: dict, seed: int) -> None:
    spec = _model_spec(seed)
    x, state = _model_inputs(seed, spec)
    model = _reference_model(seed, spec)
    with torch.no_grad():
        logits, final = model(x, state)
        fresh, _ = model(x)
    hint = "Embed → recurrence (with the given state) → head; no softmax inside forward"
    check(data["unchanged"], "never modify the caller's state in place")
    check_close(data["logits"], plain(logits), hint, **F64)
    check_close(data["fresh"], plain(fresh), "state=None: the recurrence starts from zeros", **F64)
    for a, b in zip(data["final"], _as_tuple(final), strict=True):
        check_close(a, plain(b), "return the recurrence's final state", **F64)
    check_close(data["split"], plain(logits), "a forward continued from the returned state must carry on", **F64)
    for cell_type, run in zip(("RNN", "LSTM"), data["smoke"], strict=True):
        where = f"{cell_type} trained on 'abcd'*50"
        check(
            run["loss"] < 0.05,
            f"{where}: the loss must fall below 0.05 (raw scores, no softmax)",
            f"final loss {run['loss']:.3g}",
        )
        check(run["text"] == "cdabcdab", f"{where}: greedy text after 'ab' must be 'cdabcdab'", repr(run["text"]))


# ------------------------------------------------------------------------------------------------- clipping


def _clip_params(seed: int) -> list[torch.Tensor]:
    g = _gen(seed)
    params = []
    for shape in ((3, 4), (), (7,), (2, 2, 2)):
        p = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.randn(shape, generator=g, dtype=torch.float64) * 3
        params.append(p)
    params.append(torch.zeros(5, dtype=torch.float64, requires_grad=True))  # grad None
    return params


def _clip_norms(seed: int) -> list[float]:
    total = math.sqrt(sum(float((p.grad**2).sum()) for p in _clip_params(seed) if p.grad is not None))
    return [total / 3, total * 2, math.inf]


def _run_clip(student: Any, seed: int) -> dict:
    cases = []
    try:
        for max_norm in _clip_norms(seed):
            params = _clip_params(seed)
            norm = student.clip_grad_norm((p for p in params), max_norm)
            cases.append(
                {
                    "type": type(norm).__name__,
                    "norm": float(norm),
                    "grads": [None if p.grad is None else plain(p.grad) for p in params],
                }
            )
        empty = student.clip_grad_norm([], 1.0)
    except Exception as error:  # noqa: BLE001
        return student_error("clip_grad_norm", error, PACKAGE)
    return {
        "cases": cases,
        "empty": [type(empty).__name__, float(empty)],
        "zero": exception_raised(student.clip_grad_norm, _clip_params(seed), 0.0),
    }


@judged
def _judge_clip(data: dict, seed: int) -> None:
    hint = "One global norm over all parameters, computed before scaling; only shrink, never grow"
    for max_norm, got in zip(_clip_norms(seed), data["cases"], strict=True):
        params = _clip_params(seed)
        expected = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
        where = (
            f" (max_norm {'inf' if math.isinf(max_norm) else 'below' if max_norm < expected else 'above'} the norm,"
            " parameters given as a generator)"
        )
        check(got["type"] == "float", "return the norm as a Python float", got["type"])
        check_close(got["norm"], expected, hint + where, rtol=0.0, atol=1e-12)
        for a, p in zip(got["grads"], params, strict=True):
            if p.grad is None:
                check(a is None, "skip parameters whose grad is None" + where)
            else:
                check_close(a, plain(p.grad), hint + where, rtol=0.0, atol=1e-12)
    check(data["empty"] == ["float", 0.0], "an empty iterable returns 0.0", str(data["empty"]))
    check(data["zero"] == "ValueError", "max_norm = 0 must raise ValueError", data["zero"])


# ------------------------------------------------------------------------------------------------- sampling

DRAWS = 1500


def _sample_logits(seed: int) -> torch.Tensor:
    return torch.randn(5, generator=_gen(seed), dtype=torch.float64) * 1.5


def _run_sample_next(student: Any, seed: int) -> dict:
    logits = _sample_logits(seed)
    spread = torch.linspace(0, 50, 26, dtype=torch.float64)[torch.randperm(26, generator=_gen(seed + 1))]
    try:
        argmaxes = [student.sample_next(logits, tau) for tau in (0.0, 1e-4)]
        spread_pick = student.sample_next(spread, 1e-3, torch.Generator().manual_seed(seed))
        draws = {}
        for tau in (0.5, 1.0, 2.0):
            g = torch.Generator().manual_seed(seed)
            draws[str(tau)] = [int(student.sample_next(logits, tau, g)) for _ in range(DRAWS)]
        g1, g2 = torch.Generator().manual_seed(seed + 2), torch.Generator().manual_seed(seed + 2)
        same = [int(student.sample_next(logits, 1.0, g1)) for _ in range(20)] == [
            int(student.sample_next(logits, 1.0, g2)) for _ in range(20)
        ]
    except Exception as error:  # noqa: BLE001
        return student_error("sample_next", error, PACKAGE)
    return {
        "argmaxes": [int(a) for a in argmaxes],
        "spread": int(spread_pick),
        "draws": draws,
        "same": same,
        "negative": exception_raised(student.sample_next, logits, -0.5),
    }


def _entropy(counts: np.ndarray) -> float:
    p = counts / counts.sum()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


@judged
def _judge_sample_next(data: dict, seed: int) -> None:
    logits = _sample_logits(seed)
    spread = torch.linspace(0, 50, 26, dtype=torch.float64)[torch.randperm(26, generator=_gen(seed + 1))]
    best = int(torch.argmax(logits))
    check(data["argmaxes"] == [best, best], "τ → 0 must return the argmax (τ = 0 and τ = 1e-4)", str(data["argmaxes"]))
    check(
        data["spread"] == int(torch.argmax(spread)),
        "Divide the logits by τ, subtract the max, then softmax (τ = 1e-3 on logits up to 50)",
    )
    counts = {tau: np.bincount(v, minlength=5) for tau, v in data["draws"].items()}
    check(all(len(c) == 5 for c in counts.values()), "sample_next must return an index in 0 … V−1")
    p = torch.softmax(logits, 0).numpy()
    check_close(counts["1.0"] / DRAWS, p, "Divide the logits by τ (not the probabilities), then softmax", atol=0.05)
    check(_entropy(counts["2.0"]) > _entropy(counts["0.5"]), "a higher τ must flatten the distribution")
    check(data["same"], "draw with torch.multinomial(p, 1, generator=generator)")
    check(data["negative"] == "ValueError", "τ < 0 must raise ValueError", data["negative"])


class _TinyLM(nn.Module):
    """A seeded tiny character model with CharRNN's forward contract (torch's own layers)."""

    def __init__(self, seed: int, lstm: bool, V: int = 5, H: int = 6) -> None:
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.embed = nn.Embedding(V, 4)
            self.rnn = (nn.LSTM if lstm else nn.RNN)(4, H, batch_first=True)
            self.head = nn.Linear(H, V)
            with torch.no_grad():
                for p in self.parameters():
                    p.mul_(3.0)

    def forward(self, x: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        out, state = self.rnn(self.embed(x), state)
        return self.head(out), state


ITOS = list("abcde")
STOI = {c: i for i, c in enumerate(ITOS)}


def _gen_setup(seed: int) -> tuple[str, bool]:
    g = _gen(seed)
    prompt = "".join(ITOS[i] for i in torch.randint(5, (int(torch.randint(1, 5, (1,), generator=g)),), generator=g))
    return prompt, bool(seed % 2)


def _run_generate(student: Any, seed: int) -> dict:
    prompt, lstm = _gen_setup(seed)
    model = _TinyLM(seed, lstm)
    try:
        greedy = [student.generate(model, prompt, 12, STOI, ITOS, 0.0, s) for s in (seed, seed + 1)]
        model.eval()
        sampled = [student.generate(model, prompt, 15, STOI, ITOS, 1.0, seed) for _ in range(2)]
        eval_kept = not model.training
        model.train()
        student.generate(model, prompt, 3, STOI, ITOS, 1.0, seed)
        train_kept = model.training
    except Exception as error:  # noqa: BLE001
        return student_error("generate", error, PACKAGE)
    return {
        "greedy": greedy,
        "sampled": sampled,
        "modes": [eval_kept, train_kept],
        "empty": exception_raised(student.generate, model, "", 3, STOI, ITOS, 0.0, seed),
        "unknown": exception_raised(student.generate, model, "az", 3, STOI, ITOS, 0.0, seed),
    }


@judged
def _judge_generate(data: dict, seed: int) -> None:
    prompt, lstm = _gen_setup(seed)
    model = _TinyLM(seed, lstm).eval()
    text = prompt
    with torch.no_grad():
        for _ in range(12):
            logits, _ = model(torch.tensor([[STOI[c] for c in text]]))
            text += ITOS[int(torch.argmax(logits[0, -1]))]
    expected = text[len(prompt) :]
    check(
        data["greedy"][0] == expected,
        "Feed the prompt once, then only the new character, carrying the state (τ = 0; the prompt is not returned)",
        f"got {data['greedy'][0]!r}",
    )
    check(data["greedy"][1] == expected, "at τ = 0 the seed must make no difference")
    a, b = data["sampled"]
    check(len(a) == 15 and set(a) <= set(ITOS), "return exactly n_chars new characters", f"got {a!r}")
    check(a == b, "the same seed must give the same text: use torch.Generator().manual_seed(seed)")
    check(data["modes"] == [True, True], "restore the model's train/eval mode afterwards", str(data["modes"]))
    check(data["empty"] == "ValueError", "an empty prompt must raise ValueError", data["empty"])
    check(data["unknown"] == "KeyError", "an unknown prompt character must raise KeyError", data["unknown"])


# ------------------------------------------------------------------------------------------------- gradient norms


class _Recurrent(nn.Module):
    def __init__(self, cell: nn.Module) -> None:
        super().__init__()
        self.cell = cell


class _ScratchLM(nn.Module):
    """The attributes hidden_grad_norms reads: backend, embed, recurrent.cell, head."""

    def __init__(self, seed: int, lstm: bool, backend: str = "scratch") -> None:
        super().__init__()
        V, E, H = 7, 3, 5
        self.backend = backend
        self.cell_type = "lstm" if lstm else "rnn"
        g = _gen(seed + 9)
        self.embed = nn.Embedding(V, E).double()
        self.head = nn.Linear(H, V).double()
        with torch.no_grad():
            for p in (*self.embed.parameters(), *self.head.parameters()):
                p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64))
        self.recurrent = _Recurrent(_RefCell(_weights(seed, E, H, 4 if lstm else 1, torch.float64), lstm))

    def forward(self, x: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        out, state = _loop(self.recurrent.cell, self.embed(x), state)
        return self.head(out), state


def _hgn_inputs(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = _gen(seed + 4)
    return torch.randint(7, (4, 6), generator=g), torch.randint(7, (4,), generator=g)


def _run_hidden_grad_norms(student: Any, seed: int) -> dict:
    x, y = _hgn_inputs(seed)
    results = []
    try:
        for lstm in (False, True):
            model = _ScratchLM(seed, lstm)
            g = student.hidden_grad_norms(model, x, y)
            doubled = student.hidden_grad_norms(model, x.repeat(2, 1), y.repeat(2))
            results.append(
                {"g": plain(g), "doubled": plain(doubled), "grads": all(p.grad is None for p in model.parameters())}
            )
    except Exception as error:  # noqa: BLE001
        return student_error("hidden_grad_norms", error, PACKAGE)
    fused = exception_raised(student.hidden_grad_norms, _ScratchLM(seed, False, "fused"), x, y)
    return {"results": results, "fused": fused}


def _reference_norms(model: _ScratchLM, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    emb = model.embed(x)
    state, hs = None, []
    for t in range(x.shape[1]):
        state = model.recurrent.cell(emb[:, t], state)
        hs.append(state[0] if isinstance(state, tuple) else state)
    loss = F.cross_entropy(model.head(hs[-1]), y, reduction="sum")
    return torch.stack([gr.norm(dim=1).mean() for gr in torch.autograd.grad(loss, hs)])


@judged
def _judge_hidden_grad_norms(data: dict, seed: int) -> None:
    x, y = _hgn_inputs(seed)
    hint = "Use sum reduction over the batch; take one norm per example and step (w.r.t. h), then average"
    for lstm, got in zip((False, True), data["results"], strict=True):
        where = f" ({'LSTM' if lstm else 'RNN'})"
        expected = plain(_reference_norms(_ScratchLM(seed, lstm), x, y))
        check(got["g"].shape == expected.shape, "return a (T,) tensor indexed by time" + where)
        check_close(got["g"], expected, hint + where, rtol=1e-6, atol=1e-12)
        check_close(got["doubled"], expected, "a duplicated batch must give the same norms" + where, rtol=1e-6)
        check(got["grads"], "use torch.autograd.grad so no .grad is left on the parameters" + where)
    check(data["fused"] == "ValueError", "a model whose backend is not 'scratch' must raise ValueError", data["fused"])


CHECKS = checks(
    build_vocab=(PACKAGE, _run_build_vocab, _judge_build_vocab),
    encode=(PACKAGE, _run_encode, _judge_encode),
    decode=(PACKAGE, _run_decode, _judge_decode),
    make_windows=(PACKAGE, _run_make_windows, _judge_make_windows),
    rnn_cell__forward=(PACKAGE, _run_rnn_cell, _judge_rnn_cell),
    lstm_cell__forward=(PACKAGE, _run_lstm_cell, _judge_lstm_cell),
    run_rnn=(PACKAGE, _run_run_rnn, _judge_run_rnn),
    char_rnn__forward=(PACKAGE, _run_char_rnn, _judge_char_rnn),
    clip_grad_norm=(PACKAGE, _run_clip, _judge_clip),
    sample_next=(PACKAGE, _run_sample_next, _judge_sample_next),
    generate=(PACKAGE, _run_generate, _judge_generate),
    hidden_grad_norms=(PACKAGE, _run_hidden_grad_norms, _judge_hidden_grad_norms),
)
