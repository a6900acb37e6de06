"""Interactive explorers. Each takes the student's function as an argument (utils never imports
assignment code), draws once with its defaults when called, and returns the ipywidgets object.

Every explorer has a ``*_figure`` twin that draws the same view once as a static matplotlib figure; the
widget redraws through it, so notebooks, nbval and PDF exports show what the widget shows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from utils.plotting import (
    CLASS_COLORS,
    _edge_ticks,
    _layer_histogram,
    plot_decision_boundary,
    plot_layer_curves,
    plot_loss_curves,
    plot_path_on_contours,
)

# The explorer's bowls: "cone" is ‖Bx‖ (the notebook's loss), "quadratic" is ½‖Bx‖².
BOWL_KINDS = {"cone": False, "quadratic": True}
LR_RANGE = (1e-3, 2.0)


def _rate_label(lr: float | Sequence[float]) -> str:
    if isinstance(lr, (int, float)):
        return f"η = {lr:.3g}"
    return "η = (" + ", ".join(f"{rate:.3g}" for rate in lr) + ")"


def _stub_name(error: NotImplementedError) -> str:
    """The qualified name of the function that raised ``error`` (the innermost frame: the stub itself)."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames[-1].f_code.co_qualname if frames else "the missing function"


def _log_slider(
    value: float, bounds: tuple[float, float], description: str, *, step: float = 0.05, readout: str = ".3g"
) -> widgets.FloatLogSlider:
    """A base-10 log slider over ``bounds`` (step in decades) that redraws only when released."""
    low, high = bounds
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=math.log10(low),
        max=math.log10(high),
        step=step,
        description=description,
        readout_format=readout,
        continuous_update=False,
    )


def _explorer(
    draw: Callable[[], Figure],
    missing: str | None,
    rows: Sequence[Sequence[widgets.Widget]],
    *,
    button: widgets.Button | None = None,
) -> widgets.VBox:
    """The controls in ``rows`` above one output area that shows ``draw()`` now and after every change.

    With a ``button`` (placed in ``rows`` by the caller) the area redraws only when it is clicked, for views
    that are slow to compute. While a student function is a stub, the area says "implement <missing> first"
    instead of a traceback; ``missing=None`` names the stub that raised.
    """
    out = widgets.Output()

    def redraw(_change: Any = None) -> None:
        if button is not None:
            button.disabled = True
        with out:
            out.clear_output(wait=True)
            try:
                fig = draw()
            except NotImplementedError as error:
                print(f"implement {missing or _stub_name(error)} first")
                return
            finally:
                if button is not None:
                    button.disabled = False
            display(fig)
            plt.close(fig)  # shown once, in the output area; pyplot must not show it again

    if button is None:
        for row in rows:
            for control in row:
                control.observe(redraw, names="value")
    else:
        button.on_click(redraw)
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


def lr_explorer(run_gd: Callable[..., Any]) -> widgets.VBox:
    """Sliders for η (or separate η0, η1), the number of steps and the bowl; redraws `lr_explorer_figure`."""
    lr = _log_slider(0.1, LR_RANGE, "η", step=0.02)
    separate = widgets.Checkbox(value=False, description="separate rates")
    lr0 = _log_slider(0.03, LR_RANGE, "η0", step=0.02)
    lr1 = _log_slider(0.5, LR_RANGE, "η1", step=0.02)
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
    lr = _log_slider(0.1, LR_RANGE, "η", step=0.02)
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


# The explorer's data: a small noisy moons set on which a wide network overfits (03 §7).
MLP_EXPLORER_MOONS: dict[str, Any] = {"n": 200, "noise": 0.35, "seed": 1, "test": 100}
MLP_WIDTHS = (2, 4, 8, 16, 32, 64, 128)
MLP_ACTIVATIONS = ("relu", "gelu", "sigmoid", "tanh", "identity")
MLP_L2_VALUES = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
MLP_BOUNDARY_GRID = 150


def mlp_explorer_data() -> dict[str, Any]:
    """The explorer's noisy moons: 100 train and 100 test points (n = 200, noise 0.35, seed 1), standardised."""
    from utils.datasets import make_moons_split

    return make_moons_split(**MLP_EXPLORER_MOONS)


def mlp_explorer_figure(
    MLP: Callable[..., Any],
    fit: Callable[..., Any],
    Optimizer: Callable[..., Any],
    rules: dict[str, Callable[..., Any]],
    *,
    width: int = 64,
    depth: int = 2,
    activation: str = "relu",
    optimizer: str = "adam",
    lr: float = 1e-2,
    dropout: float = 0.0,
    l2: float = 0.0,
    epochs: int = 200,
    data: dict[str, Any] | None = None,
) -> Figure:
    """Train ``MLP(2, (width,)*depth, 2, activation, dropout)`` on the noisy moons and draw what it learned.

    ``fit``, ``Optimizer`` and ``rules`` (name -> update rule: "sgd", "momentum", "adam") are 03's. The model
    is trained by ``fit(model, Optimizer(rules[optimizer], lr), data, epochs, l2=l2, seed=0)`` with seed 0
    throughout, so the same settings give the same picture. Left: the decision boundary on a 150×150 grid,
    train points as dots, test points as crosses. Right: the training loss per step. The title reads
    "train x.xx / test y.yy / t s" (accuracies and training time). Returns the Figure.
    """
    data = mlp_explorer_data() if data is None else data
    model = MLP(2, (width,) * depth, 2, activation=activation, dropout=dropout, seed=0)
    start = time.perf_counter()
    history = fit(model, Optimizer(rules[optimizer], lr), data, epochs=epochs, l2=l2, seed=0, progress=False)
    seconds = time.perf_counter() - start
    train_acc = float(np.mean(model.predict(data["X_train"]) == data["y_train"]))
    test_acc = float(np.mean(model.predict(data["X_test"]) == data["y_test"]))

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    plot_decision_boundary(
        model.predict, data["X_train"], data["y_train"], ax=left, threshold=0.5, grid=MLP_BOUNDARY_GRID
    )
    X_test, y_test = np.asarray(data["X_test"]), np.asarray(data["y_test"])
    for color, label in zip(CLASS_COLORS, np.unique(data["y_train"])[:2], strict=False):
        points = X_test[y_test == label]
        left.scatter(points[:, 0], points[:, 1], s=22, marker="x", color=color, lw=1.2, label=f"test, class {label}")
    left.legend(fontsize="x-small", loc="upper right")
    left.set_title("Decision boundary (dots: train, crosses: test)")
    plot_loss_curves({"training loss": history["loss"]}, ax=right)
    right.set_title("Training loss per step" + (" (stopped: loss not finite)" if history.get("stopped") else ""))
    hidden = f"{depth}×{width} {activation}"
    settings = f"{hidden}, {optimizer} lr {lr:.3g}, dropout {dropout:.1f}, L2 {l2:g}, {epochs} epochs"
    fig.suptitle(f"{settings}:   train {train_acc:.2f} / test {test_acc:.2f} / {seconds:.1f} s")
    return fig


def mlp_explorer(
    MLP: Callable[..., Any],
    fit: Callable[..., Any],
    Optimizer: Callable[..., Any],
    rules: dict[str, Callable[..., Any]],
) -> widgets.VBox:
    """Controls for the network, the optimizer and regularisation, and a **Train** button: each click retrains
    (nothing retrains while a slider moves) and redraws `mlp_explorer_figure`. Draws once with the defaults."""
    width = widgets.SelectionSlider(options=MLP_WIDTHS, value=64, description="width", continuous_update=False)
    depth = widgets.IntSlider(value=2, min=1, max=3, description="depth", continuous_update=False)
    activation = widgets.Dropdown(options=MLP_ACTIVATIONS, value="relu", description="activation")
    default_rule = "adam" if "adam" in rules else next(iter(rules))
    optimizer = widgets.Dropdown(options=list(rules), value=default_rule, description="optimizer")
    lr = _log_slider(1e-2, (1e-4, 1.0), "lr", step=0.1, readout=".1e")
    dropout = widgets.FloatSlider(
        value=0.0, min=0.0, max=0.8, step=0.1, description="dropout p", readout_format=".1f", continuous_update=False
    )
    l2 = widgets.SelectionSlider(
        options=[(f"{value:g}", value) for value in MLP_L2_VALUES], value=0.0, description="L2", continuous_update=False
    )
    epochs = widgets.IntSlider(value=200, min=50, max=400, step=50, description="epochs", continuous_update=False)
    train = widgets.Button(description="Train", button_style="primary", icon="play")
    data = mlp_explorer_data()

    def draw() -> Figure:
        return mlp_explorer_figure(
            MLP,
            fit,
            Optimizer,
            rules,
            width=width.value,
            depth=depth.value,
            activation=activation.value,
            optimizer=optimizer.value,
            lr=lr.value,
            dropout=dropout.value,
            l2=l2.value,
            epochs=epochs.value,
            data=data,
        )

    rows = [[width, depth, activation], [optimizer, lr, dropout], [l2, epochs, train]]
    return _explorer(draw, None, rows, button=train)


# 05's explorer: the schemes and activations of its `initialization` package (utils never imports it), the fixed
# histogram ranges of its section 4 (identity has none there: ±3 holds a unit Gaussian), and at most 10 histograms.
INIT_SCHEMES = ("zero", "small", "large", "xavier", "xavier_uniform", "he")
INIT_ACTIVATIONS = ("tanh", "relu", "identity")
INIT_HIST_RANGES = {"tanh": (-1.0, 1.0), "relu": (0.0, 3.0), "identity": (-3.0, 3.0)}
INIT_MAX_HISTOGRAMS = 10
INIT_STUBS = "init_weights / mlp_forward / mlp_backward / layer_stats"


def _not_finite_share(arrays: Sequence[Any]) -> float:
    """The share of entries, over all ``arrays``, that are inf or nan."""
    total = sum(np.size(a) for a in arrays)
    bad = sum(int(np.size(a) - np.count_nonzero(np.isfinite(a))) for a in arrays)
    return bad / total if total else 0.0


def init_explorer_figure(
    init_fn: Callable[..., Any],
    forward_fn: Callable[..., Any],
    backward_fn: Callable[..., Any],
    stats_fn: Callable[..., Any],
    x: Any,
    dout: Any,
    *,
    scheme: str = "xavier",
    scale: float = 1.0,
    activation: str = "tanh",
    depth: int = 10,
    seed: int = 1,
) -> Figure:
    """A deep square MLP at one setting: per-layer histograms (top), activation std and gradient norms (bottom).

    The callables are 05's ``init_weights(scheme, fan_in, fan_out, rng, scale)``, ``mlp_forward(x, weights,
    activation)``, ``mlp_backward(dout, weights, hs, zs, activation)`` and ``layer_stats(arrays)``; ``x`` is the
    (N, D) input and ``dout`` the (N, D) upstream gradient dL/dh_L. The ``depth`` weights (D, D) come in order
    from ``np.random.default_rng(seed)``, so a redraw is deterministic. Histograms use the fixed ranges of
    ``INIT_HIST_RANGES`` (ReLU panels give the shares of zeros and of values outside the range); with more than
    10 layers, 10 evenly spaced ones are shown. Values that are not finite are left out and their share is
    reported in the title. Returns the Figure.
    """
    if activation not in INIT_HIST_RANGES:
        raise ValueError(f"activation must be one of {INIT_ACTIVATIONS}, got {activation!r}")
    x = np.asarray(x, dtype=np.float64)
    dout = np.asarray(dout, dtype=np.float64)
    width = x.shape[1]
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):  # exploding settings overflow on purpose: they are reported, not warned about
        weights = [init_fn(scheme, width, width, rng, scale) for _ in range(depth)]
        hs, zs = forward_fn(x, weights, activation)
        dWs, dhs = backward_fn(dout, weights, hs, zs, activation)
        acts = list(hs[1:])
        h_stats, dW_stats, dh_stats = stats_fn(acts), stats_fn(dWs), stats_fn(dhs)
    bad_h, bad_g = _not_finite_share(acts), _not_finite_share([*dWs, *dhs])

    shown = list(range(1, depth + 1))
    if depth > INIT_MAX_HISTOGRAMS:
        shown = sorted({int(round(v)) for v in np.linspace(1, depth, INIT_MAX_HISTOGRAMS)})
    fig = plt.figure(figsize=(10, 6.6))
    outer = fig.add_gridspec(2, 1, height_ratios=(1.0, 2.3), hspace=0.42, top=0.86, bottom=0.08, left=0.07, right=0.98)
    top = outer[0].subgridspec(1, INIT_MAX_HISTOGRAMS if depth > INIT_MAX_HISTOGRAMS else depth, wspace=0.15)
    xlim = INIT_HIST_RANGES[activation]
    relu = activation == "relu"
    for column, layer in enumerate(shown):
        ax = fig.add_subplot(top[0, column])
        caption = _layer_histogram(ax, acts[layer - 1], xlim, fractions=relu)
        ax.set_title(f"h{layer}: {caption}", fontsize="x-small", pad=2)
        _edge_ticks(ax, xlim)
        ax.tick_params(labelsize="x-small")
        ax.set_xlabel("value", fontsize="x-small", labelpad=1)
        if column == 0:
            ax.set_ylabel("share", fontsize="x-small")
    bottom = outer[1].subgridspec(1, 2, wspace=0.25)
    left, right = fig.add_subplot(bottom[0, 0]), fig.add_subplot(bottom[0, 1])
    plot_layer_curves({"std(h_l)": h_stats["std"]}, "std(h_l)", ax=left, title="Activation std per layer")
    grads = {"‖dL/dW_l‖": dW_stats["norm"], "‖dL/dh_(l−1)‖ (input of layer l)": dh_stats["norm"]}
    plot_layer_curves(grads, "gradient norm", ax=right, title="Gradient norms per layer")
    report = ""
    if bad_h or bad_g:
        report = f"\nnot finite (left out): {bad_h:.1%} of the activations, {bad_g:.1%} of the gradients"
    last = float(h_stats["std"][-1]) if len(h_stats["std"]) else math.nan
    fig.suptitle(
        f"{scheme} × {scale:.3g}, {activation}, {depth} layers of {width}: std(h_{depth}) = {last:.3g}, "
        f"‖dL/dx‖ = {float(dh_stats['norm'][0]):.3g}" + report
    )
    return fig


def init_explorer(
    init_fn: Callable[..., Any],
    forward_fn: Callable[..., Any],
    backward_fn: Callable[..., Any],
    stats_fn: Callable[..., Any],
    x: Any,
    dout: Any,
) -> widgets.VBox:
    """Controls for the scheme, its scale (log slider, 0.01 to 100), the activation and the depth (2 to 20);
    redraws `init_explorer_figure` (xavier, 1, tanh and 10 at first). Each redraw runs the forward and
    backward pass, so pass an N of a few hundred."""
    scheme = widgets.Dropdown(options=INIT_SCHEMES, value="xavier", description="scheme")
    scale = _log_slider(1.0, (1e-2, 1e2), "scale", step=0.1)
    activation = widgets.Dropdown(options=INIT_ACTIVATIONS, value="tanh", description="activation")
    depth = widgets.IntSlider(value=10, min=2, max=20, description="depth", continuous_update=False)
    return _explorer(
        lambda: init_explorer_figure(
            init_fn,
            forward_fn,
            backward_fn,
            stats_fn,
            x,
            dout,
            scheme=scheme.value,
            scale=scale.value,
            activation=activation.value,
            depth=depth.value,
        ),
        INIT_STUBS,
        [[scheme, scale], [activation, depth]],
    )


# 06's explorer: the kernels come from the notebook ({"rbf": rbf_kernel, "poly": polynomial_kernel}, utils never
# imports `svm`); the log-slider ranges of C and γ, the degree range of the polynomial kernel, and the grid size.
SVM_KERNELS = ("rbf", "poly")
SVM_C_RANGE = (1e-2, 1e3)
SVM_GAMMA_RANGE = (1e-2, 1e2)
SVM_DEGREES = (1, 6)
SVM_GRID = 120


def _kernel_params(kernel: str, gamma: float, degree: int) -> dict[str, Any]:
    """Keyword arguments of the chosen kernel: rbf takes γ, poly takes degree, γ and coef0 = 1."""
    if kernel == "rbf":
        return {"gamma": gamma}
    if kernel == "poly":
        return {"degree": degree, "gamma": gamma, "coef0": 1.0}
    raise ValueError(f"kernel must be one of {SVM_KERNELS}, got {kernel!r}")


def svm_explorer_figure(
    kernels: dict[str, Callable[..., Any]],
    X_tr: Any,
    y_tr: Any,
    X_te: Any,
    y_te: Any,
    *,
    kernel: str = "rbf",
    C: float = 1.0,
    gamma: float = 1.0,
    degree: int = 3,
    show_support: bool = True,
) -> Figure:
    """An SVM fitted with ``SVC(kernel="precomputed", C=C)`` on the Gram matrix ``kernels[kernel](X_tr, ...)``.

    ``kernels`` maps "rbf" to the student's ``rbf_kernel(X, Y=None, gamma=None)`` and "poly" to
    ``polynomial_kernel(X, Y=None, degree=3, gamma=None, coef0=1.0)`` (called with coef0 = 1). Draws the sign
    regions, the boundary f = 0 and the margins f = ±1 on a 120×120 grid (prediction through the rectangular
    K(grid, X_tr)), the training points, the test points as crosses and, if ``show_support``, rings around the
    support vectors. The title gives train / test accuracy, the number of support vectors and, for rbf,
    σ = 1/√(2γ). Returns the Figure.
    """
    from sklearn.svm import SVC

    params = _kernel_params(kernel, gamma, degree)
    kernel_fn = kernels[kernel]
    X_tr, X_te = np.asarray(X_tr, dtype=np.float64), np.asarray(X_te, dtype=np.float64)
    y_tr, y_te = np.ravel(np.asarray(y_tr)), np.ravel(np.asarray(y_te))
    K_tr = kernel_fn(X_tr, **params)
    svc = SVC(kernel="precomputed", C=C).fit(K_tr, y_tr)
    train_acc = float(np.mean(svc.predict(K_tr) == y_tr))
    test_acc = float(np.mean(svc.predict(kernel_fn(X_te, X_tr, **params)) == y_te))

    fig, ax = plt.subplots(figsize=(7.5, 5.6), layout="constrained")
    plot_decision_boundary(
        lambda G: svc.decision_function(kernel_fn(G, X_tr, **params)),
        X_tr,
        y_tr,
        ax=ax,
        margins=True,
        support=svc.support_ if show_support else None,
        grid=SVM_GRID,
    )
    for color, label in zip(CLASS_COLORS, np.unique(y_tr)[:2], strict=False):
        points = X_te[y_te == label]
        ax.scatter(points[:, 0], points[:, 1], s=22, marker="x", lw=1.0, color=color, label=f"test, class {label}")
    ax.legend(fontsize="small", loc="upper right")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    if kernel == "rbf":
        setting = f"RBF γ = {gamma:.3g} (σ = 1/√(2γ) = {1 / math.sqrt(2 * gamma):.3g})"
    else:
        setting = f"poly degree {degree}, γ = {gamma:.3g}, coef0 = 1"
    ax.set_title(
        f"{setting}, C = {C:.3g}\ntrain {train_acc:.3f} / test {test_acc:.3f}, {len(svc.support_)} support vectors "
        "(solid f = 0, dashed f = ±1; dots train, crosses test)",
        fontsize="medium",
    )
    return fig


def svm_explorer(kernels: dict[str, Callable[..., Any]], X_tr: Any, y_tr: Any, X_te: Any, y_te: Any) -> widgets.VBox:
    """Log sliders for C (1e-2 to 1e3) and γ (1e-2 to 1e2), a kernel dropdown (rbf, poly), a degree slider (1 to 6,
    shown for poly only) and a "show SVs" checkbox; redraws `svm_explorer_figure` (rbf, C = 1, γ = 1 at first).
    ``kernels = {"rbf": rbf_kernel, "poly": polynomial_kernel}``: the student's functions, no default."""
    kernel = widgets.Dropdown(options=[k for k in SVM_KERNELS if k in kernels], value="rbf", description="kernel")
    C = _log_slider(1.0, SVM_C_RANGE, "C")
    gamma = _log_slider(1.0, SVM_GAMMA_RANGE, "γ")
    degree = widgets.IntSlider(
        value=3, min=SVM_DEGREES[0], max=SVM_DEGREES[1], description="degree", continuous_update=False
    )
    show_support = widgets.Checkbox(value=True, description="show SVs")

    def draw() -> Figure:
        degree.layout.display = None if kernel.value == "poly" else "none"
        return svm_explorer_figure(
            kernels,
            X_tr,
            y_tr,
            X_te,
            y_te,
            kernel=kernel.value,
            C=C.value,
            gamma=gamma.value,
            degree=degree.value,
            show_support=show_support.value,
        )

    # missing=None: the message names the stub that raised (rbf_kernel, or pairwise_sq_dists inside it).
    return _explorer(draw, None, [[kernel, degree, show_support], [C, gamma]])


# 07's explorers. The models are 07's CharRNNs (utils never imports `charlm`): called as ``model(ids)`` -> (logits,
# state), with ``cell_type`` "rnn" or "lstm" and, for the scratch backend, the student's cell at ``recurrent.cell``.
TEMPERATURE_RANGE = (0.0, 2.0)
SAMPLE_LENGTHS = (50, 400)
TEXT_COLUMNS = 72
TOP_NEXT_CHARS = 15
RECURRENT_SCALE_RANGE = (0.25, 4.0)
FORGET_BIAS_RANGE = (-2.0, 4.0)
GRAD_FLOW_STEPS_BACK = (10, 20, 50)


def next_char_probs(model: Any, prompt: str, stoi: dict[str, int], temperature: float) -> np.ndarray:
    """The model's next-character distribution after ``prompt`` at ``temperature``, as a float64 (V,) array.

    One forward pass over the prompt in eval mode (the mode is restored); τ = 0 puts all mass on the argmax,
    τ > 0 gives ``softmax(logits / τ)`` computed after subtracting the max.
    """
    import torch

    ids = torch.tensor([[stoi[char] for char in prompt]], dtype=torch.long)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits, _ = model(ids)
    finally:
        model.train(was_training)
    z = logits[0, -1].detach().to(torch.float64).numpy()
    if temperature <= 0:
        probs = np.zeros_like(z)
        probs[int(np.argmax(z))] = 1.0
        return probs
    z = z / temperature
    weights = np.exp(z - z.max())
    return weights / weights.sum()


def _visible_text(text: str, columns: int = TEXT_COLUMNS) -> str:
    """``text`` with newlines shown as "↵", cut into lines of ``columns`` characters."""
    flat = text.replace("\n", "↵")
    return "\n".join(flat[i : i + columns] for i in range(0, len(flat), columns)) or "(no text)"


def _message_figure(message: str) -> Figure:
    fig, ax = plt.subplots(figsize=(10, 1.2))
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize="large")
    return fig


def temperature_explorer_figure(
    generate: Callable[..., str],
    models: dict[str, Any],
    stoi: dict[str, int],
    itos: Sequence[str],
    prompt: str = "return a new ",
    *,
    temperature: float = 0.5,
    length: int = 200,
    seed: int = 0,
) -> Figure:
    """One row per model: the 15 most likely next characters after ``prompt`` at ``temperature`` (bars, entropy
    in the title) and ``generate(model, prompt, length, stoi, itos, temperature=temperature, seed=seed)``, the
    student's sampler, as text (newlines shown as ↵). A prompt that is empty or holds a character outside the
    vocabulary gives a figure that says so. Returns the Figure.
    """
    unknown = sorted(set(prompt) - set(stoi))
    if not prompt or unknown:
        problem = "an empty prompt" if not prompt else "not in the vocabulary: " + " ".join(map(repr, unknown))
        return _message_figure(f"Cannot sample from {problem}.")
    from utils.plotting import plot_next_char_probs

    fig, axes = plt.subplots(
        len(models), 2, figsize=(12, 2.9 * len(models)), squeeze=False, gridspec_kw={"width_ratios": (1, 2.3)}
    )
    for (bars, text), (name, model) in zip(axes, models.items(), strict=True):
        plot_next_char_probs(next_char_probs(model, prompt, stoi, temperature), itos, TOP_NEXT_CHARS, ax=bars)
        bars.set_title(f"{name}: {bars.get_title()}", fontsize="small")
        sample = generate(model, prompt, length, stoi, itos, temperature=temperature, seed=seed)
        text.set_axis_off()
        text.text(0.0, 1.0, _visible_text(sample), family="monospace", fontsize="small", va="top", ha="left")
        text.set_title(f"{name}: {len(sample)} generated characters", fontsize="small", loc="left")
    fig.suptitle(f"Prompt {prompt!r}, τ = {temperature:.2f}, seed {seed}")
    fig.tight_layout()
    return fig


def temperature_explorer(
    generate: Callable[..., str],
    models: dict[str, Any],
    stoi: dict[str, int],
    itos: Sequence[str],
    prompt: str = "return a new ",
) -> widgets.VBox:
    """A τ slider (0 to 2 in steps of 0.05), a prompt box, a length slider (50 to 400) and a seed box; redraws
    `temperature_explorer_figure` (τ = 0.5, 200 characters, seed 0 at first) with the student's ``generate``."""
    low, high = TEMPERATURE_RANGE
    temperature = widgets.FloatSlider(
        value=0.5, min=low, max=high, step=0.05, description="τ", readout_format=".2f", continuous_update=False
    )
    text = widgets.Text(value=prompt, description="prompt", continuous_update=False)
    length = widgets.IntSlider(
        value=200, min=SAMPLE_LENGTHS[0], max=SAMPLE_LENGTHS[1], step=10, description="length", continuous_update=False
    )
    seed = widgets.IntText(value=0, description="seed", continuous_update=False)
    return _explorer(
        lambda: temperature_explorer_figure(
            generate,
            models,
            stoi,
            itos,
            text.value,
            temperature=temperature.value,
            length=length.value,
            seed=seed.value,
        ),
        None,
        [[temperature, length], [text, seed]],
    )


def _ratio_text(ratios: Sequence[float]) -> str:
    return " / ".join(f"{ratio:.1e}" for ratio in ratios)


def gradient_flow_explorer_figure(
    hidden_grad_norms: Callable[..., Any],
    models: dict[str, Any],
    x: Any,
    y: Any,
    set_recurrent_scale: Callable[..., Any],
    set_forget_bias: Callable[..., Any],
    *,
    scale: float = 1.0,
    forget_bias: float = 1.0,
) -> Figure:
    """‖∂L/∂h_t‖ relative to the last step against steps back, for edited deep copies of ``models``.

    In the copy of each RNN (``cell_type == "rnn"``) ``set_recurrent_scale(cell, scale)`` sets W_hh = s·Q (Q a
    seeded orthogonal matrix); in the copy of each LSTM ``set_forget_bias(cell, forget_bias)`` sets the forget
    gate's bias. ``hidden_grad_norms(model, x, y)`` (the student's) gives the (T,) norms on the windows ``x``
    (B, T) with next characters ``y`` (B,). The models must use the scratch backend; the originals are left
    untouched. The title gives the ratios 10 / 20 / 50 steps back. Returns the Figure.
    """
    import copy

    import torch

    from utils.plotting import grad_flow_ratios, plot_grad_flow

    norms, summary = {}, []
    for name, model in models.items():
        edited = copy.deepcopy(model)
        with torch.no_grad():
            if edited.cell_type == "rnn":
                set_recurrent_scale(edited.recurrent.cell, scale)
                label = f"{name}, W_hh = {scale:.2f}·Q"
            else:
                set_forget_bias(edited.recurrent.cell, forget_bias)
                label = f"{name}, forget bias {forget_bias:.2f}"
        g = hidden_grad_norms(edited, x, y)
        norms[label] = np.asarray(g.detach() if hasattr(g, "detach") else g, dtype=np.float64)
        summary.append(f"{name} {_ratio_text(grad_flow_ratios(norms[label], GRAD_FLOW_STEPS_BACK))}")
    fig, ax = plt.subplots(figsize=(9, 4.6), layout="constrained")
    plot_grad_flow(norms, ax=ax)
    steps = "/".join(str(k) for k in GRAD_FLOW_STEPS_BACK)
    ax.set_title(f"Gradient reaching h_t, relative to the last step\n{steps} steps back: " + ";  ".join(summary))
    return fig


def gradient_flow_explorer(
    hidden_grad_norms: Callable[..., Any],
    models: dict[str, Any],
    x: Any,
    y: Any,
    set_recurrent_scale: Callable[..., Any],
    set_forget_bias: Callable[..., Any],
) -> widgets.VBox:
    """Sliders for the RNN's recurrent scale s (0.25 to 4, W_hh = s·Q) and the LSTM's forget-gate bias (−2 to 4);
    redraws `gradient_flow_explorer_figure` (s = 1, bias 1 at first) on deep copies of the fresh scratch
    ``models``, with the student's ``hidden_grad_norms``."""
    scale = widgets.FloatSlider(
        value=1.0,
        min=RECURRENT_SCALE_RANGE[0],
        max=RECURRENT_SCALE_RANGE[1],
        step=0.05,
        description="RNN scale s",
        readout_format=".2f",
        continuous_update=False,
        style={"description_width": "initial"},
    )
    forget_bias = widgets.FloatSlider(
        value=1.0,
        min=FORGET_BIAS_RANGE[0],
        max=FORGET_BIAS_RANGE[1],
        step=0.1,
        description="LSTM forget bias",
        readout_format=".1f",
        continuous_update=False,
        style={"description_width": "initial"},
    )
    return _explorer(
        lambda: gradient_flow_explorer_figure(
            hidden_grad_norms,
            models,
            x,
            y,
            set_recurrent_scale,
            set_forget_bias,
            scale=scale.value,
            forget_bias=forget_bias.value,
        ),
        None,
        [[scale, forget_bias]],
    )
