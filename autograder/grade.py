"""Grade a folder of submissions laid out as nbgrader's `submitted/<student>/<assignment>/`.

First the hidden checks run on every submission's modules in the sandbox (`autograder.verdicts`). Then a
pool of workers (one per core by default) grades the submissions in parallel, each against a private copy
of the gradebook (`autograder.private_gradebook`): judge the sandbox's reports, stage the submission under
`grading/submitted/`, check its notebook can be read, autograde it with nbgrader (student modules kept,
hidden tests restored, time budgets enforced), score every module item by its sandboxed verdict (the
notebook's kernel ran student code before the checks, so its verdict can be fooled, and one failed import,
timeout or crash there would cost every later cell), write the feedback page. The main process alone
writes the course gradebook, then the result record. A submission that cannot be graded gets zeros and a
reason; the rest of the batch is graded all the same. A submission whose record and gradebook rows exist,
and whose files have not changed since, is not graded again unless asked: a run that was stopped picks up
where it was.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from time import monotonic
from typing import Any

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin
from tqdm import tqdm

from autograder.checks._base import Verdict
from autograder.course import nbgrader_api, quiet_nbgrader, require_success
from autograder.layout import assignment_names, copy_plain_files, notebook_path, remove_unplain_files
from autograder.private_gradebook import copy_submission, snapshot
from autograder.release import register_in_gradebook
from autograder.results import Record, record_from_gradebook, ungradable_record
from autograder.sandbox import landlock_abi
from autograder.settings import ASSIGNMENTS, GRADING
from autograder.verdicts import Reports, judge_reports, sandboxed_reports
from utils.runtime import limit_threads

SANDBOX_FAILED = "the hidden check failed in the sandbox"
RESULTS = GRADING / "results"
WORKERS = GRADING / "workers"  # the pool's private gradebooks, removed after the run
CACHES = ("__pycache__", "*.pyc", ".ipynb_checkpoints")  # never staged, never part of a fingerprint


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    folder: Path

    @property
    def notebook_name(self) -> str:
        return self.assignment


def find_submissions(root: Path, assignments: Iterable[str] | None = None) -> list[Submission]:
    """Every `<root>/<student>/<assignment>/` whose assignment the kit knows, sorted by student."""
    known = set(assignments or assignment_names())
    return [
        Submission(student.name, folder.name, folder)
        for student in sorted(p for p in root.iterdir() if p.is_dir())
        for folder in sorted(p for p in student.iterdir() if p.is_dir())
        if folder.name in known
    ]


def stage(submission: Submission, target: Path) -> Path:
    """Copy a submission to ``target`` in nbgrader's submitted folder, or, when it already lives there, drop
    what a copy leaves out: caches, links and special files."""
    if target.resolve() != submission.folder.resolve():
        if target.exists():
            shutil.rmtree(target)
        copy_plain_files(submission.folder, target, CACHES)
    else:
        remove_unplain_files(target)
    return target


def fingerprint(folder: Path) -> str:
    """A digest of the names and contents of the files that grading reads from a submission folder."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(fnmatch(part, pattern) for part in relative.parts for pattern in CACHES):
            continue
        if path.is_symlink():  # its target's name, never its content (which could be /dev/zero)
            digest.update(f"{relative} -> {os.readlink(path)}\0".encode())
        elif path.is_file():
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _released_metadata(release: Path) -> dict[str, Any]:
    """Each released cell's nbgrader metadata by cell id, read once per assignment of a batch."""
    return {cell.get("id"): cell.metadata.get("nbgrader") for cell in nbformat.read(release, as_version=4).cells}


def restore_grading_metadata(notebook: Path, release: Path) -> None:
    """Give each cell the nbgrader metadata of the released cell with the same id, and none to a cell the
    student added: a renamed grade id or raised points gain nothing and cannot stop nbgrader grading."""
    released = _released_metadata(release)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        metadata = released.get(cell.get("id"))
        if metadata is not None:
            cell.metadata["nbgrader"] = metadata
        else:
            cell.metadata.pop("nbgrader", None)
    nbformat.write(nb, notebook)


def unreadable_reason(notebook: Path) -> str:
    """Why nbgrader could not read this notebook, or "" when it can."""
    if not notebook.is_file():
        return f"notebook {notebook.name} is missing"
    try:
        nbformat.validate(nbformat.read(notebook, as_version=4))
    except Exception as error:  # noqa: BLE001 - any parse or schema error makes the notebook unreadable
        return f"notebook {notebook.name} is malformed ({type(error).__name__}: {str(error).splitlines()[0][:120]})"
    return ""


class Grader:
    """nbgrader bound to the course and to one gradebook, with this run's time limits."""

    def __init__(self, cell_timeout: int, submission_timeout: int, db_url: str | None = None) -> None:
        overrides: dict[str, dict[str, Any]] = {
            "BudgetedExecute": {"timeout": cell_timeout, "submission_timeout": submission_timeout}
        }
        if db_url:
            overrides["CourseDirectory"] = {"db_url": db_url}
        self.api = nbgrader_api(overrides)
        self.coursedir = self.api.coursedir
        self.cell_timeout, self.submission_timeout = cell_timeout, submission_timeout

    def _path(self, step: str, submission: Submission) -> Path:
        return Path(self.coursedir.format_path(step, submission.student, submission.assignment))

    def gradebook(self) -> Gradebook:
        return Gradebook(self.coursedir.db_url, self.coursedir.course_id)

    def register(self, assignments: Iterable[str], update: bool = True) -> list[str]:
        """Bring the gradebook's record of each assignment up to date (unless not ``update``: a gradebook
        built with the assignment, as Gradescope's is); fail clearly if one is missing."""
        warnings = [w for w in (register_in_gradebook(name) for name in assignments) if w] if update else []
        with self.gradebook() as gb:
            for name in assignments:
                try:
                    gb.find_assignment(name)
                except MissingEntry:
                    raise SystemExit(
                        f"{name} is not in the gradebook: run `python -m autograder release` first"
                    ) from None
        return warnings

    def grade_one(self, submission: Submission, verdicts: dict[str, Verdict]) -> Record:
        """Grade one submission into this grader's gradebook; ``verdicts`` (its sandboxed module checks)
        score its module items."""
        started = monotonic()
        staged = stage(submission, self._path(self.coursedir.submitted_directory, submission))
        notebook = staged / f"{submission.notebook_name}.ipynb"
        reason = unreadable_reason(notebook)
        if not reason:
            restore_grading_metadata(notebook, notebook_path(ASSIGNMENTS / submission.assignment))
        record = self._ungradable(submission, reason) if reason else self._autograde(submission, verdicts)
        record.seconds = round(monotonic() - started, 2)
        return record

    def _ungradable(self, submission: Submission, reason: str) -> Record:
        with self.gradebook() as gb:
            return ungradable_record(gb, submission.notebook_name, submission.assignment, submission.student, reason)

    def _autograde(self, submission: Submission, verdicts: dict[str, Verdict]) -> Record:
        result = self.api.autograde(submission.assignment, submission.student, force=True, create=True)
        autograded = self._path(self.coursedir.autograded_directory, submission)
        notebook = autograded / f"{submission.notebook_name}.ipynb"
        if not result.get("success") or not notebook.is_file():
            reason = "nbgrader could not grade it: " + _last_line(result.get("error") or result.get("log", ""))
            return self._ungradable(submission, reason)
        self._apply_verdicts(submission, verdicts)
        require_success(
            self.api.generate_feedback(submission.assignment, submission.student),
            f"write feedback for {submission.student}",
        )
        with self.gradebook() as gb:
            record = record_from_gradebook(gb, notebook, submission.assignment, submission.student)
        for item in record.items:
            verdict = verdicts.get(item.grade_id)
            if verdict is None or item.manual:
                continue
            if verdict.passed:  # whatever happened to its cell in the notebook
                item.hint, item.reason = "", ""
            else:  # the cell's own hint when it has one, as the feedback page shows it
                sandbox_only = not (item.hint or item.reason)
                item.hint = item.hint if item.hint.startswith("Hint:") else verdict.hint
                item.reason = SANDBOX_FAILED if sandbox_only else item.reason
        return record

    def _apply_verdicts(self, submission: Submission, verdicts: dict[str, Verdict]) -> None:
        """The sandboxed verdicts score every module item in the gradebook, whatever its cell did in the
        notebook's kernel: fooled by code that ran first, or never run after a timeout, a dead kernel or a
        failed import. Items that only the notebook can check keep the notebook's score."""
        with self.gradebook() as gb:
            notebook = gb.find_submission_notebook(submission.notebook_name, submission.assignment, submission.student)
            for grade in notebook.grades:
                if grade.name in verdicts:
                    grade.auto_score = grade.max_score if verdicts[grade.name].passed else 0
            gb.db.commit()

    def export_csv(self) -> Path:
        path = GRADING / "grades.csv"
        with self.gradebook() as gb:
            CsvExportPlugin(to=str(path), log=self.api.log).export(gb)
        return path


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "unknown error"


# --- One worker of the pool: a Grader on its own snapshot of the course gradebook. ---------------------------

_worker: Grader | None = None


def _start_worker(cell_timeout: int, submission_timeout: int, course_db_url: str, threads: int = 0) -> None:
    """Make this process a worker; with ``threads``, its kernels share the cores with the other workers'
    (a kernel's BLAS and torch would otherwise start a thread per core, and the workers fight over them)."""
    global _worker
    quiet_nbgrader()
    if threads:
        limit_threads(threads)
    private = snapshot(course_db_url, WORKERS / f"gradebook-{os.getpid()}.db")
    _worker = Grader(cell_timeout, submission_timeout, private)


def _grade_in_worker(submission: Submission, reports: Reports) -> tuple[Record, str]:
    """Judge one submission's sandboxed reports and grade it; return its record and the gradebook that holds
    its rows ("" if none does)."""
    assert _worker is not None, "the pool's initializer sets up the worker"
    try:
        verdicts = judge_reports(submission.assignment, reports)
        record, db_url = _worker.grade_one(submission, verdicts), _worker.coursedir.db_url
    except Exception as error:  # noqa: BLE001 - one broken submission must not stop the batch
        reason = f"grader error: {type(error).__name__}: {_last_line(str(error))}"
        record, db_url = Record(submission.student, submission.assignment, reason=reason), ""
    record.fingerprint = fingerprint(submission.folder)
    return record, db_url


# --- The batch: what is left to grade, the sandbox, the pool, the one writer. -------------------------------


def already_graded(submission: Submission, gb: Gradebook) -> Record | None:
    """The record of a submission graded before, if its gradebook rows exist and its files are unchanged."""
    path = RESULTS / submission.student / f"{submission.assignment}.json"
    try:
        record = Record.read(path)
        gb.find_submission(submission.assignment, submission.student)
    except (OSError, ValueError, TypeError, KeyError, MissingEntry):
        return None
    return record if record.fingerprint == fingerprint(submission.folder) else None


def grade(
    submissions_root: Path,
    cell_timeout: int = 30,
    submission_timeout: int = 300,
    show_progress: bool = True,
    workers: int | None = None,
    regrade: bool = False,
    register: bool = True,
) -> list[Record]:
    """Grade every submission under ``submissions_root`` with ``workers`` processes (default: one per core);
    return every submission's record (also written to disk). Submissions graded before and unchanged keep
    their records unless ``regrade``; ``register`` records the assignments' current version first."""
    submissions = find_submissions(submissions_root)
    grader = Grader(cell_timeout, submission_timeout)
    for warning in grader.register(sorted({s.assignment for s in submissions}), update=register):
        print(f"warning: {warning}", file=sys.stderr)
    if not landlock_abi():
        print("warning: this kernel has no Landlock; sandboxed checks are not kept from writing files", file=sys.stderr)
    with grader.gradebook() as gb:
        kept = {} if regrade else {s: r for s in submissions if (r := already_graded(s, gb)) is not None}
    pending = [s for s in submissions if s not in kept]
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending) or 1))
    if kept:
        print(f"{len(kept)} submission(s) graded before and unchanged: kept (--regrade grades again)", file=sys.stderr)
    if show_progress:
        print(f"running the hidden checks of {len(pending)} submission(s) in the sandbox", file=sys.stderr)
    started = monotonic()
    with sandboxed_reports(pending, timeout=cell_timeout, workers=workers) as reports:
        checked = monotonic()
        graded = _grade_in_pool(grader, pending, reports, workers, show_progress)
    grader.export_csv()
    if show_progress:
        print(
            f"graded {len(pending)} submission(s) with {workers} worker(s) in {monotonic() - started:.1f} s: "
            f"hidden checks run in the sandbox {checked - started:.1f} s, judged and notebooks graded "
            f"{monotonic() - checked:.1f} s",
            file=sys.stderr,
        )
    return [kept.get(s) or graded[s] for s in submissions]


def _grade_in_pool(
    grader: Grader,
    submissions: list[Submission],
    reports: dict[tuple[str, str], Reports],
    workers: int,
    show_progress: bool,
) -> dict[Submission, Record]:
    """Grade with ``workers`` workers; this process writes each result to the course gradebook, then its
    record, as it arrives."""
    records: dict[Submission, Record] = {}
    if not submissions:
        return records
    with tqdm(total=len(submissions), desc="grading", unit="submission", disable=not show_progress) as bar:
        for submission, record, db_url in _graded(grader, submissions, reports, workers):
            records[submission] = _write_result(grader, submission, record, db_url)
            bar.update()
    shutil.rmtree(WORKERS, ignore_errors=True)
    return records


def _graded(
    grader: Grader, submissions: list[Submission], reports: dict[tuple[str, str], Reports], workers: int
) -> Iterator[tuple[Submission, Record, str]]:
    """Each submission with its record and the gradebook holding its rows, as it is graded: in this process
    when there is one worker (Gradescope grades one upload), else in a pool of processes."""

    def own(submission: Submission) -> Reports:
        return reports.get((submission.student, submission.assignment), {})

    if workers == 1:
        _start_worker(grader.cell_timeout, grader.submission_timeout, grader.coursedir.db_url)
        for submission in submissions:
            yield (submission, *_grade_in_worker(submission, own(submission)))
        return
    context = multiprocessing.get_context("spawn")  # the kit's process has threads; a forked copy could hang
    threads = max(1, (os.cpu_count() or 1) // workers)
    initargs = (grader.cell_timeout, grader.submission_timeout, grader.coursedir.db_url, threads)
    with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=initargs) as pool:
        futures = {pool.submit(_grade_in_worker, submission, own(submission)): submission for submission in submissions}
        for future in as_completed(futures):
            submission = futures[future]
            try:
                record, db_url = future.result()
            except Exception as error:  # noqa: BLE001 - a worker that died costs its submissions, not the batch
                reason = f"grader error: {type(error).__name__}: {_last_line(str(error))}"
                record, db_url = Record(submission.student, submission.assignment, reason=reason), ""
            yield submission, record, db_url


def _write_result(grader: Grader, submission: Submission, record: Record, db_url: str) -> Record:
    """The one writer: the submission's rows into the course gradebook, then its record."""
    if db_url:
        with grader.gradebook() as gb:
            copy_submission(db_url, gb, submission.assignment, submission.student)
    record.write(RESULTS)
    return record
