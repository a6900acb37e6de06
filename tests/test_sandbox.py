"""The sandbox a check's run half executes in, and the plain data that crosses back to the judge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks._base import Check, Verdict
from autograder.sandbox import from_plain, landlock_abi, to_plain
from autograder.verdicts import judge_report

DTYPES = st.sampled_from(["bool", "int64", "int32", "float32", "float64"])


def _round_trip(value):
    return from_plain(json.loads(json.dumps(to_plain(value))))


@given(hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)))
def test_an_array_crosses_with_its_dtype_and_shape(array):
    back = _round_trip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=array.dtype.kind == "f")


def test_nested_data_keeps_tuples_lists_and_non_string_keys():
    value = {"calls": [(3, 4), (3, 5)], "by_seed": {0: [1.5, None], (1, 2): "x"}, "flag": True, "n": np.int64(7)}
    assert _round_trip(value) == {**value, "n": 7}


@pytest.mark.parametrize("value", [object(), np.array([object()]), {"a": {1, 2}}])
def test_anything_else_is_not_plain_data(value):
    with pytest.raises(TypeError):
        to_plain(value)


def test_a_forged_array_record_is_refused():
    with pytest.raises(ValueError):
        from_plain({"__array__": "", "dtype": "object", "shape": [0]})


def test_malformed_or_failed_reports_fail_the_check_with_a_reason():
    def judge(data: dict, seed: int) -> Verdict:
        return Verdict(data["value"] == seed, "return the seed")

    item = Check(lambda student, seed: {}, judge, "echo", "module")
    assert judge_report(item, {"runs": {"echo": {"runs": [[3, {"value": 3}]]}}}).passed
    assert not judge_report(item, {"runs": {"echo": {"runs": [[3, {"value": 4}]]}}}).passed
    for report in ({"error": "timed out after 20 s"}, {"runs": {"echo": {"error": "SyntaxError"}}}, {"runs": []}):
        verdict = judge_report(item, report)
        assert not verdict.passed and verdict.hint


CONFINED_CHILD = """
import os, sys
from pathlib import Path
from autograder.sandbox import confine
scratch, outside = Path(sys.argv[1]), Path(sys.argv[2])
confine(scratch)
(scratch / "inside.txt").write_text("allowed")
results = {}
try:
    outside.write_text("escaped")
    results["write outside"] = "allowed"
except OSError as error:
    results["write outside"] = type(error).__name__
try:
    bytearray(8 * 1024**3)
    results["8 GB"] = "allocated"
except MemoryError:
    results["8 GB"] = "MemoryError"
print(results)
"""


@pytest.mark.skipif(not landlock_abi(), reason="this kernel has no Landlock")
def test_a_confined_process_writes_only_in_its_scratch_folder_and_cannot_take_8_gb(tmp_path: Path):
    scratch, outside = tmp_path / "scratch", tmp_path / "gradebook.db"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CONFINED_CHILD), str(scratch), str(outside)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "{'write outside': 'PermissionError', '8 GB': 'MemoryError'}"
    assert (scratch / "inside.txt").read_text() == "allowed" and not outside.exists()
