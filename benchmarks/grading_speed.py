"""Grade one cohort twice in one run: plain sequential `nbgrader autograde`, then the kit's grader.

Usage: .venv/bin/python benchmarks/grading_speed.py [--students 20] [--workers N]

The cohort: ``--students`` students for every assignment, each a copy of one of the sample cohort's honest
students (correct, untouched, one wrong function) in turn. Plain nbgrader runs the `nbgrader autograde`
command once per assignment with the course's nbgrader_config.py (so with the kit's time limits and
confined kernels, without its sandboxed checks and worker pool); the kit runs `python -m autograder
grade`. Each grades into a gradebook of its own. Prints both wall-clock times, their ratio, whether every
autograded score agrees, and where plain nbgrader's time goes: kernel start, the setup cell (imports),
the other cells, and the rest (nbgrader's conversion, copying, gradebook). Not part of CI: on 2 cores
the plain run alone takes about 10 s per submission. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbgrader.api import Gradebook

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))

from autograder.layout import assignment_names  # noqa: E402
from autograder.results import Record, cell_seconds  # noqa: E402

BUILD = """
import sys
from pathlib import Path
from autograder.cohort import COHORT, SampleStudent, build_cohort

students = int(sys.argv[2])
honest = lambda s: s.name in ("correct", "untouched") or s.name.startswith("wrong_")
cohort = []
for assignment in sorted({s.assignment for s in COHORT}):
    variants = [s for s in COHORT if s.assignment == assignment and honest(s)]
    for k in range(students):
        model = variants[k % len(variants)]
        cohort.append(SampleStudent(f"student{k:02d}", assignment, model.edits, model.story))
build_cohort(Path(sys.argv[1]), tuple(cohort))
"""
REGISTER = "import sys; from autograder.release import register_in_gradebook as r; [r(a) for a in sys.argv[1:]]"
KERNEL_STARTS = 5


def run(command: list[str], grading: Path, echo: bool = False) -> float:
    """Run ``command`` in the kit with ``grading`` as its grading folder; return its wall-clock seconds
    (with ``echo``, print the last line it wrote to stderr: the kit's own summary)."""
    env = {**os.environ, "KIT_GRADING_DIR": str(grading), "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=KIT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stderr[-3000:]}")
    if echo and done.stderr.strip():
        print("   ", done.stderr.strip().splitlines()[-1])
    return time.perf_counter() - started


def plain_scores(grading: Path) -> dict[tuple[str, str], float]:
    """(student, assignment) -> autograded points, from plain nbgrader's gradebook (code cells only)."""
    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gb:
        return {
            (submission.student.id, assignment.name): sum(
                grade.auto_score or 0.0
                for notebook in submission.notebooks
                for grade in notebook.grades
                if grade.cell.cell_type == "code"
            )
            for assignment in gb.assignments
            for submission in assignment.submissions
        }


def kit_scores(grading: Path) -> dict[tuple[str, str], float]:
    records = [Record.read(path) for path in (grading / "results").glob("*/*.json")]
    return {(record.student, record.assignment): record.auto_score()[0] for record in records}


def cell_times(grading: Path) -> tuple[float, float]:
    """Seconds in the setup cell (the first code cell: imports) and in every other cell, over all notebooks."""
    setup = rest = 0.0
    for path in (grading / "autograded").glob("*/*/*.ipynb"):
        times = [cell_seconds(c) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        setup, rest = setup + times[0], rest + sum(times[1:])
    return setup, rest


def kernel_start_seconds() -> float:
    """Mean seconds from asking for a python kernel to its first reply."""
    total = 0.0
    for _ in range(KERNEL_STARTS):
        started = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"])
        total += time.perf_counter() - started
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return total / KERNEL_STARTS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20, help="students per assignment (default 20)")
    parser.add_argument("--workers", type=int, help="the kit's workers (default: one per core)")
    args = parser.parse_args()
    assignments = assignment_names()
    root = Path(tempfile.mkdtemp(prefix="kit-grading-speed-"))
    plain, kit, cohort = root / "plain", root / "kit", root / "cohort"
    print(f"cohort: {args.students} students x {len(assignments)} assignments, on {os.cpu_count()} cores; in {root}")
    run([sys.executable, "-c", BUILD, str(plain / "submitted"), str(args.students)], plain)
    shutil.copytree(plain / "submitted", cohort)
    run([sys.executable, "-c", REGISTER, *assignments], plain)

    print("plain nbgrader autograde, one assignment after another:")
    plain_seconds = 0.0
    for assignment in assignments:
        seconds = run([str(Path(sys.executable).parent / "nbgrader"), "autograde", assignment, "--force"], plain)
        print(f"  {assignment:22s} {seconds:7.1f} s")
        plain_seconds += seconds
    print("the kit's grader:")
    command = [sys.executable, "-m", "autograder", "grade", str(cohort)]
    kit_seconds = run(command + (["--workers", str(args.workers)] if args.workers else []), kit, echo=True)

    submissions = args.students * len(assignments)
    setup, rest = cell_times(plain)
    kernel = kernel_start_seconds()
    other = plain_seconds - setup - rest - kernel * submissions
    print(f"\nplain nbgrader: {plain_seconds:8.1f} s ({plain_seconds / submissions:.1f} s per submission)")
    print(f"kit grader:     {kit_seconds:8.1f} s ({kit_seconds / submissions:.1f} s per submission)")
    print(f"ratio:          {plain_seconds / kit_seconds:8.2f}x")
    print("where plain nbgrader's time goes:")
    for name, seconds in (
        (f"kernel start ({kernel:.2f} s each)", kernel * submissions),
        ("setup cells (imports)", setup),
        ("other cells", rest),
        ("nbgrader: conversion, copies, gradebook", other),
    ):
        print(f"  {name:42s} {seconds:8.1f} s  {100 * seconds / plain_seconds:5.1f} %")
    ours, theirs = kit_scores(kit), plain_scores(plain)
    differ = sorted(key for key in theirs.keys() | ours.keys() if theirs.get(key) != ours.get(key))
    print(f"scores: {len(ours)} kit, {len(theirs)} plain; " + ("all agree" if not differ else f"{len(differ)} differ:"))
    for key in differ:
        print(f"  {key}: plain {theirs.get(key)}, kit {ours.get(key)}")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
