"""The broken and hostile corpus (`tests/hostile_corpus.py`), graded in one run in its own grading folder:
each case gets its score and shows its reason, and a correct student graded in the same batch keeps full marks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograder.settings import KIT_ROOT
from tests.grading_cli import grade_folder
from tests.hostile_corpus import CASES

pytestmark = pytest.mark.slow

BUILD = """
import sys
from pathlib import Path
from autograder.cohort import SOLVED, SampleStudent, build_cohort
from tests.hostile_corpus import CASES

control = [SampleStudent("control", a, SOLVED, "correct") for a in sorted({case.assignment for case in CASES})]
build_cohort(Path(sys.argv[1]), (*control, *(case.student() for case in CASES)))
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    grading = tmp_path_factory.mktemp("hostile-grading")
    env = {**os.environ, "KIT_GRADING_DIR": str(grading)}  # never the demo's gradebook
    submitted = grading / "submitted"
    subprocess.run([sys.executable, "-c", BUILD, str(submitted)], cwd=KIT_ROOT, env=env, check=True, timeout=300)
    done, graded_records = grade_folder(submitted, grading, env)
    records = {(record.student, record.assignment): record for record in graded_records}
    return {"run": done, "records": records, "grading": grading}


def test_grading_the_corpus_completes(graded):
    assert graded["run"].returncode == 0, graded["run"].stderr[-3000:]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_gets_its_score_and_reason(graded, case):
    record = graded["records"][case.name, case.assignment]
    assert record.auto_score()[0] == case.score
    shown = [record.reason] + [
        f"{item.grade_id}: {item.reason} {item.hint}" for item in record.items if not item.manual
    ]
    assert any(case.reason in text for text in shown), shown


@pytest.mark.parametrize("assignment", sorted({case.assignment for case in CASES}))
def test_a_correct_student_in_the_same_batch_keeps_full_marks(graded, assignment):
    score, maximum = graded["records"]["control", assignment].auto_score()
    assert score == maximum


def test_reading_the_hidden_checks_shows_nothing_in_the_feedback(graded):
    pages = list((graded["grading"] / "feedback" / "reads_hidden_checks").rglob("*.html"))
    assert pages and not any("CHECKS = checks(" in page.read_text(encoding="utf-8") for page in pages)
