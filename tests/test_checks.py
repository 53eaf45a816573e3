"""rotation_kit.runtime.checks: failures read as expected / got / hint, and nothing passes by accident."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.runtime.checks import CheckFailed, describe, expect


class EqualsEverything:
    def __eq__(self, other):
        return True

    def __bool__(self):
        return True


def _message(excinfo) -> str:
    return str(excinfo.value)


def test_failure_message_has_expected_got_and_hint():
    with pytest.raises(CheckFailed) as excinfo:
        expect.number(1.7, between=(0, 1), what="score(x)", hint="Divide by 11.")
    text = _message(excinfo)
    assert "Check failed: score(x)" in text
    assert "Expected: a number between 0 and 1" in text
    assert "Got:      1.7 (float)" in text
    assert "Hint:     Divide by 11." in text


def test_check_failed_is_an_assertion_error_so_nbgrader_scores_it_as_failed():
    assert issubclass(CheckFailed, AssertionError)


@pytest.mark.parametrize("bad", [None, "0.5", True, float("nan"), [0.5]])
def test_number_refuses_non_numbers(bad):
    with pytest.raises(CheckFailed):
        expect.number(bad, what="x")


def test_equal_refuses_objects_that_claim_to_equal_everything():
    with pytest.raises(CheckFailed):
        expect.equal(EqualsEverything(), 3, what="x")
    with pytest.raises(CheckFailed):
        expect.equal(EqualsEverything(), "text", what="x")
    with pytest.raises(CheckFailed):
        expect.true(EqualsEverything(), what="x", expected="True", got="?")


def test_equal_distinguishes_bool_from_int_and_compares_numbers_with_tolerance():
    with pytest.raises(CheckFailed):
        expect.equal(True, 1, what="x")
    expect.equal(0.1 + 0.2, 0.3, what="x")
    expect.equal([1, 2], (1, 2), what="x")


def test_items_reports_missing_and_unexpected():
    with pytest.raises(CheckFailed) as excinfo:
        expect.items(["a", "c"], ["a", "b"], what="picks")
    assert "missing ['b']" in _message(excinfo) and "not expected ['c']" in _message(excinfo)
    expect.items(["b", "a"], ["a", "b"], what="picks")
    with pytest.raises(CheckFailed):
        expect.items(["b", "a"], ["a", "b"], what="picks", ordered=True)


def test_call_turns_not_implemented_into_a_friendly_message():
    def stub():
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as excinfo:
        expect.call(stub)
    assert "no answer yet" in _message(excinfo)


def test_call_reports_the_learners_error_plainly():
    with pytest.raises(CheckFailed) as excinfo:
        expect.call(lambda: {}["missing"], what="f()")
    assert "KeyError" in _message(excinfo)


def test_defined_names_the_cell_to_run():
    with pytest.raises(CheckFailed) as excinfo:
        expect.defined({}, "informatics_presence")
    assert "Run the cell where you write `informatics_presence`" in _message(excinfo)
    assert expect.defined({"f": 1}, "f") == 1


def test_own_function_rejects_the_kits_reference():
    from rotation_kit.lessons import where_to_rotate

    with pytest.raises(CheckFailed):
        expect.own_function(where_to_rotate.informatics_presence, name="informatics_presence")

    def mine(program):
        return 0

    expect.own_function(mine, name="informatics_presence")


def test_own_function_follows_wrappers_made_by_library_code():
    """Library code is not read line by line, but what a learner hands it still is."""
    import contextlib
    import functools

    from rotation_kit.lessons import where_to_rotate

    made_by_library = contextlib.contextmanager(where_to_rotate.informatics_presence)  # a closure from contextlib
    cached = functools.lru_cache(where_to_rotate.informatics_presence)
    for wrapped in (made_by_library, cached):
        with pytest.raises(CheckFailed):
            expect.own_function(wrapped, name="informatics_presence")

    def mine(program):
        return float(pd.Series([program["informatics"]]).clip(0, 1).iloc[0])  # pandas, but no kit

    expect.own_function(mine, name="informatics_presence")


def test_dataframe_checks_type_columns_and_rows():
    frame = pd.DataFrame({"a": [1, 2]})
    expect.dataframe(frame, what="t", columns=["a"], rows=2)
    for bad, kwargs in [([1, 2], {}), (frame, {"columns": ["b"]}), (frame, {"rows": 3})]:
        with pytest.raises(CheckFailed):
            expect.dataframe(bad, what="t", **kwargs)


def test_raises_requires_the_named_error():
    def refuses(x):
        raise ValueError("no")

    expect.raises(ValueError, refuses, 1, what="r")
    with pytest.raises(CheckFailed):
        expect.raises(ValueError, lambda x: x, 1, what="r")
    with pytest.raises(CheckFailed):
        expect.raises(KeyError, refuses, 1, what="r")


def test_describe_survives_a_broken_repr():
    class Broken:
        def __repr__(self):
            raise RuntimeError

    assert "cannot be shown" in describe(Broken())


def test_frame_equal_compares_values_not_dtypes_or_index():
    expected = pd.DataFrame({"day": pd.to_datetime(["2026-03-02", "2026-03-09"]), "n": [1, 2]})
    expect.frame_equal(expected.copy(), expected, what="same table")
    expect.frame_equal(expected.assign(n=[1.0, 2.0]).set_axis([7, 8]), expected, what="floats, other index")
    expect.frame_equal(expected.assign(extra="x"), expected, what="a column more")
    for wrong in (expected.assign(n=[1, 3]), expected.assign(day=["2026-03-02", "2026-03-09"]), expected.iloc[::-1]):
        with pytest.raises(CheckFailed) as excinfo:
            expect.frame_equal(wrong, expected, what="the table", hint="Compare row by row.")
        assert "the same values as the reference table" in _message(excinfo)
