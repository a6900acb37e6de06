"""Plausible wrong implementations from the curriculum specs, one module per assignment (`aNN_name.py`).

Each fixture's ``code`` is appended to a temporary copy of the solution module ``module``; it redefines
one function or method (it may wrap the saved original). ``catches`` names the local tests and the
hidden checks' grade_ids that must fail on it.
"""

from __future__ import annotations

from typing import NamedTuple


class Wrong(NamedTuple):
    id: str
    module: str
    code: str
    catches: tuple[str, ...]
