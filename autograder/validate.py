"""`validate`: the release gates, each with a name, a check and a message that says how to fix it."""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.layout import (
    HIDDEN_BEGIN,
    SOLUTION_BEGIN,
    WrongImplementation,
    assignment_names,
    wrong_implementations,
)
from autograder.probe import ProbeJob, run_probes
from autograder.release import release_all, stale_shared_solutions
from autograder.settings import ASSIGNMENTS, SOLUTIONS


@dataclass(frozen=True)
class Gate:
    name: str
    fix: str
    problems: Callable[[], list[str]]  # empty when the gate passes


def _tree_differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two folders (missing on either side or different bytes)."""
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", ".ipynb_checkpoints"])
    problems = [f"only in {left.name}: {n}" for n in comparison.left_only]
    problems += [f"only in {right.name}: {n}" for n in comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    problems += [f"differs: {n}" for n in mismatch + errors]
    for sub in comparison.common_dirs:
        problems += [f"{sub}/{p}" for p in _tree_differences(left / sub, right / sub)]
    return problems


def release_in_sync() -> list[str]:
    stale = [f"stale generated copy: solutions/{rel}" for rel in stale_shared_solutions()]
    if stale:
        return stale
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "assignments"
        release_all(fresh)
        return _tree_differences(fresh, ASSIGNMENTS)


def release_has_no_solutions() -> list[str]:
    return [
        str(path.relative_to(ASSIGNMENTS))
        for path in sorted(ASSIGNMENTS.rglob("*"))
        if path.is_file()
        and path.suffix in {".py", ".ipynb"}
        and any(marker in path.read_text(encoding="utf-8") for marker in (SOLUTION_BEGIN, HIDDEN_BEGIN))
    ]


def probe_problems(root: Path, want_pass: bool) -> list[str]:
    problems = []
    names = assignment_names()
    for name, report in zip(names, run_probes([ProbeJob(root / name, name) for name in names]), strict=True):
        if not report["local"]:
            problems.append(f"{name}: no local test ran")
        problems += [f"{name}: local {t}" for t, ok in report["local"].items() if ok != want_pass]
        problems += [f"{name}: hidden {g}" for g, v in report["hidden"].items() if v["passed"] != want_pass]
    return problems


def _catchers(wrong: WrongImplementation) -> tuple[list[str], list[str]]:
    """A fixture's catchers split into local test names and hidden grade_ids."""
    tests = [c for c in wrong.catches if c.startswith("test_")]
    return tests, [c for c in wrong.catches if not c.startswith("test_")]


def all_wrong_implementation_survivors(
    assignment: str, wrongs: list[WrongImplementation] | None = None
) -> dict[str, list[str]]:
    """For each fixture id, the catchers (local tests and grade_ids) that did NOT fail on it.

    Each fixture is appended to its own copy of the solution; all copies are probed from one process.
    """
    wrongs = wrong_implementations(assignment) if wrongs is None else wrongs
    with tempfile.TemporaryDirectory() as scratch:
        jobs = []
        for index, wrong in enumerate(wrongs):
            folder = Path(scratch) / str(index) / assignment
            shutil.copytree(SOLUTIONS / assignment, folder, ignore=shutil.ignore_patterns("__pycache__"))
            with (folder / wrong.module).open("a", encoding="utf-8") as handle:
                handle.write("\n\n" + wrong.code.strip() + "\n")
            tests, checks = _catchers(wrong)
            jobs.append(ProbeJob(folder, assignment, tests, checks))
        reports = run_probes(jobs)
    survivors = {}
    for wrong, report in zip(wrongs, reports, strict=True):
        tests, checks = _catchers(wrong)
        # A catcher that did not run (crash, timeout) counts as surviving: the gate must not pass by accident.
        survivors[wrong.id] = [t for t in tests if report["local"].get(t, True)] + [
            g for g in checks if report["hidden"].get(g, {"passed": True})["passed"]
        ]
    return survivors


def wrong_implementation_survivors(assignment: str, wrong: WrongImplementation) -> list[str]:
    """The catchers (local tests and grade_ids) that did NOT fail on one wrong implementation."""
    return all_wrong_implementation_survivors(assignment, [wrong])[wrong.id]


def wrong_implementations_lose_points() -> list[str]:
    problems = []
    for name in assignment_names():
        for wrong_id, survivors in all_wrong_implementation_survivors(name).items():
            problems += [f"{name} {wrong_id}: {c} passed" for c in survivors]
    return problems


GATES = (
    Gate("release-in-sync", "run `python -m autograder release` and commit assignments/", release_in_sync),
    Gate(
        "no-solutions-in-release",
        "put solution code between markers in solutions/ and release again",
        release_has_no_solutions,
    ),
    Gate(
        "solutions-full-marks",
        "fix the solution (or the check) named above",
        lambda: probe_problems(SOLUTIONS, want_pass=True),
    ),
    Gate(
        "stubs-score-zero",
        "a test or check that passes on the stub cannot fail: make it exercise the code",
        lambda: probe_problems(ASSIGNMENTS, want_pass=False),
    ),
    Gate(
        "wrong-implementations-lose-points",
        "strengthen the named test or check until the fixture fails it",
        wrong_implementations_lose_points,
    ),
)


def run_gates(names: list[str] | None = None) -> bool:
    """Run the gates (all, or the named ones), print PASS/FAIL lines, and return whether all passed."""
    selected = [g for g in GATES if not names or g.name in names]
    ok = True
    for gate in selected:
        problems = gate.problems()
        print(f"{'PASS' if not problems else 'FAIL'} {gate.name}")
        for problem in problems[:20]:
            print(f"     {problem}")
        if problems:
            print(f"     fix: {gate.fix}")
            ok = False
    return ok
