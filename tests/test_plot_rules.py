"""The plot-rule checker the browser tests run in every kernel: it passes a figure that follows CONVENTIONS'
rules and names each rule a figure breaks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from tests.plot_rules import violations


@pytest.fixture
def fig():
    figure, ax = plt.subplots(figsize=(8, 4))
    ax.plot([0, 1], [1, 0], label="train")
    ax.plot([0, 1], [0, 1], label="test")
    ax.set(title="Loss per epoch", xlabel="epoch", ylabel="loss")
    ax.legend()
    yield figure
    plt.close(figure)


def test_a_figure_that_follows_the_rules_passes(fig):
    assert violations(fig) == []


def test_a_missing_title_is_named(fig):
    fig.axes[0].set_title("")
    assert violations(fig) == ["panel 1: no title"]


def test_a_missing_axis_label_is_named(fig):
    fig.axes[0].set_xlabel("")
    assert violations(fig) == ["Loss per epoch: no x label"]


def test_two_labelled_series_need_a_legend(fig):
    fig.axes[0].get_legend().remove()
    assert violations(fig) == ["Loss per epoch: 2 labelled series but no legend"]


def test_a_figure_too_narrow_or_too_wide_is_named(fig):
    fig.set_size_inches(3, 3)
    assert violations(fig) == ["3.0 inches wide (readable: 5 to 12)"]
    fig.set_size_inches(16, 4)
    assert violations(fig) == ["16.0 inches wide (readable: 5 to 12)"]


def test_shared_axes_and_a_suptitle_cover_every_panel():
    figure, axes = plt.subplots(2, 2, figsize=(8, 6), sharex=True, sharey=True)
    figure.suptitle("Activations per layer")
    axes[1, 0].set_xlabel("activation")
    axes[1, 1].set_xlabel("activation")
    axes[0, 0].set_ylabel("share of entries")
    axes[1, 0].set_ylabel("share of entries")
    assert violations(figure) == []
    plt.close(figure)


def test_image_panels_without_axes_need_no_labels():
    figure, axes = plt.subplots(1, 3, figsize=(6, 2))
    figure.suptitle("Digits")
    for ax in axes:
        ax.imshow([[0, 1], [1, 0]])
        ax.set_axis_off()
    assert violations(figure) == []
    plt.close(figure)


def test_small_multiples_are_labelled_on_their_outer_panels_and_share_one_legend():
    figure, axes = plt.subplots(2, 2, figsize=(8, 6))
    figure.suptitle("Scores per setting")
    for ax in axes.ravel():
        ax.plot([0, 1], label="train")
        ax.plot([1, 0], label="test")
    axes[1, 0].set_xlabel("epoch")
    axes[1, 1].set_xlabel("epoch")
    axes[0, 0].set_ylabel("loss")
    axes[1, 0].set_ylabel("loss")
    axes[0, 0].legend()
    assert violations(figure) == []
    axes[0, 0].get_legend().remove()
    axes[1, 1].set_xlabel("")
    assert sorted(violations(figure)) == [
        "panel 1: 2 labelled series but no legend",
        "panel 2: 2 labelled series but no legend",
        "panel 2: no x label",
        "panel 3: 2 labelled series but no legend",
        "panel 4: 2 labelled series but no legend",
        "panel 4: no x label",
    ]
    plt.close(figure)
