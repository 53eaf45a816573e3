"""The capstone plan: parts with honest fallbacks, layout, checks, and HTML that escapes learner text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from rotation_kit.lessons import application, capstone, which_rotations
from rotation_kit.runtime import state
from rotation_kit.runtime.profile import SAMPLE_PROFILE, save_profile

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty my_plan folder, so each test starts as a learner who has saved nothing."""
    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    return tmp_path


def clean_plan(**changes):
    """A plan the checks accept: three rotations, one reach and two realistic picks, prompt thanks."""
    blocks = capstone.rotation_blocks([capstone.CORE, capstone.CORE, capstone.ELECTIVE], ["A", "B", "C"], "2026-02-02")
    draft = {
        "count": {"low": 2, "high": 3, "rationale": "usual target"},
        "blocks": blocks,
        "shortlist": pd.DataFrame({"program_name": ["A", "B", "C"], "role": ["reach", "realistic", "realistic"]}),
        "key_dates": dict(application.SAMPLE_KEY_DATES),
        "calendar": capstone.plan_calendar(blocks, application.SAMPLE_KEY_DATES),
    }
    draft.update(changes)
    return draft


def sections(draft):
    return list(capstone.plan_problems(draft)["section"])


# ------------------------------------------------------------------ gathering parts
def test_missing_parts_fall_back_and_every_section_says_so(home, capsys):
    parts = capstone.gather_parts()
    assert set(parts["sources"]) == set(capstone.MADE_IN)
    assert set(parts["sources"].values()) == {"example"}
    printed = capsys.readouterr().out
    for module in capstone.MADE_IN.values():
        assert f"module {module} makes yours" in printed
    assert parts["pitch"] == capstone.SAMPLE_PITCH
    assert parts["key_dates"] == application.SAMPLE_KEY_DATES
    assert set(parts["shortlist"]["role"]) == {"reach", "realistic"}


def test_with_your_profile_but_no_parts_the_kit_works_from_your_profile(home):
    mine = dict(SAMPLE_PROFILE, name="Ana", target_specialty="Pediatrics", has_usce=True, usce_months=3)
    save_profile(mine)
    parts = capstone.gather_parts(verbose=False)
    assert parts["sources"]["profile"] == "yours"
    assert parts["sources"]["count"] == parts["sources"]["shortlist"] == "example"
    # the sample learner's pitch, people and letters would describe someone else: left missing, not shown
    assert parts["sources"]["pitch"] == parts["sources"]["people"] == parts["sources"]["letters"] == "missing"
    assert parts["pitch"] is None
    assert parts["count"]["low"] == 1  # module 01's rule: USCE lowers the floor to one


def test_saved_parts_are_used_and_marked_yours(home):
    state.save_part("pitch", "My own pitch.")
    state.save_part(
        "key_dates",
        {"eras_submission": "2026-09-10", "interview_invitations": "2026-10-20", "match_results": "2027-03-19"},
    )
    state.save_part("shortlist", pd.DataFrame({"program_name": ["X"], "state": ["NJ"], "role": ["realistic"]}))
    state.save_part("rotation_order", ["Internal Medicine wards", "QI elective"])
    parts = capstone.gather_parts(verbose=False)
    assert parts["pitch"] == "My own pitch."
    assert parts["key_dates"]["eras_submission"] == "2026-09-10"
    assert list(parts["shortlist"]["program_name"]) == ["X"]
    assert [o["kind"] for o in parts["order"]] == [capstone.CORE, capstone.ELECTIVE]
    for key in ("pitch", "calendar", "shortlist", "order"):
        assert parts["sources"][key] == "yours"


def test_an_unreadable_or_unusable_part_falls_back_with_a_note(home):
    (home / "pitch.json").write_text("{not json", encoding="utf-8")
    state.save_part("key_dates", {"eras_submission": "soon"})
    parts = capstone.gather_parts(verbose=False)
    assert parts["pitch"] == capstone.SAMPLE_PITCH and parts["sources"]["pitch"] == "example"
    assert parts["key_dates"] == application.SAMPLE_KEY_DATES
    assert "run module 08_application again" in parts["notes"]["calendar"]
    assert "pitch" in parts["notes"]


@pytest.mark.parametrize(
    "value, expected",
    [
        (((1, 3), "why"), {"low": 1, "high": 3, "rationale": "why"}),
        ({"low": 2, "high": 2, "rationale": "r"}, {"low": 2, "high": 2, "rationale": "r"}),
        ({"range": [0, 1], "reason": "money"}, {"low": 0, "high": 1, "rationale": "money"}),
        ((3, 2), None),
        ("three", None),
        (((2, 1), "low above high"), None),
    ],
)
def test_count_is_read_from_module_01s_shapes(value, expected):
    assert capstone.normalise_count(value) == expected


@pytest.mark.parametrize(
    "text, kind",
    [
        ("core_clinical", capstone.CORE),
        ("Cardiology elective", capstone.CORE),
        ("clinical_informatics", capstone.EXPOSURE),
        ("Wards with a quality-improvement half-day", capstone.EXPOSURE),
        ("informatics_elective", capstone.ELECTIVE),
        ("QI elective", capstone.ELECTIVE),
        ("Quality improvement and patient safety elective", capstone.ELECTIVE),
    ],
)
def test_rotation_kinds_are_recognised_however_written(text, kind):
    assert capstone.kind_of(text) == kind


def test_every_module_02_category_has_a_plan_kind():
    assert {capstone.kind_of(c) for c in which_rotations.CATEGORIES} == set(capstone.KINDS)


def test_module_02s_saved_order_is_read_in_slot_order(home):
    saved = pd.DataFrame(
        {
            "slot": [2, 1, 3],
            "rotation_id": ["R02", "R01", "R24"],
            "title": ["Clinic", "Wards", "QI"],
            "host": ["H", "H", "H"],
            "category": ["core", "clinical_informatics", "informatics_elective"],
            "preference": [2, 1, 3],
        }
    )
    state.save_part("rotation_order", saved)
    order = capstone.gather_parts(verbose=False)["order"]
    assert order == [
        {"kind": capstone.EXPOSURE, "label": "Wards"},
        {"kind": capstone.CORE, "label": "Clinic"},
        {"kind": capstone.ELECTIVE, "label": "QI"},
    ]


def test_order_reads_tables_and_dicts_and_refuses_nonsense():
    table = pd.DataFrame({"title": ["Wards", "EHR informatics elective"], "category": ["core", "elective informatics"]})
    assert [o["kind"] for o in capstone.normalise_order(table)] == [capstone.CORE, capstone.ELECTIVE]
    assert capstone.normalise_order([]) is None and capstone.normalise_order([3, 4]) is None


# ------------------------------------------------------------------ layout and checks
def test_blocks_follow_one_another_with_a_break_and_say_when_a_host_is_missing():
    blocks = capstone.rotation_blocks([capstone.CORE] * 3, ["A"], "2026-02-02", weeks=4, break_weeks=1)
    assert list(blocks["host"]) == ["A", capstone.TO_BE_CHOSEN, capstone.TO_BE_CHOSEN]
    assert [str(d.date()) for d in blocks["start"]] == ["2026-02-02", "2026-03-09", "2026-04-13"]
    assert [str(d.date()) for d in blocks["end"]] == ["2026-03-01", "2026-04-05", "2026-05-10"]


def test_blocks_refuse_impossible_lengths():
    with pytest.raises(ValueError):
        capstone.rotation_blocks([capstone.CORE], [], "2026-02-02", weeks=0)


def test_count_stays_in_range_and_never_drops_to_zero():
    order = [{"kind": capstone.CORE}] * 5
    assert capstone.choose_count({"low": 2, "high": 3}, order) == 3
    assert capstone.choose_count({"low": 2, "high": 3}, order[:1]) == 2
    assert capstone.choose_count({"low": 0, "high": 0}, order) == 1
    assert capstone.slot_kinds(order[:1], 3) == [capstone.CORE] * 3


def test_a_clean_plan_has_no_problems():
    assert sections(clean_plan()) == []


def test_each_broken_rule_is_reported_in_order():
    blocks = capstone.rotation_blocks([capstone.ELECTIVE, capstone.CORE], ["A", "B"], "2026-02-02")
    broken = clean_plan(
        blocks=blocks,
        count={"low": 3, "high": 3},
        shortlist=pd.DataFrame({"program_name": ["A", "B", "C"], "role": ["reach", "reach", "reach"]}),
        key_dates=dict(application.SAMPLE_KEY_DATES, eras_submission="2026-03-15"),
        calendar=capstone.plan_calendar(blocks.iloc[:1], application.SAMPLE_KEY_DATES),
    )
    assert sections(broken) == ["count", "order", "shortlist", "shortlist", "dates", "calendar"]


def test_an_elective_second_is_allowed_as_faq_2_says_but_never_first():
    second = capstone.rotation_blocks([capstone.CORE, capstone.ELECTIVE], ["A", "B"], "2026-02-02")
    first = capstone.rotation_blocks([capstone.ELECTIVE, capstone.CORE], ["A", "B"], "2026-02-02")
    calendar = capstone.plan_calendar(second, application.SAMPLE_KEY_DATES)
    assert "order" not in sections(clean_plan(blocks=second, count={"low": 2, "high": 2}, calendar=calendar))
    assert "order" in sections(clean_plan(blocks=first, count={"low": 2, "high": 2}, calendar=calendar))


def test_a_thank_you_counts_only_after_the_last_day_within_three_days_and_at_that_host():
    blocks = clean_plan()["blocks"]

    def with_delay(days, host=None):
        rotations = pd.DataFrame(
            {"host": host or blocks["host"], "end_date": blocks["end"], "contacts": [[f"P{s}"] for s in blocks["slot"]]}
        )
        return sections(
            clean_plan(calendar=application.followup_calendar(rotations, application.SAMPLE_KEY_DATES, days))
        )

    assert with_delay(3) == []
    assert with_delay(4) == with_delay(0) == ["calendar"] * 3
    assert with_delay(1, host=["Z"] * 3) == ["calendar"] * 3


def test_progress_counts_your_parts_and_lists_modules_in_course_order():
    progress = capstone.plan_progress(
        {"profile": "yours", "calendar": "example", "count": "example", "pitch": "missing"}
    )
    assert progress == {"done": 1, "total": 4, "revisit": ["01_how_many", "04_before_rotation", "08_application"]}
    with pytest.raises(ValueError):
        capstone.plan_progress({"pitch": "mine"})


# ------------------------------------------------------------------ HTML
def test_learner_text_is_escaped_everywhere_it_appears(home):
    save_profile(dict(SAMPLE_PROFILE, name=f"Ana {SCRIPT}"))
    state.save_part("pitch", f"I care about safety & {SCRIPT}")
    state.save_part("letter_plan", [{"week": 1, "action": SCRIPT}])
    state.save_part(
        "rotation_people", {"host": "H", "attending": SCRIPT, "senior_resident": "T", "informatics_mentor": "none"}
    )
    state.save_part("workflow_project", {"title": SCRIPT, "weeks": [SCRIPT]})
    page = capstone.render_html(capstone.build_plan(notes=f"Next: {SCRIPT}"))
    assert "<script>" not in page
    assert page.count("&lt;script&gt;") >= 7  # title, heading, pitch, people, letters, project (twice), notes
    assert "safety &amp; &lt;script&gt;" in page


def test_html_is_a_printable_page_with_every_section():
    page = capstone.render_html(capstone.build_plan())
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "@media print" in page and "@page" in page
    for section in capstone.MADE_IN:
        assert f'<section id="{section}">' in page
    assert 'id="checks"' in page


def test_html_marks_sample_parts_and_names_the_module_to_run(home):
    page = capstone.render_html(capstone.build_plan())
    assert "sample learner" in page and "module 04_before_rotation makes yours" in page
    assert 'class="badge example"' in page and 'class="badge yours"' not in page


def test_html_survives_a_plan_with_parts_missing():
    page = capstone.render_html({"title": "Bare plan", "sources": {}})
    assert "Bare plan" in page and "0 away rotations" in page and "(nothing saved yet)" in page


def test_problems_are_listed_in_the_page():
    draft = capstone.build_plan()
    draft["problems"] = pd.DataFrame([("dates", f"late & {SCRIPT}")], columns=capstone.PROBLEM_COLUMNS)
    page = capstone.render_html(draft)
    assert "late &amp; &lt;script&gt;" in page and "1 thing to fix" in page


def test_save_html_writes_into_the_learners_plan_folder(home):
    path = capstone.save_html(capstone.build_plan())
    assert path == home / capstone.PLAN_FILE and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_parts_saved_by_tables_round_trip_through_json(home):
    state.save_part("letter_plan", pd.DataFrame({"week": [1, 2], "action": ["a", "b"]}))
    saved = json.loads((home / "letter_plan.json").read_text())
    assert saved["kind"] == "table"
    parts = capstone.gather_parts(verbose=False)
    assert list(parts["letters"]["action"]) == ["a", "b"] and parts["sources"]["letters"] == "yours"


def test_a_graduates_default_order_names_experiences_open_to_graduates():
    from rotation_kit.runtime.profile import SAMPLE_PROFILE

    graduate = capstone.sample_order(dict(SAMPLE_PROFILE, training_status="graduate"))
    student = capstone.sample_order(dict(SAMPLE_PROFILE, training_status="student", years_since_graduation=0))
    assert "externship" in graduate[0]["label"] and "externship" not in student[0]["label"]
    assert [o["kind"] for o in graduate] == [o["kind"] for o in student]


# ------------------------------------------------------------------ the main path's decisions
def sample_parts(home):
    return capstone.gather_parts(verbose=False)


def test_a_count_outside_the_profiles_range_and_doubled_hosts_are_caught(home):
    parts = sample_parts(home)  # the sample learner: 2-3 rotations; shortlist reach, realistic, realistic
    assert capstone.list_problems(2, [1, 2], parts) == {"count": [], "hosts": []}
    assert capstone.list_problems(3, [3, 1, 2], parts) == {"count": [], "hosts": []}
    found = capstone.list_problems(5, [1, 1], parts)
    assert found["count"] and any("twice" in p for p in found["hosts"])
    assert any("realistic" in p for p in capstone.list_problems(1, [1], parts)["hosts"])
    assert any("pick number" in p for p in capstone.list_problems(2, [1, 9], parts)["hosts"])
    assert capstone.list_problems("two", [1, 2], parts)["count"]


def test_too_many_reach_picks_are_caught():
    shortlist = pd.DataFrame({"program_name": list("ABCD"), "role": ["reach", "reach", "reach", "realistic"]})
    parts = {"count": {"low": 2, "high": 4}, "shortlist": shortlist}
    assert any("reach" in p for p in capstone.list_problems(4, [1, 2, 3, 4], parts)["hosts"])
    assert capstone.list_problems(3, [1, 2, 4], parts)["hosts"] == []


def test_the_timeline_needs_real_lengths_and_rotations_that_end_before_eras():
    good = {"first_start": "2026-02-02", "weeks": 4, "break_weeks": 1}
    blocks = capstone.rotation_blocks([capstone.CORE] * 3, ["A", "B", "C"], good["first_start"])
    assert capstone.timeline_problems(good, blocks, application.SAMPLE_KEY_DATES) == {"shape": [], "season": []}
    assert capstone.timeline_problems(dict(good, weeks=6), None, application.SAMPLE_KEY_DATES)["shape"]
    assert capstone.timeline_problems(dict(good, first_start="soon"), None, application.SAMPLE_KEY_DATES)["shape"]
    late = capstone.rotation_blocks([capstone.CORE] * 2, ["A", "B"], "2026-07-06")
    season = capstone.timeline_problems(dict(good, first_start="2026-07-06"), late, application.SAMPLE_KEY_DATES)[
        "season"
    ]
    assert len(season) == 1 and "rotation 2" in season[0]
    early = capstone.rotation_blocks([capstone.CORE], ["A"], "2025-06-02")
    assert (
        "12 months"
        in capstone.timeline_problems(dict(good, first_start="2025-06-02"), early, application.SAMPLE_KEY_DATES)[
            "season"
        ][0]
    )


def test_risks_must_differ_fit_the_profile_and_have_a_fallback_that_answers_them():
    visa = dict(SAMPLE_PROFILE, needs_visa=True, has_usce=True, training_gap_months=0, budget_usd=50000)
    good = {"risk_1": "R2", "fallback_1": "F2", "risk_2": "R4", "fallback_2": "F4"}
    assert capstone.risk_problems(good, visa, 2) == {"risks": [], "fallbacks": []}
    assert capstone.profile_risks(visa, 2) == ["R2"]
    assert capstone.risk_problems(dict(good, risk_1="R4"), visa, 2)["risks"]  # the same risk twice
    assert capstone.risk_problems(dict(good, risk_1="R3", fallback_1="F3"), visa, 2)["risks"]  # none from the profile
    assert capstone.risk_problems(dict(good, fallback_1="F1"), visa, 2)["fallbacks"]
    assert capstone.risk_problems({"risk_1": "R2"}, visa, 2)["risks"]
    assert "R1" in capstone.profile_risks(dict(visa, budget_usd=5000), 2)


def test_decisions_lay_out_the_plan_and_the_kit_stands_in_for_unanswered_ones(home):
    parts = sample_parts(home)
    mine = capstone.decided_blocks(
        parts, 2, [2, 1], {"first_start": "2026-03-02", "weeks": 3, "break_weeks": 0}, verbose=False
    )
    table = capstone.pick_table(parts["shortlist"])
    assert list(mine["host"]) == [table.loc[2, "program_name"], table.loc[1, "program_name"]]
    assert [str(d.date()) for d in mine["start"]] == ["2026-03-02", "2026-03-23"]
    kit = capstone.decided_blocks(
        parts, ..., [...], {"first_start": ..., "weeks": ..., "break_weeks": ...}, verbose=False
    )
    assert len(kit) == capstone.choose_count(parts["count"], parts["order"])
    assert str(kit["start"].iloc[0].date()) == capstone.SAMPLE_FIRST_START
    assert capstone.risk_notes(...) == ""
    assert "visa" in capstone.risk_notes({"risk_1": "R2", "fallback_1": "F2", "risk_2": "R1", "fallback_2": "F1"})


def test_hosts_may_be_picked_by_their_exact_name(home):
    parts = sample_parts(home)
    names = list(capstone.pick_table(parts["shortlist"])["program_name"])
    assert capstone.list_problems(2, [names[0].upper(), 2], parts)["hosts"] == []
    blocks = capstone.decided_blocks(
        parts, 2, [names[1], 1], {"first_start": "2026-02-02", "weeks": 4, "break_weeks": 1}, verbose=False
    )
    assert list(blocks["host"]) == [names[1], names[0]]
