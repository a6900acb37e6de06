"""The Gradescope autograder: records become Gradescope's results.json, the zip holds what Gradescope runs, and
its `run_autograder`, unzipped and run locally, scores sample students as local grading does.

Local grading (test_grading) scores every sample student with the same `grade` function; here each assignment's
zip grades one partly wrong student, and 01's zip the outcomes that take other paths (a malformed notebook, a cell
that times out, a module that fools the kernel's checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.cohort import build_cohort
from autograder.gradescope import build_autograder, gradescope_results, uploaded_folder
from autograder.layout import copy_plain_files
from autograder.results import Item, Record
from tests.grading_cli import CELL_TIMEOUT, SUBMISSION_TIMEOUT
from tests.test_grading import A01, EXPECTED, MAX_POINTS

ON_GRADESCOPE = sorted(
    [(assignment, next(s for s in EXPECTED[assignment] if s.startswith("wrong_"))) for assignment in EXPECTED]
    + [(A01, student) for student in ("malformed_notebook", "infinite_loop", "fools_the_checks")]
)
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def _record() -> Record:
    return Record(
        "ada",
        A01,
        items=[
            Item("gd_step", 1.0, 1.0),
            Item("run_gd", 0.0, 2.0, hint="Hint: clear x.grad after every update. [max abs error 4.4e+06]"),
            Item("ripple_descent", 0.0, 2.0, timed_out=True, reason="timed out in cell 12 (20 s)"),
            Item("q3", None, 1.0, reason="needs manual grading", manual=True),
            Item("q4", 1.0, 1.5, manual=True),
        ],
        seconds=12.6,
    )


def test_results_hold_one_test_per_autograded_item_and_the_autograded_score():
    results = gradescope_results(_record())
    assert results["score"] == 1.0 and results["execution_time"] == 13
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        ("gd_step", 1.0, 1.0, "passed"),
        ("run_gd", 0.0, 2.0, "failed"),
        ("ripple_descent", 0.0, 2.0, "failed"),
    ]
    outputs = [t["output"] for t in results["tests"]]
    assert outputs[0] == "" and outputs[1].startswith("Hint: clear x.grad") and "timed out" in outputs[2]
    assert {results["visibility"], *(t["visibility"] for t in results["tests"])} <= VISIBILITIES
    json.dumps(results)  # plain JSON, as Gradescope reads it


def test_written_answers_are_no_tests_but_the_output_names_them():
    output = gradescope_results(_record())["output"]
    assert "q3, q4: 2.5 points" in output and "graded by hand" in output


def test_an_ungradable_submission_says_why_at_the_top():
    reason = "notebook x is malformed"
    record = Record("ada", A01, [Item("gd_step", 0.0, 1.0, reason=reason)], reason=reason)
    results = gradescope_results(record)
    assert results["score"] == 0 and "could not be graded: notebook x is malformed" in results["output"]
    assert results["tests"][0]["status"] == "failed"


def test_a_grader_failure_still_gives_valid_results():
    results = gradescope_results(Record("ada", A01, reason="the autograder failed (RuntimeError)"))
    assert results["score"] == 0 and results["tests"] == [] and "RuntimeError" in results["output"]


def test_the_upload_may_be_the_folder_or_hold_it(tmp_path):
    assert uploaded_folder(tmp_path, A01) == tmp_path
    (tmp_path / A01).mkdir()
    assert uploaded_folder(tmp_path, A01) == tmp_path / A01
    (tmp_path / f"{A01}.ipynb").write_text("{}")
    assert uploaded_folder(tmp_path, A01) == tmp_path


def test_symbolic_links_in_an_upload_are_dropped(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "ripple.py").write_text("x = 1\n")
    (upload / "gradient_descent.py").symlink_to(tmp_path / "solution.py")
    copy_plain_files(upload, tmp_path / "copy")
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["ripple.py"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Iterator[zipfile.ZipFile]:
    with zipfile.ZipFile(build_autograder("01", tmp_path_factory.mktemp("dist"))) as zf:
        yield zf


def test_the_zip_holds_what_gradescope_runs(archive):
    names = set(archive.namelist())
    expected = {"setup.sh", "run_autograder", "requirements-lock.txt", "nbgrader_config.py", "course_secret"}
    expected |= {"gradebook.db"}
    expected |= {f"autograder/checks/a{A01}.py", f"solutions/{A01}/{A01}.ipynb", f"assignments/{A01}/{A01}.ipynb"}
    expected |= {"autograder/grade.py", "utils/testing.py"}
    assert expected <= names
    for script in ("setup.sh", "run_autograder"):
        assert archive.getinfo(script).external_attr >> 16 & 0o111, f"{script} is not executable"
    assert f"ASSIGNMENT={A01}\n" in archive.read("run_autograder").decode()
    assert "download.pytorch.org/whl/cpu" in archive.read("setup.sh").decode()


def test_the_zip_holds_no_caches_no_grading_data_and_no_other_assignment(archive):
    names = archive.namelist()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or ".ipynb_checkpoints" in n]
    assert not [n for n in names if n.startswith(("grading/", "dist/", "tests/"))]
    assert not [n for n in names if "02_ema_adam" in n]


def _unzip(archive: Path, target: Path) -> Path:
    """Extract as Gradescope's unzip does, keeping each file's permissions (zipfile alone drops them)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            mode = info.external_attr >> 16 & 0o777
            extracted = Path(zf.extract(info, target))
            if mode:
                extracted.chmod(mode)
    return target


@pytest.fixture(scope="module")
def on_gradescope(tmp_path_factory) -> dict:
    """The ON_GRADESCOPE submissions graded by their assignment's unzipped `run_autograder`, two at a time, each
    run with its own copy of the zip, results folder and TMPDIR (its grading folder lives there). Each run starts
    its own grader, gradebook, sandbox and kernel, as on Gradescope: about 30 s of CPU each."""
    root = tmp_path_factory.mktemp("gradescope")
    cohort = build_cohort(root / "cohort")
    archives = {assignment: build_autograder(assignment, root / "dist") for assignment in EXPECTED}

    def run(submission: tuple[str, str]) -> dict:
        assignment, student = submission
        work = root / "runs" / assignment / student
        source = _unzip(archives[assignment], work / "source")
        (work / "tmp").mkdir()
        env = {
            **os.environ,
            "GRADESCOPE_SOURCE": str(source),
            "GRADESCOPE_SUBMISSION": str(cohort / student / assignment),
            "GRADESCOPE_RESULTS": str(work / "results"),
            "KIT_PYTHON": sys.executable,  # the project's environment stands in for setup.sh's
            "TMPDIR": str(work / "tmp"),
        }
        command = [source / "run_autograder", "--cell-timeout", str(CELL_TIMEOUT)]
        command += ["--submission-timeout", str(SUBMISSION_TIMEOUT)]
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900)
        results = work / "results" / "results.json"
        return {"run": done, "results": json.loads(results.read_text()) if results.exists() else None}

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(ON_GRADESCOPE, pool.map(run, ON_GRADESCOPE), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("assignment, student", ON_GRADESCOPE)
def test_gradescope_scores_as_local_grading(on_gradescope, assignment, student):
    graded = on_gradescope[assignment, student]
    assert graded["run"].returncode == 0, graded["run"].stdout[-2000:] + graded["run"].stderr[-3000:]
    results = graded["results"]
    assert results["score"] == EXPECTED[assignment][student]
    assert sum(test["max_score"] for test in results["tests"]) == MAX_POINTS[assignment]
    assert all(set(test) >= {"name", "score", "max_score", "output", "visibility"} for test in results["tests"])


@pytest.mark.slow
def test_gradescope_says_why_a_malformed_notebook_scores_nothing(on_gradescope):
    results = on_gradescope[A01, "malformed_notebook"]["results"]
    assert "malformed" in results["output"] and all(test["score"] == 0 for test in results["tests"])
