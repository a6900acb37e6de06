"""How the grading tests run the real CLI (`python -m autograder grade` with the tests' limits) and read
what it wrote: result records and gradebook rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.results import Record
from autograder.settings import KIT_ROOT

# Long enough for 04's slowest cells on a loaded 2-core machine (about 6 s), short enough for the infinite loop.
CELL_TIMEOUT = 20
SUBMISSION_TIMEOUT = 120


def grade_command(submitted: Path, *options: str) -> list[str]:
    command = [sys.executable, "-m", "autograder", "grade", str(submitted)]
    return command + ["--cell-timeout", str(CELL_TIMEOUT), "--submission-timeout", str(SUBMISSION_TIMEOUT), *options]


def grade_folder(
    submitted: Path, grading: Path, env: dict[str, str] | None = None, *options: str
) -> tuple[subprocess.CompletedProcess[str], list[Record]]:
    """Grade ``submitted`` with the CLI; return its completed process and the records it wrote to ``grading``."""
    done = subprocess.run(
        grade_command(submitted, *options),
        cwd=KIT_ROOT,
        env=env or {**os.environ},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return done, [Record.read(path) for path in (grading / "results").glob("*/*.json")]


def gradebook_rows(db_url: str) -> list[tuple]:
    """Every row autograding writes for every submission in a gradebook, sorted: one tuple per grade (score,
    manual score, review flag, timestamp) and per comment (automatic comment)."""
    with Gradebook(db_url) as gb:
        submissions = [s for assignment in gb.assignments for s in assignment.submissions]
        grades = [
            (
                s.student.id,
                s.assignment.name,
                g.name,
                g.auto_score,
                g.manual_score,
                g.needs_manual_grade,
                str(s.timestamp),
            )
            for s in submissions
            for notebook in s.notebooks
            for g in notebook.grades
        ]
        comments = [
            (s.student.id, s.assignment.name, c.name, c.auto_comment)
            for s in submissions
            for notebook in s.notebooks
            for c in notebook.comments
        ]
    return sorted(grades) + sorted(comments)
