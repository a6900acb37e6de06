"""How the grading tests run the real CLI: one `python -m autograder grade` subprocess with the tests' limits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder.results import Record
from autograder.settings import KIT_ROOT

# Long enough for 04's slowest cells on a loaded 2-core machine (about 6 s), short enough for the infinite loop.
CELL_TIMEOUT = 20
SUBMISSION_TIMEOUT = 120


def grade_folder(
    submitted: Path, grading: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], list[Record]]:
    """Grade ``submitted`` with the CLI; return its completed process and the records it wrote to ``grading``."""
    command = [sys.executable, "-m", "autograder", "grade", str(submitted)]
    command += ["--cell-timeout", str(CELL_TIMEOUT), "--submission-timeout", str(SUBMISSION_TIMEOUT)]
    done = subprocess.run(
        command, cwd=KIT_ROOT, env=env or {**os.environ}, capture_output=True, text=True, timeout=1800
    )
    return done, [Record.read(path) for path in (grading / "results").glob("*/*.json")]
