"""The cohort report's figures: score distributions, item pass rates, grading times. Each returns a Figure."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from autograder.cohort_stats import AssignmentStats

WIDTH = 9.0  # inches: readable on a laptop screen and in the HTML page
STATUS_STYLE = {
    "graded in time": ("o", "tab:blue"),
    "a cell timed out": ("x", "tab:red"),
    "could not be graded": ("s", "tab:gray"),
}


def plot_totals(assignments: list[AssignmentStats]) -> Figure:
    """One histogram of autograded totals per assignment, on a common 0–100 % scale."""
    columns = min(4, len(assignments)) or 1
    rows = math.ceil(len(assignments) / columns) or 1
    fig = Figure(figsize=(WIDTH, 2.4 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    bins = np.linspace(0, 100, 11)
    for ax, stats in zip(axes, assignments, strict=False):
        ax.hist(stats.percents, bins=bins, color="tab:blue", edgecolor="white")
        if stats.ungradable:
            ax.bar(-5, len(stats.ungradable), width=8, color="tab:red", label="ungradable")
            ax.legend(fontsize=8, loc="upper center")
        ax.set_title(f"{stats.name} (n={stats.submissions})", fontsize=9)
        ax.set_xlabel("autograded score (% of points)", fontsize=8)
        ax.set_ylabel("students", fontsize=8)
        ax.set_xlim(-10, 105)
        ax.yaxis.get_major_locator().set_params(integer=True)
    for ax in axes[len(assignments) :]:
        ax.set_visible(False)
    fig.suptitle("Distribution of autograded totals per assignment")
    return fig


def plot_item_pass_rates(stats: AssignmentStats) -> Figure:
    """Share of students with full marks on each autograded item, hardest at the top."""
    fig = Figure(figsize=(WIDTH, 0.3 * len(stats.items) + 1.4), layout="constrained")
    ax = fig.subplots()
    labels = [f"{item.grade_id} ({item.max:g} pt)" for item in stats.items]
    shares = [100 * item.pass_share for item in stats.items]
    positions = np.arange(len(labels))
    bars = ax.barh(positions, shares, color="tab:blue")
    ax.bar_label(bars, [f"{item.passed}/{item.graded}" for item in stats.items], padding=3, fontsize=8)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 108)
    ax.set_xlabel("students with full marks on the item (%)")
    ax.set_title(f"{stats.name}: autograded items, hardest first ({len(stats.totals)} graded submissions)")
    return fig


def plot_grading_times(assignments: list[AssignmentStats]) -> Figure:
    """Every submission's grading time per assignment; those with a timed-out item marked."""
    fig = Figure(figsize=(WIDTH, 3.6), layout="constrained")
    ax = fig.subplots()
    for position, stats in enumerate(assignments):
        for index, (student, seconds) in enumerate(sorted(stats.seconds.items())):
            status = (
                "could not be graded"
                if student in stats.ungradable
                else "a cell timed out"
                if student in stats.timed_out
                else "graded in time"
            )
            marker, color = STATUS_STYLE[status]
            # Spread apart, so equal times stay visible.
            ax.scatter(position + (index % 7 - 3) * 0.04, seconds, marker=marker, color=color, s=30, label=status)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    if unique:
        ax.legend(unique.values(), unique.keys(), fontsize=8)
    ax.set_xticks(range(len(assignments)), [s.name for s in assignments], rotation=20, fontsize=8)
    ax.set_ylabel("grading time per submission (s)")
    ax.set_ylim(bottom=0)
    ax.set_title("Time to grade each submission")
    return fig
