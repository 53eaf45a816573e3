"""Module 00's reference logic: looking specialties up and telling a coherent profile from a mistyped one."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import start_here
from rotation_kit.runtime.loaders import load_dataset
from rotation_kit.runtime.profile import SAMPLE_PROFILE
from rotation_kit.runtime.schemas import SPECIALTIES


@pytest.fixture(scope="module")
def table():
    return load_dataset("specialty_informatics.csv")


def test_every_specialty_has_a_card_with_a_source(table):
    for specialty in SPECIALTIES:
        card = start_here.specialty_card(table, specialty)
        assert set(card) == set(start_here.CARD_KEYS)
        assert card["source"] and 0 < card["img_share_pct"] < 100


def test_the_latest_year_wins(table):
    card = start_here.specialty_card(table, "Internal Medicine")
    assert card["year"] == 2025 and card["img_share_pct"] == 44.6


def test_spelling_and_capitals_need_not_be_exact(table):
    assert start_here.specialty_card(table, "  pathology ")["img_share_pct"] == 37.4


def test_uncertain_estimates_are_marked_as_offered_not_filled(table):
    card = start_here.specialty_card(table, "Emergency Medicine")
    assert card["uncertain"] is True and card["share_basis"] == "offered"


def test_unknown_specialty_names_the_known_ones(table):
    with pytest.raises(ValueError, match="Pediatrics"):
        start_here.specialty_card(table, "Dermatology")


def test_card_reads_the_table_it_is_given_not_a_stored_copy():
    other = pd.DataFrame(
        {
            "specialty": ["Psychiatry", "Psychiatry"],
            "informatics_focus": ["x", "y"],
            "img_share_pct": [10.0, 12.0],
            "share_basis": ["filled", "filled"],
            "year": [2030, 2029],
            "source": ["a", "b"],
            "uncertain": [False, True],
        }
    )
    assert start_here.specialty_card(other, "Psychiatry")["informatics_focus"] == "x"


def test_values_are_plain_python_types(table):
    card = start_here.specialty_card(table, "Pediatrics")
    assert type(card["year"]) is int and type(card["uncertain"]) is bool and type(card["img_share_pct"]) is float


def test_sample_profile_is_coherent():
    assert start_here.profile_coherence_problems(SAMPLE_PROFILE) == []


@pytest.mark.parametrize(
    "change, word",
    [
        ({"has_usce": True, "usce_months": 0}, "usce_months"),
        ({"training_gap_months": 1200}, "typo"),
        ({"budget_usd": 9_000_000}, "extra zero"),
        ({"tie_states": ["NJ", "XX"]}, "XX"),
        ({"tie_states": ["NJ", "NJ"]}, "twice"),
        ({"informatics_experience": ["QI project", "  "]}, "empty"),
    ],
)
def test_incoherent_profiles_are_named_with_the_fix(change, word):
    problems = " ".join(start_here.profile_coherence_problems(dict(SAMPLE_PROFILE, **change)))
    assert word in problems


def test_stage_labels_are_stage_one_and_three_routes():
    assert list(start_here.STAGE_LABELS) == ["stage1", "fellowship", "hybrid", "roles"]


def test_every_acgme_specialty_gets_an_angle_the_six_from_the_guide_the_rest_labelled_general():
    from rotation_kit.runtime.loaders import load_dataset
    from rotation_kit.runtime.profile import ACGME_SPECIALTIES, GUIDE_SPECIALTIES

    table = load_dataset("specialty_informatics.csv")
    for specialty in ACGME_SPECIALTIES:
        angle = start_here.informatics_angle(table, specialty)
        assert angle["from_guide"] == (specialty in GUIDE_SPECIALTIES)
        if not angle["from_guide"]:
            assert (
                "the kit's, not the guide's" in angle["angle"]
                and "ABPM" in angle["source"]
                and "2026" in angle["source"]
            )


def test_parallel_experience_key_is_the_guides_list():
    assert start_here.parallel_experience() == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert start_here.BEST_GAP_FRAMING in start_here.GAP_FRAMINGS


# -- the main path's decisions ------------------------------------------------------------------
def test_the_worked_example_profile_has_exactly_its_two_named_mistakes():
    from rotation_kit.runtime.profile import profile_problems

    problems = " ".join(profile_problems(start_here.EXAMPLE_PROFILE))
    assert "Illinois" in problems and "usce_months" in problems
    assert profile_problems(dict(start_here.EXAMPLE_PROFILE, tie_states=["IL"], usce_months=0)) == []


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("em", "Emergency Medicine"),
        (" pathology ", "Pathology"),
        ("Peds", "Pediatrics"),
        ("Neurology", None),
        (..., None),
    ],
)
def test_a_specialty_typed_loosely_is_recognised(typed, meant):
    assert start_here.specialty_named(typed) == meant


def test_every_wish_has_a_specialty_in_the_table_whose_focus_fits_it(table):
    focus = {s: start_here.specialty_card(table, s)["informatics_focus"].lower() for s in SPECIALTIES}
    assert "decision support" in focus["Emergency Medicine"] and "laboratory" in focus["Pathology"]
    assert "telepsychiatry" in focus["Psychiatry"]
    assert set(start_here.INFORMATICS_WISHES) == {"D1", "D2", "D3", "D4", "D5"}


def test_the_right_share_reading_matches_the_pediatrics_row(table):
    card = start_here.specialty_card(table, "Pediatrics")
    assert card["uncertain"] and card["share_basis"] == "offered" and card["year"] == 2024
    assert "offered" in start_here.SHARE_READINGS["b"] and "uncertain" in start_here.SHARE_READINGS["b"]


def test_show_functions_wait_for_blank_answers_and_never_raise(table, capsys):
    start_here.show_profile({"name": ..., "has_usce": ...})
    start_here.show_specialty_choices(table, {"D1": ..., "D2": ..., "D3": ..., "D4": ..., "D5": ...})
    statements = load_dataset("stage_statements.csv")
    start_here.show_sorting(dict.fromkeys(statements["statement_id"], ...), statements)
    assert capsys.readouterr().out.count("Waiting for your answer") == 3
    start_here.show_my_card(table, {"target_specialty": ...})
    assert "Internal Medicine" in capsys.readouterr().out


def test_a_blank_or_invalid_profile_is_not_saved(monkeypatch, tmp_path, capsys):
    from rotation_kit.runtime import state

    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    start_here.save_my_profile({"name": ...})
    start_here.save_my_profile(start_here.EXAMPLE_PROFILE)
    assert not state.has_part("profile") and capsys.readouterr().out.count("Not saved") == 2
    start_here.save_my_profile(SAMPLE_PROFILE)
    assert state.part_source("profile") == state.YOURS


def test_show_sorting_groups_the_labels_and_lists_the_blanks(capsys):
    statements = load_dataset("stage_statements.csv")
    start_here.show_sorting({"S01": "stage1", "S02": " Stage1", "S03": ...}, statements)
    out = capsys.readouterr().out
    assert "stage1: S01, S02" in out and "not labelled yet: S03" in out


def test_the_failed_check_example_prints_the_four_parts(capsys):
    start_here.show_a_failed_check()
    out = capsys.readouterr().out
    assert all(word in out for word in ("Expected", "Got", "Hint"))
