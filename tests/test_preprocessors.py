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


def test_feedback_keeps_only_the_plots_of_an_ordinary_cell():
    plot = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    printed = new_output("stream", name="stdout", text="CHECKS = checks(...)  # what student code printed\n")
    cell = new_code_cell("print(open(hidden.__file__).read())", outputs=[printed, plot, _error("boom")])
    FeedbackSanitizer().preprocess_cell(cell, {}, 0)
    assert [dict(o.data) for o in cell.outputs] == [{"image/png": "iVBORw0KGgo="}]


def test_stderr_is_relabelled_so_nbgrader_does_not_zero_the_cell():
    cell = new_code_cell("f()", metadata=GRADED, outputs=[new_output("stream", name="stderr", text="warning\n")])
    StderrAsStdout().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].name == "stdout" and cell.outputs[0].text == "warning\n"
