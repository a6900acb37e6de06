"""The shape of every hidden check: a ``run`` half that touches student code and returns plain data,
and a ``judge`` half that recomputes the expected values and returns a ``Verdict``.

Keeping the halves apart lets the grader run ``run`` in a sandbox and ``judge`` in a process that never
imported student code, without rewriting the checks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.settings import hidden_seeds

NOTEBOOK = "notebook"
RunFn = Callable[[Any, int], dict]
JudgeFn = Callable[[dict, int], "Verdict"]


@dataclass(frozen=True)
class Verdict:
    passed: bool
    hint: str = ""

    def require(self) -> None:
        """Raise ``AssertionError(hint)`` unless the check passed."""
        if not self.passed:
            raise AssertionError(self.hint) from None


PASSED = Verdict(True)


def judged(judge: Callable[[dict, int], None]) -> JudgeFn:
    """Turn a judge written with ``utils.testing`` helpers (raising on failure) into one returning a Verdict.

    A ``run`` that recorded ``error`` (the student code raised) fails with that message first.
    """

    @functools.wraps(judge)
    def wrapper(data: dict, seed: int) -> Verdict:
        if data.get("error"):
            return Verdict(False, data["error"])
        try:
            judge(data, seed)
        except AssertionError as failure:
            return Verdict(False, str(failure))
        return PASSED

    return wrapper


def _innermost_stub(error: NotImplementedError, package: str) -> str | None:
    """The qualified name of the function that raised ``error``, if it lives in the student's ``package``."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None and tb.tb_frame.f_globals.get("__name__", "").split(".")[0] == package:
        return tb.tb_frame.f_code.co_qualname
    return None


def student_error(name: str, error: BaseException, package: str = "") -> dict:
    """Plain data describing an exception raised by student code.

    With ``package`` (an assignment's package, e.g. "mlp"), a stub raised inside it names the function that is
    still a stub, which may be another one than ``name`` (``MLP.loss`` calls ``fc_forward``).
    """
    if isinstance(error, NotImplementedError):
        stub = _innermost_stub(error, package) if package else None
        return {"error": f"Hint: implement {stub or name} first."}
    # The message is left out: it may quote a hidden input back to the student.
    return {"error": f"Hint: {name} raised {type(error).__name__} on the hidden inputs; run the local tests."}


def exception_raised(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """The name of the exception ``fn(*args, **kwargs)`` raised, or "no error"."""
    try:
        fn(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the kind of exception is the observation
        return type(error).__name__
    return "no error"


def arrays_unchanged(after: Sequence[Any], before: Sequence[Any]) -> bool:
    """Whether every array in ``after`` equals its copy in ``before`` (same count, same values)."""
    return len(after) == len(before) and all(np.array_equal(a, b) for a, b in zip(after, before, strict=True))


def plain(value: Any) -> np.ndarray:
    """A float64 numpy copy of what student code returned (tensor, array, list or number)."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.array(value, dtype=np.float64)


@dataclass(frozen=True)
class Check:
    """One hidden check. ``run(student, seed) -> dict``; ``judge(data, seed) -> Verdict``.

    ``name`` is the grade_id; ``target`` (``"module:Name"``, or ``"module"`` for a whole module) is the student
    object ``run`` receives, so a grader outside the notebook (validate, the sandbox) knows what to import.
    The target ``"notebook"`` marks a check of results the notebook computed: only the notebook can run it.
    """

    run: RunFn
    judge: JudgeFn
    name: str
    target: str
    seeds: Callable[[str], list[int]] = field(default=hidden_seeds)

    @property
    def notebook_only(self) -> bool:
        return self.target == NOTEBOOK

    def verdict(self, student: Any, seeds: Iterable[int] | None = None) -> Verdict:
        """Run and judge every seed in one process; the first failing seed decides."""
        for seed in self.seeds(self.name) if seeds is None else seeds:
            verdict = self.judge(self.run(student, seed), seed)
            if not verdict.passed:
                return verdict
        return PASSED

    def require(self, student: Any) -> None:
        """What an autograded notebook cell calls: raise ``AssertionError(hint)`` on failure."""
        self.verdict(student).require()


def checks(**named: tuple[str, RunFn, JudgeFn]) -> dict[str, Check]:
    """Build ``CHECKS`` from ``grade_id=("module:Name", run, judge)``, so each check knows its grade_id."""
    return {grade_id: Check(run, judge, grade_id, target) for grade_id, (target, run, judge) in named.items()}
