"""Where an assignment's pieces live, derived from the folders so nothing is listed twice."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from autograder.settings import KIT_ROOT, SOLUTIONS

SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


def assignment_names(solutions: Path = SOLUTIONS) -> list[str]:
    """Every assignment folder (`NN_name`) under ``solutions``, in order."""
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and p.name[:2].isdigit())


def resolve_assignment(name: str, solutions: Path = SOLUTIONS) -> str:
    """``01`` or ``01_gradient_descent`` -> ``01_gradient_descent``; a clear error otherwise."""
    matches = [a for a in assignment_names(solutions) if a == name or a.split("_", 1)[0] == name]
    if len(matches) != 1:
        known = ", ".join(assignment_names(solutions)) or "none"
        raise SystemExit(f"unknown assignment {name!r} (known: {known})")
    return matches[0]


def notebook_path(folder: Path) -> Path:
    """The assignment's notebook: ``<folder>/<folder name>.ipynb``."""
    return folder / f"{folder.name}.ipynb"


def python_files(folder: Path) -> list[Path]:
    """The importable modules of an assignment (local tests excluded), relative to ``folder``."""
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*.py")
        if "tests" not in p.relative_to(folder).parts and "__pycache__" not in p.parts
    )


def student_modules(folder: Path) -> list[str]:
    """Modules that hold solution markers: the files students edit (nbgrader must never overwrite them)."""
    return [
        rel.as_posix() for rel in python_files(folder) if SOLUTION_BEGIN in (folder / rel).read_text(encoding="utf-8")
    ]


def exclude_overwriting(solutions: Path = SOLUTIONS) -> dict[str, list[str]]:
    """``Autograde.exclude_overwriting`` for every assignment: exact paths, since nbgrader takes no globs."""
    return {name: student_modules(solutions / name) for name in assignment_names(solutions)}


class WrongImplementation(Protocol):
    """A fixture of tests/wrong_implementations/ (``Wrong`` there): code appended to a solution module."""

    id: str
    module: str
    code: str
    catches: tuple[str, ...]


def wrong_implementations(assignment: str) -> list[WrongImplementation]:
    """The fixtures of ``tests/wrong_implementations/a<assignment>.py`` (instructor side only)."""
    if str(KIT_ROOT) not in sys.path:
        sys.path.insert(0, str(KIT_ROOT))
    return list(importlib.import_module(f"tests.wrong_implementations.a{assignment}").WRONG)


def is_plain(path: Path) -> bool:
    """A regular file or folder: not a link (to /dev/zero, or out of the folder) nor a FIFO or device,
    which would hang or escape a copy."""
    return not path.is_symlink() and (path.is_file() or path.is_dir())


def copy_plain_files(source: Path, target: Path, ignored: Iterable[str] = ()) -> None:
    """Copy a submission folder's plain files and folders, without the names ``ignored`` matches."""
    matches = shutil.ignore_patterns(*ignored)

    def skipped(folder: str, names: list[str]) -> set[str]:
        return set(matches(folder, names)) | {name for name in names if not is_plain(Path(folder) / name)}

    shutil.copytree(source, target, ignore=skipped)


def remove_unplain_files(folder: Path) -> None:
    """Delete the links and special files in a folder graded in place, as a copy would leave them out."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if not is_plain(path):
            path.unlink()
