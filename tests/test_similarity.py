"""Similarity on the sample cohort's 01 submissions: a copy with renamed names and reflowed whitespace is
flagged, independent solutions are not, nor is what every student shares (skeleton, solution, short functions)."""

from __future__ import annotations

import os

import pytest

from autograder.cohort import COHORT, append_code, write_submission
from autograder.similarity import FLAG_SHARE, Pair, compare_submissions

A01 = "01_gradient_descent"
# gd_step written alike by two students, neither as the solution writes it: too short to count.
SHORT_ALIKE = """
def gd_step(x, grad, lr, weight_decay=0.0):
    return x - lr * grad - lr * weight_decay * x
"""


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity")
    folders = {s.name: write_submission(s, root / s.name / A01) for s in COHORT if s.assignment == A01}
    for name in ("short_alike_1", "short_alike_2"):
        folders[name] = write_submission(next(s for s in COHORT if s.name == "untouched"), root / name / A01)
        append_code("gradient_descent.py", SHORT_ALIKE)(folders[name])
    # Hostile: a module that is no text, and one that is a link to another student's work.
    (folders["untouched"] / "ripple.py").write_bytes(b"\xff\xfe\x00binary")
    (folders["stderr_warning"] / "ripple.py").unlink()
    os.symlink(folders["own_solution"] / "ripple.py", folders["stderr_warning"] / "ripple.py")
    return compare_submissions(A01, folders)


def _pair(comparison, a: str, b: str) -> Pair | None:
    return next((p for p in comparison.pairs if set(p.students) == {a, b}), None)


def test_a_copy_with_renamed_names_and_reflowed_whitespace_is_flagged(comparison):
    pair = _pair(comparison, "own_solution", "renamed_copy")
    assert pair is not None and pair.flagged
    assert min(pair.shares) >= 0.8
    assert {region.module for region in pair.regions} == {"gradient_descent.py", "ripple.py"}
    assert all("<mark>" in region.left and "<mark>" in region.right for region in pair.regions)


def test_independent_correct_solutions_are_not_flagged(comparison):
    for other in ("own_solution", "renamed_copy"):
        pair = _pair(comparison, other, "other_own_solution")
        assert pair is None or pair.score < FLAG_SHARE, pair


def test_only_the_copy_is_flagged(comparison):
    assert [set(p.students) for p in comparison.pairs if p.flagged] == [{"own_solution", "renamed_copy"}]


def test_a_short_function_written_alike_never_makes_a_match(comparison):
    assert _pair(comparison, "short_alike_1", "short_alike_2") is None


def test_the_skeleton_and_the_solution_are_boilerplate(comparison):
    students = {student for pair in comparison.pairs for student in pair.students}
    assert not students & {"untouched", "correct", "malformed_notebook"}


def test_students_close_to_the_solution_are_listed_alone(comparison):
    shares = comparison.solution_shares
    assert shares["correct"] >= 0.9 and shares["malformed_notebook"] >= 0.9
    assert shares["own_solution"] < FLAG_SHARE and shares["other_own_solution"] < FLAG_SHARE
    assert "untouched" not in shares  # nothing of its own to compare


def test_a_module_that_is_no_text_or_a_link_is_left_out_with_a_reason(comparison):
    assert "ripple.py is not UTF-8 text" in comparison.skipped["untouched"]
    assert "ripple.py is not a plain file" in comparison.skipped["stderr_warning"]
    assert _pair(comparison, "own_solution", "stderr_warning") is None
