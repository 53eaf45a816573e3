"""Module 02's reference logic: kinds of rotation, the guide's order, and which of two options it prefers."""

from __future__ import annotations

import pytest

from rotation_kit.lessons import which_rotations as rt
from rotation_kit.runtime.loaders import load_dataset
from rotation_kit.runtime.schemas import SPECIALTIES


@pytest.fixture(scope="module")
def catalogue():
    return load_dataset("rotation_catalogue.csv")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty my_plan folder: a learner who has saved nothing."""
    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    return tmp_path


def row(**changes):
    base = {
        "rotation_id": "R99",
        "specialty": "Internal Medicine",
        "clinical_share": 0.9,
        "informatics_exposure": False,
    }
    base.update(changes)
    return base


def test_mostly_non_clinical_rotations_are_electives_even_in_the_target_specialty():
    assert (
        rt.classify_rotation(row(clinical_share=0.05, informatics_exposure=True), "Internal Medicine")
        == "informatics_elective"
    )


def test_half_clinical_counts_as_clinical():
    assert rt.classify_rotation(row(clinical_share=0.5), "Internal Medicine") == "core"
    assert rt.classify_rotation(row(clinical_share=0.49), "Internal Medicine") == "informatics_elective"


def test_clinical_in_another_specialty_is_off_target_and_exposure_decides_between_the_clinical_kinds():
    assert rt.classify_rotation(row(specialty="General Surgery"), "Internal Medicine") == "off_target"
    assert rt.classify_rotation(row(informatics_exposure=True), "Internal Medicine") == "clinical_informatics"
    assert rt.classify_rotation(row(informatics_exposure=True), "Pediatrics") == "off_target"


def test_catalogue_has_every_kind_for_every_target_specialty(catalogue):
    for specialty in SPECIALTIES:
        kinds = set(rt.classify_catalogue(catalogue, specialty)["category"])
        assert set(rt.CATEGORIES) == kinds, specialty


def test_classify_catalogue_adds_a_column_and_keeps_rows(catalogue):
    out = rt.classify_catalogue(catalogue, "Internal Medicine")
    assert len(out) == len(catalogue) and set(out["category"]) <= set(rt.CATEGORIES)
    assert "category" not in catalogue.columns


# ------------------------------------------------------------------ the main path's ordering rules
def rules(order, specialty="Internal Medicine"):
    catalogue = load_dataset("rotation_catalogue.csv")
    return {rule: bool(problems) for rule, problems in rt.order_problems(order, catalogue, specialty).items()}


def test_a_clinical_letter_ready_start_with_an_elective_second_or_third_keeps_every_rule():
    for order in (["R01", "R24"], ["R02", "R01", "R24"], ["R01", "R02"], ["R01"], ["R03", "R05", "R25"]):
        assert not any(rules(order).values()), order


def test_an_elective_first_breaks_clinical_first_and_the_elective_slot():
    got = rules(["R24", "R01", "R02"])
    assert got["clinical_first"] and got["elective_slot"] and not got["letter_early"] and not got["shape"]


def test_an_elective_alone_or_fourth_is_out_of_place():
    assert rules(["R25"])["elective_slot"]
    assert rules(["R01", "R02", "R03", "R24"])["elective_slot"]
    assert not rules(["R01", "R24", "R25"])["elective_slot"]  # FAQ 2: second or third


def test_clinical_first_means_the_target_specialty_so_it_depends_on_the_learner():
    assert rules(["R22", "R01"])["clinical_first"]  # surgery first
    assert not rules(["R10", "R11"], "Pediatrics")["clinical_first"]
    assert rules(["R01", "R10"], "Pediatrics")["clinical_first"]  # IM wards are off target for Pediatrics


def test_a_letter_needs_four_mostly_clinical_weeks_in_the_first_two_slots():
    assert rules(["R05", "R06", "R01"])["letter_early"]  # 2 weeks; 60% clinical; the letter comes third
    assert not rules(["R05", "R01"])["letter_early"]
    catalogue = load_dataset("rotation_catalogue.csv").set_index("rotation_id")
    assert rt.letter_ready(catalogue.loc["R01"], "Internal Medicine")
    assert not rt.letter_ready(catalogue.loc["R05"], "Internal Medicine")  # two weeks
    assert not rt.letter_ready(catalogue.loc["R01"], "Pediatrics")


def test_shape_refuses_repeats_unknown_ids_and_too_many_and_other_rules_wait_for_it():
    catalogue = load_dataset("rotation_catalogue.csv")
    assert rt.shape_problems(["R01", "r01"], catalogue)
    assert rt.shape_problems(["R99"], catalogue)
    assert rt.shape_problems(["R01", "R02", "R03", "R04", "R05"], catalogue)
    assert rt.shape_problems("R01", catalogue) and rt.shape_problems([], catalogue)
    got = rt.order_problems(["R99"], catalogue, "Internal Medicine")
    assert got["shape"] and not (got["clinical_first"] or got["elective_slot"] or got["letter_early"])


def test_the_kits_example_order_keeps_every_rule_for_every_specialty(catalogue):
    for specialty in SPECIALTIES:
        order = rt.example_order(catalogue, specialty)
        assert not any(rules(order, specialty).values()), (specialty, order)


def test_the_calendar_follows_the_order_with_a_free_week_between(catalogue):
    table = rt.calendar(["R05", "R01"], catalogue, "Internal Medicine", "2026-02-02")
    assert list(table["slot"]) == [1, 2] and list(table["rotation_id"]) == ["R05", "R01"]
    assert [str(d) for d in table["start"]] == ["2026-02-02", "2026-02-23"]
    assert [str(d) for d in table["end"]] == ["2026-02-15", "2026-03-22"]


def test_an_unanswered_order_is_shown_as_waiting_and_saved_as_the_kits_example(home, catalogue, capsys):
    from rotation_kit.runtime import state

    assert rt.show_order([..., ...], catalogue, "Internal Medicine") is None
    assert "Waiting for your answer" in capsys.readouterr().out
    assert "not answered" in rt.keep_order([..., ...], catalogue, "Internal Medicine")
    assert state.part_source("rotation_order") == "example"
    saved = state.load_part("rotation_order", None, made_in="02_which_rotations", verbose=False)
    assert list(saved.columns) == rt.ORDER_COLUMNS and saved["rotation_id"].iloc[-1] == "R24"


def test_kinds_for_follows_the_rules_for_the_exercise_rotations(catalogue):
    fixed = {s: rt.kinds_for(catalogue, rt.KIND_QUESTIONS_FIXED, s) for s in SPECIALTIES}
    assert all(k == {"R22": "off_target", "R26": "informatics_elective"} for k in fixed.values())
    assert rt.kinds_for(catalogue, ["R13"], "Pediatrics") == {"R13": "clinical_informatics"}  # exactly half clinical


def test_why_rotate_keys_and_elective_types_are_consistent_with_the_catalogue():
    assert rt.extra_values() == ["V1", "V2", "V3", "V4"]
    assert rt.ALL_THREE_GOALS in rt.GOAL_OFFERS
    catalogue = load_dataset("rotation_catalogue.csv").set_index("rotation_id")
    for rotation_id, kind in rt.CATALOGUE_ELECTIVE_TYPES.items():
        assert kind in rt.ELECTIVE_TYPES
        assert rt.classify_rotation(catalogue.loc[rotation_id], "Internal Medicine") == "informatics_elective"


def test_an_answered_order_with_your_own_profile_is_saved_as_yours(home, catalogue):
    from rotation_kit.runtime import state
    from rotation_kit.runtime.profile import SAMPLE_PROFILE, save_profile

    save_profile(dict(SAMPLE_PROFILE, name="Lina"))
    assert "Saved your order" in rt.keep_order(["r02", "R01", "R24"], catalogue, "Internal Medicine")
    assert state.part_source("rotation_order") == "yours"
    saved = state.load_part("rotation_order", None, made_in="02_which_rotations", verbose=False)
    assert list(saved["rotation_id"]) == ["R02", "R01", "R24"] and list(saved["slot"]) == [1, 2, 3]
