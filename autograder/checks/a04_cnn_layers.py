"""Hidden checks of assignment 04 (spec §5, H1–H8): the convolution (naive and im2col), max pooling, the numpy
``SmallConvNet.loss``, the torch ``DigitsCNN``, its training and evaluation loops, the confusion matrix and the
filter grid.

Every check receives the student's package ``cnn`` and reads what it grades from it (``student.conv2d_forward``,
``student.SmallConvNet``, ``student.DigitsCNN``, ``student.conv2d`` for the line count …). Both halves rebuild each
check's inputs from the seed (``_size_cases``, ``_conv_cases``, ``_im2col_cases``, ``_pool_cases``, ``_net_cases``,
``_digits_cnn_cases``, ``_copy_case``, ``_loop_case``, ``_confusion_cases``, ``_grid_cases``); ``judge`` recomputes
the expected values with torch in float64 (``F.conv2d`` and autograd, ``F.unfold``/``F.fold``, ``F.max_pool2d``,
the instructor's own torch loops), with the spec's literal arrays (the max-pool tie matrices), or with its own numpy
reference (max-pool routing on tied inputs, the confusion matrix, the filter grid, the hint-matching variants).

What each check observes:
- ``conv_output_size`` (H1): 30 random (H, W, KH, KW, stride, pad) with H, W in 1–12, KH, KW in 1–5, stride 1–3,
  pad 0–2, plus a fixed case where the stride does not divide and stride 0, pad −1: the pair of ints equals the
  spatial shape ``F.conv2d`` returns, and ValueError wherever ``F.conv2d`` refuses (or stride < 1, pad < 0).
- ``conv2d_forward_naive``, ``conv2d_forward`` (H2 forward, H3): 9 configurations per seed (4 random: N 1–3, C 1–3,
  F 1–4, H, W 4–9, KH, KW 1–4 independently, stride 1–3, pad 0–2; a 1×1 kernel; a kernel as large as the padded
  input; x (2, 3, 7, 5) with w (4, 3, 3, 2) at s2 p1; x (2, 2, 6, 5) with w (3, 2, 3, 4) at s1 p2; x (1, 2, 8, 9)
  with w (2, 2, 3, 1) at s2 p0) vs ``F.conv2d`` (1e-10); x, w, b bit-identical afterwards; float32 x, w, b give a
  float32 out within 1e-4; ValueError for a channel mismatch and for b shaped (F + 1,) or (F, 1).
- ``conv2d_backward_naive``, ``conv2d_backward`` (H2 gradients, H3): (dx, dw, db) of the student's own
  forward/backward pair on the same configurations vs autograd (1e-10); in the (1, 2, 8, 9) case dx is exactly 0 on
  row 7 and on every odd column; x, w, b and dout bit-identical afterwards. ``conv2d_backward`` also counts (H4)
  the Python 'line' events executed in the student's ``cnn/conv2d.py`` (``sys.settrace``, filtered on the file
  name of ``student.conv2d``) during one ``conv2d_forward`` plus one ``conv2d_backward`` on x (16, 3, 8, 8),
  w (8, 3, 3, 3), pad 1: at most 1,000.
- ``im2col`` (im2col and col2im): 5 configurations per seed (3 random, x (2, 3, 6, 5) with 3×2 at s2 p1, and a
  stride-1 3×3 case): cols equal to ``F.unfold`` laid out as (C·KH·KW, N·Ho·Wo) exactly; ``col2im`` of random
  cols equal to ``F.fold`` (rtol 1e-12, so it is the adjoint), ``col2im`` of ones equal to the window count map
  exactly (overlaps accumulate); inputs unchanged.
- ``maxpool2d_forward`` (H5 forward): pools 2×3 and 3×3, overlapping strides (3 s1, 2 s1), inputs 7×5 and 9×6, a
  pool the size of the input, pool 4 s2, and integer inputs full of ties, vs ``F.max_pool2d`` exactly; the
  spec's tie matrix at s2 and s1 (literal outputs); float32 stays float32; x unchanged; ValueError for a pool
  taller or wider than the input and for stride 0.
- ``maxpool2d_backward`` (H5 backward): dx of the same cases vs autograd (distinct values) or vs the first-maximum
  rule written in the check (tied values), 1e-12; the spec's literal dx of the tie matrix at s2 and s1 and of the
  all-zero input, exactly; dout unchanged.
- ``small_conv_net__loss`` (H6): two nets per seed with parameters set by the check (in_shape (1, 10, 6) with the
  default 8 filters 3×3 and 10 classes, as the spec; in_shape (2, 6, 8) with 5 filters 5×5 and 4 classes), N = 3:
  ``loss(X, y)`` and its 4 gradients vs autograd (loss rtol 1e-10, gradients rel_error < 1e-6, the spec's
  tolerance, here against exact gradients so no kink can fail a correct net), ``loss(X)`` returns the (N, classes)
  scores; X and params unchanged.
- ``digits_cnn__forward``: ``DigitsCNN()`` and ``DigitsCNN(num_filters=4, kernel_size=5, num_classes=7)``: the
  attributes ``conv`` (Conv2d 1 → F, K×K, stride 1, padding K//2), ``pool`` (MaxPool2d 2, stride 2), ``fc``
  (Linear F·16 → classes), 1,370 parameters at the defaults, and the float64 logits (``model.double()``) of 1 and of
  5 images vs F.conv2d → relu → max_pool2d → flatten → linear on the model's own parameters (1e-10).
- ``copy_numpy_params`` (H8): the student's ``SmallConvNet(num_filters=4, kernel_size=5)`` with parameters set by
  the check, copied into a float64 and a float32 ``DigitsCNN(4, 5)``: the torch parameters equal conv_w, conv_b,
  fc_w.T, fc_b (1e-12 in float64, float32 rounding in float32), keep their dtype and ``requires_grad``; the numpy
  params are unchanged. The parameters are compared instead of the logits of H8, so that a wrong
  ``DigitsCNN.forward`` is charged to ``digits_cnn__forward`` only.
- ``train_one_epoch`` (L12 on hidden data, H7): an instructor model (a 64-16-C MLP on the 8×8 inputs, put in eval
  mode beforehand), plain SGD lr 0.1, batches of 4 without shuffling, N not a multiple of 4: the parameters after the
  epoch equal the instructor's zero_grad/forward/backward/step loop (1e-6), every forward runs in training mode
  with grad enabled, and the returned loss and accuracy are weighted by batch size. For the first hidden seed
  only, H7: ``torch.manual_seed(0)``, ``DigitsCNN()``, Adam lr 1e-2, batch 64, 15 epochs of the student's
  ``train_one_epoch`` over ``load_digits_split(0)``'s train split (DataLoader shuffle with
  ``torch.Generator().manual_seed(0)``, no workers; about 0.5 s), then the check's own eval-mode predictions on the
  test split: accuracy ≥ 0.94 and every per-class recall ≥ 0.8.
- ``evaluate``: the instructor model in training mode with random ``.grad`` tensors, batches of 4 with a short
  last batch, labels chosen so that batch accuracies differ: the returned loss and accuracy equal the whole-set
  mean cross-entropy and accuracy (1e-6), every forward runs in eval mode with grad disabled, parameters and
  ``.grad`` unchanged.
- ``confusion_matrix`` (H8): 200 random labels over K = 3–12 classes with two classes absent, and an asymmetric
  3-class case: equal to the check's counts exactly, int64, (K, K); ValueError for label K (true or predicted),
  label −1 and mismatched lengths; inputs unchanged.
- ``filters_to_grid`` (H8): grids of 1-channel filters (KH ≠ KW possible, random ncols and pad) and of 3-channel
  filters (trailing axis 3), with a constant filter rendered as 0.5 and fewer filters than ncols, vs the check's
  own tiling (1e-12); w unchanged.

Residual trust: what only ``run`` observes, where the student code runs, and records as plain data:
- whether inputs (x, w, b, dout, cols, X, params, labels, filters) are bit-identical after each call;
- the line count of H4 (a student who swaps ``sys.settrace`` or runs the loops in another file is not seen);
- the mode flags: the instructor model records ``model.training`` and ``torch.is_grad_enabled()`` at each forward
  the student's loop makes, and which parameters and ``.grad`` tensors the loops leave behind;
- the H7 run: the student's ``DigitsCNN`` and ``train_one_epoch`` train on the student's side; only the test-set
  predictions (made by the check, in eval mode) come back. ``evaluate`` is not called there: it cannot change the
  training when correct and is graded on its own.
"""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograder.checks._base import arrays_unchanged, checks, exception_raised, judged, plain, student_error
from autograder.settings import hidden_seeds
from utils.testing import check, check_close, check_rel_error, pick_hint

# Stub hints name the innermost unimplemented function of this package (see student_error).
PACKAGE = "cnn"

# Spec tolerances: H2 conv vs torch (float64, 1e-10), H3 float32 vs float64 (1e-4), H6 rel_error < 1e-6, L12 1e-6.
ORACLE = {"rtol": 1e-10, "atol": 1e-10}
EXACT = {"rtol": 0.0, "atol": 0.0}
FOLD = {"rtol": 1e-12, "atol": 1e-12}
LOOP = {"rtol": 1e-6, "atol": 1e-6}
GRAD_TOL = 1e-6


def _tensor(array: Any, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(array), dtype=torch.float64, requires_grad=grad)


def _dtype(value: Any) -> str:
    return str(np.asarray(value).dtype)


@contextmanager
def _one_thread() -> Iterator[None]:
    """One torch intra-op thread and one BLAS thread while the block runs; the previous setting afterwards."""
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1, "blas"):
            yield
    finally:
        torch.set_num_threads(previous)


# -------------------------------------------------------------------------------------------- conv_output_size

SIZE_CASES = 30
# Not drawn: the stride does not divide H + 2·pad − KH (ceil ≠ floor), and stride 0, pad −1.
FIXED_SIZES = ((10, 7, 3, 2, 3, 2), (8, 8, 3, 3, 0, 1), (8, 8, 3, 3, 1, -1))
SIZE_HINT = "Ho = floor((H + 2*pad - KH)/stride) + 1 for each axis; pad is added on both sides"


def _size_cases(seed: int) -> list[tuple[int, int, int, int, int, int]]:
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(SIZE_CASES):
        h, w = (int(v) for v in rng.integers(1, 13, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        cases.append((h, w, kh, kw, int(rng.integers(1, 4)), int(rng.integers(0, 3))))
    return cases + list(FIXED_SIZES)


def _torch_size(h: int, w: int, kh: int, kw: int, stride: int, pad: int) -> tuple[int, int] | None:
    """The spatial shape F.conv2d returns, or None where it refuses the configuration."""
    if stride < 1 or pad < 0:
        return None
    try:
        out = F.conv2d(torch.zeros(1, 1, h, w), torch.zeros(1, 1, kh, kw), stride=stride, padding=pad)
    except RuntimeError:
        return None
    return int(out.shape[2]), int(out.shape[3])


def _run_size(student: Any, seed: int) -> dict:
    records: list[dict[str, Any]] = []
    for h, w, kh, kw, stride, pad in _size_cases(seed):
        try:
            result = student.conv_output_size(h, w, kh, kw, stride=stride, pad=pad)
        except NotImplementedError as error:
            return student_error("conv_output_size", error, PACKAGE)
        except Exception as error:  # noqa: BLE001 - the kind of exception is the observation
            records.append({"raised": type(error).__name__})
            continue
        pair = isinstance(result, tuple | list) and len(result) == 2
        ints = pair and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in result)
        records.append({"raised": "", "ints": ints, "value": [int(v) for v in result] if ints else []})
    return {"cases": records}


@judged
def _judge_size(data: dict, seed: int) -> None:
    cases = list(zip(_size_cases(seed), data["cases"], strict=True))
    expected_sizes = [_torch_size(*case) for case, _ in cases]
    # Valid configurations first: a wrong formula gets its own hint before a missing ValueError does.
    order = sorted(range(len(cases)), key=lambda index: expected_sizes[index] is None)
    for index in order:
        (h, w, kh, kw, stride, pad), got = cases[index]
        expected = expected_sizes[index]
        if expected is None:
            if stride < 1:
                hint = "raise ValueError for stride < 1."
            elif pad < 0:
                hint = "raise ValueError for pad < 0."
            else:
                hint = "raise ValueError when the kernel does not fit the padded input (Ho < 1 or Wo < 1)."
            check(got["raised"] == "ValueError", hint, got["raised"] or "returned a size")
            continue
        check(
            not got["raised"],
            "raise ValueError only for Ho < 1 or Wo < 1, stride < 1 or pad < 0 (failed on a valid configuration).",
            f"raised {got['raised']}",
        )
        check(got["ints"], "return a tuple of two Python ints (Ho, Wo); use // for the division.")
        span = np.array([h + 2 * pad - kh, w + 2 * pad - kw])
        plain_span = np.array([h - kh, w - kw])
        wrong = [
            (-(-span // stride) + 1, "round down (floor, as torch does), not up."),
            (span // stride, "add 1: a kernel that fits exactly still gives one output."),
            (plain_span // stride + 1, "pad is added on both sides: H + 2*pad."),
            (span + 1, "divide by the stride."),
        ]
        hint = pick_hint(got["value"], wrong, SIZE_HINT + ".", 0.0)
        check(got["value"] == list(expected), hint, "wrong (Ho, Wo) for a valid configuration")


# ------------------------------------------------------------------------------------------------ conv cases


class ConvCase(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    w: np.ndarray  # (F, C, KH, KW)
    b: np.ndarray  # (F,)
    dout: np.ndarray  # (N, F, Ho, Wo)
    stride: int
    pad: int
    label: str

    @property
    def where(self) -> str:
        return f" (failed for {self.label})"


RANDOM_CONV_CASES = 4
UNREAD = "x (1, 2, 8, 9), w (2, 2, 3, 1), stride 2, pad 0"
FLOAT32_CASE = 6  # index of x (2, 3, 7, 5), w (4, 3, 3, 2), s2 p1


def _conv_case(rng: np.random.Generator, x_shape: tuple, w_shape: tuple, stride: int, pad: int, label: str) -> ConvCase:
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    ho = (x_shape[2] + 2 * pad - w_shape[2]) // stride + 1
    wo = (x_shape[3] + 2 * pad - w_shape[3]) // stride + 1
    return ConvCase(x, w, b, rng.standard_normal((x_shape[0], w_shape[0], ho, wo)), stride, pad, label)


def _conv_cases(seed: int) -> list[ConvCase]:
    rng = np.random.default_rng(seed)

    def draw() -> tuple[int, int, int, int, int]:
        n, c, f = (int(v) for v in (rng.integers(1, 4), rng.integers(1, 4), rng.integers(1, 5)))
        h, w = (int(v) for v in rng.integers(4, 10, size=2))
        return n, c, f, h, w

    cases = []
    for _ in range(RANDOM_CONV_CASES):
        n, c, f, h, w = draw()
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        stride, pad = int(rng.choice([1, 2, 3])), int(rng.choice([0, 1, 2]))
        cases.append(_conv_case(rng, (n, c, h, w), (f, c, kh, kw), stride, pad, "a random configuration"))
    n, c, f, h, w = draw()
    stride, pad = int(rng.choice([1, 2, 3])), int(rng.choice([0, 1, 2]))
    cases.append(_conv_case(rng, (n, c, h, w), (f, c, 1, 1), stride, pad, "a 1x1 kernel"))
    n, c, f, h, w = draw()
    stride, pad = int(rng.choice([1, 2, 3])), int(rng.choice([0, 1, 2]))
    cases.append(
        _conv_case(
            rng, (n, c, h, w), (f, c, h + 2 * pad, w + 2 * pad), stride, pad, "a kernel as large as the padded input"
        )
    )
    cases.append(_conv_case(rng, (2, 3, 7, 5), (4, 3, 3, 2), 2, 1, "x (2, 3, 7, 5), w (4, 3, 3, 2), stride 2, pad 1"))
    cases.append(_conv_case(rng, (2, 2, 6, 5), (3, 2, 3, 4), 1, 2, "x (2, 2, 6, 5), w (3, 2, 3, 4), stride 1, pad 2"))
    cases.append(_conv_case(rng, (1, 2, 8, 9), (2, 2, 3, 1), 2, 0, UNREAD))
    return cases


def _torch_conv(case: ConvCase) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """out, dx, dw, db by autograd."""
    x, w, b = _tensor(case.x, True), _tensor(case.w, True), _tensor(case.b, True)
    out = F.conv2d(x, w, b, stride=case.stride, padding=case.pad)
    out.backward(_tensor(case.dout))
    assert x.grad is not None and w.grad is not None and b.grad is not None
    return plain(out), plain(x.grad), plain(w.grad), plain(b.grad)


def _forward_runner(name: str) -> Callable[[Any, int], dict]:
    """The run half of ``conv2d_forward_naive`` and ``conv2d_forward``."""

    def run(student: Any, seed: int) -> dict:
        forward = getattr(student, name)
        cases = _conv_cases(seed)
        records = []
        try:
            for case in cases:
                x, w, b = case.x.copy(), case.w.copy(), case.b.copy()
                out, _ = forward(x, w, b, stride=case.stride, pad=case.pad)
                records.append({"out": plain(out), "unchanged": arrays_unchanged((x, w, b), (case.x, case.w, case.b))})
            case = cases[FLOAT32_CASE]
            single = (case.x.astype(np.float32), case.w.astype(np.float32), case.b.astype(np.float32))
            out32, _ = forward(*single, stride=case.stride, pad=case.pad)
            float32 = {"out": plain(out32), "dtype": _dtype(out32)}
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error(name, error, PACKAGE)
        x, w, b = case.x, case.w, case.b
        return {
            "cases": records,
            "float32": float32,
            "channels": exception_raised(forward, x.copy(), w[:, :2].copy(), b.copy(), stride=2, pad=1),
            "long_b": exception_raised(forward, x.copy(), w.copy(), np.append(b, 1.0), stride=2, pad=1),
            "column_b": exception_raised(forward, x.copy(), w.copy(), b[:, None].copy(), stride=2, pad=1),
        }

    return run


def _forward_judge(name: str) -> Callable[[dict, int], Any]:
    @judged
    def judge(data: dict, seed: int) -> None:
        cases = _conv_cases(seed)
        for case, got in zip(cases, data["cases"], strict=True):
            out = F.conv2d(_tensor(case.x), _tensor(case.w), _tensor(case.b), stride=case.stride, padding=case.pad)
            wrong = [
                (
                    plain(
                        F.conv2d(
                            _tensor(case.x), _tensor(case.w[:, :, ::-1, ::-1].copy()), _tensor(case.b), **_geo(case)
                        )
                    ),
                    "you flipped the kernel; deep-learning 'convolution' is cross-correlation.",
                )
            ]
            if case.w.shape[2] == case.w.shape[3]:
                swapped = case.w.transpose(0, 1, 3, 2).copy()
                wrong.append(
                    (
                        plain(F.conv2d(_tensor(case.x), _tensor(swapped), _tensor(case.b), **_geo(case))),
                        "kernel rows and columns are swapped: w[f, c, a, e] multiplies xp[.., i*s + a, j*s + e].",
                    )
                )
            hint = pick_hint(
                got["out"],
                wrong,
                "out[n, f, i, j] = b[f] + sum over c, a, e of w[f, c, a, e] * xp[n, c, i*stride + a, j*stride + e],"
                " with xp zero-padded on H and W only; check the size formula, i indexing H and j indexing W, and the"
                " bias per filter.",
            )
            check_close(got["out"], plain(out), hint + case.where, **ORACLE)
            check(got["unchanged"], f"{name} must not modify x, w or b." + case.where)
        case = cases[FLOAT32_CASE]
        expected = plain(F.conv2d(_tensor(case.x), _tensor(case.w), _tensor(case.b), **_geo(case)))
        float32 = data["float32"]
        check(
            float32["dtype"] == "float32",
            "float32 x, w and b must give a float32 out: allocate out with dtype np.result_type(x, w, b).",
            f"dtype {float32['dtype']}",
        )
        check_close(float32["out"], expected, "float32 inputs must give the float64 result to 1e-4.", atol=1e-4)
        check(
            data["channels"] == "ValueError",
            "raise ValueError when x.shape[1] != w.shape[1].",
            data["channels"],
        )
        for key in ("long_b", "column_b"):
            check(data[key] == "ValueError", "raise ValueError unless b.shape == (F,).", data[key])

    return judge


def _geo(case: ConvCase) -> dict[str, int]:
    return {"stride": case.stride, "padding": case.pad}


# ------------------------------------------------------------------------------------------ conv backward (H2, H4)

TRACE_LIMIT = 1000


def _line_events(student: Any) -> int:
    """Python 'line' events executed in the student's cnn/conv2d.py during one fast forward and backward (H4)."""
    target = os.path.realpath(student.conv2d.__file__)
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((16, 3, 8, 8)), rng.standard_normal((8, 3, 3, 3)), rng.standard_normal(8)
    dout = rng.standard_normal((16, 8, 8, 8))
    count = 0
    inside: dict[str, bool] = {}

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        filename = frame.f_code.co_filename
        if filename not in inside:
            inside[filename] = os.path.realpath(filename) == target
        return local if inside[filename] else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        _, cache = student.conv2d_forward(x, w, b, stride=1, pad=1)
        student.conv2d_backward(dout, cache)
    finally:
        sys.settrace(previous)
    return count


def _backward_runner(forward_name: str, backward_name: str, trace: bool) -> Callable[[Any, int], dict]:
    """The run half of ``conv2d_backward_naive`` and ``conv2d_backward`` (which also counts line events)."""

    def run(student: Any, seed: int) -> dict:
        forward, backward = getattr(student, forward_name), getattr(student, backward_name)
        records = []
        for case in _conv_cases(seed):
            x, w, b = case.x.copy(), case.w.copy(), case.b.copy()
            try:
                _, cache = forward(x, w, b, stride=case.stride, pad=case.pad)
            except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
                return student_error(forward_name, error, PACKAGE)
            dout = case.dout.copy()
            try:
                dx, dw, db = backward(dout, cache)
                records.append(
                    {
                        "dx": plain(dx),
                        "dw": plain(dw),
                        "db": plain(db),
                        "unchanged": arrays_unchanged((x, w, b, dout), (case.x, case.w, case.b, case.dout)),
                    }
                )
            except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
                return student_error(backward_name, error, PACKAGE)
        record: dict[str, Any] = {"cases": records}
        if trace:
            try:
                record["line_events"] = _line_events(student)
            except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
                return student_error(forward_name, error, PACKAGE)
        return record

    return run


def _backward_judge(name: str, trace: bool) -> Callable[[dict, int], Any]:
    @judged
    def judge(data: dict, seed: int) -> None:
        for case, got in zip(_conv_cases(seed), data["cases"], strict=True):
            where = case.where
            _, dx, dw, db = _torch_conv(case)
            padded = tuple(np.add(case.x.shape, (0, 0, 2 * case.pad, 2 * case.pad)))
            hint = (
                "crop the padding from dx: dx = dxp[:, :, pad:pad + H, pad:pad + W]."
                if got["dx"].shape == padded and case.pad
                else "add dout[n, f, i, j] * w[f] into each window of dxp, then crop the padding off exactly."
            )
            check_close(got["dx"], dx, hint + where, **ORACLE)
            if case.label == UNREAD:
                check(
                    np.all(got["dx"][:, :, 7, :] == 0) and np.all(got["dx"][:, :, :, 1::2] == 0),
                    "input pixels that no window reads get exactly 0 (here row 7 and every odd column).",
                )
            n = case.x.shape[0]
            wrong = [(dw / n, "accumulate dw over the whole batch, not the mean.")] if n > 1 else []
            hint = pick_hint(
                got["dw"],
                wrong,
                "dw[f, c, a, e] = sum over n, i, j of dout[n, f, i, j] * xp[n, c, i*s + a, j*s + e]:"
                " accumulate over the batch.",
                1e-9,
            )
            check_close(got["dw"], dw, hint + where, **ORACLE)
            check_close(got["db"], db, "db[f] sums dout over n, i and j: shape (F,)." + where, **ORACLE)
            check(got["unchanged"], f"{name} and its forward must not modify x, w, b or dout." + where)
        if trace:
            events = data["line_events"]
            check(
                events <= TRACE_LIMIT,
                "conv2d_forward/conv2d_backward must be vectorized with im2col/col2im: loop over kernel offsets"
                " at most, never over every (n, f, i, j), and never call the naive loops.",
                f"{events} Python line events in conv2d.py, limit {TRACE_LIMIT}",
            )

    return judge


# -------------------------------------------------------------------------------------------------- im2col


class ColCase(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    kh: int
    kw: int
    stride: int
    pad: int
    cols: np.ndarray  # (C·KH·KW, N·Ho·Wo) random, for col2im
    label: str


def _col_case(rng: np.random.Generator, shape: tuple, kh: int, kw: int, stride: int, pad: int, label: str) -> ColCase:
    n, c, h, w = shape
    ho, wo = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    return ColCase(
        rng.standard_normal(shape), kh, kw, stride, pad, rng.standard_normal((c * kh * kw, n * ho * wo)), label
    )


def _im2col_cases(seed: int) -> list[ColCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(3):
        shape = tuple(int(v) for v in (rng.integers(1, 4), rng.integers(1, 4), *rng.integers(3, 9, size=2)))
        stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        kh, kw = (int(rng.integers(1, min(4, size + 2 * pad) + 1)) for size in shape[2:])
        cases.append(_col_case(rng, shape, kh, kw, stride, pad, "a random case"))
    cases.append(_col_case(rng, (2, 3, 6, 5), 3, 2, 2, 1, "x (2, 3, 6, 5), a 3x2 kernel, stride 2, pad 1"))
    cases.append(_col_case(rng, (2, 2, 5, 6), 3, 3, 1, 1, "x (2, 2, 5, 6), a 3x3 kernel, stride 1, pad 1"))
    return cases


def _unfold(case: ColCase) -> np.ndarray:
    """im2col by torch: F.unfold is (N, C·KH·KW, Ho·Wo) with rows over (c, a, e); columns become (n, i, j)."""
    cols = F.unfold(_tensor(case.x), (case.kh, case.kw), padding=case.pad, stride=case.stride)
    return plain(cols.permute(1, 0, 2).reshape(cols.shape[1], -1))


def _fold(case: ColCase, cols: np.ndarray) -> np.ndarray:
    """col2im by torch: F.fold adds every column entry into the padded image and crops the padding."""
    n, _, h, w = case.x.shape
    blocks = _tensor(cols).reshape(cols.shape[0], n, -1).permute(1, 0, 2)
    return plain(F.fold(blocks, (h, w), (case.kh, case.kw), padding=case.pad, stride=case.stride))


def _run_im2col(student: Any, seed: int) -> dict:
    records = []
    name = "im2col"
    try:
        for case in _im2col_cases(seed):
            name = "im2col"
            x = case.x.copy()
            cols = plain(student.im2col(x, case.kh, case.kw, stride=case.stride, pad=case.pad))
            name = "col2im"
            given = case.cols.copy()
            back = plain(student.col2im(given, case.x.shape, case.kh, case.kw, stride=case.stride, pad=case.pad))
            ones = np.ones_like(case.cols)
            counts = plain(student.col2im(ones, case.x.shape, case.kh, case.kw, stride=case.stride, pad=case.pad))
            unchanged = arrays_unchanged((x, given), (case.x, case.cols))
            records.append({"cols": cols, "back": back, "counts": counts, "unchanged": unchanged})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error(name, error, PACKAGE)
    return {"cases": records}


@judged
def _judge_im2col(data: dict, seed: int) -> None:
    for case, got in zip(_im2col_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.label})"
        cols = _unfold(case)
        c, kh, kw = case.x.shape[1], case.kh, case.kw
        n = case.x.shape[0]
        wrong = [
            (
                cols.reshape(c, kh, kw, -1).transpose(1, 2, 0, 3).reshape(cols.shape),
                "rows must follow w.reshape(F, -1): channel slowest, then a, then e.",
            ),
            (
                cols.reshape(cols.shape[0], n, -1).transpose(0, 2, 1).reshape(cols.shape),
                "columns run over (n, i, j) with n slowest.",
            ),
        ]
        hint = pick_hint(
            got["cols"],
            wrong,
            "cols[(c, a, e), (n, i, j)] = xp[n, c, i*stride + a, j*stride + e], shape (C*KH*KW, N*Ho*Wo).",
            0.0,
        )
        check_close(got["cols"], cols, hint + where, **EXACT)
        counts = _fold(case, np.ones_like(case.cols))
        hint = pick_hint(
            got["counts"],
            [((counts > 0).astype(np.float64), "col2im must ADD overlapping windows, not overwrite.")],
            "col2im must undo im2col's indexing exactly (same stride, pad and ordering), adding every entry.",
            0.0,
        )
        check_close(got["counts"], counts, hint + " (col2im of all-ones cols)" + where, **EXACT)
        check_close(
            got["back"],
            _fold(case, case.cols),
            "col2im must be the adjoint of im2col: add every entry of cols into the padded image at its source,"
            " then crop the padding." + where,
            **FOLD,
        )
        check(got["unchanged"], "im2col and col2im must not modify their inputs." + where)


# ------------------------------------------------------------------------------------------------- max pool


class PoolCase(NamedTuple):
    x: np.ndarray  # (N, C, H, W)
    dout: np.ndarray  # (N, C, Ho, Wo)
    pool_h: int
    pool_w: int
    stride: int
    ties: bool
    label: str

    @property
    def where(self) -> str:
        return f" (failed for {self.label})"


POOL_SETUPS = (  # (x shape, pool_h, pool_w, stride, ties)
    ((2, 3, 7, 5), 2, 3, 2, False),
    ((1, 2, 9, 6), 3, 3, 2, False),
    ((2, 2, 6, 7), 3, 3, 1, False),
    ((2, 3, 5, 6), 2, 2, 1, False),
    ((1, 3, 4, 5), 4, 5, 1, False),
    ((1, 2, 6, 6), 4, 4, 2, False),
    ((2, 2, 8, 8), 2, 2, 2, True),
    ((1, 2, 7, 6), 3, 3, 1, True),
    ((1, 3, 6, 7), 2, 3, 1, True),
)

TIES = np.array([[1, 3, 3, 0], [3, 2, 1, 3], [0, 0, 5, 5], [0, 0, 5, 5]], dtype=np.float64)
# Spec H5: (input, stride) -> (forward, dx) with dout = 1 and a 2x2 pool.
LITERAL_POOLS = (
    (
        "the tie matrix, pool 2 stride 2",
        TIES,
        2,
        np.array([[3, 3], [0, 5]], dtype=np.float64),
        np.array([[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=np.float64),
    ),
    (
        "the tie matrix, pool 2 stride 1",
        TIES,
        1,
        np.array([[3, 3, 3], [3, 5, 5], [0, 5, 5]], dtype=np.float64),
        np.array([[0, 2, 1, 0], [1, 0, 0, 0], [1, 0, 4, 0], [0, 0, 0, 0]], dtype=np.float64),
    ),
    (
        "an all-zero 4x4 input, pool 2 stride 2",
        np.zeros((4, 4)),
        2,
        np.zeros((2, 2)),
        np.array([[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=np.float64),
    ),
)


def _pool_cases(seed: int) -> list[PoolCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for shape, ph, pw, stride, ties in POOL_SETUPS:
        x = rng.integers(0, 3, size=shape).astype(np.float64) if ties else rng.standard_normal(shape)
        ho, wo = (shape[2] - ph) // stride + 1, (shape[3] - pw) // stride + 1
        dout = rng.standard_normal((shape[0], shape[1], ho, wo))
        kind = "integer values with ties, " if ties else ""
        label = f"x {shape}, {kind}pool {ph}x{pw}, stride {stride}"
        cases.append(PoolCase(x, dout, ph, pw, stride, ties, label))
    return cases


def _pool_route(x: np.ndarray, dout: np.ndarray, ph: int, pw: int, stride: int, rule: str = "first") -> np.ndarray:
    """Max-pool backward with a routing rule: "first" (the spec's), "last", "cell" (every window cell),
    "ties" (every tied maximum), "split" (ties share equally), "assign" (first maximum, overlaps overwrite)."""
    dx = np.zeros_like(x, dtype=np.float64)
    n_, c_, ho, wo = dout.shape
    for n in range(n_):
        for c in range(c_):
            for i in range(ho):
                for j in range(wo):
                    r, s = i * stride, j * stride
                    window = x[n, c, r : r + ph, s : s + pw]
                    is_max = window == window.max()
                    mask = np.zeros(window.shape)
                    if rule in ("first", "assign"):
                        mask.flat[np.argmax(window)] = 1.0
                    elif rule == "last":
                        mask.flat[window.size - 1 - np.argmax(window.reshape(-1)[::-1])] = 1.0
                    elif rule == "cell":
                        mask[:] = 1.0
                    elif rule == "ties":
                        mask[is_max] = 1.0
                    else:
                        mask[is_max] = 1.0 / is_max.sum()
                    target = dx[n, c, r : r + ph, s : s + pw]
                    if rule == "assign":
                        target[mask > 0] = dout[n, c, i, j]
                    else:
                        target += mask * dout[n, c, i, j]
    return dx


def _run_pool_forward(student: Any, seed: int) -> dict:
    forward = student.maxpool2d_forward
    records = []
    try:
        for case in _pool_cases(seed):
            x = case.x.copy()
            out, _ = forward(x, case.pool_h, case.pool_w, stride=case.stride)
            records.append({"out": plain(out), "unchanged": np.array_equal(x, case.x)})
        literals = [plain(forward(x[None, None].copy(), 2, 2, stride=s)[0]) for _, x, s, _, _ in LITERAL_POOLS]
        case = _pool_cases(seed)[0]
        out32, _ = forward(case.x.astype(np.float32), case.pool_h, case.pool_w, stride=case.stride)
        float32 = {"out": plain(out32), "dtype": _dtype(out32)}
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("maxpool2d_forward", error, PACKAGE)
    x = case.x[:, :, :3, :4].copy()
    return {
        "cases": records,
        "literals": literals,
        "float32": float32,
        "too_tall": exception_raised(forward, x, 4, 2, stride=1),
        "too_wide": exception_raised(forward, x, 2, 5, stride=1),
        "stride_zero": exception_raised(forward, case.x.copy(), 2, 2, stride=0),
    }


POOL_HINT = "windows start at (i*stride, j*stride); pool over H and W only, never over channels."


@judged
def _judge_pool_forward(data: dict, seed: int) -> None:
    cases = _pool_cases(seed)
    for case, got in zip(cases, data["cases"], strict=True):
        expected = F.max_pool2d(_tensor(case.x), (case.pool_h, case.pool_w), stride=case.stride)
        check_close(got["out"], plain(expected), POOL_HINT + case.where, **EXACT)
        check(got["unchanged"], "maxpool2d_forward must not modify x." + case.where)
    for (label, _, _, out, _), got in zip(LITERAL_POOLS, data["literals"], strict=True):
        check_close(got, out[None, None], POOL_HINT + f" (failed for {label})", **EXACT)
    float32 = data["float32"]
    check(float32["dtype"] == "float32", "float32 x must give a float32 out.", f"dtype {float32['dtype']}")
    case = cases[0]
    expected = F.max_pool2d(_tensor(case.x.astype(np.float32)), (case.pool_h, case.pool_w), stride=case.stride)
    check_close(float32["out"], plain(expected), POOL_HINT + " (failed for float32 x)", **EXACT)
    for key, where in (("too_tall", "taller"), ("too_wide", "wider")):
        check(
            data[key] == "ValueError",
            f"raise ValueError when the pool is larger than the input (failed for a pool {where} than x).",
            data[key],
        )
    check(data["stride_zero"] == "ValueError", "raise ValueError for stride < 1.", data["stride_zero"])


def _run_pool_backward(student: Any, seed: int) -> dict:
    records: list[dict[str, Any]] = []
    literals: list[dict[str, Any]] = []
    pairs = [(case.x, case.dout, case.pool_h, case.pool_w, case.stride) for case in _pool_cases(seed)]
    pairs += [(x[None, None], np.ones((1, 1, *out.shape)), 2, 2, s) for _, x, s, out, _ in LITERAL_POOLS]
    for index, (case_x, case_dout, ph, pw, stride) in enumerate(pairs):
        try:
            x = case_x.copy()
            _, cache = student.maxpool2d_forward(x, ph, pw, stride=stride)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("maxpool2d_forward", error, PACKAGE)
        try:
            dout = case_dout.copy()
            dx = plain(student.maxpool2d_backward(dout, cache))
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("maxpool2d_backward", error, PACKAGE)
        unchanged = arrays_unchanged((x, dout), (case_x, case_dout))
        (records if index < len(POOL_SETUPS) else literals).append({"dx": dx, "unchanged": unchanged})
    return {"cases": records, "literals": literals}


def _pool_hint(got: np.ndarray, x: np.ndarray, dout: np.ndarray, ph: int, pw: int, stride: int) -> str:
    """The hint of the routing mistake ``got`` matches."""
    first = _pool_route(x, dout, ph, pw, stride)
    wrong = [
        (_pool_route(x, dout, ph, pw, stride, "cell"), "route each gradient to ONE position, the argmax."),
        (_pool_route(x, dout, ph, pw, stride, "ties"), "ties go to the first maximum in row-major order only."),
        (
            _pool_route(x, dout, ph, pw, stride, "split"),
            "do not split ties: the first maximum (row-major) gets it all.",
        ),
        (_pool_route(x, dout, ph, pw, stride, "last"), "ties go to the FIRST maximum in row-major order (np.argmax)."),
        (_pool_route(x, dout, ph, pw, stride, "assign"), "when windows overlap, ADD contributions (+=), never assign."),
    ]
    wrong = [(value, hint) for value, hint in wrong if not np.allclose(value, first, rtol=0.0, atol=1e-12)]
    return pick_hint(
        got, wrong, "add each dout[n, c, i, j] at the position of its window's first maximum; 0 elsewhere.", 1e-12
    )


@judged
def _judge_pool_backward(data: dict, seed: int) -> None:
    for case, got in zip(_pool_cases(seed), data["cases"], strict=True):
        geometry = (case.pool_h, case.pool_w, case.stride)
        if case.ties:
            expected = _pool_route(case.x, case.dout, *geometry)
        else:
            xt = _tensor(case.x, True)
            F.max_pool2d(xt, (case.pool_h, case.pool_w), stride=case.stride).backward(_tensor(case.dout))
            assert xt.grad is not None
            expected = plain(xt.grad)
        hint = _pool_hint(got["dx"], case.x, case.dout, *geometry)
        check_close(got["dx"], expected, hint + case.where, rtol=1e-12, atol=1e-12)
        check(got["unchanged"], "maxpool2d_forward/backward must not modify x or dout." + case.where)
    for (label, x, stride, out, dx), got in zip(LITERAL_POOLS, data["literals"], strict=True):
        x4, ones = x[None, None], np.ones((1, 1, *out.shape))
        hint = _pool_hint(got["dx"], x4, ones, 2, 2, stride)
        check_close(got["dx"], dx[None, None], hint + f" (failed for {label}, dout = 1)", **EXACT)


# ------------------------------------------------------------------------------------------------ SmallConvNet


class NetCase(NamedTuple):
    in_shape: tuple[int, int, int]
    num_filters: int
    kernel_size: int
    num_classes: int
    params: dict[str, np.ndarray]
    X: np.ndarray  # (N, C, H, W)
    y: np.ndarray  # (N,) int64

    @property
    def where(self) -> str:
        return (
            f" (failed for in_shape {self.in_shape}, {self.num_filters} filters {self.kernel_size}x{self.kernel_size},"
            f" {self.num_classes} classes)"
        )


NET_SETUPS = (((1, 10, 6), 8, 3, 10), ((2, 6, 8), 5, 5, 4))
NET_N = 3


def _net_cases(seed: int) -> list[NetCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for in_shape, filters, k, classes in NET_SETUPS:
        c, h, w = in_shape
        params = {
            "conv_w": 0.3 * rng.standard_normal((filters, c, k, k)),
            "conv_b": 0.1 * rng.standard_normal(filters),
            "fc_w": 0.3 * rng.standard_normal((filters * (h // 2) * (w // 2), classes)),
            "fc_b": 0.1 * rng.standard_normal(classes),
        }
        X = rng.standard_normal((NET_N, *in_shape))
        cases.append(NetCase(in_shape, filters, k, classes, params, X, rng.integers(0, classes, NET_N)))
    return cases


def _torch_small_net(case: NetCase) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Scores, mean cross-entropy and its gradients by autograd for ``case``'s net."""
    p = {key: _tensor(value, True) for key, value in case.params.items()}
    h = F.conv2d(_tensor(case.X), p["conv_w"], p["conv_b"], padding=(case.kernel_size - 1) // 2)
    h = F.max_pool2d(torch.relu(h), 2, stride=2)
    scores = h.reshape(h.shape[0], -1) @ p["fc_w"] + p["fc_b"]
    loss = F.cross_entropy(scores, torch.tensor(case.y))
    loss.backward()
    return plain(scores), plain(loss), {key: plain(t.grad) for key, t in p.items() if t.grad is not None}


def _run_small_net(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _net_cases(seed):
            net = student.SmallConvNet(
                in_shape=case.in_shape,
                num_filters=case.num_filters,
                kernel_size=case.kernel_size,
                num_classes=case.num_classes,
                seed=seed % 1000,
            )
            for key, value in case.params.items():
                net.params[key] = value.copy()
            X = case.X.copy()
            loss, grads = net.loss(X, case.y.copy())
            scores = net.loss(X)
            records.append(
                {
                    "loss": plain(loss),
                    "grads": {key: plain(value) for key, value in grads.items()},
                    "scores": plain(scores),
                    "unchanged": np.array_equal(X, case.X)
                    and all(np.array_equal(net.params[k], v) for k, v in case.params.items()),
                }
            )
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("SmallConvNet.loss", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_small_net(data: dict, seed: int) -> None:
    for case, got in zip(_net_cases(seed), data["cases"], strict=True):
        where = case.where
        scores, loss, grads = _torch_small_net(case)
        check_close(
            got["scores"],
            scores,
            "loss(X) returns the scores (N, num_classes): conv (stride 1, pad (K-1)//2) -> ReLU -> 2x2 max pool"
            " -> flatten each sample in (F, H', W') order -> affine." + where,
            rtol=1e-10,
            atol=1e-12,
        )
        check_close(got["loss"], loss, "the loss is softmax cross-entropy averaged over the batch." + where, rtol=1e-10)
        check(sorted(got["grads"]) == sorted(grads), "grads has the same keys as params." + where)
        for key in ("fc_b", "fc_w", "conv_b", "conv_w"):
            check_rel_error(
                got["grads"][key],
                grads[key],
                GRAD_TOL,
                f"grads['{key}'] wrong: look at the backward step that produces {key}." + where,
            )
        check(got["unchanged"], "SmallConvNet.loss must not modify X or params." + where)


# ----------------------------------------------------------------------------------------- digits_cnn__forward

DIGITS_SETUPS = ((), (4, 5, 7))  # DigitsCNN() and DigitsCNN(num_filters=4, kernel_size=5, num_classes=7)
DEFAULT_PARAMS = 1370


def _digits_cnn_cases(seed: int) -> list[list[np.ndarray]]:
    """Per setup: inputs of 1 and of 5 images (N, 1, 8, 8), float64."""
    rng = np.random.default_rng(seed)
    return [[rng.standard_normal((n, 1, 8, 8)) for n in (1, 5)] for _ in DIGITS_SETUPS]


def _build_digits_cnn(student: Any, setup: tuple, seed: int) -> Any:
    """The student's DigitsCNN, built from a seeded global generator that is restored afterwards."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if not setup:
            return student.DigitsCNN()
        filters, k, classes = setup
        return student.DigitsCNN(num_filters=filters, kernel_size=k, num_classes=classes)


def _layers(model: Any) -> dict:
    conv, pool, fc = (getattr(model, name, None) for name in ("conv", "pool", "fc"))
    record: dict[str, Any] = {
        "conv": isinstance(conv, nn.Conv2d),
        "pool": isinstance(pool, nn.MaxPool2d),
        "fc": isinstance(fc, nn.Linear),
    }
    if isinstance(conv, nn.Conv2d):
        padding = conv.padding if isinstance(conv.padding, str) else [int(p) for p in conv.padding]
        record["conv_geometry"] = [
            conv.in_channels,
            conv.out_channels,
            [int(k) for k in conv.kernel_size],
            [int(s) for s in conv.stride],
            padding,
        ]
    if isinstance(pool, nn.MaxPool2d):
        pair = [pool.kernel_size, pool.stride]
        record["pool_geometry"] = [list(v) if isinstance(v, tuple | list) else [v, v] for v in pair]
    if isinstance(fc, nn.Linear):
        record["fc_geometry"] = [fc.in_features, fc.out_features]
    return record


def _run_digits_forward(student: Any, seed: int) -> dict:
    records = []
    try:
        for setup, inputs in zip(DIGITS_SETUPS, _digits_cnn_cases(seed), strict=True):
            model = _build_digits_cnn(student, setup, seed % 1000)
            record = _layers(model)
            record["count"] = int(sum(p.numel() for p in model.parameters()))
            model.double()
            record["params"] = {name: plain(p) for name, p in model.named_parameters()}
            outputs = []
            for x in inputs:
                out = model(torch.tensor(x))
                outputs.append({"tensor": type(out) is torch.Tensor, "logits": plain(out)})
            records.append(record | {"outputs": outputs})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("DigitsCNN.forward", error, PACKAGE)
    return {"cases": records}


def _digits_reference(params: dict[str, np.ndarray], x: np.ndarray, k: int) -> np.ndarray:
    h = F.conv2d(_tensor(x), _tensor(params["conv.weight"]), _tensor(params["conv.bias"]), padding=k // 2)
    h = F.max_pool2d(torch.relu(h), 2)
    return plain(h.flatten(1) @ _tensor(params["fc.weight"]).T + _tensor(params["fc.bias"]))


@judged
def _judge_digits_forward(data: dict, seed: int) -> None:
    for setup, inputs, got in zip(DIGITS_SETUPS, _digits_cnn_cases(seed), data["cases"], strict=True):
        filters, k, classes = setup or (8, 3, 10)
        where = f" (failed for DigitsCNN({', '.join(map(str, setup))}))"
        names = "self.conv = nn.Conv2d(...), self.pool = nn.MaxPool2d(2), self.fc = nn.Linear(...)"
        check(got["conv"] and got["pool"] and got["fc"], f"use the attribute names {names}." + where)
        conv = [1, filters, [k, k], [1, 1], [k // 2, k // 2]]
        same = conv[:4] + ["same"]
        check(
            got["conv_geometry"] in (conv, same),
            "self.conv = nn.Conv2d(1, num_filters, kernel_size, padding=kernel_size // 2)." + where,
        )
        check(got["pool_geometry"] == [[2, 2], [2, 2]], "self.pool = nn.MaxPool2d(2) (stride 2)." + where)
        check(
            got["fc_geometry"] == [filters * 16, classes],
            "self.fc = nn.Linear(num_filters * 4 * 4, num_classes)." + where,
        )
        expected = filters * (k * k + 1) + classes * (filters * 16 + 1)
        if not setup:
            assert expected == DEFAULT_PARAMS
        check(
            got["count"] == expected,
            "conv (F*K*K + F) and fc (F*16*classes + classes) are the only parameters: 1,370 at the defaults." + where,
            f"{got['count']} parameters, expected {expected}",
        )
        keys = ["conv.bias", "conv.weight", "fc.bias", "fc.weight"]
        check(sorted(got["params"]) == keys, "the model's only parameters are conv's and fc's." + where)
        for x, output in zip(inputs, got["outputs"], strict=True):
            check(output["tensor"], "forward returns a torch.Tensor of logits." + where)
            check_close(
                output["logits"],
                _digits_reference(got["params"], x, k),
                "forward(x) = fc(flatten(pool(relu(conv(x))))), flattened per sample in (C, H, W) order, with no"
                " softmax." + where + f", N = {len(x)}",
                rtol=1e-10,
                atol=1e-12,
            )


# ------------------------------------------------------------------------------------------- copy_numpy_params

COPY_SETUP = (4, 5)  # num_filters, kernel_size (spec H8)
TORCH_NAMES = {"conv.weight": "conv_w", "conv.bias": "conv_b", "fc.weight": "fc_w", "fc.bias": "fc_b"}


def _copy_case(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    filters, k = COPY_SETUP
    return {
        "conv_w": rng.standard_normal((filters, 1, k, k)),
        "conv_b": rng.standard_normal(filters),
        "fc_w": rng.standard_normal((filters * 16, 10)),
        "fc_b": rng.standard_normal(10),
    }


def _expected_torch_params(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: params[key].T if name == "fc.weight" else params[key] for name, key in TORCH_NAMES.items()}


def _run_copy(student: Any, seed: int) -> dict:
    params = _copy_case(seed)
    filters, k = COPY_SETUP
    try:
        numpy_net = student.SmallConvNet(num_filters=filters, kernel_size=k, seed=seed % 1000)
        for key, value in params.items():
            numpy_net.params[key] = value.copy()
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("SmallConvNet", error, PACKAGE)
    records = []
    for dtype in (torch.float64, torch.float32):
        try:
            torch_net = _build_digits_cnn(student, (*COPY_SETUP, 10), seed % 1000).to(dtype)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("DigitsCNN", error, PACKAGE)
        try:
            student.copy_numpy_params(numpy_net, torch_net)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("copy_numpy_params", error, PACKAGE)
        named = dict(torch_net.named_parameters())
        records.append(
            {
                "params": {name: plain(p) for name, p in named.items()},
                "dtypes": sorted({str(p.dtype) for p in named.values()}),
                "requires_grad": all(p.requires_grad for p in named.values()),
            }
        )
    unchanged = all(np.array_equal(numpy_net.params[key], value) for key, value in params.items())
    return {"nets": records, "unchanged": unchanged}


@judged
def _judge_copy(data: dict, seed: int) -> None:
    params = _copy_case(seed)
    expected = _expected_torch_params(params)
    for (dtype, tol), got in zip((("torch.float64", 1e-12), ("torch.float32", 1e-6)), data["nets"], strict=True):
        where = f" (failed for a {dtype[6:]} DigitsCNN)"
        for name, value in expected.items():
            wanted = value if dtype == "torch.float64" else value.astype(np.float32).astype(np.float64)
            hint = "copy conv_w and conv_b as they are and fc_b into fc.bias."
            if name == "fc.weight":
                reshaped = params["fc_w"].reshape(value.shape)
                hint = pick_hint(
                    got["params"].get(name, np.zeros(0)),
                    [(reshaped, "nn.Linear stores weight as (out, in): transpose fc_w, do not reshape it.")],
                    "nn.Linear stores weight as (out, in): copy fc_w.T.",
                    1e-6,
                )
            check(name in got["params"], "copy into torch_net.conv and torch_net.fc (their weight and bias).")
            check_close(got["params"][name], wanted, f"{name}: {hint}" + where, rtol=0.0, atol=tol)
        check(
            got["dtypes"] == [dtype],
            "keep torch_net's dtype: convert each array to the parameter's dtype before copying.",
            f"dtypes {', '.join(got['dtypes'])}",
        )
        check(got["requires_grad"], "copy in place under torch.no_grad(): the parameters must still require grad.")
    check(data["unchanged"], "copy_numpy_params must not modify the numpy net's params.")


# --------------------------------------------------------------------------------- train_one_epoch and evaluate

LOOP_BATCH = 4
LOOP_SIZES = (9, 10, 11, 13, 14, 15)  # never a multiple of the batch size: the last batch is short
LOOP_CLASSES = 5
LOOP_HIDDEN = 16
LOOP_LR = 0.1


class _LoopNet(nn.Module):
    """The instructor's model for the loop checks: 64 → 16 → classes on flattened 8×8 images. It records
    ``self.training`` and ``torch.is_grad_enabled()`` at every forward."""

    def __init__(self, params: dict[str, np.ndarray]) -> None:
        super().__init__()
        self.w1 = nn.Parameter(torch.tensor(params["w1"], dtype=torch.float32))
        self.b1 = nn.Parameter(torch.tensor(params["b1"], dtype=torch.float32))
        self.w2 = nn.Parameter(torch.tensor(params["w2"], dtype=torch.float32))
        self.b2 = nn.Parameter(torch.tensor(params["b2"], dtype=torch.float32))
        self.modes: list[tuple[bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.modes.append((self.training, torch.is_grad_enabled()))
        return torch.relu(x.flatten(1) @ self.w1 + self.b1) @ self.w2 + self.b2


class LoopCase(NamedTuple):
    params: dict[str, np.ndarray]
    X: np.ndarray  # (N, 1, 8, 8) float32
    y: np.ndarray  # (N,) int64
    grads: dict[str, np.ndarray]  # stale .grad values for evaluate


def _loop_params(rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {
        "w1": 0.3 * rng.standard_normal((64, LOOP_HIDDEN)),
        "b1": 0.1 * rng.standard_normal(LOOP_HIDDEN),
        "w2": 0.3 * rng.standard_normal((LOOP_HIDDEN, LOOP_CLASSES)),
        "b2": 0.1 * rng.standard_normal(LOOP_CLASSES),
    }


def _loop_case(seed: int, chosen_labels: bool = False) -> LoopCase:
    """Random data; with ``chosen_labels`` the labels agree with the model's predictions on a random subset
    chosen so that the batch accuracies differ (the unweighted mean of batch accuracies is not the accuracy)."""
    rng = np.random.default_rng(seed)
    params = _loop_params(rng)
    n = int(rng.choice(LOOP_SIZES))
    X = rng.standard_normal((n, 1, 8, 8)).astype(np.float32)
    y = rng.integers(0, LOOP_CLASSES, n)
    if chosen_labels:
        with torch.no_grad():
            predicted = _LoopNet(params)(torch.tensor(X)).argmax(1).numpy()
        starts = range(0, n, LOOP_BATCH)
        while True:
            correct = rng.random(n) < 0.5
            batch_means = [correct[s : s + LOOP_BATCH].mean() for s in starts]
            if abs(np.mean(batch_means) - correct.mean()) > 0.02:
                break
        shift = rng.integers(1, LOOP_CLASSES, n)
        y = np.where(correct, predicted, (predicted + shift) % LOOP_CLASSES).astype(np.int64)
    grads = {key: rng.standard_normal(value.shape) for key, value in params.items()}
    return LoopCase(params, X, y, grads)


def _loader(case: LoopCase) -> DataLoader:
    data = TensorDataset(torch.tensor(case.X), torch.tensor(case.y))
    return DataLoader(data, batch_size=LOOP_BATCH, shuffle=False, num_workers=0)


def _reference_epoch(case: LoopCase, zero_grad: bool = True) -> tuple[dict[str, np.ndarray], float, float, float]:
    """The instructor's epoch: parameters after it, the weighted mean loss, the accuracy, the unweighted mean loss."""
    model = _LoopNet(case.params)
    optimizer = torch.optim.SGD(model.parameters(), lr=LOOP_LR)
    loss_fn = nn.CrossEntropyLoss()
    total, correct, losses = 0.0, 0, []
    for inputs, targets in _loader(case):
        if zero_grad:
            optimizer.zero_grad()
        logits = model(inputs)
        loss = loss_fn(logits, targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
        correct += int((logits.argmax(1) == targets).sum())
        losses.append(loss.item())
    params = {name: plain(p) for name, p in model.named_parameters()}
    n = len(case.y)
    return params, total / n, correct / n, float(np.mean(losses))


@functools.cache
def _digits() -> dict[str, np.ndarray]:
    from utils.datasets import load_digits_split

    return load_digits_split(seed=0)


H7_EPOCHS = 15


def _digits_run(student: Any) -> np.ndarray:
    """The spec's H7 run: test-set predictions after 15 epochs of the student's train_one_epoch."""
    data = _digits()
    X_train = torch.tensor(data["X_train"].reshape(-1, 1, 8, 8), dtype=torch.float32)
    X_test = torch.tensor(data["X_test"].reshape(-1, 1, 8, 8), dtype=torch.float32)
    train = TensorDataset(X_train, torch.tensor(data["y_train"]))
    loader = DataLoader(train, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0), num_workers=0)
    with _one_thread(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = student.DigitsCNN()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(H7_EPOCHS):
            student.train_one_epoch(model, loader, loss_fn, optimizer)
        model.eval()
        with torch.no_grad():
            return plain(model(X_test).argmax(dim=1))


def _run_train(student: Any, seed: int) -> dict:
    case = _loop_case(seed)
    model = _LoopNet(case.params)
    model.eval()  # train_one_epoch must switch to training mode itself
    optimizer = torch.optim.SGD(model.parameters(), lr=LOOP_LR)
    try:
        with _one_thread():
            loss, accuracy = student.train_one_epoch(model, _loader(case), nn.CrossEntropyLoss(), optimizer)
        record = {
            "loss": plain(loss),
            "accuracy": plain(accuracy),
            "params": {name: plain(p) for name, p in model.named_parameters()},
            "modes": [list(mode) for mode in model.modes],
        }
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("train_one_epoch", error, PACKAGE)
    if seed == hidden_seeds("train_one_epoch")[0]:
        try:
            record["digits"] = _digits_run(student)
        except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
            return student_error("train_one_epoch", error, PACKAGE)
    return record


@judged
def _judge_train(data: dict, seed: int) -> None:
    case = _loop_case(seed)
    batches = math.ceil(len(case.y) / LOOP_BATCH)
    modes = data["modes"]
    check(len(modes) == batches, "one forward per batch of the loader.", f"{len(modes)} forwards, expected {batches}")
    check(all(training for training, _ in modes), "call model.train() at the start of train_one_epoch.")
    check(all(grad for _, grad in modes), "train with gradients enabled (no torch.no_grad() in train_one_epoch).")
    params, loss, accuracy, unweighted = _reference_epoch(case)
    stale, *_ = _reference_epoch(case, zero_grad=False)
    for name, value in params.items():
        hint = pick_hint(
            data["params"][name],
            [(stale[name], "did you call optimizer.zero_grad() every batch?")],
            "per batch: optimizer.zero_grad(), forward, loss, loss.backward(), optimizer.step().",
            1e-6,
        )
        check_close(data["params"][name], value, hint, **LOOP)
    weighting = "weight by batch size, do not average batch means: sum of loss * batch size / samples."
    hint = pick_hint(data["loss"], [(unweighted, weighting)], "return the mean training loss over the samples.", 1e-7)
    check_close(data["loss"], loss, hint, **LOOP)
    check_close(data["accuracy"], accuracy, "accuracy = correct predictions / samples over the epoch.", **LOOP)
    if "digits" in data:
        y = _digits()["y_test"]
        predicted = data["digits"]
        accuracy = float(np.mean(predicted == y))
        setting = "DigitsCNN(), Adam lr 1e-2, batch 64, 15 epochs"
        check(
            accuracy >= 0.94,
            f"the digits run ({setting}) must reach 0.94 test accuracy: run the local tests of every module.",
            f"test accuracy {accuracy:.3f}",
        )
        recalls = [float(np.mean(predicted[y == k] == k)) for k in range(10)]
        check(
            min(recalls) >= 0.8,
            f"the digits run ({setting}) must recall every class at least 0.8.",
            f"lowest recall {min(recalls):.2f}",
        )


def _run_evaluate(student: Any, seed: int) -> dict:
    case = _loop_case(seed, chosen_labels=True)
    model = _LoopNet(case.params)
    model.train()  # evaluate must switch to eval mode itself
    for name, p in model.named_parameters():
        p.grad = torch.tensor(case.grads[name], dtype=torch.float32)
    try:
        with _one_thread():
            loss, accuracy = student.evaluate(model, _loader(case), nn.CrossEntropyLoss())
        named = dict(model.named_parameters())
        return {
            "loss": plain(loss),
            "accuracy": plain(accuracy),
            "params": {name: plain(p) for name, p in named.items()},
            "grads": {name: plain(p.grad) if p.grad is not None else np.zeros(0) for name, p in named.items()},
            "modes": [list(mode) for mode in model.modes],
        }
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("evaluate", error, PACKAGE)


@judged
def _judge_evaluate(data: dict, seed: int) -> None:
    case = _loop_case(seed, chosen_labels=True)
    modes = data["modes"]
    check(modes, "evaluate must run the model on every batch of the loader.")
    check(not any(training for training, _ in modes), "call model.eval() before evaluating.")
    check(not any(grad for _, grad in modes), "evaluate under torch.no_grad().")
    for name, value in case.params.items():
        check_close(data["params"][name], value.astype(np.float32), "evaluate must not change any parameter.", **EXACT)
        check_close(
            data["grads"][name],
            case.grads[name].astype(np.float32),
            "evaluate must leave every .grad as it was (no zero_grad, no backward).",
            **EXACT,
        )
    with torch.no_grad():
        logits = _LoopNet(case.params)(torch.tensor(case.X))
        loss = float(F.cross_entropy(logits, torch.tensor(case.y)))
        correct = (logits.argmax(1) == torch.tensor(case.y)).numpy()
        batch_losses = [
            float(F.cross_entropy(logits[s : s + LOOP_BATCH], torch.tensor(case.y[s : s + LOOP_BATCH])))
            for s in range(0, len(case.y), LOOP_BATCH)
        ]
    batch_means = [correct[s : s + LOOP_BATCH].mean() for s in range(0, len(case.y), LOOP_BATCH)]
    weighting = "weight by batch size, do not average batch means."
    hint = pick_hint(data["loss"], [(np.mean(batch_losses), weighting)], "return the mean loss over the samples.", 1e-7)
    check_close(data["loss"], loss, hint, **LOOP)
    hint = pick_hint(data["accuracy"], [(np.mean(batch_means), weighting)], "accuracy = correct / samples.", 1e-9)
    check_close(data["accuracy"], correct.mean(), hint, **LOOP)


# ------------------------------------------------------------------------------------------- confusion_matrix


class ConfusionCase(NamedTuple):
    y_true: np.ndarray
    y_pred: np.ndarray
    num_classes: int
    label: str


ASYMMETRIC = ConfusionCase(
    np.array([0, 0, 0, 1, 2, 2], dtype=np.int64), np.array([1, 1, 0, 2, 2, 0], dtype=np.int64), 3, "3 classes"
)


def _confusion_cases(seed: int) -> list[ConfusionCase]:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 13))
    present = rng.permutation(k)[: k - 2]  # two classes never occur
    y_true = rng.choice(present, 200)
    y_pred = np.where(rng.random(200) < 0.6, y_true, rng.choice(present, 200)).astype(np.int64)
    return [ConfusionCase(y_true.astype(np.int64), y_pred, k, "200 random labels, two classes absent"), ASYMMETRIC]


def _confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    M = np.zeros((k, k), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _run_confusion(student: Any, seed: int) -> dict:
    fn = student.confusion_matrix
    records = []
    try:
        for case in _confusion_cases(seed):
            y_true, y_pred = case.y_true.copy(), case.y_pred.copy()
            M = fn(y_true, y_pred, case.num_classes)
            unchanged = arrays_unchanged((y_true, y_pred), (case.y_true, case.y_pred))
            records.append({"M": plain(M), "dtype": _dtype(M), "unchanged": unchanged})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("confusion_matrix", error, PACKAGE)
    y_true, y_pred, k, _ = _confusion_cases(seed)[0]
    big = y_true.copy()
    big[0] = k
    negative = y_pred.copy()
    negative[-1] = -1
    return {
        "cases": records,
        "true_k": exception_raised(fn, big, y_pred.copy(), k),
        "pred_k": exception_raised(fn, y_true.copy(), big.copy(), k),
        "negative": exception_raised(fn, y_true.copy(), negative, k),
        "lengths": exception_raised(fn, y_true.copy(), y_pred[:-1].copy(), k),
    }


@judged
def _judge_confusion(data: dict, seed: int) -> None:
    for case, got in zip(_confusion_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.label})"
        M = _confusion(case.y_true, case.y_pred, case.num_classes)
        hint = pick_hint(
            got["M"],
            [(M.T, "rows are TRUE classes, columns are predictions.")],
            "M[t, p] counts samples of true class t predicted as p; every class gets a row and a column.",
            0.0,
        )
        check_close(got["M"], M, hint + where, **EXACT)
        check(got["dtype"] == "int64", "return an int64 array.", f"dtype {got['dtype']}")
        check(got["unchanged"], "confusion_matrix must not modify its inputs." + where)
    for key, what in (
        ("true_k", "a true label equal to num_classes"),
        ("pred_k", "a predicted label equal to num_classes"),
        ("negative", "a label -1"),
        ("lengths", "arrays of different lengths"),
    ):
        check(
            data[key] == "ValueError",
            f"raise ValueError for labels outside [0, K) or lengths that differ (failed for {what}).",
            data[key],
        )


# ------------------------------------------------------------------------------------------- filters_to_grid


class GridCase(NamedTuple):
    w: np.ndarray  # (F, C, KH, KW)
    ncols: int
    pad: int
    label: str


def _grid_cases(seed: int) -> list[GridCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for channels in (1, 3):
        f = int(rng.integers(5, 13))
        kh, kw = (int(v) for v in rng.integers(2, 5, size=2))
        w = rng.standard_normal((f, channels, kh, kw)) * rng.uniform(0.1, 3.0, size=(f, 1, 1, 1))
        w[int(rng.integers(f))] = float(rng.standard_normal())  # a constant filter renders as 0.5
        ncols, pad = int(rng.integers(2, 6)), int(rng.integers(0, 3))
        cases.append(GridCase(w, ncols, pad, f"{channels}-channel filters"))
    cases.append(GridCase(rng.standard_normal((3, 1, 3, 3)), 8, 1, "3 filters with ncols 8"))
    return cases


def _grid(w: np.ndarray, ncols: int, pad: int, joint: bool = False) -> np.ndarray:
    f, c, kh, kw = w.shape
    rows, cols = math.ceil(f / ncols), min(f, ncols)
    grid = np.ones((rows * kh + (rows - 1) * pad, cols * kw + (cols - 1) * pad, c))
    for k in range(f):
        tile = w if joint else w[k]
        low, high = tile.min(), tile.max()
        scaled = np.full(w[k].shape, 0.5) if high == low else (w[k] - low) / (high - low)
        r, s = divmod(k, ncols)
        grid[r * (kh + pad) : r * (kh + pad) + kh, s * (kw + pad) : s * (kw + pad) + kw] = scaled.transpose(1, 2, 0)
    return grid[..., 0] if c == 1 else grid


def _run_grid(student: Any, seed: int) -> dict:
    records = []
    try:
        for case in _grid_cases(seed):
            w = case.w.copy()
            grid = plain(student.filters_to_grid(w, ncols=case.ncols, pad=case.pad))
            records.append({"grid": grid, "unchanged": np.array_equal(w, case.w)})
    except Exception as error:  # noqa: BLE001 - any student exception becomes the verdict's hint
        return student_error("filters_to_grid", error, PACKAGE)
    return {"cases": records}


@judged
def _judge_grid(data: dict, seed: int) -> None:
    for case, got in zip(_grid_cases(seed), data["cases"], strict=True):
        where = f" (failed for {case.label})"
        expected = _grid(case.w, case.ncols, case.pad)
        shape = "(R*KH + (R-1)*pad, Cc*KW + (Cc-1)*pad), R = ceil(F/ncols), Cc = min(F, ncols)"
        shape += ", with a trailing axis of 3 when C == 3" if case.w.shape[1] == 3 else ", 2-D when C == 1"
        check(got["grid"].shape == expected.shape, f"the grid is {shape}." + where)
        check(
            np.all(np.isfinite(got["grid"])),
            "a constant filter (max == min) becomes 0.5: never divide by a zero range." + where,
        )
        hint = pick_hint(
            got["grid"],
            [(_grid(case.w, case.ncols, case.pad, joint=True), "normalize each filter on its own.")],
            "min-max scale each filter to [0, 1] on its own (a constant filter becomes 0.5), tiles row-major,"
            " separators and unused cells 1.0.",
            1e-9,
        )
        check_close(got["grid"], expected, hint + where, rtol=0.0, atol=1e-12)
        check(got["unchanged"], "filters_to_grid must not modify w." + where)


# --------------------------------------------------------------------------------------------------- CHECKS

CHECKS = checks(
    conv_output_size=("cnn", _run_size, _judge_size),
    conv2d_forward_naive=("cnn", _forward_runner("conv2d_forward_naive"), _forward_judge("conv2d_forward_naive")),
    conv2d_backward_naive=(
        "cnn",
        _backward_runner("conv2d_forward_naive", "conv2d_backward_naive", trace=False),
        _backward_judge("conv2d_backward_naive", trace=False),
    ),
    im2col=("cnn", _run_im2col, _judge_im2col),
    conv2d_forward=("cnn", _forward_runner("conv2d_forward"), _forward_judge("conv2d_forward")),
    conv2d_backward=(
        "cnn",
        _backward_runner("conv2d_forward", "conv2d_backward", trace=True),
        _backward_judge("conv2d_backward", trace=True),
    ),
    maxpool2d_forward=("cnn", _run_pool_forward, _judge_pool_forward),
    maxpool2d_backward=("cnn", _run_pool_backward, _judge_pool_backward),
    small_conv_net__loss=("cnn", _run_small_net, _judge_small_net),
    digits_cnn__forward=("cnn", _run_digits_forward, _judge_digits_forward),
    copy_numpy_params=("cnn", _run_copy, _judge_copy),
    train_one_epoch=("cnn", _run_train, _judge_train),
    evaluate=("cnn", _run_evaluate, _judge_evaluate),
    confusion_matrix=("cnn", _run_confusion, _judge_confusion),
    filters_to_grid=("cnn", _run_grid, _judge_grid),
)
