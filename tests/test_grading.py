"""The main job end to end: release, the sample cohort, `python -m autograder grade`, records and feedback.

One grading run (module fixture) serves every test: each proof is a student whose score actually changes.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from autograder.cohort import COHORT, build_cohort
from autograder.grade import SANDBOX_FAILED
from autograder.sandbox import landlock_abi
from autograder.settings import GRADING, KIT_ROOT
from tests.grading_cli import CELL_TIMEOUT, grade_folder

pytestmark = pytest.mark.slow

A01 = "01_gradient_descent"
A02 = "02_ema_adam"
A03 = "03_mlp_numpy"
A04 = "04_cnn_layers"
A05 = "05_initialization"
A06 = "06_svm_kernels"
A07 = "07_rnn_lstm"
# Autograded points per assignment. 01: gd_step 1, run_gd 2, simple_gradient_descent__step 2,
# critical_learning_rate 1, ripple_grad 1, ripple_descent 2. 02: grad_mean 1, grad_rms 1, ema_update 2,
# ema_series 1, adam_step 2, adam__step 3.
# 03: 1 point per item (19). 04: the spec's weights (90 autograded; written answers 10).
# 05: schemes 30, forward/backward/statistics 30, torch init and training 15 (written answers 25).
# 06: 1 point per required item (9); the optional primal SVM carries 0. 07: 1 point per item (12).
MAX_POINTS = {A01: 9, A02: 10, A03: 19, A04: 90, A05: 75, A06: 9, A07: 12}
# The autograded score of every sample student, per assignment.
EXPECTED = {
    A01: {
        "correct": 9,
        "untouched": 0,
        "wrong_in_place": 8,  # only gd_step's unchanged-input check catches it
        "wrong_ripple_sequential": 7,  # only ripple_descent (2 points) fails
        # gd_step never returns: its notebook cell times out and the cells after it are not run, but every module
        # item is scored by its sandboxed check, so only gd_step and run_gd (which calls it) fail.
        "infinite_loop": 6,
        "malformed_notebook": 0,
        "stderr_warning": 9,
        # An ascending gd_step, with its own autograder/ and utils/ whose checks always pass: those are
        # ignored, so gd_step and run_gd (which steps with gd_step) fail as for any ascending gd_step.
        "fake_grader": 6,
        # The same ascending gd_step, whose module patches the check helpers so every cell passes in its kernel:
        # the sandboxed verdicts take gd_step's and run_gd's points away again, and critical_learning_rate's,
        # whose symmetry test calls the np.allclose this module replaced.
        "fools_the_checks": 5,
        "vandal": 9,  # correct: its writes outside its own folder are refused, and it catches the errors
        "own_solution": 9,
        "renamed_copy": 9,
        "other_own_solution": 9,
    },
    A02: {
        "correct": 10,
        "untouched": 0,
        "wrong_rms_std": 9,  # only grad_rms fails
        "wrong_adam_out_of_place": 7,  # only Adam.step (3 points) fails: its parameters never move
    },
    A03: {
        "correct": 19,
        "untouched": 0,
        "wrong_relu_kink": 18,  # only relu_backward fails
        "wrong_adam_no_correction": 18,  # only adam fails
    },
    A04: {
        "correct": 90,
        "untouched": 0,
        "wrong_pool_last_max": 82.5,  # only maxpool2d_backward (7.5) fails
        "wrong_confusion_transposed": 87.5,  # only confusion_matrix (2.5) fails
    },
    A05: {
        "correct": 75,
        "untouched": 0,
        "wrong_he_no_factor_2": 45,  # init_std and init_weights (15 each) fail
        "wrong_layer_stats_per_unit": 65,  # only layer_stats (10) fails
    },
    A06: {
        "correct": 9,
        "untouched": 0,
        "wrong_rbf_distance": 8,  # only rbf_kernel fails
        "wrong_dual_no_intercept": 8,  # only dual_decision_function fails
    },
    A07: {
        "correct": 12,
        "untouched": 0,
        "wrong_lstm_gate_order": 11,  # only lstm_cell__forward fails
        "wrong_clip_per_parameter": 11,  # only clip_grad_norm fails; training with it still runs
    },
}
SUBMISSIONS = sorted((assignment, student) for assignment, scores in EXPECTED.items() for student in scores)


@pytest.fixture(scope="module")
def graded(released) -> dict:
    """Run the real CLI over the generated cohort once; return its output and the result records."""
    done, graded_records = grade_folder(build_cohort(), GRADING)
    records = {(record.assignment, record.student): record for record in graded_records}
    return {"run": done, "records": records, A01: {s: r for (a, s), r in records.items() if a == A01}}


def test_cohort_matches_the_expected_list():
    assert sorted((s.assignment, s.name) for s in COHORT) == SUBMISSIONS


def test_grade_exits_zero_and_prints_the_gradebook(graded):
    run = graded["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0].split()[:2] == ["student", A01]
    for _, student in SUBMISSIONS:
        assert any(line.startswith(student + " ") for line in lines), student


@pytest.mark.parametrize("assignment, student", SUBMISSIONS)
def test_each_student_scores_as_expected(graded, assignment, student):
    score, maximum = graded["records"][assignment, student].auto_score()
    assert (score, maximum) == (EXPECTED[assignment][student], MAX_POINTS[assignment])


def test_the_students_modules_are_graded_not_the_instructors(graded):
    assert graded[A01]["wrong_in_place"].auto_score()[0] < graded[A01]["correct"].auto_score()[0]


def test_infinite_loop_costs_one_timeout_and_only_the_items_that_call_it(graded):
    record = graded[A01]["infinite_loop"]
    assert record.seconds < 2 * CELL_TIMEOUT + 20
    lost = {item.grade_id: item for item in record.items if not item.manual and item.score == 0}
    assert set(lost) == {"gd_step", "run_gd"}
    assert all(item.reason.startswith("timed out in cell") and "timed out" in item.hint for item in lost.values())


def test_malformed_notebook_fails_only_itself(graded):
    record = graded[A01]["malformed_notebook"]
    assert "malformed" in record.reason
    assert all(item.score == 0 for item in record.items)
    assert graded[A01]["correct"].auto_score()[0] == MAX_POINTS[A01]


def test_checks_fooled_in_the_kernel_fail_in_the_sandbox(graded):
    lost = [item for item in graded[A01]["fools_the_checks"].items if not item.manual and item.score == 0]
    assert lost and all(item.reason == SANDBOX_FAILED and item.hint.startswith("Hint:") for item in lost)


@pytest.mark.skipif(not landlock_abi(), reason="without Landlock, writes of student code are not confined")
def test_student_code_writes_nothing_outside_its_own_folder(graded):
    checks = KIT_ROOT / "autograder" / "checks" / f"a{A01}.py"
    assert "VANDALIZED" not in checks.read_text(encoding="utf-8")
    with open(GRADING / "gradebook.db", "rb") as handle:
        assert b"VANDALIZED" not in handle.read()
    dropped = {path.parent.relative_to(GRADING).parts[:2] for path in GRADING.rglob("VANDALIZED.txt")}
    assert dropped <= {("autograded", "vandal"), ("feedback", "vandal")}  # its own folder, copied to its feedback


def test_written_answers_wait_for_manual_grading(graded):
    q3 = next(item for item in graded[A01]["correct"].items if item.grade_id == "q3")
    assert q3.manual and q3.score is None


@pytest.mark.parametrize("assignment", sorted(EXPECTED))
def test_gradebook_keeps_every_student(graded, assignment):
    with Gradebook(f"sqlite:///{GRADING}/gradebook.db", "dl-course-kit") as gb:
        students = {s.student.id for s in gb.find_assignment(assignment).submissions}
    assert students == set(EXPECTED[assignment])
    # nbgrader's CSV export lists every gradebook student under every assignment (0 where nothing was
    # submitted), so the submitters are found by name.
    with (GRADING / "grades.csv").open(newline="") as handle:
        scores = {
            row["student_id"]: float(row["raw_score"])
            for row in csv.DictReader(handle)
            if row["assignment"] == assignment
        }
    assert {student: scores.get(student) for student in EXPECTED[assignment]} == EXPECTED[assignment]


def _feedback(student: str) -> str:
    return (GRADING / "feedback" / student / A01 / f"{A01}.html").read_text()


def test_feedback_shows_the_hint_but_no_hidden_check(graded):
    record = graded[A01]["fake_grader"]
    hint = next(item.hint for item in record.items if item.grade_id == "gd_step")
    assert hint.startswith("Hint:")
    page = _feedback("fake_grader")
    assert hint.split("[")[0].strip() in page.replace("&#39;", "'").replace("&quot;", '"')
    for secret in ("HIDDEN TESTS", "CHECKS[", "autograder.checks", "_base.py", "most recent call last"):
        assert secret not in page, secret


def test_feedback_shows_the_written_answer(graded):
    assert "My answer:" in _feedback("correct")


@pytest.fixture(scope="module")
def report(graded) -> dict:
    """`python -m autograder report` over what grading wrote; the records' times before and after."""
    before = {path: path.stat().st_mtime_ns for path in (GRADING / "results").glob("*/*.json")}
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "report"], cwd=KIT_ROOT, capture_output=True, text=True, timeout=600
    )
    after = {path: path.stat().st_mtime_ns for path in (GRADING / "results").glob("*/*.json")}
    with (GRADING / "report" / "grades_per_student.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        listed = list(reader)
    rows = {row["student_id"]: row for row in listed}
    html = (GRADING / "report.html").read_text(encoding="utf-8") if done.returncode == 0 else ""
    return {
        "run": done,
        "unchanged": before == after,
        "html": html,
        "columns": reader.fieldnames,
        "rows": rows,
        "listed": len(listed),
    }


def test_the_report_is_written_from_the_records_without_regrading(report):
    assert report["run"].returncode == 0, report["run"].stderr[-3000:]
    assert report["unchanged"]
    pictures = sorted(path.name for path in (GRADING / "report").glob("*.png"))
    assert pictures == sorted(["totals.png", "grading_times.png", *(f"items_{a}.png" for a in EXPECTED)])
    assert all((GRADING / "report" / name).read_bytes().startswith(b"\x89PNG") for name in pictures)
    assert report["html"].count('src="data:image/png;base64,') == len(pictures)  # self-contained


def test_the_report_flags_the_renamed_copy_and_no_independent_solution(report):
    flagged = [line for line in report["run"].stdout.splitlines() if line.startswith("similar:")]
    assert flagged == [line for line in flagged if "own_solution and renamed_copy" in line] and len(flagged) == 1
    assert "own_solution and renamed_copy:" in report["html"] and "<mark>" in report["html"]
    assert "other_own_solution and" not in report["html"]


def test_the_report_shows_hard_items_hints_timeouts_and_ungradable(report):
    html = report["html"]
    assert "Hint: gd_step must not change x in place" in html.replace("&#39;", "'")
    assert "timed out after" in html  # the hint of the items whose check timed out
    ungradable = html.split("Submissions that could not be graded")[1].split("<h2>")[0]
    assert "malformed_notebook" in ungradable and "malformed" in ungradable


def test_the_csv_has_one_row_per_student_with_totals_and_items(report, graded):
    columns, rows = report["columns"], report["rows"]
    assert columns[:4] == ["student_id", "last_name", "first_name", "email"]
    assert report["listed"] == len(rows)  # one row per student
    assert set(rows) >= {student for _, student in SUBMISSIONS}  # a local gradebook may hold earlier students
    for (assignment, student), record in graded["records"].items():
        row = rows[student]
        assert float(row[assignment]) == EXPECTED[assignment][student]  # no written answer is graded yet
        for item in record.items:
            if not item.manual:
                assert float(row[f"{assignment}/{item.grade_id}"]) == item.score, (student, item.grade_id)
    for assignment in EXPECTED:
        absent = set(rows) - set(EXPECTED[assignment])
        assert all(float(rows[student][assignment]) == 0 for student in absent)
