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


def test_every_record_becomes_an_honest_entry_within_the_limit(records):
    for _, record in records.iterrows():
        for limit in (app.DESCRIPTION_LIMIT, 200, 80):
            entry = app.experience_entry(record, limit)
            assert len(entry["description"]) <= limit
            assert entry["description"].startswith(record["clinical_summary"][:20])
        entry = app.experience_entry(record)
        assert app.claims_beyond(entry["description"], record["involvement"]) == []
        assert app.HONEST_LABELS[record["involvement"]] + ":" in entry["description"]
        assert entry["experience_type"] == app.EXPERIENCE_TYPE


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
    assert list(sample["reading"]) == [app.READINGS["filled"]]
    assert list(peer["reading"]) == [app.READINGS["empty"], app.READINGS["partly"]]


# ------------------------------------------------------------------ talking points and the paragraph
def test_talking_points_start_with_the_busiest_core_clinical_rotation(records):
    mine = records[records["learner"] == "sample"]
    assert app.pick_talking_points(mine) == {
        "clinician_first": "R01",
        "workflows_and_ehr": ["R01", "R02", "R03"],
        "concrete_example": "R03",
    }


def test_talking_point_ties_go_to_the_earliest_clinical_and_latest_example(records):
    tied = records[records["learner"] == "sample"].assign(hours_per_week=50, involvement="observed")
    picks = app.pick_talking_points(tied.iloc[::-1])
    assert picks["clinician_first"] == "R01" and picks["concrete_example"] == "R03"


def test_without_core_rotations_any_rotation_can_be_the_clinical_point(records):
    elective_only = records[records["kind"] != "core_clinical"]
    assert app.pick_talking_points(elective_only)["clinician_first"] == "R03"


def test_talking_points_name_the_example_with_its_honest_label(records):
    points = app.talking_points(records[records["learner"] == "peer"])
    assert points["concrete_example"].startswith(app.HONEST_LABELS["tested_change"])
    assert len(points["workflows_and_ehr"]) == 3


def test_paragraph_elements_catch_length_and_inflation():
    text = ("I led a project. " * 60).strip()  # 240 words
    found = app.paragraph_elements(text, "observed")
    assert found["length"] is False and found["honest"] is False
