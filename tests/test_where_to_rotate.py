"""Module 03's reference scoring: the guide's indicators, bounded scores, honest ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import where_to_rotate
from rotation_kit.runtime.loaders import load_programs
from rotation_kit.runtime.profile import SAMPLE_PROFILE


@pytest.fixture(scope="module")
def scored():
    programs = load_programs()
    return where_to_rotate.score_table(programs[programs["specialty"] == "Internal Medicine"], SAMPLE_PROFILE)


def test_informatics_presence_is_zero_without_indicators_and_one_with_all():
    assert where_to_rotate.informatics_presence(where_to_rotate.blank_program()) == 0
    everything = where_to_rotate.blank_program(
        ci_fellowship=True,
        health_it_track=True,
        informatics_on_webpage=True,
        informatics_faculty=["CMIO", "Associate CMIO", "Director"],
        ehr_optimization=True,
        digital_health=True,
        telemedicine=True,
    )
    assert where_to_rotate.informatics_presence(everything) == 1


def test_faculty_titles_count_at_most_two_and_text_lists_work():
    three = where_to_rotate.blank_program(informatics_faculty="A;B;C")
    assert where_to_rotate.informatics_presence(three) == pytest.approx(2 / 11)


def test_img_friendliness_ignores_visa_when_none_is_needed():
    closed = where_to_rotate.blank_program(visa_sponsorship="none")
    assert where_to_rotate.img_friendliness(closed, needs_visa=False) > where_to_rotate.img_friendliness(
        closed, needs_visa=True
    )


def test_usce_requirement_only_hurts_learners_without_usce():
    strict = where_to_rotate.blank_program(requires_usce=True)
    assert where_to_rotate.img_friendliness(strict, True, True) - where_to_rotate.img_friendliness(
        strict, True, False
    ) == pytest.approx(0.15)


def test_geography_prefers_ties_then_img_states():
    assert (
        where_to_rotate.geography_fit("OH", ["OH"])
        > where_to_rotate.geography_fit("NY", [])
        > where_to_rotate.geography_fit("OH", [])
    )


def test_weighted_score_is_relative_and_refuses_bad_weights(scored):
    a = where_to_rotate.weighted_score(scored, {"informatics": 1, "img_friendly": 1})
    b = where_to_rotate.weighted_score(scored, {"informatics": 5, "img_friendly": 5})
    assert (a - b).abs().max() < 1e-12
    for bad in ({"informatics": -1}, {"informatics": 0}, {"prestige": 1}):
        with pytest.raises(ValueError):
            where_to_rotate.weighted_score(scored, bad)


def test_rank_breaks_ties_by_program_id():
    table = pd.DataFrame(
        {"program_id": ["B", "A"], "informatics": [0.5, 0.5], "img_friendly": [0.5, 0.5], "geo_fit": [0.5, 0.5]}
    )
    assert list(where_to_rotate.rank_programs(table, where_to_rotate.DEFAULT_WEIGHTS)["program_id"]) == ["A", "B"]


def test_balanced_shortlist_has_one_reach_then_realistic_picks(scored):
    ranked = where_to_rotate.rank_programs(scored, where_to_rotate.DEFAULT_WEIGHTS)
    shortlist = where_to_rotate.balanced_shortlist(ranked)
    assert list(shortlist["role"]).count("reach") <= 1
    assert (shortlist[shortlist["role"] == "realistic"]["prestige_tier"] > 1).all()
    with pytest.raises(ValueError):
        where_to_rotate.balanced_shortlist(ranked, realistic=3)


def test_the_kit_shortlist_is_the_balanced_shortlist_of_the_target_specialty(scored):
    programs = load_programs()
    want = where_to_rotate.balanced_shortlist(where_to_rotate.rank_programs(scored, where_to_rotate.DEFAULT_WEIGHTS))
    got = where_to_rotate.kit_shortlist(programs, SAMPLE_PROFILE)
    pd.testing.assert_frame_equal(got, want)
    assert set(got["specialty"]) == {SAMPLE_PROFILE["target_specialty"]} and len(got) >= 2
    geo_only = {"informatics": 0.0, "img_friendly": 0.0, "geo_fit": 1.0}
    assert list(where_to_rotate.kit_shortlist(programs, SAMPLE_PROFILE, geo_only)["program_id"]) == list(
        where_to_rotate.balanced_shortlist(where_to_rotate.rank_programs(scored, geo_only))["program_id"]
    )


def test_rank_stability_reports_each_weight_both_ways(scored):
    table = where_to_rotate.rank_stability(scored, {"informatics": 1, "img_friendly": 2})
    assert list(table["weight"]) == ["informatics", "informatics", "img_friendly", "img_friendly"]
    assert table["kept"].between(0, 1).all()


def test_score_table_falls_back_to_the_kit_for_unanswered_functions(capsys):
    def unanswered(program):
        raise NotImplementedError

    table = where_to_rotate.score_table(load_programs().head(5), SAMPLE_PROFILE, informatics=unanswered)
    assert "Using the kit's informatics_presence" in capsys.readouterr().out
    assert table["informatics"].between(0, 1).all()
