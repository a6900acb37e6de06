"""`python -m autograder report` on records alone (a grading folder of its own, no submissions): what a student
wrote is escaped, a broken record is named and the rest reported, and no records at all is a clear error.
The report of the graded sample cohort is tested in test_grading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder.results import Item, Record
from autograder.settings import KIT_ROOT

A = "01_gradient_descent"
HOSTILE = "<script>alert('hint')</script>"


def _report(grading: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograder", "report", "--submitted", str(grading / "none")],
        cwd=KIT_ROOT,
        env={**os.environ, "KIT_GRADING_DIR": str(grading)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_report_from_records_escapes_student_text_and_names_a_broken_record(tmp_path):
    results = tmp_path / "results"
    Record("ada", A, items=[Item("gd_step", 1.0, 1.0)], seconds=3.0).write(results)
    Record("bo", A, items=[Item("gd_step", 0.0, 1.0, hint=f"ValueError: {HOSTILE}")], seconds=4.0).write(results)
    (results / "cy").mkdir()
    (results / "cy" / f"{A}.json").write_text("{")
    done = _report(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"result record cy/{A}.json could not be read" in done.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert f"cy/{A}.json could not be read" in html
    assert "1/2" in html  # gd_step: one of two students with full marks


def test_no_records_is_a_clear_error(tmp_path):
    done = _report(tmp_path)
    assert done.returncode == 1
    assert "no result records" in done.stderr and "grade submissions first" in done.stderr
