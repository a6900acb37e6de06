"""Gradescope: an autograder zip per assignment that grades an upload exactly as `grade` grades it locally.

`python -m autograder gradescope NN` writes `dist/gradescope/<assignment>.zip`: at its root Gradescope's
`setup.sh` (Python 3.11 and the pinned `requirements-lock.txt`, torch from PyTorch's CPU index) and
`run_autograder`, then the kit's `autograder/` (hidden checks included) and `utils/`, `nbgrader_config.py`,
the released `assignments/<name>/`, the instructor's `solutions/<name>/`, a gradebook in which nbgrader has
recorded the assignment's graded cells and hidden tests from them (as `grade` does locally, once instead of
for every upload) and the course secret the hidden inputs derive from. The zip is instructor-private: it
holds the solutions, the hidden checks and the secret. Upload it to Gradescope only as a programming
assignment's autograder, never to students.

For every submission `run_autograder` calls ``python -m autograder.gradescope`` (`main` below) in a grading
folder of its own: the upload is copied to `submitted/<student>/<assignment>/`, graded by `grade` (the same
sandbox, hidden checks and time limits) and its record turned into Gradescope's `results.json`: one test
per autograded item (score, max_score, the hint or reason as output), visible to the student at once, as
the kit's feedback page is; written answers are not tests, since a person grades them (the top-level
output names them). Whatever happens, a valid `results.json` is written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from time import monotonic
from typing import Any

from autograder.course import quiet_nbgrader, require_success
from autograder.layout import assignment_names, copy_plain_files, resolve_assignment
from autograder.release import generate_assignment
from autograder.results import Item, Record
from autograder.settings import ASSIGNMENTS, DIST, GRADING, KIT_ROOT, SOLUTIONS, course_secret

TEMPLATES = Path(__file__).parent / "templates" / "gradescope"
CHECKS = Path(__file__).parent / "checks"
# Gradescope shows these tests (and the top-level output) to the student as soon as grading ends: the
# hints are the ones the kit's feedback page shows, written for students, never hidden-check source.
VISIBILITY = "visible"
STUDENT = "gradescope"  # the one student of a run's private gradebook
CACHES = ("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache")
EXECUTABLE = 0o755


def _packed_files(folder: Path, assignment: str) -> Iterator[Path]:
    """Every file under ``folder``, sorted, except caches and the hidden checks of other assignments."""
    other_checks = {CHECKS / f"a{name}.py" for name in assignment_names() if name != assignment}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        cache = any(fnmatch(part, pattern) for part in parts for pattern in CACHES)
        if path.is_file() and not cache and path not in other_checks:
            yield path


def _write_script(zf: zipfile.ZipFile, name: str, text: str) -> None:
    """A script at the zip's root, executable once unzipped (Gradescope runs ``run_autograder`` directly)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | EXECUTABLE) << 16  # a regular file with rwxr-xr-x, as unzip restores it
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def build_autograder(requested: str, dist: Path = DIST / "gradescope") -> Path:
    """Write the Gradescope autograder zip of one assignment (``01`` or its full name); return its path."""
    name = resolve_assignment(requested)
    dist.mkdir(parents=True, exist_ok=True)
    archive = dist / f"{name}.zip"
    run_autograder = (TEMPLATES / "run_autograder").read_text(encoding="utf-8").replace("@ASSIGNMENT@", name)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        _write_script(zf, "setup.sh", (TEMPLATES / "setup.sh").read_text(encoding="utf-8"))
        _write_script(zf, "run_autograder", run_autograder)
        zf.writestr("course_secret", course_secret())
        for file in ("requirements-lock.txt", "nbgrader_config.py"):
            zf.write(KIT_ROOT / file, file)
        with tempfile.TemporaryDirectory() as scratch:  # the assignment recorded once, not once per upload
            gradebook = Path(scratch) / "gradebook.db"
            require_success(
                generate_assignment(name, Path(scratch) / "release", f"sqlite:///{gradebook}"),
                f"record {name} in the Gradescope gradebook",
            )
            zf.write(gradebook, "gradebook.db")
        for folder in (KIT_ROOT / "autograder", KIT_ROOT / "utils", SOLUTIONS / name, ASSIGNMENTS / name):
            for path in _packed_files(folder, name):
                zf.write(path, path.relative_to(KIT_ROOT).as_posix())
    return archive


def _test(item: Item) -> dict[str, Any]:
    """One autograded item as a Gradescope test; its output is what went wrong, empty when it passed."""
    score = item.score or 0.0
    failed = bool(item.hint or item.reason) or score < item.max
    return {
        "name": item.grade_id,
        "score": score,
        "max_score": item.max,
        "status": "failed" if failed else "passed",
        "output": "\n".join(text for text in (item.hint, item.reason) if text),
        "visibility": VISIBILITY,
    }


def gradescope_results(record: Record) -> dict[str, Any]:
    """Gradescope's `results.json` for one graded submission; its score is the record's autograded score."""
    manual = [item for item in record.items if item.manual]
    notes = [f"This submission could not be graded: {record.reason}"] if record.reason else []
    if manual:
        names = ", ".join(item.grade_id for item in manual)
        points = sum(item.max for item in manual)
        notes.append(f"Written answers ({names}: {points:g} points) are graded by hand, not in this score.")
    return {
        "score": record.auto_score()[0],
        "execution_time": round(record.seconds),
        "output": "\n\n".join(notes),
        "output_format": "text",  # reasons quote notebook errors; Gradescope's default would render HTML
        "visibility": VISIBILITY,
        "tests": [_test(item) for item in record.items if not item.manual],
    }


def uploaded_folder(upload: Path, assignment: str) -> Path:
    """The assignment folder in an upload: the upload itself, or the `<assignment>/` folder zipped whole."""
    nested = upload / assignment
    if not (upload / f"{assignment}.ipynb").exists() and nested.is_dir():
        return nested
    return upload


def grade_upload(assignment: str, upload: Path, cell_timeout: int, submission_timeout: int) -> Record:
    """Grade one upload with the kit's `grade` in this run's grading folder; a failure of the grader
    itself becomes a record with its reason."""
    from autograder.grade import grade  # nbgrader and friends, needed only to grade

    started = monotonic()
    submitted = GRADING / "submitted"
    # Links are left out: one pointing at this zip's solutions would be graded as the student's work.
    copy_plain_files(uploaded_folder(upload, assignment), submitted / STUDENT / assignment)
    shutil.copy(KIT_ROOT / "gradebook.db", GRADING / "gradebook.db")
    try:
        (record,) = grade(submitted, cell_timeout, submission_timeout, show_progress=False, register=False)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - Gradescope must get a results.json whatever happens
        traceback.print_exc()  # run_autograder's stdout and stderr reach the instructor, not the student
        record = Record(STUDENT, assignment, reason=f"the autograder failed ({type(error).__name__})")
    record.seconds = round(monotonic() - started, 2)  # the whole run: sandboxed checks and registration too
    return record


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.gradescope ASSIGNMENT UPLOAD RESULTS_JSON``, as `run_autograder` calls it."""
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope", description=main.__doc__)
    parser.add_argument("assignment", help="full name of the assignment, e.g. 01_gradient_descent")
    parser.add_argument("upload", type=Path, help="the student's upload (Gradescope: /autograder/submission)")
    parser.add_argument("results", type=Path, help="where results.json goes")
    parser.add_argument("--cell-timeout", type=int, default=30, help="seconds per notebook cell (default 30)")
    parser.add_argument("--submission-timeout", type=int, default=300, help="seconds per submission (default 300)")
    args = parser.parse_args(argv)
    quiet_nbgrader()
    record = grade_upload(args.assignment, args.upload, args.cell_timeout, args.submission_timeout)
    args.results.write_text(json.dumps(gradescope_results(record), indent=1) + "\n", encoding="utf-8")
    score, maximum = record.auto_score()
    print(f"{args.assignment}: {score:g}/{maximum:g} {record.first_reason()}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
