"""Release: regenerate the student versions in `assignments/` from `solutions/` and build the student bundle.

nbgrader's generate_assignment clears notebook solutions and hidden tests (and records the assignment in
the gradebook); it copies `.py` files verbatim, so module solutions are stripped here. Running it twice
changes no byte.
"""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from autograder.course import load_config, nbgrader_api, require_success
from autograder.layout import SOLUTION_BEGIN, SOLUTION_END, assignment_names, python_files, resolve_assignment
from autograder.settings import ASSIGNMENTS, DIST, GRADING, KIT_ROOT, SOLUTIONS

TEMPLATES = Path(__file__).parent / "templates"
_MARKER = re.compile(r"^(?P<indent>[ \t]*)### (?P<kind>BEGIN|END) SOLUTION\s*$")


def strip_module_solutions(source: str) -> str:
    """Replace every solution block of a module by ``raise NotImplementedError`` at the marker's indent."""
    lines_out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = _MARKER.match(line)
        if marker is None:
            if not inside:
                lines_out.append(line)
            continue
        opening = marker["kind"] == "BEGIN"
        if opening == inside:
            raise ValueError(f"line {number}: unbalanced '{line.strip()}'")
        inside = opening
        if opening:
            lines_out.append(f"{marker['indent']}raise NotImplementedError\n")
    if inside:
        raise ValueError(f"'{SOLUTION_BEGIN}' without '{SOLUTION_END}'")
    return "".join(lines_out)


def remove_solution_markers(source: str) -> str:
    """The solution as a student who got everything right would write it: marker lines dropped, code kept."""
    return "".join(line for line in source.splitlines(keepends=True) if not _MARKER.match(line))


# Provided code one assignment takes from another's solution (CONVENTIONS §6): 04's CNN reuses 03's layers.
# target assignment -> (source assignment, package, modules copied)
SHARED_SOLUTIONS = {"04_cnn_layers": ("03_mlp_numpy", "mlp", ("layers.py", "losses.py"))}


def _public_functions(source: str) -> list[str]:
    """Names of a module's top-level functions that do not start with an underscore, sorted."""
    tree = ast.parse(source)
    return sorted(
        node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    )


def shared_solution_files(target: str, solutions: Path = SOLUTIONS) -> dict[str, str]:
    """The generated copy of another assignment's solution that ``target`` ships: relative path -> text."""
    if target not in SHARED_SOLUTIONS:
        return {}
    source, package, modules = SHARED_SOLUTIONS[target]
    files, imports, public = {}, [], []
    for module in modules:
        text = remove_solution_markers((solutions / source / package / module).read_text(encoding="utf-8"))
        header = f"# Generated from {source}/{package}/{module} by `python -m autograder release`; do not edit.\n"
        files[f"{package}/{module}"] = header + text
        names = _public_functions(text)
        public += names
        imports.append(f"from .{module.removesuffix('.py')} import (\n" + "".join(f"    {n},\n" for n in names) + ")\n")
    docstring = f'"""{source}\'s solution {", ".join(modules)}, provided to {target} (generated; do not edit)."""'
    exported = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted(public)) + "]\n"
    files[f"{package}/__init__.py"] = docstring + "\n\n" + "".join(imports) + "\n" + exported
    return files


def write_shared_solutions(solutions: Path = SOLUTIONS) -> None:
    """(Re)write every generated copy into the target assignment's solution folder."""
    for target in SHARED_SOLUTIONS:
        if (solutions / target).is_dir():
            for rel, text in shared_solution_files(target, solutions).items():
                (solutions / target / rel).parent.mkdir(parents=True, exist_ok=True)
                (solutions / target / rel).write_text(text, encoding="utf-8")


def stale_shared_solutions(solutions: Path = SOLUTIONS) -> list[str]:
    """Generated copies that differ from what release would write now."""
    return [
        f"{target}/{rel}"
        for target in SHARED_SOLUTIONS
        if (solutions / target).is_dir()
        for rel, text in shared_solution_files(target, solutions).items()
        if not (solutions / target / rel).is_file() or (solutions / target / rel).read_text(encoding="utf-8") != text
    ]


def generate_assignment(name: str, release_root: Path, db_url: str) -> dict:
    """nbgrader's generate_assignment of ``solutions/<name>`` into ``release_root``, recorded in ``db_url``."""
    overrides = {"CourseDirectory": {"release_directory": str(release_root), "db_url": db_url}}
    return nbgrader_api(overrides).generate_assignment(name, force=True)


def release_assignment(name: str, release_root: Path = ASSIGNMENTS) -> Path:
    """Write the student version of ``solutions/<name>`` to ``<release_root>/<name>`` and return it.

    nbgrader records the assignment in a scratch gradebook here, so the committed release never depends
    on the state of the course's gradebook; `grade` records it there (``register_in_gradebook``).
    """
    with tempfile.TemporaryDirectory() as scratch:
        require_success(
            generate_assignment(name, release_root, f"sqlite:///{scratch}/gradebook.db"),
            f"generate the release of {name}",
        )
    released = release_root / name
    for rel in python_files(released):
        path = released / rel
        text = path.read_text(encoding="utf-8")
        if SOLUTION_BEGIN in text:
            path.write_text(strip_module_solutions(text), encoding="utf-8")
    return released


def register_in_gradebook(name: str) -> str:
    """Record ``solutions/<name>`` (its graded cells and hidden tests) in the course gradebook.

    Returns "" on success, else why not: nbgrader refuses to change the cells of an assignment that
    already has graded submissions, and keeps the version it recorded.
    """
    with tempfile.TemporaryDirectory() as scratch:
        result = generate_assignment(name, Path(scratch), load_config().CourseDirectory.db_url)
    if result.get("success"):
        return ""
    return (
        f"{GRADING / 'gradebook.db'} keeps its recorded version of {name}: it holds graded submissions "
        "and nbgrader will not change their cells (move the gradebook aside to start a new one)"
    )


def release_all(release_root: Path = ASSIGNMENTS) -> list[Path]:
    """Regenerate every assignment (release always rebuilds all of `assignments/`), shared copies first."""
    write_shared_solutions()
    return [release_assignment(name, release_root) for name in assignment_names()]


def bundle_names(requested: list[str]) -> list[str]:
    """The assignments a bundle holds; 04 ships 03's solution layers, so it needs 03 released too."""
    names = sorted({resolve_assignment(n) for n in requested} if requested else set(assignment_names()))
    if any(n.startswith("04") for n in names) and not any(n.startswith("03") for n in names):
        raise SystemExit("refusing to bundle 04 without 03: 04 ships 03's solution layers (release 03 with it)")
    return names


def build_student_bundle(names: list[str], dist: Path = DIST) -> Path:
    """`dist/student/` and `dist/student.zip`: the named assignments, `utils/`, environment files, README."""
    bundle = dist / "student"
    if bundle.exists():
        shutil.rmtree(bundle)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in names:
        shutil.copytree(ASSIGNMENTS / name, bundle / "assignments" / name, ignore=ignore)
    shutil.copytree(KIT_ROOT / "utils", bundle / "utils", ignore=ignore)
    shutil.copy(KIT_ROOT / "requirements.txt", bundle / "requirements.txt")
    shutil.copy(TEMPLATES / "student_pyproject.toml", bundle / "pyproject.toml")
    shutil.copy(TEMPLATES / "student_README.md", bundle / "README.md")
    archive = dist / "student.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                zf.write(path, Path("student") / path.relative_to(bundle))
    return archive


def release(requested: list[str]) -> tuple[list[Path], Path]:
    """The `release` command: all of `assignments/`, then the bundle of the requested assignments."""
    return release_all(), build_student_bundle(bundle_names(requested))
