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
    for bad in ({"informatics": -1}, {"informatics": 0}, {"fame": 1}):
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


# ------------------------------------------------------------------ the main path: decisions and their checks
def test_prestige_is_a_score_from_the_tier_and_counts_only_when_weighted(scored):
    assert set(scored["prestige"]) <= {0.0, 0.5, 1.0}
    assert (scored.loc[scored["prestige_tier"] == 1, "prestige"] == 1.0).all()
    brand = where_to_rotate.rank_programs(scored, {"prestige": 1})
    assert (brand.head(3)["prestige_tier"] == 1).all()


def test_weights_must_be_complete_numbers_from_0_to_5_and_not_all_zero():
    good = {"informatics": 3, "img_friendly": 5, "geo_fit": 4, "prestige": 1}
    assert where_to_rotate.weight_shape_problems(good) == []
    for bad in (
        dict(good, prestige=6),
        dict(good, geo_fit="4"),
        dict(good, img_friendly=True),
        {"informatics": 1},
        dict(good, fame=1),
        dict.fromkeys(good, 0),
        [3, 5, 4, 1],
    ):
        assert where_to_rotate.weight_shape_problems(bad), bad


def test_the_guide_puts_fit_and_img_friendliness_before_prestige():
    assert (
        where_to_rotate.weight_priority_problems({"informatics": 3, "img_friendly": 5, "geo_fit": 4, "prestige": 1})
        == []
    )
    assert (
        where_to_rotate.weight_priority_problems({"informatics": 2, "img_friendly": 2, "geo_fit": 2, "prestige": 0})
        == []
    )
    for bad in (
        {"informatics": 2, "img_friendly": 2, "geo_fit": 2, "prestige": 2},  # IMG-friendliness only equal
        {"informatics": 1, "img_friendly": 5, "geo_fit": 4, "prestige": 2},  # informatics below prestige
        {"informatics": 0, "img_friendly": 5, "geo_fit": 4, "prestige": 0},  # informatics ignored
    ):
        assert where_to_rotate.weight_priority_problems(bad), bad


def test_unanswered_or_invalid_weights_fall_back_to_the_kits_example(scored, capsys):
    assert where_to_rotate.ranking_weights(...) == where_to_rotate.EXAMPLE_WEIGHTS
    assert where_to_rotate.ranking_weights({"informatics": ...}) == where_to_rotate.EXAMPLE_WEIGHTS
    assert (
        where_to_rotate.ranking_weights({"informatics": 1, "img_friendly": 2, "geo_fit": 0, "prestige": 0})[
            "img_friendly"
        ]
        == 2.0
    )
    table = where_to_rotate.show_ranking(scored, dict.fromkeys(where_to_rotate.SCORE_COLUMNS, ...))
    out = capsys.readouterr().out
    assert "Waiting for your answer" in out and "example weights" in out and len(table) == 10
    assert where_to_rotate.show_ranking(scored, {"informatics": -1}) is None


def test_which_pair_program_is_more_realistic_depends_on_visa_and_usce():
    need, free = dict(SAMPLE_PROFILE, needs_visa=True), dict(SAMPLE_PROFILE, needs_visa=False)
    assert (where_to_rotate.more_realistic("pair_1", need), where_to_rotate.more_realistic("pair_1", free)) == (
        "B",
        "A",
    )
    no, yes = dict(SAMPLE_PROFILE, has_usce=False), dict(SAMPLE_PROFILE, has_usce=True)
    assert (where_to_rotate.more_realistic("pair_2", no), where_to_rotate.more_realistic("pair_2", yes)) == ("B", "A")
    assert where_to_rotate.geography_answer("illinois", dict(SAMPLE_PROFILE, tie_states=["IL"])) == 1.0
    assert where_to_rotate.geography_answer("illinois", SAMPLE_PROFILE) == 0.6
    assert where_to_rotate.geography_answer("oregon", SAMPLE_PROFILE) == 0.2


def test_a_balanced_shortlist_passes_and_each_rule_is_checked_on_the_learners_table(scored):
    good = {"reach": "P057", "realistic": ["P025", "P014"]}
    assert where_to_rotate.reach_problems(scored, good) == where_to_rotate.realistic_problems(scored, good) == []
    assert where_to_rotate.realistic_problems(scored, {"reach": "P057", "realistic": "p114"}) == []
    assert where_to_rotate.reach_problems(scored, {"reach": "P014"})  # tier 2
    assert where_to_rotate.reach_problems(scored, {"reach": "P999"})  # not in the table
    for realistic in (["P033"], ["P002"], ["P017"], [], ["P025", "P014", "P114"], ["P025", "P025"], ["P057"]):
        assert where_to_rotate.realistic_problems(scored, {"reach": "P057", "realistic": realistic}), realistic
    pediatrics = where_to_rotate.score_table(load_programs().query("specialty == 'Pediatrics'"), SAMPLE_PROFILE)
    assert where_to_rotate.realistic_problems(pediatrics, good)  # Internal Medicine ids are not in their table


def test_the_kits_shortlist_stands_in_until_the_learner_picks(scored):
    picks, answered = where_to_rotate.shortlist_picks(scored, {"reach": ..., "realistic": [..., ...]}, ...)
    assert not answered and list(picks["role"]).count("reach") == 1
    picks, answered = where_to_rotate.shortlist_picks(scored, {"reach": "P057", "realistic": ["P025"]}, ...)
    assert answered and list(picks["program_id"]) == ["P057", "P025"] and list(picks["role"]) == ["reach", "realistic"]


def test_stability_verdict_is_stable_only_when_every_move_keeps_four_of_five():
    assert where_to_rotate.stability_verdict(pd.DataFrame({"kept": [1.0, 0.8, 0.8]})) == "stable"
    assert where_to_rotate.stability_verdict(pd.DataFrame({"kept": [1.0, 0.6]})) == "fragile"


def test_sign_statements_match_the_scores_indicators():
    for key, column in where_to_rotate.SIGN_COLUMNS.items():
        assert where_to_rotate.INFORMATICS_SIGNS[key][1] and column in where_to_rotate.INFORMATICS_POINTS
    assert set(where_to_rotate.SIGN_WHY_NOT) == {
        k for k, (_, real) in where_to_rotate.INFORMATICS_SIGNS.items() if not real
    }


def test_the_own_list_cell_ranks_the_example_untouched_and_explains_a_broken_file(capsys):
    table = where_to_rotate.rank_own_list("examples/my_programs_example.csv", SAMPLE_PROFILE, ...)
    out = capsys.readouterr().out
    assert len(table) and "example weights" in out and "kit's example list" in out and "nothing was saved" in out
    assert where_to_rotate.rank_own_list("examples/my_programs_broken.csv", SAMPLE_PROFILE, ...) is None
    assert "New York state" in capsys.readouterr().out
    assert where_to_rotate.rank_own_list("no/such/file.csv", SAMPLE_PROFILE, ...) is None
    assert "file not found" in capsys.readouterr().out


def test_score_table_takes_the_kits_function_for_a_stub_left_as_dots():
    def informatics_presence(program): ...

    table = where_to_rotate.score_table(load_programs().head(5), SAMPLE_PROFILE, informatics=informatics_presence)
    assert table["informatics"].between(0, 1).all()
