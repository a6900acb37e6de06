"""Print how fast 04's solution convolution is: naive loops, im2col and torch, on one thread, float64.

Usage: .venv/bin/python benchmarks/conv2d_speed.py
Input x (8, 3, 16, 16), w (8, 3, 3, 3), b (8,), stride 1, pad 1. Every figure is the best of several repeats,
divided by the number of calls per repeat, all measured in this one run. The goal for the im2col pair is to stay
within 5x of torch (F.conv2d plus its autograd backward). This script is a measurement, never a test: timings
depend on the machine and its load. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import os
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # before numpy and torch load their thread pools

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))
sys.path.insert(0, str(KIT / "solutions" / "04_cnn_layers"))

from cnn.conv2d import conv2d_backward, conv2d_backward_naive, conv2d_forward, conv2d_forward_naive  # noqa: E402
from utils.runtime import limit_threads  # noqa: E402

SHAPE_X, SHAPE_W, PAD = (8, 3, 16, 16), (8, 3, 3, 3), 1
GOAL = 5.0  # im2col forward+backward at most this many times torch's
# (calls per repeat, repeats): the naive loops take tens of milliseconds per call, the others well under one.
NAIVE_TIMING, FAST_TIMING = (1, 3), (20, 7)


def best_seconds(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Seconds per call: the fastest of ``repeat`` runs of ``number`` calls (the least disturbed by load)."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    limit_threads(1)
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal(SHAPE_X), rng.standard_normal(SHAPE_W), rng.standard_normal(SHAPE_W[0])
    out, _ = conv2d_forward(x, w, b, 1, PAD)
    dout = rng.standard_normal(out.shape)

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tdout = torch.tensor(dout)

    def torch_forward() -> torch.Tensor:
        with torch.no_grad():
            return F.conv2d(tx, tw, tb, padding=PAD)

    def torch_forward_backward() -> tuple[torch.Tensor, ...]:
        return torch.autograd.grad(F.conv2d(tx, tw, tb, padding=PAD), (tx, tw, tb), tdout)

    # The three implementations agree before any of them is timed.
    fast = conv2d_backward(dout, conv2d_forward(x, w, b, 1, PAD)[1])
    naive = conv2d_backward_naive(dout, conv2d_forward_naive(x, w, b, 1, PAD)[1])
    reference = [t.numpy() for t in torch_forward_backward()]
    worst = max(float(np.max(np.abs(a - r))) for pair in (fast, naive) for a, r in zip(pair, reference, strict=True))
    if worst > 1e-10:
        raise SystemExit(f"the implementations disagree (max abs difference {worst:.1e}); fix them before timing")

    both = {
        "naive": (lambda: conv2d_backward_naive(dout, conv2d_forward_naive(x, w, b, 1, PAD)[1]), NAIVE_TIMING),
        "im2col": (lambda: conv2d_backward(dout, conv2d_forward(x, w, b, 1, PAD)[1]), FAST_TIMING),
        "torch": (torch_forward_backward, FAST_TIMING),
    }
    forward = {
        "naive": (lambda: conv2d_forward_naive(x, w, b, 1, PAD), NAIVE_TIMING),
        "im2col": (lambda: conv2d_forward(x, w, b, 1, PAD), FAST_TIMING),
        "torch": (torch_forward, FAST_TIMING),
    }
    print(
        f"conv2d speed: x {SHAPE_X}, w {SHAPE_W}, pad {PAD}, stride 1, float64, 1 thread "
        f"(torch {torch.__version__}, numpy {np.__version__}); best of repeats, ms per call"
    )
    for title, table in (("forward + backward", both), ("forward only (the figures the notebook shows)", forward)):
        seconds = {name: best_seconds(fn, *timing) for name, (fn, timing) in table.items()}
        print(f"\n{title}")
        for name, value in seconds.items():
            print(f"  {name:8s} {1e3 * value:9.3f} ms   {value / seconds['torch']:8.1f}x torch")
        if title == "forward + backward":
            ratio = seconds["im2col"] / seconds["torch"]
            verdict = "met" if ratio <= GOAL else "MISSED"
            print(f"  goal: im2col within {GOAL:g}x of torch -> {ratio:.1f}x, {verdict}")
            print(f"  naive / torch: {seconds['naive'] / seconds['torch']:.0f}x")


if __name__ == "__main__":
    main()
