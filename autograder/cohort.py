"""The bundled sample cohort: synthetic students generated from the release, the solutions and the
wrong-implementation fixtures (so it never drifts from them), written to `grading/submitted/`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.cohort_own_work import OTHER_OWN_SOLUTION, OWN_SOLUTION, fill_in, renamed
from autograder.course import open_gradebook
from autograder.layout import notebook_path, student_modules, wrong_implementations
from autograder.release import remove_solution_markers
from autograder.settings import ASSIGNMENTS, GRADING, SOLUTIONS

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class SampleStudent:
    name: str
    assignment: str
    edits: tuple[Edit, ...]  # applied in order to a copy of the released assignment
    story: str  # what this student demonstrates


def solve_modules(folder: Path) -> None:
    """Replace every stub module with the solution's code."""
    for rel in student_modules(SOLUTIONS / folder.name):
        source = (SOLUTIONS / folder.name / rel).read_text(encoding="utf-8")
        (folder / rel).write_text(remove_solution_markers(source), encoding="utf-8")


def answer_questions(folder: Path) -> None:
    """Write a short answer into every written-answer cell."""
    path = notebook_path(folder)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown":
            cell.source = (
                "My answer: the step shrinks the parameters by (1 - lr * weight_decay) before the gradient step."
            )
    nbformat.write(nb, path)


def append_code(module: str, code: str) -> Edit:
    """Append ``code`` to one of the student's modules (it redefines a function)."""

    def edit(folder: Path) -> None:
        with (folder / module).open("a", encoding="utf-8") as handle:
            handle.write("\n\n" + code.strip() + "\n")

    return edit


def wrong_fixture(assignment: str, fixture_id: str) -> Edit:
    """Apply one wrong implementation kept under tests/wrong_implementations/."""

    def edit(folder: Path) -> None:
        wrong = next(w for w in wrong_implementations(assignment) if w.id == fixture_id)
        append_code(wrong.module, wrong.code)(folder)

    return edit


def break_notebook_json(folder: Path) -> None:
    path = notebook_path(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def ship_fake_grader(folder: Path) -> None:
    """Hostile: bring `autograder/` and `utils/` copies whose checks always pass."""
    (folder / "autograder" / "checks").mkdir(parents=True)
    (folder / "autograder" / "__init__.py").write_text("")
    (folder / "autograder" / "checks" / "__init__.py").write_text("")
    (folder / "autograder" / "checks" / "a01_gradient_descent.py").write_text(
        "class _Pass:\n    def require(self, student):\n        pass\n\n"
        "class _All(dict):\n    def __missing__(self, key):\n        return _Pass()\n\nCHECKS = _All()\n"
    )
    (folder / "utils").mkdir()
    (folder / "utils" / "__init__.py").write_text("")
    (folder / "utils" / "testing.py").write_text(
        "def check(*a, **k):\n    pass\n\ncheck_close = check_rel_error = check_raises = check\n"
    )


A01 = "01_gradient_descent"
A02 = "02_ema_adam"
A03 = "03_mlp_numpy"
A04 = "04_cnn_layers"
A05 = "05_initialization"
A06 = "06_svm_kernels"
A07 = "07_rnn_lstm"
INFINITE_GD_STEP = """
def gd_step(x, grad, lr, weight_decay=0.0):
    while True:  # a student's loop that never ends
        pass
"""
NOISY_GD_STEP = """
import sys as _sys

_quiet_gd_step = gd_step


def gd_step(x, grad, lr, weight_decay=0.0):
    print("warning: gd_step is running", file=_sys.stderr)
    return _quiet_gd_step(x, grad, lr, weight_decay)
"""
# Hostile: in the student's kernel every visible and hidden check passes, however it was imported.
FOOL_THE_CHECKS = """
import numpy as _np
import torch as _torch
import utils.testing as _testing
from autograder.checks import _base as _checks_base


def _always(*args, **kwargs):
    return None


for _helper in (_testing.check, _testing.check_close, _testing.check_rel_error, _testing.check_raises):
    _helper.__code__ = _always.__code__
_checks_base.Verdict.require = _always
_np.allclose = _torch.allclose = lambda *args, **kwargs: True
"""
# Hostile: from wherever the module is imported, append to the gradebook and the hidden checks and drop a file
# into every student's folder it can find (a comment line, so a failed defence leaves the checks valid Python).
VANDALIZE = """
import pathlib as _pathlib


def _vandalize():
    import autograder.checks as _checks

    targets = [_pathlib.Path(_checks.__file__).parent / "a01_gradient_descent.py"]
    for parent in _pathlib.Path.cwd().resolve().parents:
        if (parent / "gradebook.db").exists():
            targets.append(parent / "gradebook.db")
            targets += [folder / "VANDALIZED.txt" for folder in parent.glob("*/*/*") if folder.is_dir()]
    for target in targets:
        try:
            with open(target, "a") as handle:
                handle.write("\\n# VANDALIZED\\n")
        except OSError:
            pass


_vandalize()
"""
SOLVED = (solve_modules, answer_questions)

# At most four ordinary students per assignment run in CI (correct, untouched, two wrong), plus, for 01,
# the broken and hostile ones and three for the similarity report.
COHORT: tuple[SampleStudent, ...] = (
    SampleStudent("correct", A01, SOLVED, "every item right"),
    SampleStudent("untouched", A01, (), "the release as handed out"),
    SampleStudent(
        "wrong_in_place",
        A01,
        (*SOLVED, wrong_fixture("01_gradient_descent", "gd_step_in_place")),
        "gd_step edits x in place",
    ),
    SampleStudent(
        "wrong_ripple_sequential",
        A01,
        (*SOLVED, wrong_fixture("01_gradient_descent", "ripple_descent_sequential")),
        "ripple_descent updates y with the new x",
    ),
    SampleStudent(
        "infinite_loop", A01, (*SOLVED, append_code("gradient_descent.py", INFINITE_GD_STEP)), "gd_step never returns"
    ),
    SampleStudent("malformed_notebook", A01, (*SOLVED, break_notebook_json), "the notebook JSON is cut in half"),
    SampleStudent(
        "stderr_warning",
        A01,
        (*SOLVED, append_code("gradient_descent.py", NOISY_GD_STEP)),
        "correct, but prints a warning to stderr",
    ),
    SampleStudent(
        "fake_grader",
        A01,
        (*SOLVED, wrong_fixture("01_gradient_descent", "gd_step_ascent"), ship_fake_grader),
        "wrong gd_step, ships its own autograder/ and utils/ that always pass",
    ),
    SampleStudent(
        "fools_the_checks",
        A01,
        (*SOLVED, wrong_fixture(A01, "gd_step_ascent"), append_code("gradient_descent.py", FOOL_THE_CHECKS)),
        "wrong gd_step; its module makes every check in the kernel pass",
    ),
    SampleStudent(
        "vandal",
        A01,
        (*SOLVED, append_code("gradient_descent.py", VANDALIZE)),
        "correct, but its module writes into the gradebook, the hidden checks and other students' folders",
    ),
    SampleStudent(
        "own_solution", A01, (fill_in(OWN_SOLUTION), answer_questions), "every item right, in their own code"
    ),
    SampleStudent(
        "renamed_copy",
        A01,
        (fill_in(renamed(OWN_SOLUTION)), answer_questions),
        "own_solution's code with its names changed and its whitespace reflowed",
    ),
    SampleStudent(
        "other_own_solution",
        A01,
        (fill_in(OTHER_OWN_SOLUTION), answer_questions),
        "every item right, in code written independently of own_solution's",
    ),
    SampleStudent("correct", A02, SOLVED, "every item right"),
    SampleStudent("untouched", A02, (), "the release as handed out"),
    SampleStudent(
        "wrong_rms_std", A02, (*SOLVED, wrong_fixture(A02, "rms_is_std")), "grad_rms returns the standard deviation"
    ),
    SampleStudent(
        "wrong_adam_out_of_place",
        A02,
        (*SOLVED, wrong_fixture(A02, "adam_out_of_place")),
        "Adam.step rebinds p instead of updating it in place",
    ),
    SampleStudent("correct", A03, SOLVED, "every item right"),
    SampleStudent("untouched", A03, (), "the release as handed out"),
    SampleStudent(
        "wrong_relu_kink", A03, (*SOLVED, wrong_fixture(A03, "w05")), "relu_backward lets the gradient through at 0"
    ),
    SampleStudent(
        "wrong_adam_no_correction", A03, (*SOLVED, wrong_fixture(A03, "w22")), "adam forgets the bias correction"
    ),
    SampleStudent("correct", A04, SOLVED, "every item right"),
    SampleStudent("untouched", A04, (), "the release as handed out"),
    SampleStudent(
        "wrong_pool_last_max",
        A04,
        (*SOLVED, wrong_fixture(A04, "pool_last_max")),
        "max-pool backward breaks ties on the last maximum",
    ),
    SampleStudent(
        "wrong_confusion_transposed",
        A04,
        (*SOLVED, wrong_fixture(A04, "confusion_transposed")),
        "the confusion matrix has predictions as rows",
    ),
    SampleStudent("correct", A05, SOLVED, "every item right"),
    SampleStudent("untouched", A05, (), "the release as handed out"),
    SampleStudent(
        "wrong_he_no_factor_2", A05, (*SOLVED, wrong_fixture(A05, "he_no_factor_2")), "He init without the 2"
    ),
    SampleStudent(
        "wrong_layer_stats_per_unit",
        A05,
        (*SOLVED, wrong_fixture(A05, "std_per_unit")),
        "layer_stats averages the std over units",
    ),
    SampleStudent("correct", A06, SOLVED, "every item right"),
    SampleStudent("untouched", A06, (), "the release as handed out"),
    SampleStudent(
        "wrong_rbf_distance", A06, (*SOLVED, wrong_fixture(A06, "S1")), "RBF on the distance, not its square"
    ),
    SampleStudent(
        "wrong_dual_no_intercept", A06, (*SOLVED, wrong_fixture(A06, "S10a")), "the dual decision function drops b"
    ),
    SampleStudent("correct", A07, SOLVED, "every item right"),
    SampleStudent("untouched", A07, (), "the release as handed out"),
    SampleStudent(
        "wrong_lstm_gate_order", A07, (*SOLVED, wrong_fixture(A07, "R6a")), "the LSTM's gates in Keras order i, f, o, g"
    ),
    SampleStudent(
        "wrong_clip_per_parameter",
        A07,
        (*SOLVED, wrong_fixture(A07, "R17a")),
        "each gradient clipped by its own norm, then the model trained with it",
    ),
)


def forget_sample_students(names: set[str]) -> None:
    """Drop earlier runs' sample students from the gradebook, so a changed release can be recorded again."""
    if not (GRADING / "gradebook.db").exists():
        return
    with open_gradebook() as gb:
        for student in gb.students:
            if student.id in names:
                gb.remove_student(student.id)


def build_cohort(target: Path = GRADING / "submitted", students: tuple[SampleStudent, ...] = COHORT) -> Path:
    """Write every sample student's submission under ``target/<student>/<assignment>/``."""
    forget_sample_students({student.name for student in students})
    if target.exists():
        shutil.rmtree(target)
    for student in students:
        write_submission(student, target / student.name / student.assignment)
    return target


def write_submission(student: SampleStudent, folder: Path) -> Path:
    """The student's submission: a copy of the release with the student's edits applied."""
    shutil.copytree(ASSIGNMENTS / student.assignment, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for edit in student.edits:
        edit(folder)
    return folder
