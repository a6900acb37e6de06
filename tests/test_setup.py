"""The kit's set-up files agree with each other, and the root pytest collects only tests/."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from autograder.settings import KIT_ROOT


def _pins(name: str) -> dict[str, str]:
    """{normalised package name: version} of a requirements file (PEP 503 names: pre_commit = pre-commit)."""
    lines = [line for line in (KIT_ROOT / name).read_text().splitlines() if line and not line.startswith("#")]
    pins = (line.split("==") for line in lines)
    return {re.sub(r"[-_.]+", "-", package).lower(): version for package, version in pins}


def test_requirements_pin_every_direct_dependency_exactly():
    text = (KIT_ROOT / "requirements.txt").read_text()
    requirements = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^ ]*", line) for line in requirements), requirements
    assert "torch==2.13.0" in requirements


def test_lock_agrees_with_requirements_and_has_no_local_build_tag():
    direct, lock = _pins("requirements.txt"), _pins("requirements-lock.txt")
    assert {name: lock.get(name) for name in direct} == direct
    assert lock["torch"] == "2.13.0"
    assert not any("+" in version for version in lock.values())


def test_environment_yml_builds_python_311_from_the_requirements():
    env = yaml.safe_load((KIT_ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-r requirements.txt"]


def test_ci_runs_the_readme_test_command():
    readme = (KIT_ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == ["./kit demo", "./kit test"]
    assert "\n./kit test\n" in (KIT_ROOT / ".ci" / "run").read_text()


def test_root_pytest_collects_only_the_projects_tests():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"],
        cwd=KIT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    nodes = [line for line in done.stdout.splitlines() if "::" in line]
    assert nodes and all(node.startswith("tests/") for node in nodes)
