"""Run an assignment folder's local tests and hidden checks in this (fresh) process and report plain data.

`run_probes(jobs)` is how `validate` and the project's tests judge the solution, the released stubs and each
wrong implementation: one fresh process per batch, which forks one child per folder, because every
assignment reuses module names and a folder's student modules must never leak into the next.

A *sandboxed* job is how `grade` runs a submission's hidden checks: its child confines itself
(`autograder.sandbox.confine`) before it imports student code, runs only the ``run`` half of each check and
reports that plain data; the grader judges it in its own process, which never imports student code.
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

from autograder.checks._base import Check
from autograder.sandbox import confine, to_plain
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


def module_checks(assignment: str) -> dict[str, Check]:
    """The hidden checks of ``assignment`` that run on its modules (every one but the notebook-only ones)."""
    checks = importlib.import_module(f"autograder.checks.a{assignment}").CHECKS
    return {grade_id: check for grade_id, check in checks.items() if not check.notebook_only}


def _checks_on(folder: Path, assignment: str, grade_ids: list[str] | None) -> list[Check]:
    """The checks to run (``None``: every module check), with ``folder``'s student code first on sys.path."""
    checks = module_checks(assignment)
    sys.path.insert(0, str(folder))
    return [checks[grade_id] for grade_id in grade_ids or checks]


def hidden_verdicts(folder: Path, assignment: str, grade_ids: list[str] | None) -> dict[str, dict]:
    """Each hidden check's verdict on the student code in ``folder``, as plain data."""
    verdicts = {}
    for check in _checks_on(folder, assignment, grade_ids):
        try:
            verdict = check.verdict(student_object(check.target))
        except Exception as error:  # noqa: BLE001 - a module that fails to import fails its checks
            verdicts[check.name] = {"passed": False, "hint": f"could not load {check.target}: {error!r}"}
            continue
        verdicts[check.name] = {"passed": verdict.passed, "hint": verdict.hint}
    return verdicts


def hidden_runs(folder: Path, assignment: str, grade_ids: list[str] | None) -> dict[str, dict]:
    """Each hidden check's ``run`` half on the student code in ``folder``: {"runs": [[seed, data], ...]} per
    grade_id, or {"error": why} when the student code could not be loaded or a run raised."""
    runs: dict[str, dict] = {}
    for check in _checks_on(folder, assignment, grade_ids):
        try:
            student = student_object(check.target)
        except BaseException as error:  # noqa: BLE001 - SystemExit too: a module that fails to import fails its checks
            runs[check.name] = {"error": f"could not load {check.target}: {type(error).__name__}: {error}"[:300]}
            continue
        try:
            runs[check.name] = {
                "runs": [[seed, to_plain(check.run(student, seed))] for seed in check.seeds(check.name)]
            }
        except BaseException as error:  # noqa: BLE001 - run halves catch student errors; this is what escaped
            runs[check.name] = {"error": f"{type(error).__name__}: {error}"[:300]}
    return runs


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
    sandboxed: bool = False  # run halves only, in a confined child that may write only in ``folder``

    def report_path(self, scratch: Path, index: int) -> Path:
        """Where the child writes its report: inside ``folder`` when sandboxed, since it may write nowhere else."""
        return self.folder / f".probe-report-{index}.json" if self.sandboxed else scratch / f"report.{index}.json"


def probe(job: ProbeJob) -> dict[str, dict]:
    """Run ``job`` in this process (the caller is a fresh or forked process: student modules get imported)."""
    os.chdir(job.folder)
    if job.sandboxed:
        _quiet_and_confined(job.folder)
        return {"runs": hidden_runs(job.folder, job.assignment, job.checks)}
    return {
        "local": local_test_outcomes(job.folder, job.tests) if job.tests != [] else {},
        "hidden": hidden_verdicts(job.folder, job.assignment, job.checks) if job.checks != [] else {},
    }


def _quiet_and_confined(folder: Path) -> None:
    """Before student code runs: its output goes nowhere (50 MB of prints cost nothing), temporary files go to
    ``folder``, and the sandbox's limits apply."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    tempfile.tempdir = str(folder)
    confine(folder)


def _serve(jobs: list[ProbeJob], out: Path, timeout: float, workers: int) -> None:
    """Probe each job in a child forked from this process, which has imported the heavy libraries once.

    Forking after the imports makes a job cost only its own tests (about 0.3 s instead of 2.5 s for a
    fresh interpreter), while every job still starts from a process that never imported student code.
    Up to ``workers`` children run at once.
    """
    limit_threads(1)  # before torch loads: single-threaded OpenMP is safe to fork
    for module in _PRELOAD:
        importlib.import_module(module)
    for assignment in sorted({job.assignment for job in jobs}):
        importlib.import_module(f"autograder.checks.a{assignment}")
    if any(job.tests != [] for job in jobs):  # load pytest's plugins once (nbval's imports alone take 1–2 s)
        with tempfile.TemporaryDirectory() as empty:
            pytest.main([empty, "-q", "-p", "no:cacheprovider"])
    reports: list[dict] = [{} for _ in jobs]
    pending = list(enumerate(jobs))
    running: dict[int, tuple[int, Path, float]] = {}  # pid -> (job index, report path, deadline)
    while pending or running:
        while pending and len(running) < workers:
            index, job = pending.pop(0)
            result = job.report_path(out.parent, index)
            running[_fork_probe(job, result)] = (index, result, time.monotonic() + timeout)
        time.sleep(0.01)
        for pid, (index, result, deadline) in list(running.items()):
            done_pid, status = os.waitpid(pid, os.WNOHANG)
            finished = done_pid != 0
            if not finished and time.monotonic() < deadline:
                continue
            if not finished:
                os.killpg(pid, signal.SIGKILL)  # the child and anything it started
                os.waitpid(pid, 0)
            if not finished:
                reports[index] = _failed(f"timed out after {timeout:.0f} s")
            elif jobs[index].sandboxed and result.exists():  # left on disk: a run's data can be large
                reports[index] = {"report_file": str(result)}
            else:
                reports[index] = read_report(result, _how_it_ended(status))
            del running[pid]
    out.write_text(json.dumps(reports, indent=1))


def _fork_probe(job: ProbeJob, result: Path) -> int:
    """Start a child that probes ``job`` and writes its report to ``result``; return its pid."""
    pid = os.fork()
    if pid == 0:  # the child: its own process group, probe, write, and leave without the parent's cleanup
        code = 1
        try:
            os.setpgid(0, 0)
            result.write_text(json.dumps(probe(job)))
            code = 0
        finally:
            os._exit(code)
    return pid


def _failed(error: str) -> dict:
    return {"local": {}, "hidden": {}, "runs": {}, "error": error}


def _how_it_ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


def read_report(result: Path, ended: str = "") -> dict:
    """The child's report, or an error report if it died without one."""
    if not result.exists():
        return _failed(f"its process ended without a report ({ended or 'it died'})")
    try:
        return json.loads(result.read_text())
    except ValueError:  # a sandboxed child's report is written where student code could also write
        return _failed("the probe process left an unreadable report")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("jobs", type=Path, help="JSON list of jobs")
    parser.add_argument("out", type=Path)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    jobs = [ProbeJob(**{**j, "folder": Path(j["folder"])}) for j in json.loads(args.jobs.read_text())]
    _serve(jobs, args.out, args.timeout, args.workers)


def run_probes(jobs: list[ProbeJob], timeout: int = 600, workers: int | None = None) -> list[dict]:
    """Probe every job from one fresh process (one report each, in order); ``timeout`` is per job, and up to
    ``workers`` (default: the machine's cores) run at once."""
    if not jobs:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        spec, out = Path(scratch) / "jobs.json", Path(scratch) / "reports.json"
        spec.write_text(json.dumps([{**vars(j), "folder": str(j.folder.resolve())} for j in jobs]))
        command = [sys.executable, "-m", "autograder.probe", str(spec), str(out), "--timeout", str(timeout)]
        command += ["--workers", str(workers or os.cpu_count() or 1)]
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
