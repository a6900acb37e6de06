"""What the cohort's result records say, per assignment: totals, each autograded item's pass rate and its most
common hints, grading times and timeouts, and the submissions that could not be graded. Pure functions of the
records (`grading/results/<student>/<assignment>.json`); the report draws and prints them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.results import Record

NO_HINT = "failed without a hint"
# "… [max abs error 4.4e+06]" and "… (failed for x of shape (4,), …)": the figures and the failing input differ
# from student to student (hidden inputs are drawn per seed), the mistake is the same.
_FIGURES = re.compile(r"\s*\[[^\]]*\]\s*$")
_FAILING_INPUT = " (failed for "


@dataclass
class ItemStats:
    assignment: str
    grade_id: str
    max: float
    graded: int = 0  # submissions in which the item was scored
    passed: int = 0  # ... with full marks
    timed_out: int = 0
    mistakes: Counter[str] = field(default_factory=Counter)  # hint (or reason) shown -> students

    @property
    def pass_share(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass
class AssignmentStats:
    name: str
    max: float  # autograded points
    totals: dict[str, float] = field(default_factory=dict)  # student -> autograded score, gradable submissions
    ungradable: dict[str, str] = field(default_factory=dict)  # student -> why
    seconds: dict[str, float] = field(default_factory=dict)  # student -> wall time of grading
    timed_out: set[str] = field(default_factory=set)  # students with at least one item timed out
    items: list[ItemStats] = field(default_factory=list)  # hardest first

    @property
    def percents(self) -> list[float]:
        """Each gradable submission's autograded total as a percentage of the points."""
        return [100 * total / self.max for total in self.totals.values()] if self.max else []

    @property
    def submissions(self) -> int:
        return len(self.totals) + len(self.ungradable)


def read_records(results: Path) -> tuple[list[Record], dict[str, str]]:
    """Every record under ``results`` (``<student>/<assignment>.json``), by assignment then student, and each
    record that could not be read (relative path -> why): the report shows those and goes on."""
    records, unreadable = [], {}
    for path in sorted(results.glob("*/*.json")):
        try:
            records.append(Record.read(path))
        except (OSError, ValueError, TypeError, KeyError) as error:
            unreadable[path.relative_to(results).as_posix()] = f"{type(error).__name__}: {error}"[:200]
    return sorted(records, key=lambda r: (r.assignment, r.student)), unreadable


def mistake(item_hint: str, item_reason: str) -> str:
    """The text a failed item showed its student, with per-student figures dropped."""
    text = (item_hint or item_reason).split(_FAILING_INPUT, 1)[0]
    return _FIGURES.sub("", text).strip() or NO_HINT


def assignment_stats(name: str, records: list[Record]) -> AssignmentStats:
    """Statistics of one assignment's records. An ungradable submission counts in no item's pass rate."""
    auto_max = max((r.auto_score()[1] for r in records), default=0.0)
    stats = AssignmentStats(name, auto_max)
    items: dict[str, ItemStats] = {}
    for record in records:
        stats.seconds[record.student] = record.seconds
        if record.reason:
            stats.ungradable[record.student] = record.reason
            continue
        stats.totals[record.student] = record.auto_score()[0]
        for item in record.items:
            if item.manual or item.max <= 0:  # written answers are graded by people; optional items carry 0
                continue
            entry = items.setdefault(item.grade_id, ItemStats(name, item.grade_id, item.max))
            entry.graded += 1
            if item.timed_out:
                entry.timed_out += 1
                stats.timed_out.add(record.student)
            if (item.score or 0.0) >= item.max:
                entry.passed += 1
            else:
                entry.mistakes[mistake(item.hint, item.reason)] += 1
    stats.items = sorted(items.values(), key=lambda i: (i.pass_share, i.grade_id))
    return stats


def cohort_stats(records: list[Record]) -> list[AssignmentStats]:
    by_assignment: dict[str, list[Record]] = {}
    for record in records:
        by_assignment.setdefault(record.assignment, []).append(record)
    return [assignment_stats(name, group) for name, group in sorted(by_assignment.items())]
