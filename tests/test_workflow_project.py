"""The workflow-observation project: durations from timestamps, the bottleneck, the plans' checks."""

from __future__ import annotations

import pandas as pd

from rotation_kit.lessons import workflow_project
from rotation_kit.runtime.loaders import load_dataset

GOOD_PLAN = [
    {"week": 1, "step": "spot_issue", "detail": "notice discharges wait for pharmacy"},
    {"week": 1, "step": "discuss_with_senior", "detail": "ask the senior resident if anyone has looked"},
    {"week": 1, "step": "agree_observation", "detail": "agree with the senior and QI lead what to time"},
    {"week": 2, "step": "collect_data", "detail": "record the five timestamps daily"},
    {"week": 3, "step": "collect_data", "detail": "keep recording after the change"},
    {"week": 3, "step": "literature", "detail": "read two papers on discharge huddles"},
    {"week": 4, "step": "draft_proposal", "detail": "one page with the run chart"},
]
GOOD_PDSA = {
    "aim": "Cut the median order-to-departure time from 220 to 170 minutes within four weeks",
    "measure": "daily median minutes from discharge order to departure",
    "change": "pharmacist checks discharge medications at the morning huddle",
    "plan": "try it on one team for one week with the charge nurse",
    "do": "run the huddle check and log the timestamps every day",
    "study": "compare the run chart before and after with the four rules",
    "act": "adopt, adapt or abandon after talking with the team",
}


def test_step_durations_are_minutes_between_consecutive_events():
    log = load_dataset("discharge_log.csv")
    durations = workflow_project.step_durations(log)
    assert list(durations.columns) == [
        "discharge_id",
        "date",
        *workflow_project.STEP_COLUMNS,
        workflow_project.TOTAL_COLUMN,
    ]
    steps_sum = durations[list(workflow_project.STEP_COLUMNS)].sum(axis=1)
    assert (abs(steps_sum - durations[workflow_project.TOTAL_COLUMN]) < 1e-9).all()
    assert (durations[list(workflow_project.STEP_COLUMNS)] > 0).all().all()


def test_the_bottleneck_moves_after_the_change():
    durations = workflow_project.step_durations(load_dataset("discharge_log.csv"))
    before = durations[durations["date"] < workflow_project.CHANGE_DATE]
    after = durations[durations["date"] >= workflow_project.CHANGE_DATE + pd.Timedelta(days=2)]
    assert workflow_project.bottleneck(before) == "pharmacy_min"
    assert workflow_project.bottleneck(after) == "transport_min"


def test_bottleneck_tie_goes_to_the_first_step():
    table = pd.DataFrame({"a": [1, 3], "b": [2, 2]})
    assert workflow_project.bottleneck(table, steps=["a", "b"]) == "a"


def test_daily_medians_give_one_point_per_day_in_order():
    durations = workflow_project.step_durations(load_dataset("discharge_log.csv"))
    series = workflow_project.daily_medians(durations)
    assert len(series) == 28 and series.index.is_monotonic_increasing


def test_the_observation_data_shows_a_shift_and_an_astronomical_day():
    series = workflow_project.daily_medians(workflow_project.step_durations(load_dataset("discharge_log.csv")))
    found = workflow_project.signals(series)
    assert found["shifts"] and found["astronomical"]
    assert found["runs"]["signal"] == "too few runs"


def test_a_sound_plan_has_no_problems():
    assert workflow_project.plan_problems(GOOD_PLAN) == []


def test_plan_needs_every_step_and_the_right_order():
    assert any("missing" in p for p in workflow_project.plan_problems(GOOD_PLAN[:-1]))
    late_talk = [dict(GOOD_PLAN[0]), {**GOOD_PLAN[1], "week": 3}, *GOOD_PLAN[2:]]
    assert any("before you start collecting" in p for p in workflow_project.plan_problems(late_talk))
    one_week = [p for p in GOOD_PLAN if not (p["step"] == "collect_data" and p["week"] == 3)]
    assert any("two weeks" in p for p in workflow_project.plan_problems(one_week))
    early_draft = [*GOOD_PLAN[:-1], {**GOOD_PLAN[-1], "week": 3}]
    assert any("final week" in p for p in workflow_project.plan_problems(early_draft))
    assert workflow_project.plan_problems([]) and workflow_project.plan_problems("a plan")
    assert any("week 0" in p for p in workflow_project.plan_problems([{**GOOD_PLAN[0], "week": 0}, *GOOD_PLAN[1:]]))


def test_a_complete_pdsa_plan_has_no_problems():
    assert workflow_project.pdsa_problems(GOOD_PDSA) == []


def test_pdsa_aim_needs_a_number_and_act_a_decision():
    assert any(
        "number" in p for p in workflow_project.pdsa_problems({**GOOD_PDSA, "aim": "make discharges much faster soon"})
    )
    assert any("adopt" in p for p in workflow_project.pdsa_problems({**GOOD_PDSA, "act": "see what happens next time"}))
    assert any("'do'" in p for p in workflow_project.pdsa_problems({k: v for k, v in GOOD_PDSA.items() if k != "do"}))
    assert workflow_project.pdsa_problems(["aim"])


def test_the_plan_needs_the_observation_agreed_before_any_data_and_no_extraction():
    assert workflow_project.plan_problems(GOOD_PLAN) == []
    without = [item for item in GOOD_PLAN if item["step"] != "agree_observation"]
    assert any("agree_observation" in p for p in workflow_project.plan_problems(without))
    late = [dict(item, week=3) if item["step"] == "agree_observation" else item for item in GOOD_PLAN]
    assert any("agree the observation" in p for p in workflow_project.plan_problems(late))
    pulled = [
        dict(item, detail="pull the times from the EHR audit trail") if item["step"] == "collect_data" else item
        for item in GOOD_PLAN
    ]
    assert any("observe rather than extract" in p for p in workflow_project.plan_problems(pulled))


def test_the_observation_template_and_the_sample_log_have_no_identifier_columns():
    template = workflow_project.observation_template()
    assert len(template) == 0 and workflow_project.identifier_columns(template.columns) == []
    assert workflow_project.identifier_columns(load_dataset("discharge_log.csv").columns) == []
    assert workflow_project.identifier_columns(["patient_name", "MRN", "bed", "date"]) == ["patient_name", "MRN", "bed"]


# ------------------------------------------------------------------ the main path's decisions
def ward():
    durations = workflow_project.step_durations(load_dataset("discharge_log.csv"))
    return durations, workflow_project.by_day(workflow_project.daily_medians(durations))


def test_the_bottleneck_a_learner_names_is_a_step_id_read_by_the_median():
    durations, _ = ward()
    parts = workflow_project.periods(durations)
    assert workflow_project.bottleneck_step(parts["before"]) == "pharmacy"
    assert workflow_project.bottleneck_step(parts["after"]) == "transport"
    table = workflow_project.step_medians(durations)
    assert list(table.index) == list(workflow_project.STEP_IDS) and {"before", "after"} <= set(table.columns)


def test_an_observation_sheet_with_identifiers_or_extra_columns_is_refused():
    good = ["observation_id", "date", "step", "start_time", "end_time", "observer", "note"]
    assert workflow_project.sheet_problems(good) == []
    assert any("identifiers" in p for p in workflow_project.sheet_problems([*good, "mrn", "bed"]))
    assert any("not needed" in p for p in workflow_project.sheet_problems([*good, "diagnosis"]))
    assert any("cannot time" in p for p in workflow_project.sheet_problems(["date", "step"]))
    assert workflow_project.sheet_problems([]) and workflow_project.sheet_problems("date")


def test_the_practice_charts_hold_the_traps_the_rules_decide():
    read = {key: workflow_project.readings(workflow_project.practice_series(key)) for key in workflow_project.PRACTICE}
    assert read["A"]["shifts"] == 1  # a point on the median inside six above
    assert read["B"]["shifts"] == 0  # five above and two on the median
    assert read["C"]["trends"] == 1 and read["D"]["trends"] == 0  # repeats count once
    assert read["E"]["signal"] == "too many runs"
    assert 0 in workflow_project.sides(workflow_project.practice_series("A"))


def test_the_ward_chart_reads_two_shifts_no_trend_too_few_runs_and_day_23():
    _, series = ward()
    read = workflow_project.readings(series)
    assert (read["shifts"], read["trends"], read["signal"]) == (2, 0, "too few runs")
    assert [int(series.index[i]) for i in read["astronomical"]] == [23]


def test_readings_follow_the_rules_on_random_series():
    import random

    rng = random.Random(6)
    for _ in range(50):
        values = [float(rng.choice([18, 19, 20, 20, 21, 24, 30])) for _ in range(rng.randint(10, 24))]
        read = workflow_project.readings(values)
        assert read["shifts"] == len(workflow_project.shifts(values))
        assert read["trends"] == len(workflow_project.trends(values))
        assert read["runs"] == workflow_project.count_runs(values)[0]
        assert read["signal"] == workflow_project.runs_analysis(values)["signal"]


def test_the_check_of_a_reading_fails_kindly_on_a_wrong_count_and_passes_the_right_one():
    import pytest

    from rotation_kit.runtime.checks import CheckFailed

    _, series = ward()
    workflow_project.check_reading({"ward": 2}, "my_shifts", "ward", series, "shifts", hint="h")
    with pytest.raises(CheckFailed, match="my_shifts"):
        workflow_project.check_reading({"ward": 1}, "my_shifts", "ward", series, "shifts", hint="h")
    with pytest.raises(CheckFailed):
        workflow_project.check_reading({"ward": "two"}, "my_shifts", "ward", series, "shifts", hint="h")
    workflow_project.check_astronomical({"astronomical_day": 23}, series)
    with pytest.raises(CheckFailed):
        workflow_project.check_astronomical({"astronomical_day": 22}, series)
    with pytest.raises(CheckFailed):
        workflow_project.check_scenario("a")
    workflow_project.check_scenario("b")


def test_the_four_weeks_template_becomes_the_saved_plan_and_follows_the_rules():
    plan = workflow_project.plan_from_weeks(workflow_project.EXAMPLE_WEEKS)
    assert workflow_project.plan_problems(plan) == []
    assert all(set(item) == {"week", "step", "detail"} for item in plan)
    collect_first = {
        1: ["spot_issue", "collect_data"],
        2: ["discuss_with_senior", "agree_observation"],
        3: ["collect_data", "literature"],
        4: ["draft_proposal"],
    }
    assert any("before you" in p for p in workflow_project.week_plan_problems(collect_first))
    no_permission = {
        1: ["spot_issue", "discuss_with_senior"],
        2: ["collect_data"],
        3: ["collect_data", "literature"],
        4: ["draft_proposal"],
    }
    assert any("agree_observation" in p for p in workflow_project.week_plan_problems(no_permission))
    assert workflow_project.week_plan_problems({}) and workflow_project.week_plan_problems([1, 2])


def test_the_project_is_saved_as_yours_only_when_both_answers_are_given(tmp_path, monkeypatch):
    from rotation_kit.runtime import state

    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    assert "example" in workflow_project.save_project({1: [...]}, GOOD_PDSA, "summary")
    assert state.part_source("workflow_project") == "example"
    saved = state.load_part("workflow_project", None, made_in="06_workflow_project", verbose=False)
    assert set(saved) == {"four_week_plan", "pdsa_plan", "run_chart_summary"}
    workflow_project.save_project(workflow_project.EXAMPLE_WEEKS, GOOD_PDSA, "summary")
    assert state.part_source("workflow_project") == "yours"
    assert (
        state.load_part("workflow_project", None, made_in="06_workflow_project", verbose=False)["pdsa_plan"]
        == GOOD_PDSA
    )


def test_pdsa_checks_accept_natural_phrasing():
    natural = dict(
        GOOD_PDSA,
        aim="Halve the time patients wait for the pharmacy check by the end of the month",
        study="Look at the chart of daily medians with the team each Friday",
        act="Keep the huddle check if it helps, otherwise drop it",
    )
    assert workflow_project.pdsa_problems(natural) == []


def test_typed_step_ids_and_choices_are_read_in_any_case():
    durations, _ = ward()
    workflow_project.check_bottleneck({"before": "Pharmacy ", "after": "transport_min"}, durations, "before", hint="")
    workflow_project.check_bottleneck({"before": "Pharmacy ", "after": "transport_min"}, durations, "after", hint="")
    workflow_project.check_scenario(" B")
