"""Module 02's reference logic: kinds of rotation, the guide's order, and which of two options it prefers."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from rotation_kit.lessons import which_rotations as rt
from rotation_kit.runtime.loaders import load_dataset
from rotation_kit.runtime.schemas import SPECIALTIES


@pytest.fixture(scope="module")
def catalogue():
    return load_dataset("rotation_catalogue.csv")


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


def chosen(*rows):
    return pd.DataFrame(rows, columns=["rotation_id", "category", "preference"])


def test_an_elective_may_be_second_after_one_clinical_rotation_as_faq_2_allows():
    got = rt.order_rotations(chosen(("R1", "informatics_elective", 1), ("R2", "core", 2)))
    assert list(got["rotation_id"]) == ["R2", "R1"] and list(got["slot"]) == [1, 2]


def test_electives_follow_every_clinical_rotation():
    got = rt.order_rotations(
        chosen(("R1", "informatics_elective", 1), ("R2", "core", 2), ("R3", "clinical_informatics", 3))
    )
    assert list(got["rotation_id"]) == ["R2", "R3", "R1"] and list(got["slot"]) == [1, 2, 3]


def test_an_elective_never_takes_the_first_slot():
    assert len(rt.order_rotations(chosen(("R1", "informatics_elective", 1)))) == 0
    assert len(rt.order_rotations(chosen(("R1", "informatics_elective", 1), ("R2", "informatics_elective", 2)))) == 0


def test_off_target_clinical_comes_after_target_clinical_but_before_electives_and_counts_as_clinical():
    got = rt.order_rotations(chosen(("R1", "off_target", 1), ("R2", "informatics_elective", 1), ("R3", "core", 5)))
    assert list(got["rotation_id"]) == ["R3", "R1", "R2"]


def test_preference_orders_within_a_group_and_ties_go_to_the_lower_id():
    got = rt.order_rotations(chosen(("R7", "core", 2), ("R5", "clinical_informatics", 2), ("R9", "core", 1)))
    assert list(got["rotation_id"]) == ["R9", "R5", "R7"]


def test_order_ignores_the_input_order_and_keeps_extra_columns():
    frame = chosen(("R1", "core", 2), ("R2", "core", 1), ("R3", "informatics_elective", 1), ("R4", "core", 3))
    frame["title"] = ["a", "b", "c", "d"]
    for seed in range(5):
        got = rt.order_rotations(frame.sample(frac=1, random_state=seed))
        assert list(got["rotation_id"]) == ["R2", "R1", "R4", "R3"]
        assert "title" in got.columns and "_group" not in got.columns


def test_two_electives_both_follow_the_clinical_rotations():
    got = rt.order_rotations(
        chosen(
            ("R1", "informatics_elective", 2), ("R2", "informatics_elective", 1), ("R3", "core", 3), ("R4", "core", 4)
        )
    )
    assert list(got["rotation_id"]) == ["R3", "R4", "R2", "R1"]


def test_clinical_work_in_the_target_specialty_beats_a_pure_informatics_elective():
    elective = rt.option(clinical_in_target=False, strong_letter_likely=True, informatics=1.0)
    ward = rt.option(clinical_in_target=True, strong_letter_likely=False, informatics=0.0)
    assert rt.guide_prefers(elective, ward) == "b"


def test_a_strong_letter_beats_an_informatics_heavy_site():
    great = rt.option(strong_letter_likely=True, informatics=0.1)
    weak_but_famous = rt.option(strong_letter_likely=False, informatics=0.9)
    assert rt.guide_prefers(weak_but_famous, great) == "b"
    assert rt.guide_prefers(great, weak_but_famous) == "a"


def test_informatics_breaks_ties_and_full_ties_go_to_a():
    assert rt.guide_prefers(rt.option(informatics=0.2), rt.option(informatics=0.3)) == "b"
    assert rt.guide_prefers(rt.option(), rt.option()) == "a"


def test_guide_prefers_is_consistent_when_options_swap():
    levels = [0.0, 0.4, 1.0]
    options = [rt.option(c, s, i) for c, s, i in itertools.product([True, False], [True, False], levels)]
    for a, b in itertools.product(options, options):
        if a != b:
            assert {rt.guide_prefers(a, b), rt.guide_prefers(b, a)} == {"a", "b"}


def test_why_rotate_keys_and_elective_types_are_consistent_with_the_catalogue():
    assert rt.extra_values() == ["V1", "V2", "V3", "V4"]
    assert rt.ALL_THREE_GOALS in rt.GOAL_OFFERS
    catalogue = load_dataset("rotation_catalogue.csv").set_index("rotation_id")
    for rotation_id, kind in rt.CATALOGUE_ELECTIVE_TYPES.items():
        assert kind in rt.ELECTIVE_TYPES
        assert rt.classify_rotation(catalogue.loc[rotation_id], "Internal Medicine") == "informatics_elective"
