"""The nbgrader steps the kit adds, on hand-made cells."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_output

from autograder.preprocessors import FeedbackSanitizer, StderrAsStdout

GRADED = {"nbgrader": {"grade": True, "solution": False, "grade_id": "gd_step", "points": 1, "locked": True}}


def _error(evalue: str):
    return new_output(
        "error",
        ename="AssertionError",
        evalue=evalue,
        traceback=['File "/kit/autograder/checks/_base.py", line 80', f"AssertionError: {evalue}"],
    )


def test_feedback_keeps_only_the_verdict_of_a_graded_cell():
    cell = new_code_cell(
        "CHECKS['gd_step'].require(gd_step)",
        metadata=GRADED,
        outputs=[
            new_output("stream", name="stdout", text="hidden input: [0.123, 4.56]\n"),
            _error("Hint: move against the gradient"),
        ],
    )
    FeedbackSanitizer().preprocess_cell(cell, {}, 0)
    assert [o.output_type for o in cell.outputs] == ["error"]
    assert cell.outputs[0].traceback == ["AssertionError: Hint: move against the gradient"]


def test_feedback_keeps_the_output_of_an_ordinary_cell_but_cuts_its_traceback():
    cell = new_code_cell(
        "gd_step(x0, g, 0.1)", outputs=[new_output("stream", name="stdout", text="tensor([1., 2.])\n"), _error("boom")]
    )
    FeedbackSanitizer().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text == "tensor([1., 2.])\n"
    assert cell.outputs[1].traceback == ["AssertionError: boom"]


def test_stderr_is_relabelled_so_nbgrader_does_not_zero_the_cell():
    cell = new_code_cell("f()", metadata=GRADED, outputs=[new_output("stream", name="stderr", text="warning\n")])
    StderrAsStdout().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].name == "stdout" and cell.outputs[0].text == "warning\n"
