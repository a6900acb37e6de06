"""A submission's fingerprint decides whether a resumed run grades it again: it must change with anything
grading reads, and with nothing else."""

from __future__ import annotations

import os

import pytest

from autograder.grade import fingerprint


@pytest.fixture
def submission(tmp_path):
    folder = tmp_path / "01_gradient_descent"
    (folder / "gd").mkdir(parents=True)
    (folder / "01_gradient_descent.ipynb").write_text("{}")
    (folder / "gd" / "step.py").write_text("def gd_step(x, g, lr):\n    return x - lr * g\n")
    return folder


def test_same_files_same_fingerprint(submission, tmp_path):
    before = fingerprint(submission)
    twin = tmp_path / "twin"
    twin.mkdir()
    os.rename(submission, twin / submission.name)
    assert fingerprint(twin / submission.name) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda f: (f / "gd" / "step.py").write_text("def gd_step(x, g, lr):\n    return x + lr * g\n"),
        lambda f: (f / "gd" / "extra.py").write_text(""),
        lambda f: (f / "gd" / "step.py").rename(f / "gd" / "steps.py"),
        lambda f: (f / "01_gradient_descent.ipynb").unlink(),
    ],
    ids=["edited", "added", "renamed", "deleted"],
)
def test_any_change_grading_reads_changes_it(submission, change):
    before = fingerprint(submission)
    change(submission)
    assert fingerprint(submission) != before


def test_caches_do_not_count(submission):
    before = fingerprint(submission)
    (submission / "gd" / "__pycache__").mkdir()
    (submission / "gd" / "__pycache__" / "step.cpython-311.pyc").write_bytes(b"\0")
    (submission / ".ipynb_checkpoints").mkdir()
    (submission / ".ipynb_checkpoints" / "01_gradient_descent-checkpoint.ipynb").write_text("{}")
    assert fingerprint(submission) == before


def test_a_symlink_counts_by_its_target_name_and_is_never_read(submission):
    before = fingerprint(submission)
    (submission / "endless").symlink_to("/dev/zero")
    assert fingerprint(submission) != before  # returns at once: /dev/zero is never read
