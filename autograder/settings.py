"""The kit's own settings: where things live and the course secret that hidden inputs derive from."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = KIT_ROOT / "solutions"
ASSIGNMENTS = KIT_ROOT / "assignments"
# Everything release and grading write outside the committed tree (the project's tests point it elsewhere).
GRADING = Path(os.environ.get("KIT_GRADING_DIR", KIT_ROOT / "grading")).resolve()
DIST = KIT_ROOT / "dist"

# A course sets its own secret (environment variable KIT_COURSE_SECRET) so that publishing the kit
# does not publish that course's hidden inputs. The default serves the kit's own tests and demo.
DEFAULT_COURSE_SECRET = "open-kit-default"
HIDDEN_SEED_COUNT = 5


def course_secret() -> str:
    return os.environ.get("KIT_COURSE_SECRET", DEFAULT_COURSE_SECRET)


def hidden_seeds(grade_id: str, count: int = HIDDEN_SEED_COUNT) -> list[int]:
    """``count`` seeds for one hidden check, derived from the course secret and the item's grade_id."""
    seeds = []
    for index in range(count):
        digest = hashlib.sha256(f"{course_secret()}:{grade_id}:{index}".encode()).digest()
        seeds.append(int.from_bytes(digest[:4], "big") % 2**31)
    return seeds
