"""The honest-test gates: solutions pass everything, stubs fail everything, each wrong implementation
fails every test and hidden check that the spec says catches it."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.layout import assignment_names, wrong_implementations
from autograder.settings import ASSIGNMENTS, KIT_ROOT, SOLUTIONS
from autograder.validate import GATES, all_wrong_implementation_survivors, probe_problems

pytestmark = pytest.mark.slow

FIXTURES = [(name, wrong) for name in assignment_names() for wrong in wrong_implementations(name)]


def test_every_gate_has_a_name_and_a_fix():
    assert len({g.name for g in GATES}) == len(GATES)
    assert all(g.fix for g in GATES)


def test_solutions_pass_every_local_test_and_hidden_check():
    assert probe_problems(SOLUTIONS, want_pass=True) == []


def test_released_stubs_fail_every_local_test_and_hidden_check(released):
    assert probe_problems(ASSIGNMENTS, want_pass=False) == []


@pytest.fixture(scope="module")
def survivors():
    """Every fixture's surviving catchers, probed once per assignment (one process each, two at a time)."""
    names = assignment_names()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(all_wrong_implementation_survivors, names), strict=True))


@pytest.mark.parametrize("assignment, wrong", FIXTURES, ids=[f"{a[:2]}-{w.id}" for a, w in FIXTURES])
def test_wrong_implementation_fails_its_catchers(assignment, wrong, survivors):
    assert wrong.catches, "a fixture must name what catches it"
    assert survivors[assignment][wrong.id] == []


def test_validate_command_prints_named_gates_and_exits_zero(released):
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "validate", "release-in-sync", "no-solutions-in-release"],
        cwd=KIT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["PASS release-in-sync", "PASS no-solutions-in-release"]
