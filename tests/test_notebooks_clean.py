"""Committed notebooks carry source only: diffs show what changed, and nbval's lax run checks the rest."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from autograder.settings import ASSIGNMENTS, KIT_ROOT, SOLUTIONS

NOTEBOOKS = sorted([*SOLUTIONS.glob("*/*.ipynb"), *ASSIGNMENTS.glob("*/*.ipynb")])


def dirty_cells(path: Path) -> list[str]:
    """Ids of the code cells that carry outputs or an execution count."""
    nb = nbformat.read(path, as_version=4)
    return [c.id for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(KIT_ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path):
    assert dirty_cells(path) == [], "outputs or execution counts in these cells: run nbstripout (pre-commit does)"


def test_an_executed_notebook_is_caught(tmp_path: Path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", id="sum", execution_count=1)])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nbformat.write(nb, tmp_path / "run.ipynb")
    assert dirty_cells(tmp_path / "run.ipynb") == ["sum"]


def test_pre_commit_runs_ruff_and_strips_solution_notebooks():
    hooks = {
        h["id"]: h
        for repo in yaml.safe_load((KIT_ROOT / ".pre-commit-config.yaml").read_text())["repos"]
        for h in repo["hooks"]
    }
    assert {"ruff-check", "ruff-format", "nbstripout"} <= set(hooks)
    assert hooks["nbstripout"]["files"].startswith("^solutions/")
