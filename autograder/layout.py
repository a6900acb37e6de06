"""Where an assignment's pieces live, derived from the folders so nothing is listed twice."""

from __future__ import annotations

import importlib
import sys
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
