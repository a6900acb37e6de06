"""Property-based tests of the platform (Hypothesis, the fixed `kit` profile from conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.release import remove_solution_markers, strip_module_solutions
from utils.testing import check_close, check_rel_error

# ------------------------------------------------------------------------------ release marker stripping

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
CODE_LINE = st.from_regex(r"[a-z_][a-z0-9_]{0,8} = [1-9][0-9]{0,3}( \+ [a-z]{1,3})?", fullmatch=True)


@st.composite
def student_function(draw: st.DrawFn, indent: str) -> tuple[str, str]:
    """(solution source, expected stub source) of one function at ``indent`` with a marked body."""
    name = draw(NAMES)
    doc = draw(st.lists(st.from_regex(r"[A-Za-z0-9 ,.()]{0,30}", fullmatch=True), min_size=1, max_size=3))
    body_indent = indent + "    "
    docstring = f'{body_indent}"""' + f"\n{body_indent}".join(doc) + f'\n{body_indent}"""\n'
    lines = draw(st.lists(CODE_LINE, min_size=0, max_size=4))
    nested = draw(st.booleans())
    body = "".join(f"{body_indent}{line}\n" for line in lines)
    if nested:  # a deeper block inside the solution must vanish too
        body += f"{body_indent}if True:\n{body_indent}    pass\n"
    head = f"{indent}def {name}(x):\n{docstring}"
    solution = f"{head}{body_indent}### BEGIN SOLUTION\n{body}{body_indent}### END SOLUTION\n"
    return solution, f"{head}{body_indent}raise NotImplementedError\n"


@st.composite
def module_source(draw: st.DrawFn) -> tuple[str, str]:
    """A module of plain lines, functions and methods: (solution, expected release)."""
    solution, expected = "", ""
    for kind in draw(st.lists(st.sampled_from(["plain", "function", "method"]), max_size=6)):
        if kind == "plain":
            line = draw(CODE_LINE) + "\n\n"
            solution, expected = solution + line, expected + line
            continue
        indent = "    " if kind == "method" else ""
        if kind == "method":
            header = f"class C{len(solution)}:\n"
            solution, expected = solution + header, expected + header
        sol, exp = draw(student_function(indent))
        solution, expected = solution + sol + "\n", expected + exp + "\n"
    return solution, expected


@given(module_source())
def test_every_marked_body_becomes_exactly_the_stub_and_nothing_else_changes(source):
    solution, expected = source
    assert strip_module_solutions(solution) == expected


@given(module_source())
def test_stripping_is_idempotent_and_stubs_compile(source):
    stripped = strip_module_solutions(source[0])
    assert strip_module_solutions(stripped) == stripped
    compile(stripped, "stub.py", "exec")


@given(module_source())
def test_removing_markers_keeps_every_other_line(source):
    solution = source[0]
    kept = [line for line in solution.splitlines() if "### " not in line]
    assert remove_solution_markers(solution).splitlines() == kept


# ---------------------------------------------------------------------------------------- hint helpers

REAL_DTYPES = hnp.boolean_dtypes() | hnp.integer_dtypes() | hnp.unsigned_integer_dtypes() | hnp.floating_dtypes()
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, max_side=6)
ARRAYS = hnp.arrays(REAL_DTYPES | hnp.complex_number_dtypes(), SHAPES)
REAL_ARRAYS = hnp.arrays(REAL_DTYPES, SHAPES)


def _failure(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as failure:
        fn(*args, **kwargs)
    return str(failure.value)


def _is_one_short_line(message: str, hint: str) -> bool:
    return (
        message.startswith(f"Hint: {hint} [")
        and message.endswith("]")
        and "\n" not in message
        and len(message) < len(hint) + 80
    )


@given(ARRAYS)
def test_check_close_failure_is_one_line_whatever_the_array(array):
    exact = array.astype(np.complex128 if array.dtype.kind == "c" else np.float64)
    # Off by more than one unit in the last place at any magnitude (x + 1 == x beyond 2**53); 0 where x is not finite.
    finite = np.isfinite(exact)
    wrong = np.zeros_like(exact)
    wrong[finite] = exact[finite] + 1 + np.abs(exact[finite])
    assert _is_one_short_line(_failure(check_close, array, wrong, "fix the step", atol=1e-9), "fix the step")


@given(ARRAYS, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5))
def test_a_shape_mismatch_names_both_shapes(array, other_shape):
    if tuple(other_shape) == array.shape:
        other_shape = (*other_shape, 2)
    message = _failure(check_close, array, np.zeros(other_shape), "keep the shape")
    assert _is_one_short_line(message, "keep the shape")
    assert f"shape {array.shape}, expected {tuple(other_shape)}" in message


@given(REAL_ARRAYS)
def test_check_rel_error_failure_is_one_line(array):
    with np.errstate(over="ignore"):
        expected = array.astype(np.float64) * 2 + 1
    message = _failure(check_rel_error, array, expected, 1e-12, "compare gradients")
    assert _is_one_short_line(message, "compare gradients")


@given(ARRAYS)
def test_an_array_is_close_to_itself(array):
    if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
        return  # NaN is never close to anything: covered by the failure properties
    check_close(array, array.copy(), "unused")
