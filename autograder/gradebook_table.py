"""The gradebook as a terminal table: one row per student, one column per assignment, a total, a reason."""

from __future__ import annotations

from collections import defaultdict

from autograder.results import Record


def _fmt(value: float) -> str:
    return f"{value:g}"


def format_gradebook(records: list[Record]) -> str:
    assignments = sorted({r.assignment for r in records})
    by_student: dict[str, dict[str, Record]] = defaultdict(dict)
    for record in records:
        by_student[record.student][record.assignment] = record

    header = ["student", *assignments, "total", "%", "note"]
    rows = []
    for student in sorted(by_student):
        cells, score_sum, max_sum, notes = [], 0.0, 0.0, []
        for name in assignments:
            record = by_student[student].get(name)
            if record is None:
                cells.append("-")
                continue
            score, maximum = record.auto_score()
            score_sum, max_sum = score_sum + score, max_sum + maximum
            cells.append(f"{_fmt(score)}/{_fmt(maximum)}")
            if record.first_reason():
                notes.append(record.first_reason())
        percent = f"{100 * score_sum / max_sum:.0f}" if max_sum else "-"
        rows.append([student, *cells, f"{_fmt(score_sum)}/{_fmt(max_sum)}", percent, "; ".join(notes)[:90]])

    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    manual = sum(item.max for r in records if r.student == (rows[0][0] if rows else "") for item in r.items if item.manual)
    if manual:
        lines.append(f"(autograded points only; written answers, {_fmt(manual)} point(s) per student, "
                     "await manual grading in nbgrader's formgrader)")
    return "\n".join(lines)
