"""Grade a folder of submissions laid out as nbgrader's `submitted/<student>/<assignment>/`.

First every submission's modules meet the hidden checks in the sandbox (`autograder.verdicts`). Then, for
each submission in turn: stage it under `grading/submitted/`, check its notebook can be read, autograde it
with nbgrader (student modules kept, hidden tests restored, time budgets enforced), score every module item
by its sandboxed verdict (the notebook's kernel ran student code before the checks, so its verdict can be
fooled, and one failed import, timeout or crash there would cost every later cell), write the feedback page
and the result record. A submission that cannot be graded gets zeros and a reason; the rest of the batch is
graded all the same.
"""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin
from tqdm import tqdm

from autograder.checks._base import Verdict
from autograder.course import nbgrader_api, open_gradebook, require_success
from autograder.layout import assignment_names, notebook_path
from autograder.release import register_in_gradebook
from autograder.results import Record, record_from_gradebook, ungradable_record
from autograder.sandbox import landlock_abi
from autograder.settings import ASSIGNMENTS, GRADING
from autograder.verdicts import sandboxed_verdicts

SANDBOX_FAILED = "the hidden check failed in the sandbox"


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    folder: Path

    @property
    def notebook_name(self) -> str:
        return self.assignment


def find_submissions(root: Path, assignments: Iterable[str] | None = None) -> list[Submission]:
    """Every `<root>/<student>/<assignment>/` whose assignment the kit knows, sorted by student."""
    known = set(assignments or assignment_names())
    return [
        Submission(student.name, folder.name, folder)
        for student in sorted(p for p in root.iterdir() if p.is_dir())
        for folder in sorted(p for p in student.iterdir() if p.is_dir())
        if folder.name in known
    ]


def stage(submission: Submission, target: Path) -> Path:
    """Copy a submission to ``target`` in nbgrader's submitted folder (a no-op when it already lives there)."""
    if target.resolve() != submission.folder.resolve():
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(
            submission.folder,
            target,
            symlinks=False,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"),
        )
    return target


@functools.cache
def _released_metadata(release: Path) -> dict[str, Any]:
    """Each released cell's nbgrader metadata by cell id, read once per assignment of a batch."""
    return {cell.get("id"): cell.metadata.get("nbgrader") for cell in nbformat.read(release, as_version=4).cells}


def restore_grading_metadata(notebook: Path, release: Path) -> None:
    """Give each cell the nbgrader metadata of the released cell with the same id, and none to a cell the
    student added: a renamed grade id or raised points gain nothing and cannot stop nbgrader grading."""
    released = _released_metadata(release)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        metadata = released.get(cell.get("id"))
        if metadata is not None:
            cell.metadata["nbgrader"] = metadata
        else:
            cell.metadata.pop("nbgrader", None)
    nbformat.write(nb, notebook)


def unreadable_reason(notebook: Path) -> str:
    """Why nbgrader could not read this notebook, or "" when it can."""
    if not notebook.is_file():
        return f"notebook {notebook.name} is missing"
    try:
        nbformat.validate(nbformat.read(notebook, as_version=4))
    except Exception as error:  # noqa: BLE001 - any parse or schema error makes the notebook unreadable
        return f"notebook {notebook.name} is malformed ({type(error).__name__}: {str(error).splitlines()[0][:120]})"
    return ""


class Grader:
    """One grading run: nbgrader bound to the course, with this run's time limits."""

    def __init__(self, cell_timeout: int, submission_timeout: int) -> None:
        overrides = {"BudgetedExecute": {"timeout": cell_timeout, "submission_timeout": submission_timeout}}
        self.api = nbgrader_api(overrides)
        self.coursedir = self.api.coursedir
        self.results_dir = GRADING / "results"

    def _path(self, step: str, submission: Submission) -> Path:
        return Path(self.coursedir.format_path(step, submission.student, submission.assignment))

    def gradebook(self) -> Gradebook:
        return open_gradebook()

    def register(self, assignments: Iterable[str]) -> list[str]:
        """Bring the gradebook's record of each assignment up to date; fail clearly if one is missing."""
        warnings = [w for w in (register_in_gradebook(name) for name in assignments) if w]
        with self.gradebook() as gb:
            for name in assignments:
                try:
                    gb.find_assignment(name)
                except MissingEntry:
                    raise SystemExit(
                        f"{name} is not in the gradebook: run `python -m autograder release` first"
                    ) from None
        return warnings

    def grade_one(self, submission: Submission, verdicts: dict[str, Verdict]) -> Record:
        """Grade one submission; ``verdicts`` (its sandboxed module checks) score its module items."""
        started = monotonic()
        staged = stage(submission, self._path(self.coursedir.submitted_directory, submission))
        notebook = staged / f"{submission.notebook_name}.ipynb"
        reason = unreadable_reason(notebook)
        if not reason:
            restore_grading_metadata(notebook, notebook_path(ASSIGNMENTS / submission.assignment))
        record = self._ungradable(submission, reason) if reason else self._autograde(submission, verdicts)
        record.seconds = round(monotonic() - started, 2)
        record.write(self.results_dir)
        return record

    def _ungradable(self, submission: Submission, reason: str) -> Record:
        with self.gradebook() as gb:
            return ungradable_record(gb, submission.notebook_name, submission.assignment, submission.student, reason)

    def _autograde(self, submission: Submission, verdicts: dict[str, Verdict]) -> Record:
        result = self.api.autograde(submission.assignment, submission.student, force=True, create=True)
        autograded = self._path(self.coursedir.autograded_directory, submission)
        notebook = autograded / f"{submission.notebook_name}.ipynb"
        if not result.get("success") or not notebook.is_file():
            reason = "nbgrader could not grade it: " + _last_line(result.get("error") or result.get("log", ""))
            return self._ungradable(submission, reason)
        self._apply_verdicts(submission, verdicts)
        require_success(
            self.api.generate_feedback(submission.assignment, submission.student),
            f"write feedback for {submission.student}",
        )
        with self.gradebook() as gb:
            record = record_from_gradebook(gb, notebook, submission.assignment, submission.student)
        for item in record.items:
            verdict = verdicts.get(item.grade_id)
            if verdict is None or item.manual:
                continue
            if verdict.passed:  # whatever happened to its cell in the notebook
                item.hint, item.reason = "", ""
            else:  # the cell's own hint when it has one, as the feedback page shows it
                sandbox_only = not (item.hint or item.reason)
                item.hint = item.hint if item.hint.startswith("Hint:") else verdict.hint
                item.reason = SANDBOX_FAILED if sandbox_only else item.reason
        return record

    def _apply_verdicts(self, submission: Submission, verdicts: dict[str, Verdict]) -> None:
        """The sandboxed verdicts score every module item in the gradebook, whatever its cell did in the
        notebook's kernel: fooled by code that ran first, or never run after a timeout, a dead kernel or a
        failed import. Items that only the notebook can check keep the notebook's score."""
        with self.gradebook() as gb:
            notebook = gb.find_submission_notebook(submission.notebook_name, submission.assignment, submission.student)
            for grade in notebook.grades:
                if grade.name in verdicts:
                    grade.auto_score = grade.max_score if verdicts[grade.name].passed else 0
            gb.db.commit()

    def export_csv(self) -> Path:
        path = GRADING / "grades.csv"
        with self.gradebook() as gb:
            CsvExportPlugin(to=str(path), log=self.api.log).export(gb)
        return path


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "unknown error"


def grade(
    submissions_root: Path, cell_timeout: int = 30, submission_timeout: int = 300, show_progress: bool = True
) -> list[Record]:
    """Grade every submission under ``submissions_root``; return their records (also written to disk)."""
    submissions = find_submissions(submissions_root)
    grader = Grader(cell_timeout, submission_timeout)
    for warning in grader.register(sorted({s.assignment for s in submissions})):
        print(f"warning: {warning}", file=sys.stderr)
    if not landlock_abi():
        print("warning: this kernel has no Landlock; sandboxed checks are not kept from writing files", file=sys.stderr)
    if show_progress:
        print(f"running the hidden checks of {len(submissions)} submission(s) in the sandbox", file=sys.stderr)
    verdicts = sandboxed_verdicts(submissions, timeout=cell_timeout)
    records = []
    for submission in tqdm(submissions, desc="grading", unit="submission", disable=not show_progress):
        try:
            records.append(grader.grade_one(submission, verdicts.get((submission.student, submission.assignment), {})))
        except Exception as error:  # noqa: BLE001 - one broken submission must not stop the batch
            reason = f"grader error: {type(error).__name__}: {_last_line(str(error))}"
            record = Record(submission.student, submission.assignment, reason=reason)
            record.write(grader.results_dir)
            records.append(record)
    grader.export_csv()
    return records
