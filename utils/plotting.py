"""Figures shared by the notebooks. Single-panel plots take ``ax=None`` and return the Axes.

Inputs may be numpy arrays, lists or torch tensors (read through ``np.asarray``); this module never
imports torch.
"""

from __future__ import annotations

import math
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


def _moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` values (shorter at the start), as long as ``values``."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    return (sums[1:] - sums[np.arange(1, len(values) + 1) - counts]) / counts


def plot_history(history: Mapping[str, Any]) -> Figure:
    """Training curves from a history dict (03's ``fit``, 04's trainer). Returns the Figure.

    Left: ``loss`` per optimizer step with its moving average, and/or ``train_loss``, ``val_loss`` per epoch
    (placed at the end of each epoch's steps when both kinds are present); log y-axis. Right: ``train_acc`` and
    ``val_acc`` per epoch. A run that stopped on a non-finite loss is drawn up to its last finite value.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    steps = _finite_prefix(history.get("loss", []))
    epoch_keys = [key for key in ("train_loss", "val_loss") if len(history.get(key, []))]
    n_epochs = max((len(history.get(key, [])) for key in ("train_loss", "val_loss", "train_acc", "val_acc")), default=0)
    if len(steps):
        left.plot(np.arange(1, len(steps) + 1), steps, lw=0.6, alpha=0.45, color="tab:blue", label="loss per step")
        window = max(1, len(steps) // 25)
        if window > 1:
            average = _moving_average(steps, window)
            label = f"moving average ({window} steps)"
            left.plot(np.arange(1, len(steps) + 1), average, lw=1.8, color="tab:blue", label=label)
        left.set_xlabel("step")
    else:
        left.set_xlabel("epoch")
    per_epoch = len(history.get("loss", [])) / n_epochs if len(steps) and n_epochs else 1.0
    for key in epoch_keys:
        values = _finite_prefix(history[key])
        left.plot(np.arange(1, len(values) + 1) * per_epoch, values, "o-", ms=3, label=key.replace("_", " "))
    if len(steps) or epoch_keys:
        left.set_yscale("log")
        left.legend(fontsize="small")
    left.set_ylabel("loss (log scale)")
    left.set_title("Training loss" + (f" (stopped: {history['stopped']})" if history.get("stopped") else ""))
    for key, style in (("train_acc", "o-"), ("val_acc", "s-")):
        values = np.asarray(history.get(key, []), dtype=np.float64)
        if len(values):
            label = f"{key.replace('_acc', '')} (last {values[-1]:.3f})"
            right.plot(np.arange(1, len(values) + 1), values, style, ms=3, label=label)
    if right.lines:
        right.legend(fontsize="small", loc="lower right")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.set_title("Accuracy per epoch")
    fig.suptitle("Training history")
    return fig


# Two classes: colours for the points and lighter ones for the regions.
CLASS_COLORS = ("tab:blue", "tab:red")
REGION_COLORS = ("#c6dbef", "#fcbba1")


def plot_decision_boundary(
    score_fn: Any,
    X: Any,
    y: Any,
    ax: Axes | None = None,
    *,
    threshold: float = 0.0,
    margins: bool = False,
    support: Any = None,
    grid: int = 120,
    pad: float = 0.5,
) -> Axes:
    """The regions where ``score_fn`` is above and below ``threshold`` in 2-D, with the points (X, y).

    ``score_fn`` maps (G, 2) points to (G,) scores (03 passes ``model.predict`` with ``threshold=0.5``; 06 a
    ``decision_function`` with threshold 0). The boundary is the solid line; ``margins`` adds dashed lines at
    threshold ± 1; ``support`` (indices into X) are ringed. The grid spans X's range plus ``pad`` on each side
    with ``grid`` points per axis. Labels may be 0/1 or ±1: the smaller one is drawn blue, the larger red.
    """
    ax = _axes(ax, (6, 5))
    X = np.asarray(X, dtype=np.float64)
    y = np.ravel(np.asarray(y))
    lows, highs = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(lows[0], highs[0], grid), np.linspace(lows[1], highs[1], grid))
    scores = np.asarray(score_fn(np.column_stack([gx.ravel(), gy.ravel()])), dtype=np.float64).reshape(gx.shape)
    finite = scores[np.isfinite(scores)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (threshold, threshold)
    # Two filled regions split at the threshold; the boundary lines only where the scores cross them.
    edges = [min(low, threshold) - 1.0, threshold, max(high, threshold) + 1.0]
    ax.contourf(gx, gy, scores, levels=edges, colors=REGION_COLORS, alpha=0.8)
    lines = [threshold - 1.0, threshold, threshold + 1.0] if margins else [threshold]
    crossed = [level for level in lines if low < level < high]
    if crossed:
        ax.contour(
            gx,
            gy,
            scores,
            levels=crossed,
            colors="black",
            linestyles=["--" if level != threshold else "-" for level in crossed],
            linewidths=1.2,
        )
    for color, label in zip(CLASS_COLORS, np.unique(y)[:2], strict=False):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=14, color=color, edgecolor="white", lw=0.4, label=f"class {label}")
    if support is not None and len(np.atleast_1d(support)):
        ringed = X[np.asarray(support, dtype=np.int64)]
        ax.scatter(ringed[:, 0], ringed[:, 1], s=80, facecolor="none", edgecolor="black", lw=1.0, label="support")
    ax.set_xlim(lows[0], highs[0])
    ax.set_ylim(lows[1], highs[1])
    ax.set_title("Decision boundary" + (" and margins" if margins else ""))
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def show_image_grid(
    images: Any, titles: Sequence[str] | None = None, ncols: int = 8, cmap: str = "gray", *, title: str = ""
) -> Figure:
    """(N, H, W) images in a grid of ``ncols`` columns, each with its title if ``titles`` is given.

    ``title`` is the figure's title. Axes are hidden (pixels have no units). Returns the Figure.
    """
    images = np.asarray(images, dtype=np.float64)
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    width = float(np.clip(1.1 * ncols, 6.0, 10.0))
    height = nrows * width / ncols * (1.2 if titles is not None else 1.0) + 0.5
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(images[i], cmap=cmap, interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[i], fontsize="small")
    if n == 0:
        axes[0, 0].text(0.5, 0.5, "no images", ha="center", va="center", transform=axes[0, 0].transAxes)
    if title:
        fig.suptitle(title)
    return fig


def show_digits(images: Any, labels: Any = None, ncols: int = 10) -> Figure:
    """Digit images (N, 8, 8) in a grid, each titled with its label when ``labels`` is given."""
    titles = None if labels is None else [str(label) for label in np.ravel(np.asarray(labels))]
    return show_image_grid(images, titles, ncols=ncols, cmap="gray_r", title=f"{len(images)} digits")


def show_misclassified(images: Any, y_true: Any, y_pred: Any, probs: Any, max_n: int = 20) -> Figure:
    """Up to ``max_n`` misclassified images, most confident mistakes first, titled ``true→pred (p=0.83)``.

    ``probs`` is (N, C) class probabilities or (N,) the probability of the predicted class.
    """
    images = np.asarray(images, dtype=np.float64)
    y_true, y_pred = np.ravel(np.asarray(y_true)), np.ravel(np.asarray(y_pred))
    probs = np.asarray(probs, dtype=np.float64)
    confidence = probs[np.arange(len(y_pred)), y_pred] if probs.ndim == 2 else np.ravel(probs)
    wrong = np.flatnonzero(y_true != y_pred)
    shown = wrong[np.argsort(-confidence[wrong], kind="stable")][:max_n]
    titles = [f"{y_true[i]}→{y_pred[i]} (p={confidence[i]:.2f})" for i in shown]
    title = f"Misclassified: {len(wrong)} of {len(y_true)}, most confident first (true→predicted)"
    return show_image_grid(images[shown], titles, ncols=min(10, max_n), cmap="gray_r", title=title)


def show_weights(W: Any, image_shape: tuple[int, int] = (8, 8), n: int = 16) -> Figure:
    """The first ``n`` columns of a first-layer weight matrix W (D, H) as images, each on a symmetric colour
    scale (red positive, blue negative), so a unit's preferred input pattern shows as red strokes."""
    W = np.asarray(W, dtype=np.float64)
    n = min(n, W.shape[1])
    images = W[:, :n].T.reshape(n, *image_shape)
    fig = show_image_grid(images, [f"unit {k}" for k in range(n)], ncols=8, cmap="RdBu_r", title="")
    for ax, image in zip(fig.axes, images, strict=False):
        limit = float(np.abs(image).max()) or 1.0
        for shown in ax.get_images():
            shown.set_clim(-limit, limit)
    fig.suptitle(f"First-layer weights of {n} hidden units (red > 0 > blue)")
    return fig


def plot_confusion_matrix(M: Any, normalize: bool = True, ax: Axes | None = None) -> Axes:
    """A (K, K) confusion matrix of counts, rows = true class, columns = predicted class.

    Colours are row-normalised when ``normalize`` (the share of each true class), else the counts; each cell
    shows its count.
    """
    ax = _axes(ax, (6, 5))
    counts = np.asarray(M, dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    shades = counts / np.where(totals == 0, 1.0, totals) if normalize else counts
    image = ax.imshow(shades, cmap="Blues", vmin=0.0, vmax=1.0 if normalize else None)
    plt.colorbar(image, ax=ax, label="share of the true class" if normalize else "count")
    middle = 0.5 * (shades.max() if shades.size else 1.0)
    for (i, j), count in np.ndenumerate(counts):
        if count:
            color = "white" if shades[i, j] > middle else "black"
            ax.text(j, i, f"{int(count)}", ha="center", va="center", fontsize="small", color=color)
    k = counts.shape[0]
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Confusion matrix" + (" (colours: row shares)" if normalize else ""))
    return ax


def plot_fd_error_vs_h(f: Any, df: Any, x: Any, hs: Any = None, ax: Axes | None = None) -> Axes:
    """Error of finite-difference derivatives of an elementwise ``f`` at ``x`` against the step h (log-log).

    ``df`` is the exact derivative. For each h: centred (f(x+h) − f(x−h))/2h and forward (f(x+h) − f(x))/h,
    error = max over x of |estimate − df(x)|. ``hs`` defaults to 10^−16 … 10^0. Each curve's best h is marked.
    """
    ax = _axes(ax, (7, 4.5))
    x = np.asarray(x, dtype=np.float64)
    hs = np.logspace(-16, 0, 65) if hs is None else np.asarray(hs, dtype=np.float64)
    exact = np.asarray(df(x), dtype=np.float64)
    estimates = {
        "centred (f(x+h) − f(x−h)) / 2h": lambda h: (f(x + h) - f(x - h)) / (2 * h),
        "forward (f(x+h) − f(x)) / h": lambda h: (f(x + h) - f(x)) / h,
    }
    lowest = np.inf
    for label, estimate in estimates.items():
        errors = np.array([np.max(np.abs(np.asarray(estimate(h), dtype=np.float64) - exact)) for h in hs])
        errors[errors == 0] = np.nan  # an exact hit cannot be drawn on a log scale
        lowest = min(lowest, float(np.nanmin(errors, initial=np.inf)))
        (line,) = ax.plot(hs, errors, "o-", ms=3, label=label)
        if np.any(np.isfinite(errors)):
            best = int(np.nanargmin(errors))
            ax.plot(hs[best], errors[best], "*", ms=14, color=line.get_color(), mec="black")
            ax.annotate(
                f"h = {hs[best]:.0e}", (hs[best], errors[best]), xytext=(10, -4), textcoords="offset points", va="top"
            )
    if np.isfinite(lowest):
        ax.set_ylim(bottom=lowest / 30)  # room for the label under the lowest star
    ax.axvline(1e-5, ls=":", color="gray", label="default h = 1e-5")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step h")
    ax.set_ylabel("max abs error of the derivative")
    ax.set_title("Finite-difference error against the step h (* best h)")
    ax.legend(fontsize="small")
    return ax


def plot_timings(timings: Mapping[str, float], ax: Axes | None = None) -> Axes:
    """A bar per implementation: its time per call, given in **seconds** (as ``timeit`` reports), drawn in
    milliseconds on a log y-axis. Each bar is labelled with its time and how many times slower it is than the
    fastest one. Returns the Axes.
    """
    ax = _axes(ax, (7, 4))
    names = list(timings)
    ms = np.array([1e3 * float(timings[name]) for name in names], dtype=np.float64)
    colors = [plt.get_cmap("tab10")(i % 10) for i in range(len(names))]
    bars = ax.bar(range(len(names)), ms, color=colors, width=0.6)
    ax.set_yscale("log")
    positive = ms[ms > 0]
    fastest = float(positive.min()) if positive.size else 1.0
    for bar, value in zip(bars, ms, strict=True):
        ratio = value / fastest
        factor = f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.1f}"
        label = f"{value:.3g} ms\n" + (f"{factor}× the fastest" if value > fastest else "fastest")
        x = bar.get_x() + bar.get_width() / 2
        ax.annotate(
            label, (x, value), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize="small"
        )
    if positive.size:
        # Room above the tallest bar for its two-line label (a factor on the log scale).
        ax.set_ylim(positive.min() / 3, positive.max() * 8)
    ax.set_xticks(range(len(names)), names)
    ax.set_xlabel("implementation")
    ax.set_ylabel("time per call (ms, log scale)")
    ax.set_title("Time per call (lower is faster)")
    return ax


def plot_conv_geometry(image: Any, kernel: int = 3, pad: int = 1, strides: Sequence[int] = (1, 2)) -> Figure:
    """Where a ``kernel``×``kernel`` convolution looks on a 2-D ``image``: the image, the image with ``pad`` rings
    of zeros (padding cells outlined in red), and for each stride the padded grid with a dot at the centre of
    every window, the first window (solid) and its right neighbour (dashed), and a grey cross on every cell no
    window reads. Returns the Figure.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    H, W = image.shape
    padded = np.pad(image, pad)
    Hp, Wp = padded.shape
    panels = 2 + len(strides)
    fig, axes = plt.subplots(1, panels, figsize=(min(10.0, 2.6 * panels), 3.4), layout="constrained")
    low, high = float(image.min()), float(image.max())

    def grid(ax: Axes, rows: int, cols: int) -> None:
        ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
        ax.grid(which="minor", color="lightgray", lw=0.4)
        ax.tick_params(which="minor", length=0)
        ax.set_xlabel("column (pixels)")
        ax.set_ylabel("row (pixels)")

    first = axes[0]
    first.imshow(image, cmap="gray_r", vmin=low, vmax=high, interpolation="nearest")
    grid(first, H, W)
    first.set_title(f"image {H}×{W}", fontsize="medium")

    def padded_view(ax: Axes) -> None:
        ax.imshow(padded, cmap="gray_r", vmin=min(low, 0.0), vmax=high, interpolation="nearest")
        grid(ax, Hp, Wp)
        if pad:
            ax.add_patch(plt.Rectangle((-0.5, -0.5), Wp, Hp, fill=False, ec="tab:red", lw=1.5))
            ax.add_patch(plt.Rectangle((pad - 0.5, pad - 0.5), W, H, fill=False, ec="tab:red", lw=1.0, ls=":"))

    padded_view(axes[1])
    axes[1].set_title(f"zero-padded, pad {pad}: {Hp}×{Wp}", fontsize="medium")

    handles: dict[str, Any] = {}
    for ax, stride in zip(axes[2:], strides, strict=True):
        padded_view(ax)
        Ho, Wo = (Hp - kernel) // stride + 1, (Wp - kernel) // stride + 1
        if Ho < 1 or Wo < 1:
            ax.set_title(f"stride {stride}: no window fits", fontsize="medium")
            continue
        starts_r, starts_c = np.arange(Ho) * stride, np.arange(Wo) * stride
        centre = (kernel - 1) / 2
        cr, cc = np.meshgrid(starts_r + centre, starts_c + centre, indexing="ij")
        (dots,) = ax.plot(cc.ravel(), cr.ravel(), ".", color="tab:blue", ms=4)
        handles["window centres"] = dots
        read = np.zeros((Hp, Wp), dtype=bool)
        for r in starts_r:
            for c in starts_c:
                read[r : r + kernel, c : c + kernel] = True
        skipped_r, skipped_c = np.nonzero(~read)
        if len(skipped_r):
            (crosses,) = ax.plot(skipped_c, skipped_r, "x", color="dimgray", ms=5, mew=1.2)
            handles["never read"] = crosses
        box = plt.Rectangle((-0.5, -0.5), kernel, kernel, fill=False, ec="tab:orange", lw=2.0)
        ax.add_patch(box)
        handles["first window"] = box
        if Wo > 1:
            nxt = plt.Rectangle((stride - 0.5, -0.5), kernel, kernel, fill=False, ec="tab:orange", lw=1.5, ls="--")
            ax.add_patch(nxt)
            handles["next window"] = nxt
        ax.set_title(f"stride {stride}: output {Ho}×{Wo}", fontsize="medium")
    if pad:
        handles["zero padding (red frame)"] = plt.Rectangle((0, 0), 1, 1, fill=False, ec="tab:red", lw=1.5)
    if handles:
        fig.legend(
            list(handles.values()), list(handles), loc="outside lower center", ncols=len(handles), fontsize="small"
        )
    fig.suptitle(f"A {kernel}×{kernel} window sliding over a zero-padded image")
    return fig


def demo_linear_chain(
    gains: Sequence[float] = (0.8, 1.0, 1.2),
    ax: Axes | None = None,
    *,
    depth: int = 10,
    width: int = 500,
    n: int = 1000,
    seed: int = 0,
) -> Axes:
    """The std of a signal pushed through ``depth`` random linear layers (no activation), one line per gain.

    x (n, width) comes from ``default_rng(seed)``; the layer weights W_l (width, width), N(0, 1/width), from
    ``default_rng(seed + 1)``, the same draws for every gain. With gain g each layer computes h @ (g·W_l), so
    the std is multiplied by about g per layer and by about g^depth in all (dotted lines: g^l). Log y-axis.
    Returns the Axes.
    """
    ax = _axes(ax, (7, 4))
    x = np.random.default_rng(seed).standard_normal((n, width))
    rng = np.random.default_rng(seed + 1)
    weights = [rng.standard_normal((width, width)) / math.sqrt(width) for _ in range(depth)]
    layers = np.arange(depth + 1)
    for gain in gains:
        h, stds = x, [float(x.std())]
        for W in weights:
            h = h @ (gain * W)
            stds.append(float(h.std()))
        (line,) = ax.plot(layers, stds, "o-", ms=4, label=f"gain {gain:g}: std(h_{depth}) = {stds[-1]:.3g}")
        ax.plot(layers, float(gain) ** layers, ":", color=line.get_color())
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_title(f"Signal std through {depth} linear layers (dotted: gain^l)")
    ax.set_xlabel("layer l (0 = input)")
    ax.set_ylabel("std(h_l) (log scale)")
    ax.legend(fontsize="small")
    return ax


def _finite(values: Any) -> tuple[np.ndarray, float]:
    """The finite entries of ``values`` (flattened) and the share of entries that were not finite."""
    flat = np.ravel(np.asarray(values, dtype=np.float64))
    mask = np.isfinite(flat)
    return flat[mask], (1.0 - float(mask.mean())) if flat.size else 0.0


def _layer_histogram(
    ax: Axes, values: Any, xlim: tuple[float, float], *, bins: int = 40, fractions: bool = False
) -> str:
    """One layer's values as a filled histogram on the fixed range ``xlim`` (plus a small margin); returns a caption.

    The caption gives the std over the finite entries; with ``fractions`` (ReLU layers) also the share of
    exact zeros, which are left out of the bars (their spike would flatten every other bar), and the share
    outside ``xlim``. Non-finite entries are never drawn and their share is added to the caption. Bars are the
    share of all entries per bin; y tick labels are hidden (each panel has its own y scale).
    """
    finite, bad = _finite(values)
    total = max(finite.size, 1) / max(1.0 - bad, 1e-300)
    shown = finite[finite != 0] if fractions else finite
    counts, edges = np.histogram(shown, bins=bins, range=xlim)
    ax.stairs(counts / total, edges, fill=True, color="tab:blue", alpha=0.8)
    margin = 0.04 * (xlim[1] - xlim[0])  # so that a spike in the first or last bin is not hidden by the frame
    ax.set_xlim(xlim[0] - margin, xlim[1] + margin)
    ax.set_yticks([])
    std = float(finite.std()) if finite.size else math.nan
    caption = f"std {std:.2g}"
    if fractions:
        zeros = float(np.mean(finite == 0)) if finite.size else 0.0
        outside = float(np.mean((finite < xlim[0]) | (finite > xlim[1]))) if finite.size else 0.0
        caption += f"\n0: {zeros:.0%}, out: {outside:.0%}"
    if bad:
        caption += f"\nnot finite {bad:.0%}"
    if finite.size == 0 or not counts.any():
        ax.text(0.5, 0.5, "no bars", ha="center", va="center", fontsize="x-small", color="gray", transform=ax.transAxes)
    return caption


def _edge_ticks(ax: Axes, xlim: tuple[float, float]) -> None:
    """Ticks at both ends and the middle of ``xlim``, the end labels turned inwards so neighbours do not touch."""
    low, high = xlim
    ax.set_xticks([low, (low + high) / 2, high], [f"{low:g}", f"{(low + high) / 2:g}", f"{high:g}"])
    labels = ax.get_xticklabels()
    labels[0].set_horizontalalignment("left")
    labels[-1].set_horizontalalignment("right")


def plot_layer_histograms(
    acts: Mapping[str, Sequence[Any]],
    xlim: tuple[float, float],
    *,
    fractions: bool = False,
    title: str = "Activation histograms",
    bins: int = 40,
    first_layer: int = 1,
) -> Figure:
    """A grid of histograms: one row per scheme (the keys of ``acts``), one column per layer.

    ``acts[scheme]`` is the list of that scheme's layer outputs (arrays of any shape, e.g. ``hs[1:]``), the
    first one being layer ``first_layer``. Every panel shares the x-range ``xlim``; its title gives the std.
    With ``fractions`` (for ReLU) the exact zeros are counted instead of drawn, and the titles also give the
    shares of zeros and of values outside ``xlim``. Returns the Figure.
    """
    schemes = list(acts)
    n_layers = max((len(layers) for layers in acts.values()), default=0)
    rows, cols = max(len(schemes), 1), max(n_layers, 1)
    height = min(1.2 * rows + 0.9, 11.0) + (0.25 * rows if fractions else 0.0)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(10, height),
        squeeze=False,
        gridspec_kw={"hspace": 0.75 + 0.35 * fractions, "wspace": 0.12},
    )
    for r, scheme in enumerate(schemes):
        for c, ax in enumerate(axes[r]):
            if c >= len(acts[scheme]):
                ax.set_axis_off()
                continue
            caption = _layer_histogram(ax, acts[scheme][c], xlim, bins=bins, fractions=fractions)
            ax.set_title(caption, fontsize="x-small", pad=2)
            ax.tick_params(labelsize="x-small")
            if c == 0:
                ax.set_ylabel(scheme, fontsize="small")
            if r == 0:
                ax.annotate(
                    f"layer {first_layer + c}",
                    (0.5, 1.0),
                    xytext=(0, 24 if fractions else 16),
                    xycoords="axes fraction",
                    textcoords="offset points",
                    ha="center",
                    fontsize="small",
                    fontweight="bold",
                )
            # The same ticks everywhere, labelled in the bottom row only (sharex would be slow with 50 panels).
            _edge_ticks(ax, xlim)
            if r == rows - 1:
                ax.set_xlabel("value", fontsize="x-small")
            else:
                ax.tick_params(labelbottom=False)
    fig.suptitle(f"{title} (rows: scheme, columns: layer; bars: share of entries per bin)")
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.08, top=1 - (0.9 + 0.3 * fractions) / height)
    return fig


def plot_layer_curves(
    values: Mapping[str, Any],
    ylabel: str,
    log: bool = True,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    first_layer: int = 1,
    xlabel: str = "layer l",
) -> Axes:
    """One line per scheme (the keys of ``values``): a per-layer quantity such as std(h_l) or ‖dL/dW_l‖.

    ``values[scheme]`` holds one number per layer, the first for layer ``first_layer``. Non-finite values are
    left out, and on a log y-axis so are values ≤ 0: a scheme with nothing left to draw (all zero, say) is
    still listed in the legend, marked "not drawn". Returns the Axes.
    """
    ax = _axes(ax, (7, 4))
    longest = 0
    for label, curve in values.items():
        y = np.ravel(np.asarray(curve, dtype=np.float64))
        x = np.arange(first_layer, first_layer + len(y))
        longest = max(longest, len(y))
        keep = np.isfinite(y) & (y > 0 if log else True)
        if keep.all():
            ax.plot(x, y, "o-", ms=3.5, lw=1.5, label=label)
        elif keep.any():
            dropped = "≤ 0 or not finite" if log else "not finite"
            ax.plot(x[keep], y[keep], "o-", ms=3.5, lw=1.5, label=f"{label} ({(~keep).sum()} {dropped}, not drawn)")
        else:
            why = "all 0" if np.all(y == 0) else "nothing finite" + (" and > 0" if log else "")
            ax.plot([], [], "o-", ms=3.5, label=f"{label} ({why}: not drawn)")
    if log:
        ax.set_yscale("log")
    if longest:
        ax.set_xticks(np.arange(first_layer, first_layer + longest, max(1, longest // 10)))
    ax.set_title(title if title is not None else f"{ylabel} per layer")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    if values:
        ax.legend(fontsize="small")
    return ax


# 07: characters, training curves of the character models, gradient flow through time, and clipping.
# Space and newline are drawn as visible symbols wherever a character is a label.
VISIBLE_CHARS = {" ": "␣", "\n": "↵"}


def char_label(char: str) -> str:
    """A visible label for one character: "␣" for a space, "↵" for a newline, else the character itself."""
    return VISIBLE_CHARS.get(char, char)


def plot_char_frequencies(text: str, top: int = 25, ax: Axes | None = None) -> Axes:
    """A bar per character: the share of ``text`` taken by each of its ``top`` most common characters (in %),
    most common first. Returns the Axes."""
    ax = _axes(ax, (9, 3.6))
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    common = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    shares = np.array([count for _, count in common], dtype=np.float64) / max(len(text), 1)
    ax.bar(range(len(common)), 100 * shares, color="tab:blue", width=0.7)
    ax.set_xticks(range(len(common)), [char_label(char) for char, _ in common])
    covered = float(shares.sum())
    ax.set_title(
        f"The {len(common)} most common of {len(counts)} characters ({covered:.0%} of {len(text):,} characters)"
    )
    ax.set_xlabel("character (␣ space, ↵ newline)")
    ax.set_ylabel("share of the text (%)")
    return ax


def plot_char_training(
    runs: Mapping[str, Mapping[str, Any]],
    *,
    baselines: Mapping[str, float] | None = None,
    smooth: int = 20,
    ax: Axes | None = None,
) -> Axes:
    """Training curves of character models, one colour per run (07's ``train_char_model`` histories).

    Each run's ``loss`` per step is drawn as a thin line, a trailing mean over ``smooth`` steps (step k is the
    loss of update k, counted from 1), and its ``val_loss`` at ``val_step`` as markers of the same colour.
    ``baselines`` (name -> loss, e.g. the unigram entropy) are dashed horizontal lines. Returns the Axes.
    """
    ax = _axes(ax, (9, 4.5))
    for index, (name, run) in enumerate(runs.items()):
        color = plt.get_cmap("tab10")(index % 10)
        losses = _finite_prefix(np.ravel(np.asarray(run.get("loss", []), dtype=np.float64)))
        if len(losses):
            steps = np.arange(1, len(losses) + 1)
            label = f"{name}: train ({smooth}-step mean)" if smooth > 1 else f"{name}: train"
            ax.plot(steps, _moving_average(losses, max(1, smooth)), lw=1.0, color=color, label=label)
        val = np.ravel(np.asarray(run.get("val_loss", []), dtype=np.float64))
        if len(val):
            val_steps = np.ravel(np.asarray(run.get("val_step", np.arange(len(val))), dtype=np.float64))
            label = f"{name}: val (last {val[-1]:.3f})"
            ax.plot(val_steps, val, "o", ms=6, color=color, mec="black", mew=0.6, label=label)
    for index, (name, value) in enumerate((baselines or {}).items()):
        ax.axhline(value, ls="--", lw=1.0, color=("gray", "black", "tab:brown")[index % 3], label=f"{name} {value:.2f}")
    ax.set_title("Cross-entropy per character: train (lines) and validation (markers)")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats per character)")
    if ax.lines:
        ax.legend(fontsize="small")
    return ax


def grad_flow_ratios(norms: Any, steps_back: Sequence[int] = (10, 20, 50)) -> list[float]:
    """``g[T−1−k] / g[T−1]`` for each k in ``steps_back`` (nan where k ≥ T), from a (T,) array of norms."""
    g = np.ravel(np.asarray(norms, dtype=np.float64))
    last = g[-1] if len(g) else math.nan
    return [float(g[len(g) - 1 - k] / last) if k < len(g) else math.nan for k in steps_back]


def plot_grad_flow(norms: Mapping[str, Any], ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """One line per model: ``g[T−1−k] / g[T−1]`` against the number of steps back k, on a log y-axis.

    ``norms[name]`` is the (T,) array of ``mean_b ‖∂L/∂h_t‖`` indexed by time (07's ``hidden_grad_norms``), so
    k = 0 is the last step and the curve starts at 1 (dotted line). Values that are zero or not finite are left
    out. Returns the Axes.
    """
    ax = _axes(ax, (7, 4.2))
    longest = 0
    for name, curve in norms.items():
        g = np.ravel(np.asarray(curve, dtype=np.float64))
        longest = max(longest, len(g))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = g[::-1] / g[-1] if len(g) else g
        back = np.arange(len(ratio))
        keep = np.isfinite(ratio) & (ratio > 0)
        dropped = f" ({(~keep).sum()} zero, not drawn)" if not keep.all() else ""
        ax.plot(back[keep], ratio[keep], lw=1.6, label=f"{name}{dropped}")
    ax.axhline(1.0, ls=":", lw=1.0, color="gray")
    ax.set_yscale("log")
    if longest:
        ax.set_xlim(0, longest - 1)
    ax.set_title(title if title is not None else "Gradient reaching earlier hidden states")
    ax.set_xlabel("steps back k (h at t = T−1−k)")
    ax.set_ylabel("‖∂L/∂h_t‖ / ‖∂L/∂h_(T−1)‖ (log scale)")
    if norms:
        ax.legend(fontsize="small")
    return ax


def plot_next_char_probs(probs: Any, itos: Sequence[str], top: int = 15, ax: Axes | None = None) -> Axes:
    """Bars of the ``top`` most likely next characters under ``probs`` (V,), most likely first; the title gives
    the entropy of the whole distribution in nats. Returns the Axes."""
    ax = _axes(ax, (5, 3.2))
    p = np.ravel(np.asarray(probs, dtype=np.float64))
    order = np.argsort(-p, kind="stable")[:top]
    ax.bar(range(len(order)), p[order], color="tab:blue", width=0.7)
    ax.set_xticks(range(len(order)), [char_label(itos[int(i)]) for i in order])
    positive = p[p > 0]
    entropy = float(-(positive * np.log(positive)).sum())
    ax.set_ylim(0, 1)
    ax.set_title(f"{len(order)} most likely next characters (entropy {entropy:.2f} nats)", fontsize="medium")
    ax.set_xlabel("next character")
    ax.set_ylabel("probability")
    return ax


def plot_clipping_runs(runs: Mapping[str, Mapping[str, Any]], *, clip: float | None = None) -> Figure:
    """Two log-y panels, one line per run: the training ``loss`` per step (left) and the gradient norm before
    clipping, ``grad_norm`` (right), with the clipping threshold ``clip`` dotted. A run that blew up is drawn up
    to its last finite value (x). Returns the Figure."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    plot_loss_curves({name: run["loss"] for name, run in runs.items()}, ax=left)
    left.set_title("Training loss per step" + (" (x: last finite value)" if "x:" in left.get_title() else ""))
    plot_loss_curves({name: run["grad_norm"] for name, run in runs.items()}, ax=right)
    if clip is not None:
        right.axhline(clip, ls=":", color="gray", label=f"max_norm = {clip:g}")
        right.legend(fontsize="small")
    right.set_title("Gradient norm before clipping" + (" (x: last finite value)" if "x:" in right.get_title() else ""))
    right.set_ylabel("‖g‖ (log scale)")
    fig.suptitle("SGD with a large step, without and with global-norm clipping")
    return fig
