"""Interactive explorers. Each takes the student's function as an argument (utils never imports
assignment code), draws once with its defaults when called, and returns the ipywidgets object.

Every explorer has a ``*_figure`` twin that draws the same view once as a static matplotlib figure; the
widget redraws through it, so notebooks, nbval and PDF exports show what the widget shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from utils.plotting import plot_loss_curves, plot_path_on_contours

# The explorer's bowls: "cone" is ‖Bx‖ (the notebook's loss), "quadratic" is ½‖Bx‖².
BOWL_KINDS = {"cone": False, "quadratic": True}
LR_RANGE = (1e-3, 2.0)


def _rate_label(lr: float | Sequence[float]) -> str:
    if isinstance(lr, (int, float)):
        return f"η = {lr:.3g}"
    return "η = (" + ", ".join(f"{rate:.3g}" for rate in lr) + ")"


def _explorer(draw: Callable[[], Figure], missing: str, rows: Sequence[Sequence[widgets.Widget]]) -> widgets.VBox:
    """The controls in ``rows`` above one output area that shows ``draw()`` now and after every change.

    While a student function is a stub, the area says "implement <missing> first" instead of a traceback.
    """
    out = widgets.Output()

    def redraw(_change: Any = None) -> None:
        with out:
            out.clear_output(wait=True)
            try:
                fig = draw()
            except NotImplementedError:
                print(f"implement {missing} first")
                return
            display(fig)
            plt.close(fig)  # shown once, in the output area; pyplot must not show it again

    for row in rows:
        for control in row:
            control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([*(widgets.HBox(list(row)) for row in rows), out])


def lr_explorer_figure(
    run_gd: Callable[..., Any], lr: float | Sequence[float] = 0.1, steps: int = 50, bowl: str = "cone"
) -> Figure:
    """GD from X0 on a bowl: the path on the contours (left) and the loss per step (right).

    ``run_gd(loss_fn, x0, lr, steps)`` is the student's loop; ``lr`` is one rate or one per coordinate
    (η0, η1); ``bowl`` is "cone" or "quadratic". Returns the Figure.
    """
    # Imported here: 03's notebook imports this module for its own explorer and never imports torch.
    import torch

    from utils.landscapes import X0, Bowl

    if bowl not in BOWL_KINDS:
        raise ValueError(f"bowl must be one of {sorted(BOWL_KINDS)}, got {bowl!r}")
    landscape = Bowl(squared=BOWL_KINDS[bowl])
    rate = lr if isinstance(lr, (int, float)) else torch.tensor(lr, dtype=X0.dtype)
    xs, losses, _ = run_gd(landscape, X0.clone(), rate, steps)
    label = _rate_label(lr)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    plot_path_on_contours(landscape, {label: xs}, ax=left)
    left.set_title(f"{bowl} bowl: {steps} steps from x0")
    plot_loss_curves({label: losses}, ax=right)
    values = np.asarray(losses, dtype=np.float64)  # losses[0] = L(x0) is finite, so nanmin has a value
    right.set_title(f"loss per step (last {values[-1]:.3g}, lowest {np.nanmin(values):.3g})")
    return fig


def _log_rate_slider(value: float, description: str) -> widgets.FloatLogSlider:
    low, high = LR_RANGE
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=math.log10(low),
        max=math.log10(high),
        step=0.02,
        description=description,
        readout_format=".3g",
        continuous_update=False,
    )


def lr_explorer(run_gd: Callable[..., Any]) -> widgets.VBox:
    """Sliders for η (or separate η0, η1), the number of steps and the bowl; redraws `lr_explorer_figure`."""
    lr = _log_rate_slider(0.1, "η")
    separate = widgets.Checkbox(value=False, description="separate rates")
    lr0 = _log_rate_slider(0.03, "η0")
    lr1 = _log_rate_slider(0.5, "η1")
    steps = widgets.IntSlider(value=50, min=1, max=200, description="steps", continuous_update=False)
    bowl = widgets.Dropdown(options=list(BOWL_KINDS), value="cone", description="bowl")

    def draw() -> Figure:
        # One slider for a shared rate, two for per-coordinate rates: show only the ones in use.
        lr.layout.display = "none" if separate.value else None
        lr0.layout.display = lr1.layout.display = None if separate.value else "none"
        rate = (lr0.value, lr1.value) if separate.value else lr.value
        return lr_explorer_figure(run_gd, lr=rate, steps=steps.value, bowl=bowl.value)

    return _explorer(draw, "run_gd", [[separate, lr, lr0, lr1], [steps, bowl]])


# A run whose last step moved farther than this is still bouncing: its basin reads "not settled".
STILL_MOVING = 0.05
# To name a basin, the final point rolls downhill with a small step, stable at every minimum (2/λmax ≥ 0.18).
ROLL_STEP, ROLL_STEPS = 0.05, 300


def _basin_reached(ripple_descent: Callable[..., Any], x_hist: np.ndarray, y_hist: np.ndarray) -> str:
    """The readout: "global", "left" or "right" (the minimum whose basin the run ended in), or "not settled"."""
    from utils.landscapes import RIPPLE_MINIMA

    moved = math.hypot(x_hist[-1] - x_hist[-2], y_hist[-1] - y_hist[-2]) if len(x_hist) > 1 else 0.0
    if not moved <= STILL_MOVING:  # also true for a run that blew up to nan
        return "not settled"
    x, y = ripple_descent(float(x_hist[-1]), float(y_hist[-1]), ROLL_STEP, ROLL_STEPS)[:2]
    return min(RIPPLE_MINIMA, key=lambda name: math.hypot(x - RIPPLE_MINIMA[name][0], y - RIPPLE_MINIMA[name][1]))


def ripple_explorer_figure(
    ripple_descent: Callable[..., Any],
    step_size: float = 0.1,
    steps: int = 50,
    decay: float = 1.0,
    start: tuple[float, float] = (3.0, 2.0),
) -> Figure:
    """GD on the rippled bowl: the path on its contours with the three minima (left), f per step (right).

    ``ripple_descent(x, y, step_size, steps, decay)`` is the student's loop. The title names the basin
    reached: global, left or right, or "not settled" while the last step still moves far. Returns the Figure.
    """
    # Imported here: 03's notebook imports this module for its own explorer and never imports torch.
    from utils.landscapes import RIPPLE_MINIMA, ripple_f

    _, _, f, x_hist, y_hist = ripple_descent(start[0], start[1], step_size, steps, decay)
    label = f"η = {step_size:.3g}" + (f", decay {decay:.3g}" if decay != 1.0 else "")
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    path = np.stack([x_hist, y_hist], axis=1)
    plot_path_on_contours(ripple_f, {label: path}, ax=left, levels=50, minima=RIPPLE_MINIMA)
    left.set_title(f"{steps} steps from ({start[0]:.3g}, {start[1]:.3g})")
    left.set_xlabel("x")
    left.set_ylabel("y")
    plot_loss_curves({label: ripple_f(x_hist, y_hist)}, log=False, ax=right)
    right.set_title("f(x, y) per step")
    right.set_ylabel("f(x, y)")
    fig.suptitle(f"basin reached: {_basin_reached(ripple_descent, x_hist, y_hist)} (final f = {f:.4g})")
    return fig


def ripple_explorer(ripple_descent: Callable[..., Any]) -> widgets.VBox:
    """Sliders for the step size, steps, decay and start point; redraws `ripple_explorer_figure`."""
    step_size = widgets.FloatSlider(
        value=0.1, min=0.01, max=0.5, step=0.001, description="step size", readout_format=".3f", continuous_update=False
    )
    steps = widgets.IntSlider(value=50, min=1, max=200, description="steps", continuous_update=False)
    decay = widgets.FloatSlider(value=1.0, min=0.5, max=1.0, step=0.01, description="decay", continuous_update=False)
    start_x, start_y = (
        widgets.FloatSlider(value=value, min=-4.0, max=4.0, step=0.1, description=name, continuous_update=False)
        for name, value in (("start x", 3.0), ("start y", 2.0))
    )
    return _explorer(
        lambda: ripple_explorer_figure(
            ripple_descent, step_size.value, steps.value, decay.value, (start_x.value, start_y.value)
        ),
        "ripple_descent",
        [[step_size, decay, steps], [start_x, start_y]],
    )


def ema_explorer_figure(
    ema_series: Callable[..., Any], series: Any, beta: float = 0.9, show_ema_star: bool = True
) -> Figure:
    """The EMA of ``series`` at decay ``beta`` (``ema_series(xs, beta)`` is the student's), drawn by `plot_ema`
    with the ordinary mean and, if ``show_ema_star``, the uncorrected EMA*. Returns the Figure."""
    from utils.plotting import plot_ema

    ema, ema_star = ema_series(series, beta)
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    plot_ema(series, ema, ema_star if show_ema_star else None, float(np.mean(np.asarray(series))), ax=ax)
    ax.set_title(f"β = {beta:.3g}: effective window ≈ 1/(1 − β) = {1 / (1 - beta):.3g} samples")
    return fig


def ema_explorer(ema_series: Callable[..., Any], series: Any) -> widgets.VBox:
    """A slider for β and a "show EMA*" checkbox; redraws `ema_explorer_figure`."""
    beta = widgets.FloatSlider(
        value=0.9, min=0.5, max=0.995, step=0.005, description="β", readout_format=".3f", continuous_update=False
    )
    show_ema_star = widgets.Checkbox(value=True, description="show EMA*")
    return _explorer(
        lambda: ema_explorer_figure(ema_series, series, beta.value, show_ema_star.value),
        "ema_series",
        [[beta, show_ema_star]],
    )


def _descend(optimizer_cls: Callable[..., Any], loss_fn: Callable[[Any], Any], steps: int, **hyper: Any) -> Any:
    """The (steps+1, 2) iterates of a torch.optim-style optimizer on ``loss_fn`` from X0."""
    import torch

    from utils.landscapes import X0

    x = X0.clone().requires_grad_(True)
    optimizer = optimizer_cls([x], **hyper)
    xs = [X0.clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(x).backward()
        optimizer.step()
        xs.append(x.detach().clone())
    return torch.stack(xs)


def optimizer_race_figure(
    adam_cls: Callable[..., Any],
    lr: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.999),
    log10_scale: float = 0.0,
    steps: int = 50,
) -> Figure:
    """SGD (left) and ``adam_cls`` (right) at the same ``lr`` on the cone K·‖Bx‖, K = 10**log10_scale,
    each path on the contours. Returns the Figure."""
    import torch

    from utils.landscapes import Bowl

    scale = 10.0**log10_scale
    bowl = Bowl(scale=scale)
    runs = {
        "SGD": _descend(torch.optim.SGD, bowl, steps, lr=lr),
        "Adam": _descend(adam_cls, bowl, steps, lr=lr, betas=betas),
    }
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    for ax, (name, xs) in zip(axes, runs.items(), strict=True):
        plot_path_on_contours(bowl, {f"{name}, η = {lr:.3g}": xs}, ax=ax)
        loss = float(bowl(xs[-1]))
        ax.set_title(f"{name}: loss {loss:.3g} after {steps} steps")
    fig.suptitle(f"Loss K·‖Bx‖ with K = {scale:.3g}; Adam β = ({betas[0]:.3g}, {betas[1]:.4g})")
    return fig


def optimizer_race(adam_cls: Callable[..., Any]) -> widgets.VBox:
    """Sliders for η (log), β1, β2, log10 K and the steps; redraws `optimizer_race_figure`."""
    lr = _log_rate_slider(0.1, "η")
    beta1 = widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="β1", continuous_update=False)
    beta2 = widgets.FloatSlider(
        value=0.999, min=0.5, max=0.999, step=0.001, description="β2", readout_format=".3f", continuous_update=False
    )
    log10_scale = widgets.FloatSlider(
        value=0.0, min=-2.0, max=2.0, step=0.1, description="log10 K", continuous_update=False
    )
    steps = widgets.IntSlider(value=50, min=1, max=200, description="steps", continuous_update=False)
    return _explorer(
        lambda: optimizer_race_figure(adam_cls, lr.value, (beta1.value, beta2.value), log10_scale.value, steps.value),
        "Adam.step",
        [[lr, log10_scale, steps], [beta1, beta2]],
    )
