"""The gradebook as one CSV row per student, for spreadsheets and LMS imports: nbgrader's identity columns, each
assignment's total, then each autograded item's score as `<assignment>/<grade_id>`.

An nbgrader export plugin, so `nbgrader export --exporter=autograder.grades_export.PerStudentCsvExportPlugin`
writes the same file. Scores are the gradebook's (a written answer graded by hand in the formgrader counts in
its assignment's total); a total is net of nbgrader's late penalty; no submission scores 0, as in nbgrader's
own CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

IDENTITY = ["student_id", "last_name", "first_name", "email"]


def _autograded_items(gradebook: Gradebook, assignment: str) -> list[str]:
    """grade_ids of the assignment's autograded cells (code cells that carry points), in notebook order."""
    return [
        cell.name
        for notebook in gradebook.find_assignment(assignment).notebooks
        for cell in notebook.grade_cells
        if cell.cell_type == "code"
    ]


def _scores(gradebook: Gradebook, assignment: str, student: str, items: list[str]) -> list[float]:
    """The assignment's total, then one score per item; zeros when the student submitted nothing."""
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return [0.0] * (1 + len(items))
    grades = {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}
    total = max(0.0, submission.score - (submission.late_submission_penalty or 0.0))
    return [total, *(grades.get(item, 0.0) for item in items)]


class PerStudentCsvExportPlugin(ExportPlugin):
    """One row per student, one column per assignment total and per autograded item."""

    def export(self, gradebook: Gradebook) -> None:
        destination = Path(self.to or "grades_per_student.csv")
        assignments = sorted(a.name for a in gradebook.assignments if not self.assignment or a.name in self.assignment)
        students = sorted(
            (s for s in gradebook.students if not self.student or s.id in self.student), key=lambda s: s.id
        )
        items = {name: _autograded_items(gradebook, name) for name in assignments}
        header = [*IDENTITY, *assignments, *(f"{name}/{item}" for name in assignments for item in items[name])]
        rows = []
        for student in students:
            scores = {name: _scores(gradebook, name, student.id, items[name]) for name in assignments}
            totals = [scores[name][0] for name in assignments]
            per_item = [score for name in assignments for score in scores[name][1:]]
            identity = [student.id, student.last_name or "", student.first_name or "", student.email or ""]
            rows.append([*identity, *(f"{value:g}" for value in totals + per_item)])
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        self.log.info("Exported one row per student to %s", destination)
