"""The result record of one graded submission, read back from nbgrader's gradebook and autograded notebook.

`grading/results/<student>/<assignment>.json` = {"student", "assignment", "items": [{"grade_id", "score",
"max", "hint", "seconds", "timed_out", "reason", "manual"}], "reason", "seconds", "fingerprint"}; the
gradebook table, the cohort report and Gradescope read these records, never the notebooks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook

from autograder.preprocessors import SKIPPED_ENAME, TIMEOUT_ENAME

MANUAL = "needs manual grading"
DELETED = "its cell was deleted from the notebook"


@dataclass
class Item:
    grade_id: str
    score: float | None
    max: float
    hint: str = ""
    seconds: float = 0.0
    timed_out: bool = False
    reason: str = ""
    manual: bool = False  # a written answer, scored by a person in nbgrader's formgrader


@dataclass
class Record:
    student: str
    assignment: str
    items: list[Item] = field(default_factory=list)
    reason: str = ""  # why the submission as a whole could not be graded
    seconds: float = 0.0  # wall time spent grading the submission
    fingerprint: str = ""  # of the submission's files when graded: a changed submission is graded again

    def auto_score(self) -> tuple[float, float]:
        auto = [item for item in self.items if not item.manual]
        return sum(item.score or 0.0 for item in auto), sum(item.max for item in auto)

    def first_reason(self) -> str:
        return self.reason or next((item.reason for item in self.items if item.reason and not item.manual), "")

    def write(self, results_dir: Path) -> Path:
        path = results_dir / self.student / f"{self.assignment}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".json.partial")  # a grader killed mid-write leaves no half record
        partial.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
        partial.replace(path)
        return path

    @classmethod
    def read(cls, path: Path) -> Record:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [Item(**item) for item in data.pop("items")]
        return cls(items=items, **data)


def cell_seconds(cell: NotebookNode) -> float:
    """Execution time nbclient recorded in the cell's metadata (0 if the cell did not run)."""
    timing = cell.metadata.get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return round((end - start).total_seconds(), 3)


def _outcome(cell: NotebookNode) -> tuple[str, bool, str]:
    """(hint, timed_out, reason) read from a graded cell's error output."""
    for output in cell.get("outputs", []):
        if output.output_type != "error":
            continue
        if output.ename == TIMEOUT_ENAME:
            return "", True, output.evalue
        if output.ename == SKIPPED_ENAME:
            return "", False, output.evalue.removeprefix("not run: ")
        return f"{output.ename}: {output.evalue}".removeprefix("AssertionError: "), False, ""
    return "", False, ""


def record_from_gradebook(gb: Gradebook, notebook_path: Path, assignment: str, student: str) -> Record:
    """Scores from the gradebook, hints and times from the autograded notebook, in notebook order."""
    nb = nbformat.read(notebook_path, as_version=4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    record = Record(student, assignment)
    grades = {g.name: g for g in gb.find_submission_notebook(notebook_path.stem, assignment, student).grades}
    for grade_id, cell in cells.items():
        grade = grades.get(grade_id)
        if grade is None:
            continue
        if cell.cell_type == "markdown":
            pending = grade.needs_manual_grade
            record.items.append(
                Item(
                    grade_id,
                    None if pending else grade.score,
                    grade.max_score,
                    reason=MANUAL if pending else "",
                    manual=True,
                )
            )
            continue
        hint, timed_out, reason = _outcome(cell)
        record.items.append(Item(grade_id, grade.score, grade.max_score, hint, cell_seconds(cell), timed_out, reason))
    for grade_id, grade in grades.items():
        if grade_id not in cells:  # the student deleted the cell; nbgrader still holds its grade
            manual = grade.cell.cell_type == "markdown"
            record.items.append(Item(grade_id, grade.score, grade.max_score, reason=DELETED, manual=manual))
    return record


def ungradable_record(gb: Gradebook, notebook_name: str, assignment: str, student: str, reason: str) -> Record:
    """Give every item of a submission nbgrader could not grade a zero in the gradebook, with the reason."""
    record = Record(student, assignment, reason=reason)
    gb.update_or_create_student(student)
    gb.update_or_create_submission(assignment, student)
    for grade in gb.find_submission_notebook(notebook_name, assignment, student).grades:
        grade.auto_score = 0
        grade.needs_manual_grade = False
        manual = grade.cell.cell_type == "markdown"
        record.items.append(Item(grade.name, 0.0, grade.max_score, reason=reason, manual=manual))
    gb.db.commit()
    return record
