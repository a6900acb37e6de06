"""Run an assignment folder's local tests and hidden checks in this (fresh) process and report plain data.

`python -m autograder.probe FOLDER ASSIGNMENT OUT.json [--tests NAME ...] [--checks GRADE_ID ...]`
is how `validate` and the project's tests judge the solution, the released stubs and each wrong
implementation: one process per folder, because every assignment reuses module names.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest


class _Outcomes:
    """pytest plugin: the outcome of every test that ran (name -> passed)."""

    def __init__(self) -> None:
        self.passed: dict[str, bool] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = report.nodeid.rsplit("::", 1)[-1]
        if report.when == "call" or report.outcome == "failed":
            self.passed[name] = self.passed.get(name, True) and report.outcome == "passed"


def local_test_outcomes(folder: Path, names: list[str] | None) -> dict[str, bool]:
    """Run ``folder/tests`` (only ``names`` when given) and return each test's outcome."""
    outcomes = _Outcomes()
    args = [str(folder / "tests"), "-q", "-p", "no:cacheprovider", f"--rootdir={folder}"]
    if names:
        args += ["-k", " or ".join(names)]
    pytest.main(args, plugins=[outcomes])
    return outcomes.passed


def student_object(target: str) -> Any:
    """``"module:Name"`` imported from the assignment folder (the first entry of sys.path)."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def hidden_verdicts(folder: Path, assignment: str, grade_ids: list[str] | None) -> dict[str, dict]:
    """Each hidden check's verdict on the student code in ``folder``, as plain data."""
    checks = importlib.import_module(f"autograder.checks.a{assignment}").CHECKS
    sys.path.insert(0, str(folder))
    verdicts = {}
    for grade_id in grade_ids or list(checks):
        check = checks[grade_id]
        try:
            verdict = check.verdict(student_object(check.target))
        except Exception as error:  # noqa: BLE001 - a module that fails to import fails its checks
            verdicts[grade_id] = {"passed": False, "hint": f"could not load {check.target}: {error!r}"}
            continue
        verdicts[grade_id] = {"passed": verdict.passed, "hint": verdict.hint}
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("assignment")
    parser.add_argument("out", type=Path)
    parser.add_argument("--tests", nargs="*", default=None)
    parser.add_argument("--checks", nargs="*", default=None)
    args = parser.parse_args()
    os.chdir(args.folder)
    report = {
        "local": local_test_outcomes(args.folder, args.tests) if args.tests != [] else {},
        "hidden": hidden_verdicts(args.folder, args.assignment, args.checks) if args.checks != [] else {},
    }
    args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()


def run_probe(
    folder: Path, assignment: str, tests: list[str] | None = None, checks: list[str] | None = None, timeout: int = 600
) -> dict[str, dict]:
    """Probe ``folder`` in a fresh process; ``None`` means all tests / all checks, ``[]`` means none."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "probe.json"
        command = [sys.executable, "-m", "autograder.probe", str(folder), assignment, str(out)]
        if tests is not None:
            command += ["--tests", *tests]
        if checks is not None:
            command += ["--checks", *checks]
        env = {**os.environ, "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)
        if not out.exists():
            raise RuntimeError(f"probe of {folder} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return json.loads(out.read_text())
