"""Release: module solutions stripped to the stub, assignments/ in sync and byte-stable, the student bundle."""

from __future__ import annotations

import textwrap
import zipfile

import pytest

from autograder.layout import exclude_overwriting
from autograder.release import bundle_names, remove_solution_markers, strip_module_solutions
from autograder.validate import release_has_no_solutions, release_in_sync

MODULE = textwrap.dedent('''
    import numpy as np


    def double(x):
        """Return 2 * x.

        Shapes: x (N,) -> (N,).
        """
        ### BEGIN SOLUTION
        y = 2 * x
        return y
        ### END SOLUTION


    class Thing:
        def step(self):
            """One step."""
            ### BEGIN SOLUTION
            if True:
                pass
            ### END SOLUTION
''')


def test_strip_replaces_each_body_by_the_stub_at_its_indentation():
    stripped = strip_module_solutions(MODULE)
    assert "y = 2 * x" not in stripped and "if True" not in stripped
    assert '    Shapes: x (N,) -> (N,).\n    """\n    raise NotImplementedError\n' in stripped
    assert '"""One step."""\n        raise NotImplementedError\n' in stripped
    assert stripped.count("raise NotImplementedError") == 2
    compile(stripped, "stub.py", "exec")


def test_strip_leaves_a_module_without_markers_unchanged():
    assert strip_module_solutions("x = 1\n\n\ndef f():\n    return x\n") == "x = 1\n\n\ndef f():\n    return x\n"


@pytest.mark.parametrize(
    "broken",
    [
        "### BEGIN SOLUTION\nx = 1\n",
        "x = 1\n### END SOLUTION\n",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n",
    ],
)
def test_unbalanced_markers_are_an_error(broken):
    with pytest.raises(ValueError):
        strip_module_solutions(broken)


def test_remove_markers_keeps_the_solution_code():
    solved = remove_solution_markers(MODULE)
    assert "BEGIN SOLUTION" not in solved and "y = 2 * x" in solved
    compile(solved, "solved.py", "exec")


def test_every_student_module_is_protected_from_overwriting():
    assert exclude_overwriting()["01_gradient_descent"] == ["gradient_descent.py", "ripple.py"]


def test_release_is_in_sync_and_byte_stable(released):
    assert release_in_sync() == []


def test_release_holds_no_solution_or_hidden_test(released):
    assert release_has_no_solutions() == []


def test_released_stub_bodies_are_exactly_raise_not_implemented(released):
    stubs = {
        name: (released / "01_gradient_descent" / name).read_text() for name in ("gradient_descent.py", "ripple.py")
    }
    assert not any("### BEGIN" in stub for stub in stubs.values())
    # gd_step, run_gd, SimpleGradientDescent.step, critical_learning_rate; ripple_grad, ripple_descent
    assert [stub.count("raise NotImplementedError\n") for stub in stubs.values()] == [4, 2]


def test_student_bundle_holds_only_what_students_get(bundle):
    names = set(zipfile.ZipFile(bundle).namelist())
    tops = {n.split("/")[1] for n in names}
    assert tops == {"assignments", "utils", "pyproject.toml", "requirements.txt", "README.md"}
    assert "student/assignments/01_gradient_descent/01_gradient_descent.ipynb" in names
    assert "student/assignments/01_gradient_descent/tests/test_gradient_descent.py" in names


def test_bundle_refuses_04_without_03(monkeypatch):
    monkeypatch.setattr("autograder.release.assignment_names", lambda: ["03_mlp_numpy", "04_cnn_layers"])
    monkeypatch.setattr("autograder.release.resolve_assignment", lambda n: {"04": "04_cnn_layers"}.get(n, n))
    with pytest.raises(SystemExit, match="04 without 03"):
        bundle_names(["04"])
