"""CONVENTIONS' plot rules, checked on every figure a notebook shows: a title, axis labels, a legend when more
than one series is labelled, a width readable on a laptop.

`install(log)` runs inside a notebook's kernel (the browser tests load it from an IPython startup file): each
figure the page receives is checked as it is drawn and appended to ``log`` as one JSON line: the notebook's path
(JupyterLab gives each kernel it starts `JPY_SESSION_NAME`), the figure's title, its breaches (often none).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure

WIDTH_INCHES = (5.0, 12.0)  # CONVENTIONS: about 6–10 inches wide


def _shown(ax: Axes) -> bool:
    """An Axes that draws its axis (image grids and colorbars do not count as plots)."""
    return ax.get_visible() and ax.axison and not hasattr(ax, "_colorbar")


def _same_grid_line(ax: Axes, other: Axes, which: str) -> bool:
    """``other`` sits in ``ax``'s grid column (x) or row (y): small multiples label the outer panels only."""
    spec, other_spec = ax.get_subplotspec(), other.get_subplotspec()
    if spec is None or other_spec is None or spec.get_gridspec() is not other_spec.get_gridspec():
        return other is ax
    return spec.colspan == other_spec.colspan if which == "x" else spec.rowspan == other_spec.rowspan


def _labelled(ax: Axes, which: str, fig: Figure) -> bool:
    """The axis has a label, or a panel sharing it or in its grid column (x) / row (y) has, or the figure labels
    all panels at once."""
    getter = "get_xlabel" if which == "x" else "get_ylabel"
    figure_label = getattr(fig, "_supxlabel" if which == "x" else "_supylabel", None)
    if figure_label is not None and figure_label.get_text():
        return True
    shared = (ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()).get_siblings(ax)
    neighbours = [o for o in fig.axes if _shown(o) and _same_grid_line(ax, o, which)]
    return any(getattr(other, getter)() for other in [*shared, *neighbours])


def _legend_texts(fig: Figure) -> set[str]:
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    return {text.get_text() for legend in legends for text in legend.get_texts()}


def violations(fig: Figure) -> list[str]:
    """Where ``fig`` breaks the rules, one sentence each; empty when it follows them."""
    found = []
    width = fig.get_size_inches()[0]
    if not WIDTH_INCHES[0] <= width <= WIDTH_INCHES[1]:
        found.append(f"{width:.1f} inches wide (readable: {WIDTH_INCHES[0]:g} to {WIDTH_INCHES[1]:g})")
    panels = [ax for ax in fig.axes if _shown(ax)]
    legend_texts = _legend_texts(fig)
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for number, ax in enumerate(panels):
        name = ax.get_title() or f"panel {number + 1}"
        if not (ax.get_title() or ax.get_title("left") or suptitle):
            found.append(f"{name}: no title")
        for which in ("x", "y"):
            if not _labelled(ax, which, fig):
                found.append(f"{name}: no {which} label")
        _, labels = ax.get_legend_handles_labels()
        # One legend may serve every panel that draws the same series.
        if len(labels) > 1 and not set(labels) <= legend_texts:
            found.append(f"{name}: {len(labels)} labelled series but no legend")
    return found


def figure_name(fig: Figure) -> str:
    if fig._suptitle is not None and fig._suptitle.get_text():
        return str(fig._suptitle.get_text())
    return next((ax.get_title() for ax in fig.axes if ax.get_title()), "untitled figure")


def install(log: Path) -> None:
    """Check every figure as the kernel renders it for the page; append what it breaks to ``log``."""
    draw = FigureCanvasBase.print_figure

    def checked(self: FigureCanvasBase, *args: Any, **kwargs: Any) -> Any:
        shown = {
            "notebook": os.environ.get("JPY_SESSION_NAME", ""),
            "figure": figure_name(self.figure),
            "breaches": violations(self.figure),
        }
        with log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(shown) + "\n")
        return draw(self, *args, **kwargs)

    FigureCanvasBase.print_figure = checked  # type: ignore[method-assign]
