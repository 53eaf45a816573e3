"""Letters and relationships: likely writers by week 2, the plan's order, the packet, ERAS assignment, the message."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import letters
from rotation_kit.runtime.loaders import load_dataset

GOOD_PLAN = [
    {"week": 1, "action": "identify_writers"},
    {"week": 2, "action": "ask_feedback"},
    {"week": 3, "action": "show_progress"},
    {"week": 4, "action": "goals_conversation"},
    {"week": 4, "action": "ask_letter"},
    {"week": 4, "action": "send_packet"},
    {"week": 4, "action": "thank_you"},
]
GOOD_PACKET = {
    "cv": "cv_2025.pdf",
    "personal_statement": "personal_statement_draft.pdf",
    "case_bullets": [
        "Admitted the older man with DKA overnight and presented him on rounds",
        "Led the family meeting notes for the woman with new heart failure",
    ],
    "informatics_bullets": ["Timed the discharge steps for two weeks and showed the pharmacy wait"],
}
GOOD_MESSAGE = (
    "Dear Dr. Ostrand, thank you for supervising me on the wards this month; I learned a great deal from your "
    "teaching on admissions. I am applying to Internal Medicine residency this cycle and hope to pursue "
    "clinical informatics later. Based on our work together, would you feel able to write a strong letter "
    "of recommendation for my applications, and if possible mention my discharge-timing project? I would "
    "send my CV, a personal statement draft and a few bullet points about the patients we cared for. My "
    "ERAS deadline is September 1. I completely understand if your schedule does not allow it. With thanks, Ana"
)


def _log(rows):
    return pd.DataFrame(rows, columns=["week", "person", "role", "setting", "minutes", "informatics_talk"])


def test_writers_by_week_two_rank_breadth_and_interest_above_raw_time():
    ranked = letters.writer_scores(load_dataset("interaction_log.csv"))
    assert list(ranked["person"])[:2] == ["Dr. Mirela Ostrand", "Dr. Halvor Quennet"]
    assert "Dr. Ilse Brannock" not in set(ranked["person"])  # only met in week 3


def test_only_attendings_are_ranked():
    ranked = letters.writer_scores(load_dataset("interaction_log.csv"))
    assert not any("PharmD" in p or "RN" in p for p in ranked["person"])
    assert "Dr. Pavo Linderke" not in set(ranked["person"])


def test_score_follows_the_stated_formula():
    log = _log(
        [
            (1, "A", "attending", "rounds", 100, "interested"),
            (1, "B", "attending", "clinic", 50, "not discussed"),
            (2, "B", "attending", "night call", 50, "dismissive"),
            (2, "B", "attending", "admissions", 50, "neutral"),
        ]
    )
    ranked = letters.writer_scores(log).set_index("person")
    assert ranked.loc["A", "score"] == pytest.approx(0.5 * 100 / 150 + 0.3 * 1 / 4 + 0.2 * 1.0)
    assert ranked.loc["B", "score"] == pytest.approx(0.5 * 1 + 0.3 * 3 / 4 + 0.2 * 0.25)


def test_no_attendings_yet_gives_an_empty_table():
    log = _log([(1, "R", "senior resident", "rounds", 100, "interested")])
    assert letters.writer_scores(log).empty


def test_a_sound_relationship_plan_has_no_problems():
    assert letters.relationship_problems(GOOD_PLAN) == []


def test_relationship_plan_timing_rules():
    late = [{"week": 3, "action": "identify_writers"}, *GOOD_PLAN[1:]]
    assert "late_identify" in letters.relationship_problems(late)
    feedback_last = [GOOD_PLAN[0], {"week": 4, "action": "ask_feedback"}, *GOOD_PLAN[3:]]
    assert "late_feedback" in letters.relationship_problems(feedback_last)
    early_goals = [GOOD_PLAN[0], GOOD_PLAN[1], {"week": 2, "action": "goals_conversation"}, *GOOD_PLAN[4:]]
    assert letters.relationship_problems(early_goals) == ["early_goals", "missing_show_progress"]


def test_relationship_plan_order_rules():
    swapped = [*GOOD_PLAN[:3], GOOD_PLAN[4], GOOD_PLAN[3], *GOOD_PLAN[5:]]
    assert letters.relationship_problems(swapped) == ["letter_before_goals"]
    packet_first = [*GOOD_PLAN[:4], GOOD_PLAN[5], GOOD_PLAN[4], GOOD_PLAN[6]]
    assert letters.relationship_problems(packet_first) == ["packet_before_letter"]
    backwards = [GOOD_PLAN[1], GOOD_PLAN[0], *GOOD_PLAN[2:]]
    assert "weeks_go_backwards" in letters.relationship_problems(backwards)


def test_relationship_plan_reports_missing_and_malformed_items():
    assert "missing_ask_letter" in letters.relationship_problems([p for p in GOOD_PLAN if p["action"] != "ask_letter"])
    for action in ("show_progress", "thank_you"):
        assert f"missing_{action}" in letters.relationship_problems([p for p in GOOD_PLAN if p["action"] != action])
    assert "unknown_action" in letters.relationship_problems([*GOOD_PLAN, {"week": 4, "action": "bake_cake"}])
    assert "bad_week" in letters.relationship_problems([*GOOD_PLAN, {"week": 5, "action": "thank_you"}])
    assert "bad_item" in letters.relationship_problems([*GOOD_PLAN, "thank everyone"])
    assert letters.relationship_problems("plan") == ["bad_item"]


def test_a_ready_packet_has_no_problems():
    assert letters.packet_problems(GOOD_PACKET) == []


def test_packet_flags_missing_parts_vague_bullets_and_identifiers():
    assert letters.packet_problems({**GOOD_PACKET, "cv": ""}) == ["missing_cv"]
    assert letters.packet_problems({**GOOD_PACKET, "case_bullets": GOOD_PACKET["case_bullets"][:1]}) == ["few_cases"]
    assert letters.packet_problems({**GOOD_PACKET, "informatics_bullets": []}) == ["no_informatics"]
    vague = {**GOOD_PACKET, "case_bullets": [*GOOD_PACKET["case_bullets"], "the DKA patient"]}
    assert letters.packet_problems(vague) == ["vague_bullet"]
    named = {
        **GOOD_PACKET,
        "case_bullets": [
            *GOOD_PACKET["case_bullets"],
            "Presented Mr. Jones with sepsis on rounds every single morning",
        ],
    }
    assert letters.packet_problems(named) == ["identifier"]
    mrn = {
        **GOOD_PACKET,
        "case_bullets": [
            *GOOD_PACKET["case_bullets"],
            "Followed the patient with record 40012345 through her whole admission",
        ],
    }
    assert letters.packet_problems(mrn) == ["identifier"]
    assert "missing_personal_statement" in letters.packet_problems(None)


def _letters():
    return pd.DataFrame(
        [
            ("L1", "Internal Medicine", "P001", True, True),
            ("L2", "Internal Medicine", "P002", True, False),
            ("L3", "any", "", False, True),
            ("L4", "Internal Medicine", "", False, False),
            ("L5", "Pediatrics", "", True, False),
        ],
        columns=["letter_id", "specialty", "site_program_id", "us_clinical", "mentions_informatics"],
    )


def test_letters_go_to_programs_best_first_and_within_the_request():
    apps = pd.DataFrame(
        {"program_id": ["P002", "P009"], "specialty": ["Internal Medicine"] * 2, "letters_requested": [3, 4]}
    )
    got = letters.assign_letters(_letters(), apps)
    assert list(got[got.program_id == "P002"]["letter_id"]) == ["L2", "L1", "L3"]
    assert list(got[got.program_id == "P009"]["letter_id"]) == ["L1", "L2", "L3", "L4"]
    assert list(got[got.program_id == "P009"]["slot"]) == [1, 2, 3, 4]


def test_letters_for_another_specialty_are_never_sent():
    apps = pd.DataFrame({"program_id": ["X"], "specialty": ["Pediatrics"], "letters_requested": [4]})
    assert list(letters.assign_letters(_letters(), apps)["letter_id"]) == ["L5", "L3"]


def test_more_than_four_letters_per_program_is_refused():
    apps = pd.DataFrame({"program_id": ["X"], "specialty": ["Internal Medicine"], "letters_requested": [5]})
    with pytest.raises(ValueError):
        letters.assign_letters(_letters(), apps)


def test_example_letters_use_the_shortlisted_sites():
    shortlist = pd.DataFrame({"program_id": ["P010", "P020", "P030"]})
    example = letters.example_letters(shortlist, "Internal Medicine")
    assert list(example["site_program_id"])[:2] == ["P010", "P020"]
    assert "Internal Medicine" not in set(example.loc[example.letter_id == "L5", "specialty"])


def test_a_complete_message_has_every_element():
    assert letters.message_problems(GOOD_MESSAGE) == []


def test_message_elements_are_each_detected():
    assert "strong_letter" in letters.message_problems(GOOD_MESSAGE.replace("strong letter", "letter"))
    assert "easy_out" in letters.message_problems(
        GOOD_MESSAGE.replace("I completely understand if your schedule does not allow it.", "")
    )
    assert "deadline" in letters.message_problems(GOOD_MESSAGE.replace("My ERAS deadline is September 1.", ""))
    assert "length" in letters.message_problems("Thank you. Could you write a strong letter?")
    assert set(letters.message_problems(None)) >= {"thanks", "strong_letter", "length"}


def test_progress_follows_the_feedback_a_week_later_and_thanks_come_in_the_last_week():
    same_week = [dict(p, week=2) if p["action"] == "show_progress" else p for p in GOOD_PLAN]
    assert "progress_before_feedback" in letters.relationship_problems(same_week)
    early_thanks = [p for p in GOOD_PLAN if p["action"] != "thank_you"]
    early_thanks.insert(3, {"week": 3, "action": "thank_you"})
    assert "early_thank_you" in letters.relationship_problems(early_thanks)


def test_network_moves_are_the_follow_ups_the_guide_names():
    assert letters.network_moves() == ["N1", "N2", "N3", "N4"]


# ------------------------------------------------------------------ the main path's decisions
WEEK_PLAN = {
    1: ["identify_writers"],
    2: ["ask_feedback"],
    3: ["show_progress"],
    4: ["goals_conversation", "ask_letter", "send_packet", "thank_you"],
    "after": ["N1", "N2", "N3", "N4"],
}


@pytest.fixture(scope="module")
def table():
    return letters.writer_table(load_dataset("interaction_log.csv"), by_week=2)


def test_the_writer_table_lists_everyone_but_scores_only_attendings(table):
    assert list(table["id"])[:2] == ["W1", "W2"] and table.loc[0, "person"] == "Dr. Mirela Ostrand"
    others = table[table["role"] != "attending"]
    assert len(others) and others["score"].isna().all()
    assert "Dr. Ilse Brannock" not in set(table["person"])  # met only in week 3


def test_good_picks_have_the_strongest_attending_first_with_breadth_and_interest(table):
    assert letters.pick_problems(["W1", "W3"], table) == {"who": [], "best": []}
    assert letters.pick_problems(["Dr. Ostrand", "Dr. Tervelle", "W4"], table) == {"who": [], "best": []}


def test_a_resident_or_nurse_is_not_a_letter_writer(table):
    resident = table[table["role"] == "senior resident"]["id"].iloc[0]
    assert "senior resident" in letters.pick_problems(["W1", resident], table)["who"][0]


def test_the_most_minutes_alone_does_not_make_the_first_pick(table):
    quennet = table[table["person"] == "Dr. Halvor Quennet"]["id"].iloc[0]
    best = letters.pick_problems([quennet, "W4"], table)["best"]
    assert any("strongest" in p for p in best) and any("informatics" in p for p in best)


def test_picks_must_be_two_or_three_known_people_each_once(table):
    assert letters.pick_problems(["W1"], table)["who"]
    assert letters.pick_problems(["W1", "W1"], table)["who"]
    assert letters.pick_problems(["W1", "W99"], table)["who"]
    assert letters.pick_problems("W1", table)["who"]


def test_a_week_plan_that_asks_for_feedback_by_week_two_passes():
    assert letters.week_plan_problems(WEEK_PLAN) == {"early": [], "end": []}
    assert letters.network_problems(WEEK_PLAN) == []
    assert [s["week"] for s in letters.plan_steps(WEEK_PLAN)] == [1, 2, 3, 4, 4, 4, 4]


def test_feedback_in_week_three_is_too_late_and_the_ask_follows_the_goals_talk():
    late = {**WEEK_PLAN, 2: [], 3: ["ask_feedback"], 4: ["show_progress", *WEEK_PLAN[4]]}
    assert any("week 2" in p for p in letters.week_plan_problems(late)["early"])
    swapped = {**WEEK_PLAN, 4: ["ask_letter", "goals_conversation", "send_packet", "thank_you"]}
    problems = letters.week_plan_problems(swapped)
    assert problems["early"] == [] and any("after the goals" in p for p in problems["end"])


def test_pushy_or_overpromising_follow_ups_are_named():
    problems = letters.network_problems({**WEEK_PLAN, "after": ["N1", "N2", "N3", "N4", "N7"]})
    assert len(problems) == 1 and problems[0].startswith("N7")
    assert letters.network_problems({1: []})


def test_the_draft_packet_has_the_problems_the_learner_should_find():
    assert letters.packet_problems(letters.DRAFT_PACKET) == [
        "identifier",
        "missing_personal_statement",
        "no_informatics",
        "vague_bullet",
    ]
    found = ["missing_personal_statement", "no_informatics", "identifier", "vague_bullet"]
    assert all(letters.packet_pick_problems(found, letters.DRAFT_PACKET, g) == [] for g in letters.PACKET_GROUPS)
    missed = letters.packet_pick_problems(["no_informatics", "missing_cv"], letters.DRAFT_PACKET, "parts")
    assert any("Missed" in p for p in missed) and any("Not a problem" in p for p in missed)


def test_assignment_rules_follow_eras_and_the_best_fit():
    shortlist = pd.DataFrame({"program_id": ["P010", "P020", "P030"], "program_name": ["A", "B", "C"]})
    apps = letters.applications_for(shortlist, "Internal Medicine")
    table = letters.example_letters(shortlist, "Internal Medicine")
    good = {"A1": ["L1", "L2", "L3"], "A2": ["L2", "L3", "L1", "L4"], "A3": ["L3", "L1", "L2"]}
    assert letters.assignment_problems(good, table, apps) == {"eras": [], "fit": []}
    five = {**good, "A1": ["L1", "L2", "L3", "L4", "L5"]}
    assert any("at most 4" in p for p in letters.assignment_problems(five, table, apps)["eras"])
    other = {**good, "A3": ["L1", "L2", "L5"]}
    assert any("written for" in p for p in letters.assignment_problems(other, table, apps)["eras"])
    short = {**good, "A2": ["L1", "L3"]}
    assert any("asks for 3" in p for p in letters.assignment_problems(short, table, apps)["eras"])
    no_site = {**good, "A1": ["L2", "L3", "L4"]}
    assert any("own faculty" in p for p in letters.assignment_problems(no_site, table, apps)["fit"])
    no_informatics = {**good, "A3": ["L2", "L4", "L1"][:2] + ["L4"]}
    assert letters.assignment_problems(no_informatics, table, apps)["fit"]


def test_message_elements_accept_natural_phrasing():
    text = (
        "Dear Dr. Ostrand, I am grateful for your teaching this month. I am applying to Internal Medicine and "
        "wondered whether you could support me with a strong reference that also touches on health IT. I can "
        "send my resume and a draft of my statement before the end of August. No pressure at all."
    )
    found = letters.message_elements(text)
    assert all(found[k] for k in ("thanks", "strong_letter", "specialty", "informatics", "cv", "personal_statement"))
    assert found["deadline"] and found["easy_out"]
    assert letters.message_group_problems(text, "ask", "Pediatrics") == [
        "specialty: name your own target specialty (Pediatrics)."
    ]


def test_the_week_plan_is_saved_as_steps(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    from rotation_kit.runtime import state

    message = GOOD_MESSAGE
    assert "relationship_plan" in letters.save_letter_plan(["Dr. A. B."], WEEK_PLAN, message)
    saved = state.load_part("letter_plan", None, made_in="07_letters", verbose=False)
    assert saved["relationship_plan"][0] == {
        "week": 1,
        "action": "identify_writers",
        "note": letters.ACTION_TEXT["identify_writers"],
    }
    assert "relationship_plan" not in letters.save_letter_plan(["Dr. A. B."], {1: [...]}, message)
