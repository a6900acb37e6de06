"""The notebook kernel `grade` runs a submission in: ipykernel, confined before any student code runs.

Started as ``python -m autograder.confined_kernel -f <connection file>`` in the submission's autograded
folder (`ConfinedKernelManager` puts it in place of ``ipykernel_launcher``). It may write only in that folder
and in a private temporary folder (IPython's history, matplotlib's cache), with the sandbox's memory and
file-size limits; the notebook's time limits stay with nbgrader's executor.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager

from autograder.sandbox import confine


class ConfinedKernelManager(AsyncKernelManager):
    """Launches Python kernels through this module instead of ``ipykernel_launcher``."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command: list[str] = super().format_kernel_cmd(extra_arguments)
        if command[1:3] == ["-m", "ipykernel_launcher"]:
            command = [sys.executable, "-m", __name__, *command[3:]]
        return command


def main(argv: list[str]) -> Any:
    private = Path(tempfile.mkdtemp(prefix="kit-kernel-"))
    for variable in ("TMPDIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        os.environ[variable] = str(private)
    tempfile.tempdir = str(private)
    confine(Path.cwd(), private, cpu_seconds=None)
    from ipykernel import kernelapp

    return kernelapp.launch_new_instance(argv=argv)


if __name__ == "__main__":
    main(sys.argv[1:])
