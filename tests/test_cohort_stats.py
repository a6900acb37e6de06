"""The report's statistics from result records: pass rates, hardest items first, the mistakes grouped across
students, timeouts and ungradable submissions apart."""

from __future__ import annotations

import pytest

from autograder.cohort_stats import NO_HINT, assignment_stats, read_records
from autograder.results import Item, Record

A = "01_gradient_descent"


def _record(student: str, gd_step: float, hint: str = "", reason: str = "", timed_out: bool = False) -> Record:
    return Record(
        student,
        A,
        items=[
            Item("gd_step", gd_step, 1.0, hint=hint, reason=reason, timed_out=timed_out, seconds=0.1),
            Item("run_gd", 2.0, 2.0),
            Item("q1", None, 1.0, reason="needs manual grading", manual=True),
            Item("primal_svm", 0.0, 0.0),
        ],
        seconds=10.0,
    )


@pytest.fixture
def stats():
    records = [
        _record("ada", 1.0),
        _record("bo", 0.0, hint="Hint: New point = x − lr·grad [max abs error 4.7e-01]"),
        _record(
            "cy", 0.0, hint="Hint: New point = x − lr·grad (failed for x of shape (4,), lr 0.1).[max abs error 9.1e+02]"
        ),
        _record("di", 0.0, reason="timed out in cell 'gd_step'", timed_out=True),
        _record("ed", 0.0),
        Record(
            "fay",
            A,
            items=[Item("gd_step", 0.0, 1.0, reason="malformed"), Item("run_gd", 0.0, 2.0)],
            reason="notebook is malformed",
            seconds=1.0,
        ),
    ]
    return assignment_stats(A, records)


def test_totals_and_the_ungradable_are_apart(stats):
    assert stats.totals == {"ada": 3.0, "bo": 2.0, "cy": 2.0, "di": 2.0, "ed": 2.0}
    assert stats.ungradable == {"fay": "notebook is malformed"}
    assert stats.max == 3.0 and stats.submissions == 6


def test_pass_rates_leave_out_ungradable_written_and_zero_point_items(stats):
    shares = {item.grade_id: (item.passed, item.graded) for item in stats.items}
    assert shares == {"gd_step": (1, 5), "run_gd": (5, 5)}


def test_the_hardest_item_comes_first(stats):
    assert [item.grade_id for item in stats.items] == ["gd_step", "run_gd"]


def test_the_same_hint_with_other_figures_is_one_mistake(stats):
    mistakes = stats.items[0].mistakes
    assert mistakes == {"Hint: New point = x − lr·grad": 2, "timed out in cell 'gd_step'": 1, NO_HINT: 1}


def test_timeouts_and_times_are_counted(stats):
    assert stats.timed_out == {"di"} and stats.items[0].timed_out == 1
    assert stats.seconds["fay"] == 1.0 and stats.seconds["ada"] == 10.0


def test_records_are_read_from_the_results_folder_and_a_broken_one_is_named(tmp_path):
    for record in (_record("bo", 0.0), _record("ada", 1.0)):
        record.write(tmp_path)
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / f"{A}.json").write_text('{"student": "cy", "items": [')
    (tmp_path / "di").mkdir()
    (tmp_path / "di" / f"{A}.json").write_text('{"student": "di"}')
    records, unreadable = read_records(tmp_path)
    assert [r.student for r in records] == ["ada", "bo"]
    assert sorted(unreadable) == [f"cy/{A}.json", f"di/{A}.json"]
    assert unreadable[f"cy/{A}.json"].startswith("JSONDecodeError")
