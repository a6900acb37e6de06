"""The kit as students and instructors see it, in Chromium: every notebook in JupyterLab, its explorers, and
the feedback pages. `./kit test` runs these last, where Chromium is installed (`.ci/run` installs it).

Solution notebooks run start to finish with no error, and each explorer redraws when a control moves; released
notebooks run until the first stub, which shows NotImplementedError after every cell before it ran cleanly; a
feedback page shows each item's score, each failed check's hint and the written answers, and nothing of the
hidden checks. Screenshots land in `screenshots/` (git-ignored).
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import utils.widgets
from autograder.cohort import COHORT, write_submission
from autograder.layout import assignment_names
from autograder.results import Record
from tests.grading_cli import grade_folder
from tests.lab_session import (
    SCREENSHOTS,
    VIEWPORT,
    Lab,
    NotebookRuns,
    change_and_redraw,
    chromium_path,
    explorers,
    jupyter_lab,
    save_notebook,
    shown_cells,
)

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

ASSIGNMENTS = assignment_names()
A01 = "01_gradient_descent"
FEEDBACK_STUDENTS = ("correct", "wrong_in_place")
HIDDEN = ("HIDDEN TESTS", "CHECKS[", "autograder.checks", "_base.py", "most recent call last")


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    with jupyter_lab([Path("solutions"), Path("assignments")], tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does it)")
    SCREENSHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        # --no-sandbox: CI runs as root, where Chromium's own sandbox cannot start.
        chromium = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


SOLUTION_NOTEBOOKS = {a: f"solutions/{a}/{a}.ipynb" for a in ASSIGNMENTS}
RELEASED_NOTEBOOKS = {a: f"assignments/{a}/{a}.ipynb" for a in ASSIGNMENTS}


@pytest.fixture(scope="module")
def runs(browser, lab) -> Iterator[NotebookRuns]:
    """Every notebook the tests below open, in the order they run, two at a time."""
    notebooks = NotebookRuns(browser, lab, [*SOLUTION_NOTEBOOKS.values(), *RELEASED_NOTEBOOKS.values()])
    yield notebooks
    notebooks.finish_all()


def _saved_errors(lab: Lab, path: str) -> list[tuple[int, str]]:
    """(code cell index, exception name) of every error the browser saved into the notebook."""
    nb = nbformat.read(lab.root / path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return [(i, out.ename) for i, cell in enumerate(code) for out in cell.outputs if out.output_type == "error"]


def _explorer_calls(notebook: Path) -> int:
    """How many explorers the notebook's code builds: calls of utils.widgets' functions that return a VBox."""
    builders = [
        name
        for name, function in inspect.getmembers(utils.widgets, inspect.isfunction)
        if not name.startswith("_") and inspect.signature(function).return_annotation == "widgets.VBox"
    ]
    calls = re.compile(r"\b(" + "|".join(builders) + r")\(")
    nb = nbformat.read(notebook, as_version=4)
    return sum(len(calls.findall(cell.source)) for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_solution_notebook_runs_clean_and_its_explorers_redraw(runs, lab, assignment):
    path = SOLUTION_NOTEBOOKS[assignment]
    with runs.ran(path) as page:
        cells = shown_cells(page)
        page.screenshot(path=SCREENSHOTS / f"solution_{assignment}.png")
        assert all(cell.ran for cell in cells), [cell.index for cell in cells if not cell.ran]
        assert [(cell.index, cell.error[-400:]) for cell in cells if cell.error] == []
        save_notebook(page)
        assert _saved_errors(lab, path) == []
        shown = explorers(page)
        assert len(shown) == _explorer_calls(lab.root / path)  # a broken widget stack shows none
        for number, explorer in enumerate(shown):
            assert explorer.locator(".widget-slider, select, button").count(), "an explorer without controls"
            before, after = change_and_redraw(page, explorer)
            assert before != after
            page.screenshot(path=SCREENSHOTS / f"explorer_{assignment}_{number}.png")  # JupyterLab around it
        figures = lab.figures_shown(path)  # every figure shown, the explorers' redrawn ones too
        assert len(figures) >= len(shown) + 1
        assert [figure for figure in figures if figure["breaches"]] == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_released_notebook_stops_at_the_first_stub(runs, lab, assignment):
    path = RELEASED_NOTEBOOKS[assignment]
    with runs.ran(path) as page:
        cells = shown_cells(page)
        failed = [cell for cell in cells if cell.error]
        assert failed, "no cell raised: a stub returned something"
        first = failed[0]
        page.locator(".jp-CodeCell").nth(first.index).scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"released_{assignment}.png")
        assert "NotImplementedError" in first.error, first.error[-600:]
        assert all(cell.ran for cell in cells[: first.index])
        save_notebook(page)
        assert _saved_errors(lab, path)[:1] == [(first.index, "NotImplementedError")]


@pytest.fixture(scope="module")
def feedback(tmp_path_factory) -> dict[str, tuple[Record, Path]]:
    """Two 01 students graded by the CLI into a grading folder of their own: their records and feedback pages."""
    grading = tmp_path_factory.mktemp("feedback-grading")
    for student in (s for s in COHORT if s.assignment == A01 and s.name in FEEDBACK_STUDENTS):
        write_submission(student, grading / "submitted" / student.name / A01)
    done, records = grade_folder(grading / "submitted", grading, {**os.environ, "KIT_GRADING_DIR": str(grading)})
    assert done.returncode == 0, done.stderr[-3000:]
    pages = {r.student: (r, grading / "feedback" / r.student / A01 / f"{A01}.html") for r in records}
    assert sorted(pages) == sorted(FEEDBACK_STUDENTS)
    return pages


@pytest.mark.parametrize("student", FEEDBACK_STUDENTS)
def test_a_feedback_page_shows_scores_hints_and_answers_and_no_hidden_check(browser, feedback, student):
    record, html = feedback[student]
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(html.as_uri())
        text = page.inner_text("body")
        page.screenshot(path=SCREENSHOTS / f"feedback_{student}.png")
        for item in record.items:
            if not item.manual:
                shown = page.locator(f"li:has(a[href='#{item.grade_id}'])").inner_text()
                assert f"Score: {item.score:.1f} / {item.max:.1f}" in shown, (item.grade_id, shown)
            if item.hint:
                assert item.hint.split("[")[0].strip() in text, item.grade_id
        assert "My answer:" in text
        source = page.content()
        assert not [secret for secret in HIDDEN if secret in text or secret in source]
        failed = next((item for item in record.items if item.hint), None)
        if failed is not None:  # the failed check's cell, with its hint
            page.goto(f"{html.as_uri()}#{failed.grade_id}")
            page.screenshot(path=SCREENSHOTS / f"feedback_{student}_{failed.grade_id}.png")
    finally:
        page.close()
    if student == "wrong_in_place":
        assert any(item.hint for item in record.items), "the wrong student's page must show a hint"
