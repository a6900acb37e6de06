"""Verdicts on a batch of submissions' modules that student code cannot reach.

For every submission and every hidden check that targets its modules (not the notebook): a copy of the
submission's modules (never a `utils/`, `autograder/` or `tests/` it ships) goes to a scratch folder; a
sandboxed probe child runs the check's ``run`` half there (`autograder.probe`, `autograder.sandbox`) and
reports plain data; a grading worker, which never imports student code, decodes that data and judges it.
One child per check, so an infinite loop or a crash costs only the checks that meet it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from autograder.checks._base import Check, Verdict
from autograder.layout import copy_plain_files
from autograder.probe import ProbeJob, module_checks, read_report, run_probes
from autograder.sandbox import from_plain

# Never copied into the sandbox: the kit's own packages (a submission's copies would shadow the grader's),
# the local tests, notebooks and caches.
NOT_STUDENT_CODE = ("utils", "autograder", "tests", "*.ipynb", "__pycache__", "*.pyc", ".*")


class SubmissionLike(Protocol):
    """What a submission must offer (`autograder.grade.Submission` does)."""

    @property
    def student(self) -> str: ...
    @property
    def assignment(self) -> str: ...
    @property
    def folder(self) -> Path: ...


def judge_report(check: Check, report: dict) -> Verdict:
    """The verdict on one sandboxed child's report; anything malformed fails the check."""
    if report.get("error"):
        return Verdict(False, f"the hidden check could not run: {report['error']}")
    try:
        outcome = report["runs"][check.name]
        if "error" in outcome:
            return Verdict(False, f"the hidden check could not run: {outcome['error']}")
        for seed, data in outcome["runs"]:
            verdict = check.judge(from_plain(data), seed)
            if not verdict.passed:
                return verdict
    except Exception as error:  # noqa: BLE001 - forged or truncated data is a failed check, never a crash
        return Verdict(False, f"the hidden check's data was malformed ({type(error).__name__})")
    return Verdict(True)


Reports = dict[str, dict]  # grade_id -> a sandboxed child's report, or where it lies on disk


@contextmanager
def sandboxed_reports(
    submissions: Iterable[SubmissionLike], timeout: int, workers: int | None = None
) -> Iterator[dict[tuple[str, str], Reports]]:
    """{(student, assignment): {grade_id: report}} for every module check of every submission; a report
    written to disk (its data can be large) stays there until the context ends."""
    submissions = list(submissions)
    with tempfile.TemporaryDirectory(prefix="kit-sandbox-") as scratch:
        jobs, keys = [], []
        for submission in submissions:
            copy = Path(scratch) / submission.student / submission.assignment
            copy_plain_files(submission.folder, copy, NOT_STUDENT_CODE)
            for name in module_checks(submission.assignment):
                jobs.append(ProbeJob(copy, submission.assignment, tests=[], checks=[name], sandboxed=True))
                keys.append((submission.student, submission.assignment, name))
        reports: dict[tuple[str, str], Reports] = {}
        for (student, assignment, name), report in zip(keys, run_probes(jobs, timeout, workers), strict=True):
            reports.setdefault((student, assignment), {})[name] = report
        yield reports


def judge_reports(assignment: str, reports: Reports) -> dict[str, Verdict]:
    """The verdict on each report of one submission (in a process that never imports student code)."""
    checks = module_checks(assignment)
    verdicts = {}
    for name, report in reports.items():
        data = read_report(Path(report["report_file"])) if "report_file" in report else report
        verdicts[name] = judge_report(checks[name], data)
    return verdicts
