"""Grading in parallel, killed mid-batch and started again: the second run grades only what the first did
not finish, no row the first wrote is lost, and grading everything again changes no row.

Four 01 students in a grading folder of their own, with two workers.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.results import Record
from autograder.settings import KIT_ROOT
from tests.grading_cli import grade_command, grade_folder, gradebook_rows
from tests.test_grading import A01, EXPECTED

pytestmark = pytest.mark.slow

STUDENTS = ("correct", "untouched", "wrong_in_place", "malformed_notebook")
BUILD = f"""
import sys
from pathlib import Path
from autograder.cohort import COHORT, build_cohort

build_cohort(Path(sys.argv[1]), tuple(s for s in COHORT if s.assignment == {A01!r} and s.name in {STUDENTS!r}))
"""


def _records(grading: Path) -> dict[str, tuple[int, Record]]:
    """student -> (modification time, record) of every record written so far."""
    return {path.parent.name: (path.stat().st_mtime_ns, Record.read(path)) for path in grading.glob("results/*/*.json")}


def _kill_after_first_record(command: list[str], grading: Path, env: dict[str, str]) -> None:
    """Start grading and kill it, workers and kernels too, as soon as its first record appears."""
    grader = subprocess.Popen(
        command, cwd=KIT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 600
    while not _records(grading) and grader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(grader.pid, signal.SIGKILL)
    grader.wait()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, released) -> dict:
    grading = tmp_path_factory.mktemp("resume-grading")
    env = {**os.environ, "KIT_GRADING_DIR": str(grading)}
    submitted = grading / "submitted"
    subprocess.run([sys.executable, "-c", BUILD, str(submitted)], cwd=KIT_ROOT, env=env, check=True, timeout=300)
    db_url = f"sqlite:///{grading / 'gradebook.db'}"

    _kill_after_first_record(grade_command(submitted, "--workers", "2"), grading, env)
    killed = {"records": _records(grading), "rows": gradebook_rows(db_url)}
    with sqlite3.connect(grading / "gradebook.db") as db:
        killed["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]

    resumed_run, _ = grade_folder(submitted, grading, env, "--workers", "2")
    resumed = {"run": resumed_run, "records": _records(grading), "rows": gradebook_rows(db_url)}
    regraded_run, _ = grade_folder(submitted, grading, env, "--workers", "2", "--regrade")
    regraded = {"run": regraded_run, "records": _records(grading), "rows": gradebook_rows(db_url)}
    return {"killed": killed, "resumed": resumed, "regraded": regraded}


def test_the_kill_came_mid_batch_and_left_a_sound_gradebook(runs):
    killed = runs["killed"]
    assert 1 <= len(killed["records"]) < len(STUDENTS)
    assert killed["integrity"] == "ok"


def test_every_record_written_before_the_kill_has_its_rows(runs):
    killed = runs["killed"]
    for student, (_, record) in killed["records"].items():
        scores = {row[2]: row[3] for row in killed["rows"] if row[0] == student and len(row) == 7}
        assert all(scores[item.grade_id] == item.score for item in record.items if not item.manual), student


def test_the_second_run_grades_only_what_was_missing(runs):
    killed, resumed = runs["killed"], runs["resumed"]
    assert resumed["run"].returncode == 0, resumed["run"].stderr[-3000:]
    assert f"{len(killed['records'])} submission(s) graded before and unchanged: kept" in resumed["run"].stderr
    for student, (mtime, _) in killed["records"].items():
        assert resumed["records"][student][0] == mtime, f"{student} was graded again"
    assert sorted(resumed["records"]) == sorted(STUDENTS)


def test_resumed_scores_are_the_expected_ones(runs):
    for student, (_, record) in runs["resumed"]["records"].items():
        assert record.auto_score()[0] == EXPECTED[A01][student], student


def test_no_row_written_before_the_kill_was_lost(runs):
    killed_students = set(runs["killed"]["records"])
    before = [row for row in runs["killed"]["rows"] if row[0] in killed_students]
    after = [row for row in runs["resumed"]["rows"] if row[0] in killed_students]
    assert before and before == after


def test_grading_everything_again_changes_no_row(runs):
    regraded = runs["regraded"]
    assert regraded["run"].returncode == 0, regraded["run"].stderr[-3000:]
    assert "graded before and unchanged" not in regraded["run"].stderr
    assert regraded["rows"] == runs["resumed"]["rows"]
    for student, (mtime, record) in regraded["records"].items():
        old_mtime, old = runs["resumed"]["records"][student]
        assert mtime != old_mtime, f"{student} was not graded again"
        assert [(i.grade_id, i.score, i.hint, i.reason) for i in record.items] == [
            (i.grade_id, i.score, i.hint, i.reason) for i in old.items
        ]
