"""Private gradebooks for parallel grading, and the one writer of the course gradebook.

nbgrader's gradebook is one SQLite file that every step of autograding reads and writes. Parallel workers
each grade into a private snapshot of it; the main process alone copies a graded submission's rows (what
`nbgrader autograde` writes: the submission's timestamp, each notebook's late penalty, each grade's
automatic score and review flag, each comment's automatic comment) into the course gradebook. The
grader writes a submission's result record only after its rows, so a submission with a record has all of
them: a grader killed mid-batch and started again grades only the submissions without one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nbgrader.api import Gradebook


def db_path(db_url: str) -> Path:
    """The file behind a `sqlite:///...` URL."""
    if not db_url.startswith("sqlite:///"):
        raise ValueError(f"the kit grades into SQLite gradebooks only, not {db_url}")
    return Path(db_url.removeprefix("sqlite:///"))


def snapshot(db_url: str, target: Path) -> str:
    """A consistent copy of the gradebook at ``db_url`` in ``target`` (SQLite's backup, safe while the
    main process writes); returns the copy's URL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    source = sqlite3.connect(db_path(db_url))
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        source.close()
        copy.close()
    return f"sqlite:///{target}"


def copy_submission(source_url: str, target: Gradebook, assignment: str, student: str) -> None:
    """Write what autograding recorded for one submission in ``source_url`` into ``target``: the same rows
    whether the submission is new there or graded again (regrading is idempotent)."""
    with Gradebook(source_url) as source:
        graded = source.find_submission(assignment, student)
        target.update_or_create_student(student)
        submission = target.update_or_create_submission(assignment, student, timestamp=graded.timestamp)
        notebooks = {notebook.name: notebook for notebook in submission.notebooks}
        for graded_notebook in graded.notebooks:
            notebook = notebooks[graded_notebook.name]
            notebook.late_submission_penalty = graded_notebook.late_submission_penalty
            grades = {grade.name: grade for grade in notebook.grades}
            for graded_grade in graded_notebook.grades:
                grades[graded_grade.name].auto_score = graded_grade.auto_score
                grades[graded_grade.name].needs_manual_grade = graded_grade.needs_manual_grade
            comments = {comment.name: comment for comment in notebook.comments}
            for graded_comment in graded_notebook.comments:
                comments[graded_comment.name].auto_comment = graded_comment.auto_comment
        target.db.commit()
