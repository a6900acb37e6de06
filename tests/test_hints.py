"""The hint helpers: one line, the hint first, one short fact, never an array."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.checks._base import Check, Verdict, judged, student_error
from utils.testing import check, check_close, check_raises, check_rel_error, pick_hint


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as failure:
        fn(*args, **kwargs)
    message = str(failure.value)
    assert message.startswith("Hint: ") and "\n" not in message
    return message


def test_check_close_reports_the_largest_error_not_the_array():
    message = _message(check_close, np.zeros(1000), np.full(1000, 0.031), "step the other way", atol=1e-6)
    assert message == "Hint: step the other way [max abs error 3.1e-02]"


def test_check_close_reports_a_shape_mismatch():
    message = _message(check_close, torch.zeros(4, 6), np.zeros((4, 5)), "keep the batch axis")
    assert message.endswith("[shape (4, 6), expected (4, 5)]")


def test_check_close_accepts_tensors_and_scalars_within_tolerance():
    check_close(torch.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-7], "unused", atol=1e-6)
    check_close(3.0, 3.0, "unused")


def test_check_close_rejects_a_non_number():
    assert "expected numbers" in _message(check_close, np.array(["a"]), np.array([1.0]), "return numbers")


def test_check_rel_error_and_raises_and_check():
    assert "relative error" in _message(check_rel_error, [1.0], [2.0], 1e-7, "gradient off")
    assert _message(check_raises, ValueError, "validate A", lambda: None).endswith("[no ValueError raised]")
    assert "raised KeyError" in _message(check_raises, ValueError, "validate A", lambda: {}["x"])
    assert _message(check, False, "plain") == "Hint: plain"


def test_pick_hint_names_the_anticipated_mistake():
    wrong = [(np.array([1.0, 2.0]), "ascent"), (np.array([0.0, 0.0]), "no step")]
    assert pick_hint(np.array([0.0, 1e-9]), wrong, "other") == "no step"
    assert pick_hint(np.array([5.0, 5.0]), wrong, "other") == "other"


def test_a_check_is_two_halves_and_the_first_failing_seed_decides():
    def run(student, seed):
        try:
            return {"value": float(student(seed))}
        except Exception as error:  # noqa: BLE001
            return student_error("double", error)

    @judged
    def judge(data, seed):
        check_close(data["value"], 2 * seed, "return twice the input")

    double = Check(run, judge, "double", "m:double", seeds=lambda _: [1, 2, 3])
    assert double.verdict(lambda s: 2 * s) == Verdict(True)
    assert not double.verdict(lambda s: s).passed
    verdict = double.verdict(lambda s: (_ for _ in ()).throw(NotImplementedError))
    assert verdict.hint == "Hint: implement double first."
    with pytest.raises(AssertionError, match="implement double first"):
        verdict.require()
