"""Module 01's reference logic: how many rotations the guide supports, what a plan costs, what fits a budget."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_kit.lessons import how_many
from rotation_kit.runtime.loaders import load_dataset, load_programs
from rotation_kit.runtime.profile import SAMPLE_PROFILE


def learner(**changes):
    base = dict(
        SAMPLE_PROFILE, has_usce=True, usce_months=3, training_gap_months=0, needs_visa=False, budget_usd=100_000
    )
    base.update(changes)
    return base


@pytest.fixture(scope="module")
def costs():
    return load_dataset("rotation_costs.csv")


@pytest.fixture(scope="module")
def programs():
    return load_programs()


# -- recommend_rotation_count -------------------------------------------------------------------
def test_strong_applicant_with_usce_can_stop_at_one_and_aims_for_the_usual_three():
    (low, high), why = how_many.recommend_rotation_count(learner())
    assert (low, high) == (1, 3)
    assert "USCE" in why


def test_no_usce_keeps_the_floor_at_two_and_allows_a_fourth_to_repair():
    (low, high), why = how_many.recommend_rotation_count(learner(has_usce=False, usce_months=0))
    assert (low, high) == (2, 4)
    assert "no USCE" in why


def test_a_training_gap_of_a_year_allows_a_fourth_even_with_usce():
    assert how_many.recommend_rotation_count(learner(training_gap_months=12))[0] == (1, 4)
    (low, high), why = how_many.recommend_rotation_count(learner(training_gap_months=30))
    assert "gap" in why and "30" in why


def test_a_gap_just_under_a_year_is_not_a_weak_application():
    assert how_many.recommend_rotation_count(learner(training_gap_months=11.5))[0] == (1, 3)


def test_needing_a_visa_lowers_the_ceiling_by_one():
    assert how_many.recommend_rotation_count(learner(needs_visa=True))[0] == (1, 2)
    assert how_many.recommend_rotation_count(learner(has_usce=False, usce_months=0, needs_visa=True))[0] == (2, 3)
    assert "visa" in how_many.recommend_rotation_count(learner(needs_visa=True))[1]


def test_more_than_three_only_for_a_weak_application():
    for has_usce in (True, False):
        for gap in (0, 6, 12, 40):
            for visa in (True, False):
                profile = learner(
                    has_usce=has_usce, usce_months=3 if has_usce else 0, training_gap_months=gap, needs_visa=visa
                )
                (low, high), _ = how_many.recommend_rotation_count(profile)
                if high > 3:
                    assert how_many.is_weak_application(profile)
                assert 0 <= low <= high <= how_many.REPAIR_MAX


def test_budget_caps_the_ceiling_and_the_floor_follows_it_down():
    (low, high), why = how_many.recommend_rotation_count(learner(has_usce=False, usce_months=0, budget_usd=6500))
    assert (low, high) == (2, 2) and "budget" in why
    assert how_many.recommend_rotation_count(learner(has_usce=False, usce_months=0, budget_usd=3000))[0] == (1, 1)


def test_budget_exactly_at_the_cost_of_n_rotations_pays_for_n():
    assert how_many.recommend_rotation_count(learner(budget_usd=9000))[0] == (1, 3)
    assert how_many.recommend_rotation_count(learner(budget_usd=8999))[0] == (1, 2)


def test_a_budget_below_one_rotation_gives_zero_and_says_what_to_do():
    (low, high), why = how_many.recommend_rotation_count(learner(budget_usd=500))
    assert (low, high) == (0, 0)
    assert "budget" in why and "save" in why


def test_the_planning_cost_can_be_changed():
    assert how_many.recommend_rotation_count(learner(budget_usd=4000), cost_per_rotation=2000)[0] == (1, 2)


def test_budget_does_not_raise_the_number_above_the_guide():
    (low, high), why = how_many.recommend_rotation_count(learner(budget_usd=10**6))
    assert high == 3 and "budget" not in why


def test_rationale_is_one_readable_sentence_list():
    _, why = how_many.recommend_rotation_count(SAMPLE_PROFILE)
    assert why.endswith(".") and "2-3" in why and "reach" in why


def test_sample_learner_gets_two_to_three():
    assert how_many.recommend_rotation_count(SAMPLE_PROFILE)[0] == (2, 3)


# -- costs ----------------------------------------------------------------------------------------
def test_cost_amount_reads_the_table_and_names_items_when_missing(costs):
    assert how_many.cost_amount(costs, "vslo_application") == 15
    with pytest.raises(KeyError, match="vslo_application"):
        how_many.cost_amount(costs, "parking")


def test_rotation_costs_add_fee_housing_travel_and_vslo_only_for_vslo_hosts(programs, costs):
    ids = list(programs["program_id"].iloc[:6])
    table = how_many.rotation_costs(ids, programs, costs)
    assert list(table["program_id"]) == ids
    for _, row in table.iterrows():
        program = programs.set_index("program_id").loc[row["program_id"]]
        assert row["application"] == (15 if program["application_route"] == "VSLO" else 0)
        assert row["host_fee"] == program["host_fee_usd"]
        assert row["housing"] == program["rotation_weeks"] * program["housing_per_week_usd"]
        assert row["travel"] == 250 + 40 * program["rotation_weeks"]
        assert row["total"] == pytest.approx(row["application"] + row["host_fee"] + row["housing"] + row["travel"])


def test_rotation_costs_keep_the_given_order_and_refuse_unknown_ids(programs, costs):
    ids = ["P010", "P002", "P007"]
    assert list(how_many.rotation_costs(ids, programs, costs)["program_id"]) == ids
    with pytest.raises(ValueError, match="P999"):
        how_many.rotation_costs(["P001", "P999"], programs, costs)


def test_once_costs_charge_the_visa_only_when_needed(costs):
    assert how_many.once_costs(costs, False) == 1200
    assert how_many.once_costs(costs, True) == 1385


def _plan(totals):
    return pd.DataFrame({"program_id": [f"X{i}" for i in range(len(totals))], "total": totals})


def test_affordable_plan_keeps_priority_order_and_skips_what_does_not_fit(costs):
    plan = how_many.affordable_plan(_plan([3000.0, 5000.0, 1000.0]), costs, budget=5300, needs_visa=False)
    assert list(plan["program_id"]) == ["X0", "X2"]
    assert list(plan["cumulative"]) == [4200, 5200]


def test_affordable_plan_counts_the_visa_once_and_a_budget_exactly_met_fits(costs):
    plan = how_many.affordable_plan(_plan([1000.0, 1000.0]), costs, budget=3385, needs_visa=True)
    assert list(plan["cumulative"]) == [2385, 3385]


def test_affordable_plan_is_empty_when_nothing_fits(costs):
    plan = how_many.affordable_plan(_plan([3000.0]), costs, budget=1000, needs_visa=False)
    assert len(plan) == 0 and "cumulative" in plan.columns


# -- value against cost ---------------------------------------------------------------------------
def test_value_falls_with_each_rotation_while_cost_keeps_rising():
    table = how_many.value_vs_cost(_plan([2000.0, 2000.0, 2000.0, 2000.0]), once=1000)
    assert list(table["marginal_value"]) == pytest.approx([1, 0.6, 0.36, 0.216])
    assert table["cumulative_cost"].is_monotonic_increasing
    assert table["value_per_1000"].iloc[1] > table["value_per_1000"].iloc[-1]
    assert table["marginal_cost"].iloc[0] == 3000


def test_value_table_of_an_empty_plan_is_empty():
    assert len(how_many.value_vs_cost(_plan([]), once=1000)) == 0


def test_value_plot_labels_axes_and_says_the_model_is_illustrative():
    table = how_many.value_vs_cost(_plan([2000.0, 1500.0, 2500.0]), once=1200)
    fig, summary = how_many.value_cost_plot(table, budget=6000)
    ax = fig.axes[0]
    assert "cost" in ax.get_xlabel().lower() and "value" in ax.get_ylabel().lower()
    assert "illustrative" in summary
    assert any("assumption" in t.get_text() for t in ax.texts)


def test_a_graduate_is_told_which_experiences_count_and_a_student_is_not():
    graduate = dict(SAMPLE_PROFILE, training_status="graduate", years_since_graduation=3)
    student = dict(SAMPLE_PROFILE, training_status="student", years_since_graduation=0)
    assert (
        "graduate" in how_many.recommend_rotation_count(graduate)[1]
        and "observership" in how_many.recommend_rotation_count(graduate)[1]
    )
    assert "graduate" not in how_many.recommend_rotation_count(student)[1]
    assert how_many.recommend_rotation_count(graduate)[0] == how_many.recommend_rotation_count(student)[0]


def test_open_offers_follow_each_hosts_rule_and_observerships_are_not_hands_on():
    offers = how_many.example_offers()
    assert how_many.open_offers(offers, "student") == ["O1", "O2", "O4", "O6"]
    assert how_many.open_offers(offers, "graduate") == ["O2", "O3", "O4", "O5"]
    assert how_many.hands_on_offers(offers) == ["O1", "O3", "O5", "O6"]
    assert set(offers["kind"]) <= set(how_many.EXPERIENCE_KINDS) and set(offers["open_to"]) <= set(how_many.OPEN_TO)
    other = offers.assign(open_to="both", role="observe only")
    assert how_many.open_offers(other, "graduate") == list(offers["offer_id"]) and how_many.hands_on_offers(other) == []


# -- the main path's decisions ------------------------------------------------------------------
def test_the_four_other_learners_cover_each_rule():
    ranges = {
        name: how_many.recommend_rotation_count(how_many.learner_profile(name))[0] for name in how_many.OTHER_LEARNERS
    }
    assert ranges == {"Kim": (1, 3), "Ravi": (2, 4), "Lena": (1, 1), "Omar": (2, 3)}
    assert list(how_many.other_learners()["learner"]) == list(how_many.OTHER_LEARNERS)


@pytest.mark.parametrize(
    "changes, fits, does_not_fit",
    [
        ({}, [1, 2, 3], [0, 4, 5]),  # USCE, no gap, no visa, large budget
        ({"has_usce": False, "usce_months": 0}, [2, 3, 4], [1, 5]),  # weak: a fourth repairs it
        ({"needs_visa": True, "budget_usd": 5000}, [1], [2, 3]),  # visa and budget both lower it
        ({"budget_usd": 2000}, [0, 1], [2]),  # the budget pays for none: save first, or one low-cost host
    ],
)
def test_a_count_fits_only_the_range_the_rules_give(changes, fits, does_not_fit):
    profile = learner(**changes)
    assert all(how_many.count_fits(profile, n) for n in fits)
    assert not any(how_many.count_fits(profile, n) for n in does_not_fit)


def test_a_count_must_be_a_whole_number():
    for bad in ("2", 2.5, True, -1, None):
        assert not how_many.count_fits(learner(), bad)
        assert "whole number" in how_many.count_verdict(learner(), bad)


def test_the_verdict_names_the_rule_that_was_broken():
    assert "weak application" in how_many.count_verdict(learner(), 4)
    assert "visa" in how_many.count_verdict(learner(needs_visa=True), 3)
    assert "budget" in how_many.count_verdict(learner(budget_usd=6000, needs_visa=False), 3)
    assert how_many.count_verdict(learner(), 2).startswith("2 fits")


def test_plan_options_are_hosts_in_the_specialty_that_take_visiting_imgs_cheapest_first(programs, costs):
    options = how_many.plan_options(programs, costs, SAMPLE_PROFILE)
    hosts = programs.set_index("program_id").loc[list(options["program_id"])]
    assert (hosts["specialty"] == "Internal Medicine").all() and hosts["accepts_visiting_imgs"].all()
    assert options["total"].is_monotonic_increasing
    neurology = dict(SAMPLE_PROFILE, target_specialty="Neurology")  # not in the sample data: Internal Medicine
    assert list(how_many.plan_options(programs, costs, neurology)["program_id"]) == list(options["program_id"])


def test_a_plan_costs_its_rotations_plus_the_flight_and_visa_once(programs, costs):
    ids = ["P014", "P002"]
    rotations = how_many.rotation_costs(ids, programs, costs)["total"].sum()
    assert how_many.plan_total(ids, programs, costs, True) == pytest.approx(rotations + 1385)
    assert how_many.plan_total([" p014", "P002"], programs, costs, False) == pytest.approx(rotations + 1200)


def test_plan_problems_name_unknown_ids_repeats_and_a_plan_that_is_not_a_list(programs):
    assert how_many.plan_problems(["P001", "P002"], programs) == []
    assert "P999" in how_many.plan_problems(["P001", "P999"], programs)[0]
    assert "twice" in how_many.plan_problems(["P001", "p001"], programs)[0]
    assert "list" in how_many.plan_problems("P001", programs)[0]


def test_show_functions_wait_for_a_blank_answer_and_never_raise(programs, costs, capsys):
    how_many.show_counts_for_others({"Kim": ..., "Ravi": 2, "Lena": 1, "Omar": 2})
    how_many.show_count(SAMPLE_PROFILE, ...)
    assert how_many.show_plan([...], programs, costs, SAMPLE_PROFILE) is None
    assert capsys.readouterr().out.count("Waiting for your answer") == 3
    assert how_many.show_plan(["P999"], programs, costs, SAMPLE_PROFILE) is None
    assert "P999" in capsys.readouterr().out


def test_show_plan_says_what_an_over_budget_plan_can_keep(programs, costs, capsys):
    how_many.show_plan(["P014", "P002", "P005"], programs, costs, SAMPLE_PROFILE)
    out = capsys.readouterr().out
    assert "over" in out and "['P014', 'P002']" in out


def test_the_value_ladder_is_your_plan_then_the_cheapest_others(programs, costs):
    options = how_many.plan_options(programs, costs, SAMPLE_PROFILE)
    ladder, mine = how_many.value_ladder(["P014", "P002"], options)
    assert ladder[:2] == ["P014", "P002"] and mine == 2 and len(ladder) == how_many.LADDER_LENGTH
    assert ladder[2:] == [p for p in options["program_id"] if p not in ("P014", "P002")][:3]


def test_the_value_plot_uses_the_example_plan_while_yours_is_blank(programs, costs, capsys):
    fig = how_many.show_value_plot([...], programs, costs, SAMPLE_PROFILE)
    assert "example plan" in capsys.readouterr().out and fig.axes


def test_saved_numbers_are_yours_only_when_you_answered(programs, costs, monkeypatch, tmp_path):
    from rotation_kit.runtime import state

    monkeypatch.setenv("ROTATION_KIT_HOME", str(tmp_path))
    how_many.save_my_numbers(SAMPLE_PROFILE, ..., [...], programs, costs)
    assert state.part_source("rotation_count") == state.part_source("budget_plan") == state.EXAMPLE
    saved = state.load_part("rotation_count", None, made_in="01_how_many", verbose=False)
    assert (saved["low"], saved["high"]) == (2, 3) and "chosen" not in saved
    how_many.save_my_numbers(SAMPLE_PROFILE, 2, ["P014", "P002"], programs, costs)
    assert state.part_source("rotation_count") == state.part_source("budget_plan") == state.YOURS
    saved = state.load_part("rotation_count", None, made_in="01_how_many", verbose=False)
    assert saved["chosen"] == 2 and (saved["low"], saved["high"]) == (2, 3)
    plan = state.load_part("budget_plan", None, made_in="01_how_many", verbose=False)
    assert list(plan["program_id"]) == ["P014", "P002"] and "cumulative" in plan.columns


def test_offer_ids_tidy_a_learners_list():
    assert how_many.offer_ids([" o2", "O1"]) == ["O1", "O2"]
    assert how_many.offer_ids(...) == [] and how_many.offer_ids("O1") == []
