"""Broken and hostile submissions, each with the autograded score it must get and the reason it must show.

Each case edits a copy of the release, after the correct student's edits unless it says otherwise (PLATFORM
"Bad and hostile submissions"). The sample cohort of the demo holds six more (`autograder/cohort.py`: an
infinite loop in a module, a malformed notebook, stderr output, a shipped fake grader, a module that fools
every check in its kernel, a module that writes into the gradebook and other students' folders).
Built and graded in one run by `tests/test_hostile.py`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.cohort import SOLVED, Edit, SampleStudent, append_code, wrong_fixture
from autograder.layout import notebook_path

A01 = "01_gradient_descent"
A02 = "02_ema_adam"
A03 = "03_mlp_numpy"


@dataclass(frozen=True)
class HostileCase:
    name: str
    assignment: str
    edits: tuple[Edit, ...]
    score: float  # the autograded score it must get
    reason: str  # a text its record must show (the submission's reason or a failed item's hint or reason)
    story: str

    def student(self) -> SampleStudent:
        return SampleStudent(self.name, self.assignment, self.edits, self.story)


def delete(relative: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / relative).unlink()

    return edit


def edit_module(relative: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def edit_notebook(change: Callable[[nbformat.NotebookNode], None]) -> Edit:
    def edit(folder: Path) -> None:
        path = notebook_path(folder)
        nb = nbformat.read(path, as_version=4)
        change(nb)
        nbformat.write(nb, path)

    return edit


def _graded(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _blank_test_cell(nb: nbformat.NotebookNode) -> None:
    _graded(nb, "gd_step").source = "pass  # the student emptied the locked test cell"


def _delete_test_cell(nb: nbformat.NotebookNode) -> None:
    nb.cells.remove(_graded(nb, "gd_step"))


def _inflate_points(nb: nbformat.NotebookNode) -> None:
    _graded(nb, "gd_step").metadata["nbgrader"]["points"] = 100


def _rename_grade_id(nb: nbformat.NotebookNode) -> None:
    _graded(nb, "gd_step").metadata["nbgrader"]["grade_id"] = "free_points"


def _loop_in_a_new_cell(nb: nbformat.NotebookNode) -> None:
    first_graded = nb.cells.index(_graded(nb, "grad_mean"))
    nb.cells.insert(first_graded, nbformat.v4.new_code_cell("while True:  # the student's own cell\n    pass"))


def _links_and_a_fifo(folder: Path) -> None:
    (folder / "zeros.py").symlink_to("/dev/zero")  # endless to read
    (folder / "everything").symlink_to("/")  # out of the submission
    os.mkfifo(folder / "pipe")  # blocks whoever opens it


def _print_hidden_checks(nb: nbformat.NotebookNode) -> None:
    reader = "import autograder.checks.a01_gradient_descent as hidden\nprint(open(hidden.__file__).read())"
    nb.cells.insert(2, nbformat.v4.new_code_cell(reader))


WRONG_GD_STEP = wrong_fixture(A01, "gd_step_ascent")
PRETENDS_EQUAL = """
class _EqualsAnything(float):
    def __eq__(self, other):
        return True

    __ne__ = lambda self, other: False



def grad_mean(grads):
    return _EqualsAnything(0.0)
"""
LOUD_GRAD_MEAN = """
_quiet_mean = grad_mean


def grad_mean(grads):
    print("x" * 50_000_000)
    return _quiet_mean(grads)
"""
GREEDY_GRAD_RMS = """
import numpy as _np

_modest_rms = grad_rms


def grad_rms(grads):
    _np.ones(2**30)  # 8 GB of float64
    return _modest_rms(grads)
"""

CASES: tuple[HostileCase, ...] = (
    HostileCase("missing_notebook", A01, (*SOLVED, delete(f"{A01}.ipynb")), 0, "is missing", "no notebook"),
    HostileCase(
        "missing_module",
        A02,
        (*SOLVED, delete("ema.py")),
        7,
        "No module named 'ema'",
        "ema.py left out: ema's items fail",
    ),
    HostileCase(
        "syntax_error",
        A02,
        (*SOLVED, append_code("adam.py", "def broken(:\n    pass")),
        5,
        "adam",
        "a syntax error in adam.py: its two items fail",
    ),
    HostileCase(
        "function_renamed",
        A02,
        (*SOLVED, edit_module("grad_stats.py", "def grad_rms(", "def grad_root_mean_square(")),
        9,
        "grad_rms",
        "grad_rms renamed: only its item fails, though the notebook's import of it fails",
    ),
    HostileCase(
        "loop_in_a_cell",
        A02,
        (*SOLVED, edit_notebook(_loop_in_a_new_cell)),
        10,
        "",
        "an added cell loops forever: the cells after it are scored by the sandbox",
    ),
    HostileCase(
        "sys_exit",
        A02,
        (*SOLVED, append_code("grad_stats.py", "import sys\n\n\ndef grad_rms(grads):\n    sys.exit(0)")),
        9,
        "grad_rms",
        "grad_rms calls sys.exit",
    ),
    HostileCase(
        "os_exit",
        A02,
        (*SOLVED, append_code("ema.py", "import os\n\n\ndef ema_series(xs, beta):\n    os._exit(3)")),
        9,
        "its process ended without a report (exit code 3)",
        "ema_series ends the process",
    ),
    HostileCase(
        "segfault",
        A02,
        (*SOLVED, append_code("ema.py", "import ctypes\n\n\ndef ema_series(xs, beta):\n    ctypes.string_at(0)")),
        9,
        "its process ended without a report (killed by SIGSEGV)",
        "ema_series crashes the interpreter",
    ),
    HostileCase(
        "huge_output",
        A02,
        (
            *SOLVED,
            append_code("grad_stats.py", LOUD_GRAD_MEAN),
        ),
        10,
        "",
        "grad_mean prints 50 MB",
    ),
    HostileCase(
        "allocates_8_gb",
        A02,
        (
            *SOLVED,
            append_code("grad_stats.py", GREEDY_GRAD_RMS),
        ),
        9,
        "grad_rms",
        "grad_rms allocates 8 GB",
    ),
    HostileCase(
        "pretends_equal",
        A02,
        (*SOLVED, append_code("grad_stats.py", PRETENDS_EQUAL)),
        9,
        "grad_mean",
        "grad_mean returns an object that equals anything",
    ),
    HostileCase(
        "links_and_fifo",
        A02,
        (*SOLVED, _links_and_a_fifo),
        10,
        "",
        "correct, beside a link to /dev/zero, a link to / and a FIFO: left out of every copy, none hangs grading",
    ),
    HostileCase(
        "blanked_test_cell",
        A01,
        (*SOLVED, WRONG_GD_STEP, edit_notebook(_blank_test_cell)),
        6,
        "Hint:",
        "a wrong gd_step, and the locked test cell emptied: nbgrader restores the cell",
    ),
    HostileCase(
        "deleted_test_cell",
        A01,
        (*SOLVED, edit_notebook(_delete_test_cell)),
        9,
        "",
        "the locked test cell of gd_step deleted: its sandboxed check still grades gd_step",
    ),
    HostileCase(
        "inflated_points",
        A01,
        (*SOLVED, edit_notebook(_inflate_points)),
        9,
        "",
        "a test cell's points raised to 100: nbgrader keeps the recorded points",
    ),
    HostileCase(
        "renamed_grade_id",
        A01,
        (*SOLVED, edit_notebook(_rename_grade_id)),
        9,
        "",
        "a test cell's grade id renamed: the released metadata is restored",
    ),
    HostileCase(
        "reads_hidden_checks",
        A01,
        (*SOLVED, WRONG_GD_STEP, edit_notebook(_print_hidden_checks)),
        6,
        "Hint:",
        "a wrong gd_step and a cell that prints the hidden checks: reading them gains nothing",
    ),
    HostileCase(
        "monkeypatches_torch",
        A03,
        (
            *SOLVED,
            wrong_fixture(A03, "w05"),
            append_code(
                "mlp/layers.py",
                "import numpy.testing as _npt\nimport torch as _torch\n\n"
                "_npt.assert_allclose = lambda *a, **k: None\n_torch.allclose = lambda *a, **k: True\n"
                "_torch.testing.assert_close = lambda *a, **k: None",
            ),
        ),
        17,
        "relu",
        "a wrong relu_backward; its module turns numpy.testing and torch comparisons off (torch fails from_scratch)",
    ),
)
