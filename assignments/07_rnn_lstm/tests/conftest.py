"""Local-test setup, the same file in every assignment: import from the assignment folder, one thread,
no windows or progress bars, and one hint line per failure."""

import os
import sys
from pathlib import Path

from utils.runtime import limit_threads

# The assignment folder (parent of tests/) comes first, so `import <module>` finds the student's code.
ASSIGNMENT_DIR = str(Path(__file__).resolve().parent.parent)
if ASSIGNMENT_DIR in sys.path:
    sys.path.remove(ASSIGNMENT_DIR)
sys.path.insert(0, ASSIGNMENT_DIR)

os.environ["MPLBACKEND"] = "Agg"
os.environ["TQDM_DISABLE"] = "1"
# One BLAS and one torch thread: faster on a loaded 2-core machine, and the same as the notebooks.
limit_threads(1)


def pytest_configure(config):
    # A failing check raises AssertionError("Hint: ..."); "line" shows that line instead of source and arrays.
    config.option.tbstyle = "line"
