"""Run an assignment folder's local tests and hidden checks in this (fresh) process and report plain data.

`run_probes(jobs)` is how `validate` and the project's tests judge the solution, the released stubs and each
wrong implementation: one fresh process per batch, which forks one child per folder, because every
assignment reuses module names and a folder's student modules must never leak into the next.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from utils.runtime import limit_threads


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
    """``"module:Name"`` (or a whole ``"module"``) imported from the assignment folder (first on sys.path)."""
    module, _, attribute = target.partition(":")
    imported = importlib.import_module(module)
    return getattr(imported, attribute) if attribute else imported


def hidden_verdicts(folder: Path, assignment: str, grade_ids: list[str] | None) -> dict[str, dict]:
    """Each hidden check's verdict on the student code in ``folder``, as plain data."""
    checks = importlib.import_module(f"autograder.checks.a{assignment}").CHECKS
    sys.path.insert(0, str(folder))
    verdicts = {}
    for grade_id in grade_ids or [g for g, c in checks.items() if not c.notebook_only]:
        check = checks[grade_id]
        try:
            verdict = check.verdict(student_object(check.target))
        except Exception as error:  # noqa: BLE001 - a module that fails to import fails its checks
            verdicts[grade_id] = {"passed": False, "hint": f"could not load {check.target}: {error!r}"}
            continue
        verdicts[grade_id] = {"passed": verdict.passed, "hint": verdict.hint}
    return verdicts


# What student code and local tests import, loaded once before forking.
_PRELOAD = (
    "numpy",
    "scipy.special",
    "sklearn.datasets",
    "sklearn.model_selection",
    "torch",
    "torch._dynamo",  # the first torch optimizer imports it: 2 s
    "matplotlib.pyplot",
)


@dataclass(frozen=True)
class ProbeJob:
    """One folder to probe: ``None`` means all local tests / all hidden checks, ``[]`` means none."""

    folder: Path
    assignment: str
    tests: list[str] | None = None
    checks: list[str] | None = None


def probe(job: ProbeJob) -> dict[str, dict]:
    """Run ``job`` in this process (the caller is a fresh or forked process: student modules get imported)."""
    os.chdir(job.folder)
    return {
        "local": local_test_outcomes(job.folder, job.tests) if job.tests != [] else {},
        "hidden": hidden_verdicts(job.folder, job.assignment, job.checks) if job.checks != [] else {},
    }


def _serve(jobs: list[ProbeJob], out: Path, timeout: float) -> None:
    """Probe each job in a child forked from this process, which has imported the heavy libraries once.

    Forking after the imports makes a job cost only its own tests (about 0.3 s instead of 2.5 s for a
    fresh interpreter), while every job still starts from a process that never imported student code.
    """
    limit_threads(1)  # before torch loads: single-threaded OpenMP is safe to fork
    for module in _PRELOAD:
        importlib.import_module(module)
    for assignment in sorted({job.assignment for job in jobs}):
        importlib.import_module(f"autograder.checks.a{assignment}")
    with tempfile.TemporaryDirectory() as empty:  # loads pytest's plugins (nbval's imports alone take 1–2 s)
        pytest.main([empty, "-q", "-p", "no:cacheprovider"])
    reports = []
    for index, job in enumerate(jobs):
        result = out.with_suffix(f".{index}.json")
        pid = os.fork()
        if pid == 0:  # the child: probe, write, and leave without running the parent's cleanup
            code = 1
            try:
                result.write_text(json.dumps(probe(job)))
                code = 0
            finally:
                os._exit(code)
        reports.append(_await_child(pid, result, timeout))
    out.write_text(json.dumps(reports, indent=1))


def _await_child(pid: int, result: Path, timeout: float) -> dict:
    """The child's report, or an error report if it crashed or ran past ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"local": {}, "hidden": {}, "error": f"timed out after {timeout:.0f} s"}
        time.sleep(0.01)
    if not result.exists():
        return {"local": {}, "hidden": {}, "error": "the probe process died without a report"}
    return json.loads(result.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("jobs", type=Path, help="JSON list of jobs")
    parser.add_argument("out", type=Path)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    jobs = [
        ProbeJob(Path(j["folder"]), j["assignment"], j["tests"], j["checks"]) for j in json.loads(args.jobs.read_text())
    ]
    _serve(jobs, args.out, args.timeout)


def run_probes(jobs: list[ProbeJob], timeout: int = 600) -> list[dict]:
    """Probe every job from one fresh process (one report each, in order); ``timeout`` is per job."""
    if not jobs:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        spec, out = Path(scratch) / "jobs.json", Path(scratch) / "reports.json"
        spec.write_text(json.dumps([{**vars(j), "folder": str(j.folder.resolve())} for j in jobs]))
        command = [sys.executable, "-m", "autograder.probe", str(spec), str(out), "--timeout", str(timeout)]
        env = {**os.environ, "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
        done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
        if not out.exists():
            raise RuntimeError(f"probe failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return json.loads(out.read_text())


def run_probe(
    folder: Path, assignment: str, tests: list[str] | None = None, checks: list[str] | None = None, timeout: int = 600
) -> dict[str, dict]:
    """Probe one folder in a fresh process; ``None`` means all tests / all checks, ``[]`` means none."""
    return run_probes([ProbeJob(folder, assignment, tests, checks)], timeout)[0]


if __name__ == "__main__":
    main()
