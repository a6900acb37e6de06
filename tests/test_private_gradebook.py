"""The gradebook's one writer: a submission graded in a private snapshot is copied into the course gradebook
with every row autograding writes, the same way every time, without touching what a person graded."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.private_gradebook import copy_submission, db_path, snapshot
from tests.grading_cli import gradebook_rows

pytestmark = pytest.mark.filterwarnings("ignore:::nbgrader.api")  # SQLAlchemy chatter inside nbgrader

ASSIGNMENT, NOTEBOOK = "01_demo", "01_demo"


def _course(path) -> str:
    """A course gradebook with one assignment: two graded code cells, one written answer, one solution cell."""
    url = f"sqlite:///{path}"
    with Gradebook(url) as gb:
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(NOTEBOOK, ASSIGNMENT)
        for name, cell_type in (("step", "code"), ("run", "code"), ("q1", "markdown")):
            gb.add_grade_cell(name, NOTEBOOK, ASSIGNMENT, max_score=2, cell_type=cell_type)
            gb.add_solution_cell(name, NOTEBOOK, ASSIGNMENT)
        gb.add_solution_cell("helper", NOTEBOOK, ASSIGNMENT)
    return url


def _grade(url: str, student: str, scores: dict[str, float | None]) -> None:
    """What autograding writes for ``student`` in the gradebook at ``url``."""
    with Gradebook(url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(ASSIGNMENT, student, timestamp=datetime(2026, 11, 26, 12, 0))
        for grade_id, score in scores.items():
            grade = gb.find_grade(grade_id, NOTEBOOK, ASSIGNMENT, student)
            grade.auto_score, grade.needs_manual_grade = score, score is None
        gb.find_comment("helper", NOTEBOOK, ASSIGNMENT, student).auto_comment = "No response."
        gb.db.commit()


@pytest.fixture(scope="module")
def empty_course(tmp_path_factory) -> str:
    # nbgrader creates a gradebook with the `alembic` executable beside this interpreter (about a second).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        return _course(tmp_path_factory.mktemp("course") / "gradebook.db")


@pytest.fixture
def course(empty_course, tmp_path) -> str:
    return snapshot(empty_course, tmp_path / "gradebook.db")


def test_a_snapshot_holds_the_course(course, tmp_path):
    private = snapshot(course, tmp_path / "workers" / "gradebook-1.db")
    with Gradebook(private) as gb:
        assert [g.name for g in gb.find_notebook(NOTEBOOK, ASSIGNMENT).grade_cells] == ["step", "run", "q1"]
    assert db_path(private) != db_path(course)


def test_copying_a_graded_submission_writes_its_rows(course, tmp_path):
    private = snapshot(course, tmp_path / "private.db")
    _grade(private, "ada", {"step": 2, "run": 0, "q1": None})
    with Gradebook(course) as gb:
        copy_submission(private, gb, ASSIGNMENT, "ada")
    assert gradebook_rows(course) == gradebook_rows(private)


def test_copying_again_changes_nothing(course, tmp_path):
    private = snapshot(course, tmp_path / "private.db")
    _grade(private, "ada", {"step": 2, "run": 0, "q1": None})
    with Gradebook(course) as gb:
        copy_submission(private, gb, ASSIGNMENT, "ada")
        before = gradebook_rows(course)
        copy_submission(private, gb, ASSIGNMENT, "ada")
    assert gradebook_rows(course) == before
    with Gradebook(course) as gb:
        assert len(gb.find_notebook(NOTEBOOK, ASSIGNMENT).submissions) == 1


def test_a_regrade_updates_scores_and_keeps_manual_grades(course, tmp_path):
    private = snapshot(course, tmp_path / "private.db")
    _grade(private, "ada", {"step": 0, "run": 0, "q1": None})
    with Gradebook(course) as gb:
        copy_submission(private, gb, ASSIGNMENT, "ada")
        gb.find_grade("q1", NOTEBOOK, ASSIGNMENT, "ada").manual_score = 1.5
        gb.db.commit()
    _grade(private, "ada", {"step": 2, "run": 2, "q1": None})
    with Gradebook(course) as gb:
        copy_submission(private, gb, ASSIGNMENT, "ada")
        assert gb.find_grade("step", NOTEBOOK, ASSIGNMENT, "ada").auto_score == 2
        assert gb.find_grade("q1", NOTEBOOK, ASSIGNMENT, "ada").manual_score == 1.5


def test_other_students_rows_are_untouched(course, tmp_path):
    _grade(course, "bob", {"step": 1, "run": 1, "q1": None})
    bob = [row for row in gradebook_rows(course) if row[0] == "bob"]
    private = snapshot(course, tmp_path / "private.db")
    _grade(private, "ada", {"step": 2, "run": 2, "q1": None})
    with Gradebook(course) as gb:
        copy_submission(private, gb, ASSIGNMENT, "ada")
    assert [row for row in gradebook_rows(course) if row[0] == "bob"] == bob
