"""Figures shared by the notebooks. Single-panel plots take ``ax=None`` and return the Axes.

Inputs may be numpy arrays, lists or torch tensors (read through ``np.asarray``); this module never
imports torch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The given Axes, or a new single-panel figure's."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _finite_prefix(values: Any) -> np.ndarray:
    """The rows before the first non-finite value: a diverging run is drawn up to where it blew up."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.all(np.isfinite(values), axis=tuple(range(1, values.ndim)))
    stop = len(values) if finite.all() else int(np.argmin(finite))
    return values[:stop]


# A plain f(x, y) such as ripple_f has no window of its own: it is drawn on [−PLAIN_LIM, PLAIN_LIM]².
PLAIN_LIM = 5.0
PLAIN_GRID_POINTS = 200


def _contour_grid(landscape: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, Y, Z) on a grid: the landscape's own ``grid()`` (as ``Bowl``), or a plain f(x, y) on the default square."""
    if hasattr(landscape, "grid"):
        return landscape.grid()
    if callable(landscape):
        axis = np.linspace(-PLAIN_LIM, PLAIN_LIM, PLAIN_GRID_POINTS)
        X, Y = np.meshgrid(axis, axis)
        return X, Y, np.asarray(landscape(X, Y), dtype=np.float64)
    raise TypeError(f"cannot draw contours of {type(landscape).__name__}: it needs a grid() method or f(x, y)")


def _mark_minima(ax: Axes, minima: Mapping[str, Sequence[float]]) -> None:
    """A black cross at each named minimum (x, y, ...), labelled with its name."""
    for name, (x, y, *_) in minima.items():
        ax.plot(x, y, "X", ms=9, color="black", mec="white")
        ax.annotate(name, (x, y), xytext=(6, 6), textcoords="offset points", fontsize="small")


def plot_path_on_contours(
    landscape: Any,
    paths: Mapping[str, Any],
    ax: Axes | None = None,
    *,
    levels: int = 25,
    minima: Mapping[str, Sequence[float]] | None = None,
) -> Axes:
    """Filled contours of ``landscape`` with each (N, 2) path of iterates: a line from a hollow start to a star.

    ``landscape`` is a ``Bowl`` (drawn on its own grid) or a plain numpy f(x, y) such as ``ripple_f`` (drawn
    on [−5, 5]²); ``levels`` is the number of contour levels; ``minima`` (name -> (x, y, ...)) are marked
    with crosses. A path that diverges is drawn up to its last finite point; the view stays on the grid.
    """
    ax = _axes(ax, (6, 5.5))
    X, Y, Z = _contour_grid(landscape)
    # Levels at quantiles of Z give equal-area bands, readable for cones, quadratics and ripples alike.
    boundaries = np.unique(np.quantile(Z, np.linspace(0.0, 1.0, levels)))
    ax.contourf(X, Y, Z, levels=boundaries, cmap="Blues_r", alpha=0.45)
    ax.contour(X, Y, Z, levels=boundaries, colors="steelblue", linewidths=0.5)
    if minima:
        _mark_minima(ax, minima)
    for label, path in paths.items():
        points = _finite_prefix(path).reshape(-1, 2)
        if len(points) == 0:
            continue
        (line,) = ax.plot(points[:, 0], points[:, 1], "-o", lw=1.2, ms=2.5, label=label)
        ax.plot(*points[0], "o", ms=8, mfc="none", mew=1.5, color=line.get_color())
        if len(points) > 1:
            ax.plot(*points[-1], "*", ms=12, color=line.get_color())
    ax.set_xlim(X.min(), X.max())
    ax.set_ylim(Y.min(), Y.max())
    ax.set_aspect("equal")
    ax.set_title("Paths on the loss contours (o start, * end)")
    ax.set_xlabel("x[0]")
    ax.set_ylabel("x[1]")
    if paths:
        ax.legend(fontsize="small")
    return ax


def plot_loss_curves(curves: Mapping[str, Any], log: bool = True, ax: Axes | None = None) -> Axes:
    """Each (N,) curve of losses against the step index; log y-axis unless ``log=False``.

    A curve with non-finite values is drawn up to its last finite point, marked with an x.
    """
    ax = _axes(ax, (6, 4))
    diverged = False
    for label, curve in curves.items():
        values = np.ravel(np.asarray(curve, dtype=np.float64))
        shown = _finite_prefix(values)
        (line,) = ax.plot(np.arange(len(shown)), shown, lw=1.5, label=label)
        if 0 < len(shown) < len(values):
            diverged = True
            ax.plot(len(shown) - 1, shown[-1], "x", ms=10, mew=2, color=line.get_color())
    if log:
        ax.set_yscale("log")
    ax.set_title("Loss per step" + (" (x: last finite value)" if diverged else ""))
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)" if log else "loss")
    if curves:
        ax.legend(fontsize="small")
    return ax


def plot_grad_traces(grads: Any, mean: Any = None, rms: Any = None) -> Figure:
    """One panel per coordinate of a (T, d) gradient history: the gradient against the step, with the
    per-coordinate ``mean`` (dashed) and ``rms`` (solid, drawn at ±RMS) when given. Returns the Figure."""
    values = np.asarray(grads, dtype=np.float64).reshape(len(grads), -1)
    d = values.shape[1]
    fig, axes = plt.subplots(1, d, figsize=(min(5 * d, 10), 3.6), squeeze=False, layout="constrained")
    steps = np.arange(len(values))
    for i, ax in enumerate(axes[0]):
        ax.plot(steps, values[:, i], "-o", ms=2.5, lw=1, color="gray", label="gradient")
        if mean is not None:
            ax.axhline(float(np.ravel(mean)[i]), ls="--", color="tab:blue", label="mean")
        if rms is not None:
            level = float(np.ravel(rms)[i])
            ax.axhline(level, color="tab:red", label="±RMS")
            ax.axhline(-level, color="tab:red")
        ax.axhline(0.0, color="black", lw=0.5)
        ax.set_title(f"coordinate x[{i}]")
        ax.set_xlabel("step")
        ax.set_ylabel(f"∂L/∂x[{i}]")
        ax.legend(fontsize="small")
    fig.suptitle("Gradient history per coordinate")
    return fig


def plot_ema(series: Any, ema: Any, ema_star: Any, mean: float | None, ax: Axes | None = None) -> Axes:
    """A (T,) series as dots (sample t at x = t, from 1), its bias-corrected ``ema`` and uncorrected
    ``ema_star`` as lines, and the ordinary ``mean`` as a horizontal line; ``ema_star`` or ``mean`` may be None."""
    ax = _axes(ax, (8, 4))
    t = np.arange(1, len(series) + 1)
    ax.plot(t, np.asarray(series, dtype=np.float64), ".", ms=4, color="gray", label="samples")
    if mean is not None:
        ax.axhline(float(mean), ls=":", color="black", label=f"ordinary mean {float(mean):.2f}")
    if ema_star is not None:
        ax.plot(t, np.asarray(ema_star, dtype=np.float64), "--", color="tab:orange", label="EMA* (uncorrected)")
    ax.plot(t, np.asarray(ema, dtype=np.float64), color="tab:blue", lw=2, label="EMA (bias-corrected)")
    ax.set_title("Exponential moving average of a series")
    ax.set_xlabel("sample t")
    ax.set_ylabel("value")
    ax.legend(fontsize="small")
    return ax
