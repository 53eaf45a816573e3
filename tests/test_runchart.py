"""Run-chart rules (Perla, Provost & Murray 2011): the edge cases that decide a signal."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rotation_kit.lessons import workflow_project


def test_median_is_the_centre_line():
    assert workflow_project.median([1, 3, 2]) == 2
    assert workflow_project.median([1, 2, 3, 4]) == 2.5
    with pytest.raises(ValueError):
        workflow_project.median([])


def test_six_points_on_one_side_make_a_shift_and_five_do_not():
    assert workflow_project.shifts([9, 9, 9, 9, 9, 9, 1, 1], center=5) == [(0, 5)]
    assert workflow_project.shifts([9, 9, 9, 9, 9, 1, 9, 1], center=5) == []


def test_points_on_the_median_do_not_break_a_shift():
    values = [9, 9, 9, 5, 9, 9, 9, 1]
    assert workflow_project.shifts(values, center=5) == [(0, 6)]


def test_points_on_the_median_do_not_add_to_a_shift():
    values = [9, 9, 5, 5, 9, 9, 9, 1]  # 5 counted points, 2 on the median
    assert workflow_project.shifts(values, center=5) == []


def test_a_shift_ends_at_its_last_counted_point():
    assert workflow_project.shifts([1, 1, 1, 1, 1, 1, 5, 5, 9], center=5) == [(0, 5)]


def test_shifts_below_and_above_are_both_found():
    values = [1] * 7 + [9] * 6
    assert workflow_project.shifts(values, center=5) == [(0, 6), (7, 12)]


def test_shift_uses_the_median_when_no_centre_is_given():
    values = [10, 11, 12, 13, 14, 15, 1, 2, 3, 4, 5, 6]
    assert workflow_project.shifts(values) == [(0, 5), (6, 11)]


def test_five_rising_points_make_a_trend_and_four_do_not():
    assert workflow_project.trends([1, 2, 3, 4, 5]) == [(0, 4)]
    assert workflow_project.trends([1, 2, 3, 4, 1]) == []


def test_repeated_values_do_not_break_a_trend():
    assert workflow_project.trends([1, 2, 2, 3, 4, 5]) == [(0, 5)]


def test_repeated_values_do_not_add_to_a_trend():
    assert workflow_project.trends([1, 2, 2, 3, 3, 4, 0]) == []  # only 4 different rising values


def test_repeated_values_at_the_ends_are_inside_the_span():
    assert workflow_project.trends([3, 3, 4, 5, 6, 7, 7]) == [(0, 6)]


def test_falling_trend_and_a_shared_turning_point():
    values = [9, 8, 7, 6, 5, 6, 7, 8, 9]
    assert workflow_project.trends(values) == [(0, 4), (4, 8)]


def test_no_trend_in_flat_or_short_series():
    assert workflow_project.trends([4, 4, 4, 4, 4, 4]) == []
    assert workflow_project.trends([]) == []
    assert workflow_project.trends([1]) == []


def test_runs_ignore_points_on_the_median():
    # above, on, above, below, below, on, above: runs = 3, useful = 5
    assert workflow_project.count_runs([9, 5, 9, 1, 1, 5, 9], center=5) == (3, 5)


def test_runs_table_matches_the_sixteen_point_example():
    assert workflow_project.runs_limits(16) == (5, 12)


def test_runs_table_starts_at_ten_useful_points():
    assert workflow_project.runs_limits(9) is None
    assert workflow_project.runs_limits(10) is not None
    assert list(workflow_project.RUNS_TABLE.index)[0] == 10


def test_runs_table_widens_with_more_points_and_straddles_the_expected_runs():
    previous = (0, 0)
    for n in range(10, 61):
        low, high = workflow_project.runs_limits(n)
        assert low <= n / 2 + 1 <= high  # the mean number of runs lies inside
        assert low >= previous[0] and high >= previous[1]
        previous = (low, high)


def test_too_few_runs_is_a_signal_and_limits_themselves_are_not():
    values = [1] * 8 + [9] * 8  # 16 useful points, 2 runs
    assert workflow_project.runs_analysis(values)["signal"] == "too few runs"
    five_runs = [1, 1, 1, 9, 9, 9, 1, 1, 1, 9, 9, 9, 1, 1, 1, 1]
    result = workflow_project.runs_analysis(five_runs, center=5)
    assert (result["runs"], result["useful"], result["signal"]) == (5, 16, "no signal")


def test_too_many_runs_is_a_signal():
    values = [1, 9] * 8  # 16 runs among 16 points
    assert workflow_project.runs_analysis(values, center=5)["signal"] == "too many runs"
    twelve = [1, 9] * 5 + [1, 1, 1, 9, 9, 9]  # exactly 12 runs: the upper limit itself
    assert workflow_project.count_runs(twelve, center=5) == (12, 16)
    assert workflow_project.runs_analysis(twelve, center=5)["signal"] == "no signal"


def test_too_few_useful_points_gives_no_verdict():
    result = workflow_project.runs_analysis([1, 9, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], center=5)
    assert result["useful"] == 2 and result["expected"] is None and result["signal"] == "too few points"


def test_astronomical_point_is_flagged_and_ordinary_spread_is_not():
    values = [20, 22, 19, 21, 23, 20, 18, 22, 21, 60]
    assert workflow_project.astronomical_points(values) == [9]
    assert workflow_project.astronomical_points([20, 22, 19, 21, 23, 20, 18, 22, 21, 24]) == []


def test_astronomical_points_need_some_spread():
    assert workflow_project.astronomical_points([5, 5, 5, 5, 9]) == []
    assert workflow_project.astronomical_points([]) == []


def test_anhoej_limit_grows_slowly():
    assert workflow_project.anhoej_shift_limit(24) == 8
    assert workflow_project.anhoej_shift_limit(10) == round(math.log2(10) + 3)


def test_run_chart_returns_a_figure_and_a_summary():
    series = pd.Series([5, 6, 7, 8, 9, 10, 1, 1, 1, 1, 1, 1, 30], index=pd.date_range("2025-03-03", periods=13))
    fig, summary = workflow_project.run_chart(series, title="Example")
    assert fig.axes[0].get_title() == "Example"
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()
    assert "shift" in summary and "runs" in summary
