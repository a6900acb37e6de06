"""nbgrader preprocessors the kit adds: one step, one class, configured in nbgrader_config.py."""

from __future__ import annotations

import math
from time import monotonic
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

TIMEOUT_ENAME = "CellTimeoutError"
SKIPPED_ENAME = "NotRun"


def cell_label(cell: NotebookNode, index: int) -> str:
    """How a reason names a cell: its grade_id, else its id, else its position."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell '{grade_id or cell.get('id') or index}'"


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class BudgetedExecute(Execute):
    """nbgrader's Execute with a time budget per submission as well as per cell.

    After the first timeout (or a dead kernel) the remaining code cells are not run: each gets an error
    output naming the cell that timed out, so an infinite loop costs one timeout, not one per cell.
    """

    submission_timeout = Integer(300, help="Seconds for the whole notebook").tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout_func = self._cell_timeout

    def _cell_timeout(self, cell: NotebookNode) -> int:
        remaining = self._deadline - monotonic()
        return max(1, math.ceil(min(self.timeout, remaining)))

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        self._deadline = monotonic() + self.submission_timeout
        self._stop_reason = ""
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if cell.cell_type != "code":
            return cell, resources
        if self._stop_reason:
            cell.outputs = [error_output(SKIPPED_ENAME, f"not run: {self._stop_reason}")]
            return cell, resources
        if self._deadline - monotonic() <= 0:
            self._stop_reason = "the notebook ran out of time"
            return self.preprocess_cell(cell, resources, index)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except CellTimeoutError:
            cell.outputs.append(error_output(TIMEOUT_ENAME, ""))
        except DeadKernelError:
            self._stop_reason = f"the kernel died in {cell_label(cell, index)}"
            cell.outputs.append(error_output("DeadKernelError", self._stop_reason))
            return cell, resources
        if any(out.get("ename") == TIMEOUT_ENAME for out in cell.outputs):
            self._stop_reason = f"timed out in {cell_label(cell, index)}"
            cell.outputs = [error_output(TIMEOUT_ENAME, self._stop_reason)]
        return cell, resources


class StderrAsStdout(NbGraderPreprocessor):
    """Relabel stderr as stdout: nbgrader zeroes a graded cell on any stderr, so a correct function
    that prints a warning would lose its points. The text stays visible in the feedback."""

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stderr":
                output.name = "stdout"
        return cell, resources


class FeedbackSanitizer(NbGraderPreprocessor):
    """What a student may see of a graded run.

    Autograded cells keep only their verdict (the hint of a failed check): their printed output may
    come from student code called on hidden inputs. Every other code cell keeps only its pictures (plots):
    its text may be anything student code printed while it ran beside the grader, the hidden checks' source
    included. Every traceback is cut to its last line, so no frame of `autograder/` and no hidden-test source
    reaches the page.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if cell.cell_type != "code":
            return cell, resources
        if is_grade(cell) and not is_solution(cell):
            cell.outputs = [out for out in cell.outputs if out.output_type == "error"]
            for output in cell.outputs:
                output.traceback = [f"{output.ename}: {output.evalue}"]
        else:
            cell.outputs = [_pictures_only(out) for out in cell.outputs if _has_picture(out)]
        return cell, resources


def _has_picture(output: NotebookNode) -> bool:
    return any(mime.startswith("image/") for mime in output.get("data", {}))


def _pictures_only(output: NotebookNode) -> NotebookNode:
    output.data = {mime: value for mime, value in output.data.items() if mime.startswith("image/")}
    return output
