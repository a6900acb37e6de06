"""The kit's nbgrader course: its configuration (nbgrader_config.py) and the nbgrader API bound to it."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.settings import GRADING, KIT_ROOT


def load_config(overrides: dict[str, dict[str, Any]] | None = None) -> Config:
    """nbgrader_config.py, with ``{"Class": {"trait": value}}`` overrides on top."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(KIT_ROOT)).load_config()
    # nbgrader narrates every step at INFO; the kit prints its own summary and reports nbgrader's errors.
    config.merge(Config({"Application": {"log_level": "WARNING"}}))
    config.merge(Config(overrides or {}))
    return config


def _prepare_course_folder() -> None:
    """What nbgrader expects before it opens the course: the exchange folder, and the `alembic` executable
    (which creates a new gradebook) on PATH. It lives beside this interpreter, which need not be on PATH when
    the kit's python is called by its full path."""
    (GRADING / "exchange").mkdir(parents=True, exist_ok=True)
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_api(overrides: dict[str, dict[str, Any]] | None = None) -> NbGraderAPI:
    """nbgrader's API for the kit's course; its logs go to the kit's logger, not the terminal."""
    _prepare_course_folder()
    config = load_config(overrides)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir, config=config, log=logging.getLogger("autograder.nbgrader"))


def require_success(result: dict, what: str) -> None:
    """nbgrader's API reports failure in a dict: turn it into an exception with its log."""
    if not result.get("success"):
        detail = (result.get("log", "") + "\n" + result.get("error", "")).strip().splitlines()[-25:]
        raise RuntimeError(f"nbgrader could not {what}:\n" + "\n".join(detail))


def open_gradebook() -> Gradebook:
    """The course's gradebook (nbgrader's database), as nbgrader_config.py names it."""
    _prepare_course_folder()
    directory = load_config().CourseDirectory
    return Gradebook(directory.db_url, directory.course_id)


def quiet_nbgrader() -> None:
    """Keep the terminal to the kit's own output, in the CLI and in each grading worker."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # nbgrader narrates every step (and logs each timeout); the kit's table and records carry the reasons.
    logging.getLogger("autograder.nbgrader").setLevel(logging.CRITICAL)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="nbgrader.api")  # SQLAlchemy chatter inside nbgrader
