"""Print how long the solution notebooks take to run and how fast the sample cohort is graded.

Usage: .venv/bin/python benchmarks/run_times.py   (after `python -m autograder release`)
Figures are wall-clock seconds on this machine; run it on an otherwise idle machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))
os.environ.setdefault("KIT_GRADING_DIR", tempfile.mkdtemp(prefix="kit-bench-"))
os.environ.setdefault("MPLBACKEND", "Agg")

from autograder.layout import assignment_names, notebook_path  # noqa: E402
from autograder.results import cell_seconds  # noqa: E402
from autograder.settings import GRADING, SOLUTIONS  # noqa: E402

SLOWEST_CELLS = 3


def notebook_seconds(path: Path) -> tuple[float, list[tuple[float, str]]]:
    """The notebook's wall-clock time (kernel start included) and its slowest cells as (seconds, cell id)."""
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        nb,
        timeout=120,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    slowest = sorted(((cell_seconds(c), c.get("id", "?")) for c in nb.cells if c.cell_type == "code"), reverse=True)
    return time.perf_counter() - started, slowest[:SLOWEST_CELLS]


def cohort_grading() -> tuple[int, float]:
    subprocess.run([sys.executable, "-m", "autograder", "cohort"], cwd=KIT, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(GRADING / "submitted"), "--cell-timeout", "20"],
        cwd=KIT,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    return sum(1 for _ in (GRADING / "submitted").glob("*/*/")), seconds


def main() -> None:
    print("solution notebook run times (nbclient, kernel start included)")
    for name in assignment_names():
        total, slowest = notebook_seconds(notebook_path(SOLUTIONS / name))
        cells = ", ".join(f"{cell} {seconds:.1f} s" for seconds, cell in slowest)
        print(f"  {name:24s} {total:6.1f} s   slowest cells: {cells}")
    subprocess.run([sys.executable, "-m", "autograder", "release"], cwd=KIT, check=True, capture_output=True)
    count, seconds = cohort_grading()
    print(
        f"sample cohort: {count} submissions graded in {seconds:.1f} s "
        f"({seconds / count:.1f} s each, {60 * count / seconds:.1f} notebooks per minute)"
    )


if __name__ == "__main__":
    main()
