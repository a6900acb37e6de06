"""Shared fixtures: a grading folder of the test session's own, and one release of the kit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports autograder.settings: the tests never touch the instructor's grading/ folder.
os.environ.setdefault("KIT_GRADING_DIR", tempfile.mkdtemp(prefix="kit-grading-"))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

import pytest
from hypothesis import settings

from autograder.release import release
from autograder.settings import ASSIGNMENTS

# Property tests: deterministic (derandomized) and small enough for CI on 2 cores.
settings.register_profile("kit", max_examples=60, derandomize=True, deadline=None, print_blob=True)
settings.load_profile("kit")


@pytest.fixture(scope="session")
def release_result() -> tuple[list[Path], Path]:
    return release([])


@pytest.fixture(scope="session")
def released(release_result) -> Path:
    return ASSIGNMENTS


@pytest.fixture(scope="session")
def bundle(release_result) -> Path:
    return release_result[1]
