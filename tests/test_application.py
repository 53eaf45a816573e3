"""Module 08's reference functions: honest ERAS entries, the follow-up calendar, gaps and talking points."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import application as app
from rotation_kit.runtime.loaders import load_dataset


def periods(*pairs):
    """A table of periods from (start, end) pairs; None as the end means ongoing."""
    return pd.DataFrame(
        {
            "start": [pd.Timestamp(s) for s, _ in pairs],
            "end": [pd.NaT if e is None else pd.Timestamp(e) for _, e in pairs],
        }
    )


def gap_list(frame):
    return [(str(s.date()), str(e.date()), d) for s, e, d in frame.itertuples(index=False)]


@pytest.fixture(scope="module")
def records():
    return load_dataset("rotation_records.csv")


@pytest.fixture(scope="module")
def timeline():
    return load_dataset("training_timeline.csv")


# ------------------------------------------------------------------ honest naming
def test_an_observation_written_as_a_led_project_is_flagged():
    assert app.claims_beyond("Led a project on sepsis alerts.", "observed") == ["led", "project"]


def test_claims_at_or_below_the_rung_are_not_flagged():
    assert app.claims_beyond("Collected data for a small project.", "collected_data") == []
    assert app.claims_beyond("Led and launched it.", "led") == []


def test_claim_words_match_whole_words_only_and_once():
    assert app.claims_beyond("He misled nobody; LED, led and Led.", "observed") == ["led"]


def test_unknown_involvement_is_refused():
    with pytest.raises(ValueError, match="shadowed"):
        app.claims_beyond("Observed rounds.", "shadowed")


def test_every_honest_label_passes_its_own_rung():
    for rung, label in app.HONEST_LABELS.items():
        assert app.claims_beyond(label, rung) == [], rung


# ------------------------------------------------------------------ fitting the ERAS limit
def test_text_at_exactly_the_limit_is_kept_whole():
    text = app.fit_to_limit(["abcd", "efgh"], limit=11)
    assert text == "abcd. efgh." and len(text) == 11


def test_whole_sentences_are_dropped_from_the_end_first():
    assert app.fit_to_limit(["First one", "Second one", "Third one"], limit=25) == "First one. Second one."


def test_a_single_long_sentence_is_cut_at_a_word_with_an_ellipsis():
    text = app.fit_to_limit(["one two three four five six"], limit=15)
    assert len(text) <= 15 and text.endswith("\u2026") and text.startswith("one two")
    assert not text[:-1].endswith(" ")


# ------------------------------------------------------------------ follow-up calendar
def test_thank_you_goes_out_the_day_after_and_each_person_gets_one_update_per_milestone():
    rotations = pd.DataFrame(
        {
            "host": ["A", "B"],
            "end_date": pd.to_datetime(["2026-03-01", "2026-05-03"]),
            "contacts": [["Ames", "Bell"], ["Cole", "Ames"]],
        }
    )
    calendar = app.followup_calendar(rotations, app.SAMPLE_KEY_DATES)
    thanks = calendar[calendar["action"] == app.THANK_YOU]
    assert list(thanks["to"]) == ["Ames", "Bell", "Cole", "Ames"]
    assert thanks["date"].iloc[0] == pd.Timestamp("2026-03-02")
    updates = calendar[calendar["action"] != app.THANK_YOU]
    assert len(updates) == 3 * 3
    assert set(updates.loc[updates["to"] == "Ames", "host"]) == {"A"}
    assert calendar["date"].is_monotonic_increasing


def test_rows_sort_by_date_keep_same_day_order_and_put_an_unknown_end_last():
    rotations = pd.DataFrame(
        {
            "host": ["Late", "Open", "Early"],
            "end_date": [pd.Timestamp("2026-05-01"), pd.NaT, pd.Timestamp("2026-03-01")],
            "contacts": [["Ames"], ["Bell", "Cole"], ["Dunn"]],
        }
    )
    calendar = app.followup_calendar(rotations, app.SAMPLE_KEY_DATES)
    dated = calendar.dropna(subset=["date"])
    assert dated["date"].is_monotonic_increasing, f"rows out of date order: {list(calendar['date'])}"
    assert list(calendar["to"].tail(2)) == ["Bell", "Cole"], "the open rotation's thank-yous should come last"
    eras = calendar[calendar["action"] == app.MILESTONES["eras_submission"]]
    assert list(eras["to"]) == ["Ames", "Bell", "Cole", "Dunn"], "same-day updates keep the order people were met"


def test_an_empty_calendar_keeps_its_columns_and_their_kinds():
    nobody = pd.DataFrame({"host": [], "end_date": pd.to_datetime([]), "contacts": []})
    calendar = app.followup_calendar(nobody, app.SAMPLE_KEY_DATES)
    assert list(calendar.columns) == app.CALENDAR_COLUMNS and len(calendar) == 0
    assert str(calendar["date"].dtype).startswith("datetime64"), calendar.dtypes.to_dict()
    assert all(calendar[c].dtype == object for c in ("action", "to", "host")), calendar.dtypes.to_dict()


def test_calendar_needs_every_milestone_date():
    rotations = pd.DataFrame({"host": ["A"], "end_date": [pd.Timestamp("2026-03-01")], "contacts": [["Ames"]]})
    with pytest.raises(KeyError, match="match_results"):
        app.followup_calendar(rotations, {"eras_submission": "2026-09-01", "interview_invitations": "2026-10-01"})


def test_timeline_plot_summarises_the_calendar(records):
    calendar = app.followup_calendar(records[records["learner"] == "sample"], app.SAMPLE_KEY_DATES)
    fig, summary = app.followup_timeline(calendar)
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_title()
    assert "6 thank-you notes" in summary and "02 Sep 2026" in summary


# ------------------------------------------------------------------ gaps
def test_touching_periods_leave_no_gap():
    assert app.find_gaps(periods(("2020-01-01", "2020-06-30"), ("2020-07-01", "2020-12-31")), "2020-12-31").empty


def test_a_one_day_hole_is_a_one_day_gap():
    gaps = app.find_gaps(periods(("2020-01-01", "2020-01-31"), ("2020-02-02", "2020-02-28")), "2020-02-28")
    assert gap_list(gaps) == [("2020-02-01", "2020-02-01", 1)]


def test_nested_periods_do_not_open_a_gap():
    gaps = app.find_gaps(
        periods(("2020-01-01", "2020-12-31"), ("2020-03-01", "2020-04-30"), ("2021-01-01", "2021-03-31")), "2021-03-31"
    )
    assert gaps.empty


def test_overlapping_periods_in_any_order_merge():
    gaps = app.find_gaps(
        periods(("2021-03-01", "2021-03-31"), ("2020-05-01", "2020-08-31"), ("2020-01-01", "2020-06-30")), "2021-03-31"
    )
    assert gap_list(gaps) == [("2020-09-01", "2021-02-28", 181)]


def test_an_open_ended_period_runs_to_as_of():
    assert app.find_gaps(periods(("2020-01-01", "2020-01-10"), ("2020-01-11", None)), "2020-06-30").empty


def test_time_since_the_last_period_is_a_gap():
    gaps = app.find_gaps(periods(("2020-01-01", "2020-01-31")), "2020-03-31")
    assert gap_list(gaps) == [("2020-02-01", "2020-03-31", 60)]


def test_periods_after_as_of_are_ignored_and_ends_are_clipped():
    assert gap_list(
        app.find_gaps(periods(("2020-01-01", "2020-01-31"), ("2020-06-01", "2020-06-30")), "2020-03-31")
    ) == [("2020-02-01", "2020-03-31", 60)]
    assert app.find_gaps(periods(("2020-01-01", "2020-12-31")), "2020-06-30").empty


def test_min_days_drops_short_breaks():
    table = periods(("2020-01-01", "2020-01-31"), ("2020-02-02", "2020-02-28"))
    assert app.find_gaps(table, "2020-02-28", min_days=2).empty


def test_no_periods_means_no_gaps():
    assert app.find_gaps(periods(), "2020-01-01").columns.tolist() == app.GAP_COLUMNS


def test_overlapping_activities_cover_each_day_once():
    acts = periods(("2023-12-20", "2024-01-10"), ("2024-01-05", "2024-01-15"))
    assert app.covered_days("2024-01-01", "2024-01-31", acts) == 15


def test_an_ongoing_activity_covers_to_the_end_of_the_gap():
    assert app.covered_days("2024-01-01", "2024-12-31", periods(("2024-11-01", None))) == 61


def test_activities_outside_the_gap_cover_nothing():
    acts = periods(("2023-01-01", "2023-12-31"), ("2025-01-01", "2025-02-01"))
    assert app.covered_days("2024-01-01", "2024-12-31", acts) == 0


def test_touching_activities_add_up_without_double_counting():
    acts = periods(("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29"))
    assert app.covered_days("2024-01-01", "2024-12-31", acts) == 60


def test_sample_learners_gap_reads_as_intentional_and_peers_family_leave_does_not(timeline):
    def report(learner):
        rows = timeline[timeline["learner"] == learner]
        gaps = app.find_gaps(rows[rows["kind"] == "clinical"], "2026-08-31", 90)
        return app.gap_report(gaps, rows[rows["kind"] == "informatics"])

    sample, peer = report("sample"), report("peer")
    # the sample's two long gaps: the USMLE year (the informatics certificate and audit) and the months since
    # her last rotation (the Python course she is taking)
    assert list(sample["reading"]) == [app.READINGS["filled"]] * 2
    assert list(peer["reading"]) == [app.READINGS["empty"], app.READINGS["partly"]]


# ------------------------------------------------------------------ talking points and the paragraph
def test_talking_points_name_the_example_with_its_honest_label(records):
    picks = {"clinician_first": "R04", "workflows_and_ehr": ["R04", "R05", "R06"], "concrete_example": "R06"}
    points = app.talking_points(records[records["learner"] == "peer"], picks)
    assert points["concrete_example"].startswith(app.HONEST_LABELS["tested_change"])
    assert len(points["workflows_and_ehr"]) == 3


def test_paragraph_elements_catch_length_and_inflation():
    text = ("I led a project. " * 60).strip()  # 240 words
    found = app.paragraph_elements(text, "observed")
    assert found["length"] is False and found["honest"] is False


# ------------------------------------------------------------------ the main path's decisions
def _mine(records):
    return records[records["learner"] == "sample"].reset_index(drop=True)


def test_the_kits_draft_entry_fits_and_is_honest_for_every_record(records):
    for _, record in records.iterrows():
        draft = app.draft_entry(record)
        assert app.entry_problems(draft, records) == {"fit": [], "honest": []}, record["record_id"]
        assert app.entry_description(draft).startswith(record["clinical_summary"])


def test_an_entry_that_claims_leadership_for_an_observation_is_flagged(records):
    draft = app.draft_entry(_mine(records).iloc[0])  # R01: observed
    inflated = {**draft, "informatics": "Led a project that reduced sepsis alert delays."}
    problems = app.entry_problems(inflated, _mine(records))
    assert problems["fit"] == [] and "led" in problems["honest"][0] and "reduced" in problems["honest"][0]


def test_an_entry_over_the_limit_or_with_an_empty_sentence_does_not_fit(records):
    draft = app.draft_entry(_mine(records).iloc[2])
    long = {**draft, "learned": "Learned " + "a great deal about the pharmacy queue " * 30}
    assert any("limit" in p for p in app.entry_problems(long, _mine(records))["fit"])
    assert any("clinical" in p for p in app.entry_problems({**draft, "clinical": ""}, _mine(records))["fit"])
    assert any("record_id" in p for p in app.entry_problems({**draft, "record_id": "R09"}, _mine(records))["fit"])
    assert app.entry_problems("text", _mine(records))["fit"]


def test_thank_you_timing_and_eras_after_the_rotations(records):
    assert app.thank_you_problems(1) == [] and app.thank_you_problems(0) == []
    assert app.thank_you_problems(10) and app.thank_you_problems("1") and app.thank_you_problems(True)
    assert app.eras_timing_problems(app.SAMPLE_KEY_DATES, _mine(records)) == []
    early = dict(app.SAMPLE_KEY_DATES, eras_submission="2026-04-01")
    assert "before your last rotation" in app.eras_timing_problems(early, _mine(records))[0]
    assert app.key_date_problems(dict.fromkeys(app.MILESTONES, ...))


def test_gap_plan_rules_on_the_peers_gaps(timeline):
    gaps = app.gap_table(timeline, "peer", "2026-08-31")
    assert list(gaps["id"]) == ["G1", "G2", "G3", "G4"] and gaps.loc[0, "what_happened"] == "Family leave"
    good = {
        "G1": {"choice": "b", "line": "A year of family leave to care for a parent."},
        "G2": {"choice": "b", "line": "Exam preparation, with a short statistics course."},
        "G3": {"choice": "c", "line": ""},
        "G4": {"choice": "c", "line": ""},
    }
    assert app.gap_plan_problems(good, gaps) == {"choices": [], "lines": []}
    unexplained = {**good, "G1": {"choice": "c", "line": ""}}
    assert any("explain" in p for p in app.gap_plan_problems(unexplained, gaps)["choices"])
    claimed = {**good, "G1": {"choice": "a", "line": "Informatics self-study during family leave."}}
    assert any("no informatics work" in p for p in app.gap_plan_problems(claimed, gaps)["choices"])
    sorry = {**good, "G1": {"choice": "b", "line": "Sorry, I had to take family leave for a year."}}
    assert any("apology" in p for p in app.gap_plan_problems(sorry, gaps)["lines"])


def test_a_mostly_covered_gap_must_name_the_informatics_work(timeline):
    gaps = app.gap_table(timeline, "sample", "2026-08-31")
    plan = {g: {"choice": "b", "line": "Prepared for the USMLE exams during this time."} for g in gaps["id"]}
    assert len(app.gap_plan_problems(plan, gaps)["choices"]) == len(gaps)
    named = {
        g: {"choice": "a", "line": "Completed a health informatics certificate and a Python course."}
        for g in gaps["id"]
    }
    assert app.gap_plan_problems(named, gaps) == {"choices": [], "lines": []}


def test_talking_point_picks_put_the_clinician_first_and_a_real_example(records):
    mine = _mine(records)
    good = {"clinician_first": "R02", "workflows_and_ehr": ["R01", "R03"], "concrete_example": "R02"}
    assert app.talking_point_problems(good, mine) == {"picks": [], "workflows": []}
    elective_first = {**good, "clinician_first": "R03", "concrete_example": "R01"}
    assert len(app.talking_point_problems(elective_first, mine)["picks"]) == 2
    assert app.talking_point_problems({**good, "workflows_and_ehr": ["R01"]}, mine)["workflows"]
    electives = records[records["kind"] != "core_clinical"]
    assert app.talking_point_problems(
        {**good, "clinician_first": "R03", "workflows_and_ehr": ["R03", "R06"]}, electives
    )["picks"] == ["concrete_example: use one of R03, R06."]


def test_paragraph_elements_accept_natural_phrasing():
    found = app.paragraph_elements(
        "The woman's chart in Epic showed the alert; I will stay a physician first.", "observed"
    )
    assert found["specific_case"] and found["ehr_or_data"] and found["clinician_first"]
    assert app.paragraph_problems("short", "observed") and app.paragraph_problems("x", "boss")
