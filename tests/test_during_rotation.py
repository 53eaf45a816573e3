"""Module 05's reference logic: planning the ward day, the question key, EHR list clean-up, the balance check."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import during_rotation
from rotation_kit.runtime.checks import CheckFailed
from rotation_kit.runtime.loaders import load_dataset


def _tasks(rows):
    return pd.DataFrame(rows, columns=["task_id", "task", "kind", "minutes", "not_before"])


def _windows(rows):
    return pd.DataFrame(rows, columns=["window_id", "label", "start", "minutes", "calm"])


WINDOWS = _windows([("busy", "Busy", "08:00", 60, False), ("calm", "Calm", "12:00", 30, True)])


# ---------------------------------------------------------------- planning
def test_patient_care_is_placed_before_informatics_even_when_listed_last():
    tasks = _tasks([("A", "dashboard", "informatics", 30, "08:00"), ("B", "notes", "patient_care", 60, "08:00")])
    plan = during_rotation.plan_day(tasks, WINDOWS)
    assert list(plan["task_id"]) == ["B", "A"]
    assert list(plan["window"]) == ["busy", "calm"]


def test_informatics_never_lands_in_a_busy_window():
    tasks = _tasks([("A", "question", "informatics", 10, "08:00")])
    only_busy = WINDOWS[WINDOWS["window_id"] == "busy"]
    assert during_rotation.plan_day(tasks, only_busy)["window"].item() == during_rotation.NOT_TODAY


def test_patient_care_may_use_a_calm_window_when_busy_ones_are_full():
    tasks = _tasks(
        [
            ("A", "admit", "patient_care", 60, "08:00"),
            ("B", "call", "patient_care", 20, "08:00"),
            ("C", "question", "informatics", 20, "08:00"),
        ]
    )
    plan = during_rotation.plan_day(tasks, WINDOWS)
    assert list(plan["window"]) == ["busy", "calm", during_rotation.NOT_TODAY]


def test_not_before_keeps_a_task_out_of_earlier_windows():
    tasks = _tasks([("A", "notes", "patient_care", 10, "10:00")])
    assert during_rotation.plan_day(tasks, WINDOWS)["window"].item() == "calm"


def test_exact_fit_is_allowed_and_windows_are_used_in_time_order():
    tasks = _tasks([("A", "x", "team", 30, "00:00")])
    shuffled = WINDOWS.iloc[::-1]
    assert during_rotation.plan_day(tasks, shuffled)["window"].item() == "busy"
    tasks = _tasks([("A", "x", "team", 60, "00:00")])
    assert during_rotation.plan_day(tasks, WINDOWS)["window"].item() == "busy"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        during_rotation.plan_day(_tasks([("A", "x", "gossip", 5, "08:00")]), WINDOWS)


def test_kit_day_keeps_informatics_small_and_bumps_one_task():
    tasks, windows = load_dataset("ward_tasks.csv"), load_dataset("ward_windows.csv")
    plan = during_rotation.plan_day(tasks, windows)
    assert (plan["window"] == during_rotation.NOT_TODAY).sum() == 1
    check = during_rotation.balance_check(plan, windows)
    assert check["ok"] and check["calm_only"] and 0 < check["share"] < during_rotation.INFORMATICS_LIMIT


def test_timetable_puts_tasks_back_to_back_and_keeps_fixed_events():
    tasks = _tasks([("A", "one", "team", 20, "08:00"), ("B", "two", "team", 15, "08:00")])
    table = during_rotation.timetable(during_rotation.plan_day(tasks, WINDOWS), WINDOWS)
    rows = table[table["kind"] == "team"]
    assert list(rows["start"]) == ["08:00", "08:20"] and list(rows["end"]) == ["08:20", "08:35"]
    assert (table["kind"] == "fixed").sum() == len(during_rotation.FIXED_EVENTS)


# ---------------------------------------------------------------- questions
def test_question_key_covers_the_bank_with_known_moments():
    bank = load_dataset("ward_questions.csv")
    key = during_rotation.moment_key()
    assert set(key) == set(bank["question_id"])
    assert set(key.values()) == set(during_rotation.MOMENTS)


# ---------------------------------------------------------------- medication list
@pytest.mark.parametrize(
    "text, mg",
    [
        ("500 mg", 500),
        ("500mg", 500),
        ("0.5 g", 500),
        ("40 MG", 40),
        ("100 mcg", 0.1),
        ("100mcg", 0.1),
        ("50 \u00b5g", 0.05),
        (" 1 g ", 1000),
    ],
)
def test_parse_dose_converts_to_milligrams(text, mg):
    assert during_rotation.parse_dose(text) == pytest.approx(mg)


@pytest.mark.parametrize("text", ["two tablets", "5 ml", "mg 500", ""])
def test_parse_dose_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        during_rotation.parse_dose(text)


def test_same_medicine_written_differently_merges_into_one_row():
    meds = pd.DataFrame(
        {"drug": ["Paracetamol", " ACETAMINOPHEN"], "dose": ["1 g", "1000mg"], "frequency": ["PRN", "as needed"]}
    )
    clean = during_rotation.clean_med_list(meds)
    assert clean.to_dict("records") == [
        {"drug": "acetaminophen", "dose_mg": 1000.0, "frequency": "as needed", "entries": 2, "needs_review": False}
    ]


def test_conflicting_doses_are_kept_and_flagged_not_dropped():
    meds = pd.DataFrame(
        {
            "drug": ["Lisinopril", "lisinopril", "Apixaban"],
            "dose": ["10 mg", "20 mg", "5 mg"],
            "frequency": ["daily", "daily", "BID"],
        }
    )
    clean = during_rotation.clean_med_list(meds)
    assert list(clean["drug"]) == ["apixaban", "lisinopril", "lisinopril"]
    assert list(clean["needs_review"]) == [False, True, True]


def test_kit_med_list_shrinks_to_thirteen_rows_with_conflicts_and_abbreviations_flagged():
    clean = during_rotation.clean_med_list(load_dataset("med_list.csv"))
    assert len(clean) == 13 and clean["entries"].sum() == 17
    assert sorted(set(clean.loc[clean["needs_review"], "drug"])) == [
        "amlodipine",
        "atorvastatin",
        "furosemide",
        "lisinopril",
        "metoprolol succinate",
    ]


def test_unknown_frequency_is_kept_in_lower_case():
    assert during_rotation.normalise_frequency("Every 6 Hours") == "every 6 hours"


# ---------------------------------------------------------------- problem list
def _problems(rows):
    frame = pd.DataFrame(rows, columns=["problem", "status", "noted_on"])
    return frame.assign(noted_on=pd.to_datetime(frame["noted_on"]))


def test_latest_entry_decides_the_status():
    problems = _problems([("Community-acquired pneumonia", "active", "2023-01-30"), ("CAP", "resolved", "2023-02-14")])
    clean = during_rotation.clean_problem_list(problems)
    assert clean[["problem", "status"]].values.tolist() == [["community acquired pneumonia", "resolved"]]


def test_a_later_row_wins_a_tie_on_date():
    problems = _problems([("UTI", "active", "2024-12-01"), ("urinary tract infection", "resolved", "2024-12-01")])
    assert during_rotation.clean_problem_list(problems)["status"].item() == "resolved"


def test_active_problems_come_first_then_resolved_each_alphabetical():
    clean = during_rotation.clean_problem_list(load_dataset("problem_list.csv"))
    assert list(clean["status"]) == ["active"] * 5 + ["resolved"] * 3
    assert list(clean["problem"][:5]) == sorted(clean["problem"][:5])
    assert clean["problem"].is_unique


# ---------------------------------------------------------------- balance
def test_balance_counts_only_scheduled_minutes():
    plan = pd.DataFrame(
        {
            "kind": ["patient_care", "informatics", "informatics"],
            "minutes": [90, 10, 60],
            "window": ["busy", "calm", during_rotation.NOT_TODAY],
        }
    )
    check = during_rotation.balance_check(plan, WINDOWS)
    assert check == {"informatics_minutes": 10, "scheduled_minutes": 100, "share": 0.1, "calm_only": True, "ok": True}


def test_informatics_in_a_busy_window_fails_the_balance_check_even_when_small():
    plan = pd.DataFrame({"kind": ["patient_care", "informatics"], "minutes": [95, 5], "window": ["busy", "busy"]})
    check = during_rotation.balance_check(plan, WINDOWS)
    assert check["share"] == 0.05 and not check["calm_only"] and not check["ok"]


def test_too_much_informatics_fails_and_empty_day_passes():
    plan = pd.DataFrame({"kind": ["patient_care", "informatics"], "minutes": [60, 30], "window": ["busy", "calm"]})
    assert not during_rotation.balance_check(plan, WINDOWS)["ok"]
    assert during_rotation.balance_check(plan, WINDOWS, limit=0.5)["ok"]
    empty = plan.iloc[0:0]
    assert during_rotation.balance_check(empty, WINDOWS) == {
        "informatics_minutes": 0,
        "scheduled_minutes": 0,
        "share": 0.0,
        "calm_only": True,
        "ok": True,
    }


def test_balance_values_are_plain_python_types():
    plan = pd.DataFrame({"kind": ["informatics"], "minutes": [5], "window": ["calm"]})
    check = during_rotation.balance_check(plan, WINDOWS)
    assert [type(check[k]) for k in check] == [int, int, float, bool, bool]


def test_qd_and_od_are_flagged_for_the_pharmacist_never_converted():
    meds = pd.DataFrame(
        {
            "drug": ["Amlodipine", "Metoprolol", "Atorvastatin", "Lisinopril"],
            "dose": ["5 mg", "25 mg", "40 mg", "10 mg"],
            "frequency": ["QD", "OD", "qhs", "daily"],
        }
    )
    clean = during_rotation.clean_med_list(meds).set_index("drug")
    assert list(clean.loc[["amlodipine", "metoprolol", "atorvastatin"], "frequency"]) == ["qd", "od", "qhs"]
    assert clean.loc[["amlodipine", "metoprolol", "atorvastatin"], "needs_review"].all()
    assert not clean.loc["lisinopril", "needs_review"] and clean.loc["lisinopril", "frequency"] == "once daily"
    for abbreviation in ("qd", "q.d.", "od", "o.d."):
        assert during_rotation.normalise_frequency(abbreviation) == abbreviation
    assert "Joint Commission" in during_rotation.DO_NOT_CONVERT["qd"] and "ISMP" in during_rotation.DO_NOT_CONVERT["od"]


# ---------------------------------------------------------------- the main path's decisions


def _ward():
    return load_dataset("ward_tasks.csv"), load_dataset("ward_windows.csv")


def test_the_kits_plan_as_choices_passes_both_rules():
    tasks, windows = _ward()
    kit = during_rotation.plan_day(tasks, windows)
    choices = dict(zip(kit["task_id"], kit["window"], strict=True))
    plan = during_rotation.plan_from_choices(choices, tasks)
    assert during_rotation.care_problems(plan, tasks, windows) == []
    assert during_rotation.informatics_problems(plan, windows) == []


def test_a_full_window_a_too_early_task_and_a_skipped_patient_are_named():
    tasks, windows = _ward()
    choices = dict.fromkeys(tasks["task_id"], "not today")
    choices.update({"T01": "after-rounds", "T02": "pre-rounds", "T03": "pre-rounds", "T04": "pre-rounds"})
    problems = " ".join(
        during_rotation.care_problems(during_rotation.plan_from_choices(choices, tasks), tasks, windows)
    )
    assert "T02 cannot start before 10:00" in problems
    assert "pre-rounds has 60 minutes" in problems
    assert "T05 (patient_care) is 'not today'" in problems


def test_informatics_in_a_busy_window_or_instead_of_care_is_refused():
    tasks, windows = _ward()
    kit = during_rotation.plan_day(tasks, windows)
    choices = dict(zip(kit["task_id"], kit["window"], strict=True))
    busy = dict(choices, T13="afternoon")
    assert "not a calm window" in " ".join(
        during_rotation.informatics_problems(during_rotation.plan_from_choices(busy, tasks), windows)
    )
    displaced = dict(choices, T13="before-leaving", T09="not today")
    assert "T09" in " ".join(
        during_rotation.informatics_problems(during_rotation.plan_from_choices(displaced, tasks), windows)
    )


def test_plan_or_example_falls_back_to_the_kit_until_every_task_has_a_window():
    tasks, windows = _ward()
    half = dict.fromkeys(tasks["task_id"], ...)
    plan, source = during_rotation.plan_or_example(half, tasks, windows)
    assert source == "example" and plan.equals(during_rotation.plan_day(tasks, windows))
    full = dict.fromkeys(tasks["task_id"], "not today")
    assert during_rotation.plan_or_example(full, tasks, windows)[1] == "yours"


def test_copies_are_all_but_one_of_each_group_and_any_one_may_be_kept():
    meds = load_dataset("med_list.csv")
    groups = during_rotation.duplicate_groups(meds)
    assert sorted(map(sorted, groups)) == [["M01", "M02"], ["M03", "M04"], ["M09", "M10"], ["M11", "M12"]]
    assert during_rotation.duplicate_problems(["M01", "M04", "M09", "M12"], meds) == []
    assert during_rotation.duplicate_problems(["M02", "M04", "M10", "M12"], meds) == []
    assert during_rotation.duplicate_problems(["M01", "M02", "M04", "M10", "M12"], meds)
    assert during_rotation.duplicate_problems(["M02", "M04", "M10", "M12", "M05"], meds)


def test_qhs_is_not_read_as_at_bedtime_so_atorvastatin_is_a_conflict_and_a_flag():
    meds = load_dataset("med_list.csv")
    assert sorted(during_rotation.conflict_ids(meds)) == ["M05", "M06", "M07", "M08", "M14", "M15"]
    assert sorted(during_rotation.flag_ids(meds)) == ["M08", "M16", "M17"]
    draft = during_rotation.med_draft(meds, [], [], during_rotation.flag_ids(meds))
    flagged = draft[draft["entry_id"].isin(["M08", "M16", "M17"])]
    assert list(flagged["frequency"]) == ["qhs", "qd", "OD"]  # kept as written
    assert flagged["your_draft"].str.contains("kept as written").all()


def test_problem_picks_follow_the_latest_entry():
    problems = load_dataset("problem_list.csv")
    assert during_rotation.problem_list_problems(["P02", "P03", "P09", "P10", "P14"], problems, "active") == []
    assert during_rotation.problem_list_problems(["P05", "P07", "P12"], problems, "resolved") == []
    active_pneumonia = during_rotation.problem_list_problems(
        ["P02", "P04", "P08", "P11", "P14", "P05"], problems, "active"
    )
    assert any("pneumonia" in p for p in active_pneumonia)
    assert during_rotation.problem_list_problems(["P01", "P02", "P04", "P08", "P11", "P14"], problems, "active")


def test_visible_checks_pass_the_rules_and_explain_a_miss():
    tasks, windows = _ward()
    meds = load_dataset("med_list.csv")
    during_rotation.check_meds(during_rotation.flag_ids(meds), meds, "flags")
    with pytest.raises(CheckFailed, match="2 entries"):
        during_rotation.check_meds(["M16", "M17"], meds, "flags")
    during_rotation.check_moments(during_rotation.moment_key(), "a")
    with pytest.raises(CheckFailed):
        during_rotation.check_moments(dict(during_rotation.moment_key(), Q09="calm"), "b")
    during_rotation.check_verdict("yes", ..., tasks, windows)  # the kit's example plan is within the rule
    with pytest.raises(CheckFailed):
        during_rotation.check_choice("a", "answer_5_4", ("a", "b", "c"), "b", hint="", message="")


def test_final_draft_uses_the_kits_copies_until_exercise_5_3_is_answered(capsys):
    meds = load_dataset("med_list.csv")
    draft = during_rotation.show_final_draft(meds, [...], [...], during_rotation.flag_ids(meds))
    assert "the kit's, until Exercise 5.3" in capsys.readouterr().out
    merged = draft[draft["your_draft"].str.startswith("merge")]["entry_id"]
    assert sorted(merged) == ["M02", "M04", "M10", "M12"]
    assert during_rotation.show_final_draft(meds, [], [], [...]) is None
