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
            graded = by_student[student].get(name)
            if graded is None:
                cells.append("-")
                continue
            score, maximum = graded.auto_score()
            score_sum, max_sum = score_sum + score, max_sum + maximum
            cells.append(f"{_fmt(score)}/{_fmt(maximum)}")
            if graded.first_reason():
                notes.append(graded.first_reason())
        percent = f"{100 * score_sum / max_sum:.0f}" if max_sum else "-"
        rows.append([student, *cells, f"{_fmt(score_sum)}/{_fmt(max_sum)}", percent, "; ".join(notes)[:90]])

    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    manual = {r.assignment: sum(item.max for item in r.items if item.manual) for r in records}
    if any(manual.values()):
        pending = ", ".join(f"{name} {_fmt(points)}" for name, points in sorted(manual.items()) if points)
        lines.append(
            f"(autograded points only; written answers ({pending} point(s) per student) "
            "are graded by hand in nbgrader's formgrader)"
        )
    return "\n".join(lines)
