"""Thread limits: on a loaded 2-core machine one BLAS and one torch thread is fastest (CONVENTIONS §3)."""

from __future__ import annotations

import os
import sys

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def limit_threads(n: int = 1) -> None:
    """Use ``n`` threads in BLAS and torch, for libraries loaded now and later. Never imports torch."""
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(n)
    from threadpoolctl import threadpool_limits

    threadpool_limits(n, "blas")
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(n)
