"""How many away rotations, and what they cost (module 01): the kit's reference versions.

The count follows the course guide (its visa and weak-application adjustments, and the 12-month gap,
are the kit's own rules of thumb): 2-3 is the usual target, one can be enough with
prior U.S. clinical experience, more than three only to repair a weak application,
and money or visa limits bring the number down. The cost functions read
`data/rotation_costs.csv` plus each host's fee and housing in `programs.csv`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

USUAL_RANGE = (2, 3)
REPAIR_MAX = 4
# Course assumptions, not published thresholds (module 01 says so):
GAP_MONTHS = 12  # a year or more since your last clinical training is a gap programs ask about
PLANNING_COST_PER_ROTATION = 3000  # ~$2,000 published (Ayala & Ukeje 2020) plus an IMG's host fee and travel
VALUE_DECAY = 0.6  # illustrative: each extra rotation adds 60% of what the one before added

COST_COLUMNS = ("application", "host_fee", "housing", "travel")


def is_weak_application(profile: Mapping[str, Any]) -> bool:
    """No U.S. clinical experience, or a training gap of GAP_MONTHS or more."""
    return (not profile["has_usce"]) or profile["training_gap_months"] >= GAP_MONTHS


def recommend_rotation_count(
    profile: Mapping[str, Any], cost_per_rotation: float = PLANNING_COST_PER_ROTATION
) -> tuple[tuple[int, int], str]:
    """((low, high), rationale): how many away rotations this learner should plan.

    Start from the usual 2-3; USCE lowers the floor to 1; a weak application raises
    the ceiling to 4; needing a visa lowers the ceiling by one; the budget caps it at
    what it can pay for. The floor never rises above the ceiling.
    """
    low, high = USUAL_RANGE
    reasons = ["2-3 rotations is the usual target, with 1-2 of them at reach programs"]
    if profile["has_usce"]:
        low = 1
        reasons.append("you already have USCE, so one well-chosen rotation can be enough")
    if is_weak_application(profile):
        high = REPAIR_MAX
        why = []
        if not profile["has_usce"]:
            why.append("you have no USCE yet")
        if profile["training_gap_months"] >= GAP_MONTHS:
            why.append(f"you have a training gap of {profile['training_gap_months']:g} months")
        reasons.append(" and ".join(why) + ", so a fourth rotation can help repair the application")
    if profile["needs_visa"]:
        high -= 1
        reasons.append("you need a visa, which adds paperwork, cost and time in the U.S., so plan one fewer")
    affordable = int(profile["budget_usd"] // cost_per_rotation)
    if affordable < high:
        high = affordable
        reasons.append(
            f"your budget of ${profile['budget_usd']:,.0f} covers {affordable} at about ${cost_per_rotation:,.0f} each"
        )
    low = min(low, high)
    if high == 0:
        reasons.append("look for hosts without a fee or save first: quality matters more than number")
    if profile.get("training_status") == "graduate":
        reasons.append(
            "as a graduate, count the hands-on experiences open to you (externships, paid clinical "
            "programs); visiting student electives usually need current enrolment, and an observership "
            "is usually not hands-on USCE"
        )
    return (low, high), "; ".join(reasons) + "."


# Kinds of U.S. clinical experience and who can usually take them. General guidance, not a national
# rule: each host sets its own eligibility, and programs define USCE differently (many count only
# hands-on experience). Visiting student electives through AAMC VSLO need a home medical school that
# takes part and releases the application (AAMC VSLO FAQ, 2025), so they are for enrolled students.
EXPERIENCE_KINDS = {
    "visiting_elective": "visiting student elective, clerkship or sub-internship: enrolled students; hands-on",
    "observership": "observership: students and graduates; observe only, usually not counted as hands-on USCE",
    "externship": "externship: mostly graduates (hosts differ); hands-on under supervision",
    "research": "research position: students and graduates; research, not clinical care",
    "paid_clinical": "paid clinical experience program: graduates; hands-on only if it includes supervised patient care",
}
OPEN_TO = {"students": {"student"}, "graduates": {"graduate"}, "both": {"student", "graduate"}}


def example_offers() -> pd.DataFrame:
    """Six fictional offers, each with its host's own eligibility rule and what the visitor does."""
    rows = [
        (
            "O1",
            "visiting_elective",
            "Internal Medicine wards elective (applied for through VSLO)",
            "students",
            "hands-on",
        ),
        ("O2", "observership", "Four-week cardiology clinic observership", "both", "observe only"),
        (
            "O3",
            "externship",
            "Family medicine externship: histories, examinations and notes under supervision",
            "graduates",
            "hands-on",
        ),
        ("O4", "research", "Outcomes research group: registry data analysis", "both", "research"),
        (
            "O5",
            "paid_clinical",
            "Paid clinical experience program: supervised patient care in a hospitalist team",
            "graduates",
            "hands-on",
        ),
        ("O6", "visiting_elective", "Pediatrics sub-internship for final-year students", "students", "hands-on"),
    ]
    return pd.DataFrame(rows, columns=["offer_id", "kind", "description", "open_to", "role"])


def open_offers(offers: pd.DataFrame, training_status: str) -> list[str]:
    """Ids of the offers this learner can take, by each host's own rule ('students', 'graduates', 'both')."""
    return [row["offer_id"] for row in offers.to_dict("records") if training_status in OPEN_TO[row["open_to"]]]


def hands_on_offers(offers: pd.DataFrame) -> list[str]:
    """Ids of the offers that are hands-on clinical work, the kind most programs count as USCE."""
    return [row["offer_id"] for row in offers.to_dict("records") if row["role"] == "hands-on"]


def cost_amount(costs: pd.DataFrame, item: str) -> float:
    """The amount for one item of rotation_costs.csv (KeyError naming the items there)."""
    rows = costs.loc[costs["item"] == item, "amount_usd"]
    if rows.empty:
        raise KeyError(f"No cost item {item!r}; the table has {list(costs['item'])}.")
    return float(rows.iloc[0])


def rotation_costs(program_ids: Sequence[str], programs: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """One row per rotation, in the order given: what each costs, before once-per-plan items.

    application: the VSLO fee when the host uses VSLO (else 0); host_fee: the host's fee;
    housing: weeks x housing per week; travel: getting to the host + weeks x local transport.
    """
    table = programs.set_index("program_id")
    missing = [p for p in program_ids if p not in table.index]
    if missing:
        raise ValueError(f"Unknown program_id(s) {missing}: use ids from programs.csv.")
    rows = table.loc[list(program_ids)]
    weeks = rows["rotation_weeks"].astype(int)
    out = pd.DataFrame(
        {
            "program_id": list(program_ids),
            "weeks": weeks.to_numpy(),
            "application": (rows["application_route"] == "VSLO").to_numpy() * cost_amount(costs, "vslo_application"),
            "host_fee": rows["host_fee_usd"].to_numpy(dtype=float),
            "housing": (weeks * rows["housing_per_week_usd"]).to_numpy(dtype=float),
            "travel": (
                cost_amount(costs, "move_between_hosts") + weeks * cost_amount(costs, "local_transport")
            ).to_numpy(dtype=float),
        }
    )
    out["total"] = out[list(COST_COLUMNS)].sum(axis=1)
    return out


def once_costs(costs: pd.DataFrame, needs_visa: bool) -> float:
    """Paid once for the whole stay: the flight, and the visa fee if you need a visa."""
    total = cost_amount(costs, "international_flight")
    if needs_visa:
        total += cost_amount(costs, "visa_fee")
    return total


def affordable_plan(per_rotation: pd.DataFrame, costs: pd.DataFrame, budget: float, needs_visa: bool) -> pd.DataFrame:
    """The rotations you can pay for, taken in priority order; one that does not fit is skipped.

    Adds `cumulative`: once-per-plan costs plus the totals of the rotations kept so far.
    Nothing fits (an empty table) when the budget cannot cover the once-per-plan costs
    plus any single rotation.
    """
    spent = once_costs(costs, needs_visa)
    kept, running = [], []
    for position, total in enumerate(per_rotation["total"]):
        if spent + total <= budget:
            spent += total
            kept.append(position)
            running.append(spent)
    plan = per_rotation.iloc[kept].copy()
    plan["cumulative"] = running
    return plan.reset_index(drop=True)


def value_vs_cost(per_rotation: pd.DataFrame, once: float, decay: float = VALUE_DECAY) -> pd.DataFrame:
    """Marginal and cumulative value of each rotation next to its cumulative cost.

    The value model is an illustrative assumption: the first rotation is worth 1 and
    each later one `decay` times the one before. The once-per-plan cost is charged to
    the first rotation.
    """
    n = len(per_rotation)
    marginal_value = [decay**k for k in range(n)]
    marginal_cost = list(per_rotation["total"].astype(float))
    if n:
        marginal_cost[0] += once
    table = pd.DataFrame(
        {
            "rotation": list(range(1, n + 1)),
            "marginal_value": marginal_value,
            "marginal_cost": marginal_cost,
        }
    )
    table["cumulative_value"] = table["marginal_value"].cumsum()
    table["cumulative_cost"] = table["marginal_cost"].cumsum()
    table["value_per_1000"] = table["marginal_value"] / table["marginal_cost"] * 1000
    return table


def value_cost_plot(table: pd.DataFrame, budget: float | None = None, title: str | None = None):
    """Cumulative value against cumulative cost (the value model is illustrative); returns (fig, summary)."""
    import matplotlib.pyplot as plt  # here, not at the top: notebooks that never plot start faster

    from ..runtime.plots import PALETTE

    fig, ax = plt.subplots(figsize=(7, 4.5))
    xs = [0.0, *table["cumulative_cost"]]  # start at nothing spent, nothing gained
    ys = [0.0, *table["cumulative_value"]]
    ax.plot(xs, ys, color=PALETTE["blue"], linewidth=2)
    ax.plot(
        table["cumulative_cost"],
        table["cumulative_value"],
        color=PALETTE["blue"],
        marker="o",
        linestyle="none",
        label="Your plan, one point per rotation",
    )
    for _, row in table.iterrows():
        ax.annotate(
            f"{int(row['rotation'])}",
            (row["cumulative_cost"], row["cumulative_value"]),
            textcoords="offset points",
            xytext=(-4, 8),
            fontsize=9,
        )
    if budget is not None:
        ax.axvline(
            budget, color=PALETTE["vermillion"], linestyle="--", linewidth=1.5, label=f"Your budget (${budget:,.0f})"
        )
    ax.set_xlabel("Cumulative cost (US dollars; once-per-stay costs counted with rotation 1)")
    ax.set_ylabel("Cumulative value (illustrative units)")
    ax.set_title(title or "Each extra rotation adds less (illustrative value model)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.text(
        0.01,
        0.98,
        "Value model: an assumption for illustration, not data",
        transform=ax.transAxes,
        fontsize=8,
        va="top",
        color=PALETTE["grey"],
    )
    if len(table):
        first, last = table.iloc[0], table.iloc[-1]
        summary = (
            f"{len(table)} rotations: the first adds {first['marginal_value']:.2f} value units for "
            f"${first['marginal_cost']:,.0f}, rotation {int(last['rotation'])} adds "
            f"{last['marginal_value']:.2f} for ${last['marginal_cost']:,.0f}; value per $1,000 falls from "
            f"{first['value_per_1000']:.2f} to {last['value_per_1000']:.2f} (illustrative model)."
        )
    else:
        summary = "No rotations to plot."
    return fig, summary


# ---------------------------------------------------------------- the main path's decisions (module 01)
# Fictional learners the main path asks about: each changes the sample learner in the ways shown.
OTHER_LEARNERS: dict[str, dict[str, Any]] = {
    "Kim": dict(
        training_status="student",
        years_since_graduation=0,
        has_usce=True,
        usce_months=3,
        training_gap_months=0,
        needs_visa=False,
        budget_usd=15000,
    ),
    "Ravi": dict(has_usce=False, usce_months=0, training_gap_months=20, needs_visa=False, budget_usd=20000),
    "Lena": dict(has_usce=True, usce_months=2, training_gap_months=0, needs_visa=True, budget_usd=5000),
    "Omar": dict(has_usce=False, usce_months=0, training_gap_months=0, needs_visa=True, budget_usd=12000),
}
# The worked example of section 1 (fictional): a graduate with some USCE, a long gap, a visa and a mid budget.
EXAMPLE_LEARNER: dict[str, Any] = dict(
    name="Tomas (fictional)",
    target_specialty="Psychiatry",
    has_usce=True,
    usce_months=2,
    training_gap_months=30,
    needs_visa=True,
    budget_usd=7000,
)
PLAN_COLUMNS = ["program_id", "program_name", "state", "setting", "weeks", "total"]
LADDER_LENGTH = 5  # the value plot shows this many rotations, so the flattening is visible


def learner_profile(name: str) -> dict[str, Any]:
    """The full profile of one of the fictional learners (the sample learner with their changes)."""
    from ..runtime.profile import SAMPLE_PROFILE

    if name == EXAMPLE_LEARNER["name"]:
        return dict(SAMPLE_PROFILE, **EXAMPLE_LEARNER)
    return dict(SAMPLE_PROFILE, name=f"{name} (fictional)", **OTHER_LEARNERS[name])


def other_learners() -> pd.DataFrame:
    """The fictional learners of Exercise 1.1, one row each, with the fields the count rules read."""
    fields = ["training_status", "has_usce", "training_gap_months", "needs_visa", "budget_usd"]
    rows = [{"learner": name, **{f: learner_profile(name)[f] for f in fields}} for name in OTHER_LEARNERS]
    return pd.DataFrame(rows)


def explain_count(profile: Mapping[str, Any]) -> None:
    """Print the kit's range for a profile and the reason for each step (the worked example)."""
    (low, high), why = recommend_rotation_count(profile)
    print(f"{profile['name']}: plan {low}-{high} away rotation(s).")
    for reason in why.rstrip(".").split("; "):
        print(f"  - {reason}")


def is_count(count: Any) -> bool:
    """A whole number of rotations (True/False and 2.5 are not)."""
    return isinstance(count, int) and not isinstance(count, bool) and count >= 0


def count_fits(profile: Mapping[str, Any], count: Any) -> bool:
    """Whether a number of rotations follows the guide's rules for this profile.

    Within the kit's range; when the budget pays for none at the planning cost, 0 (save first)
    or 1 (one well-chosen, low-cost rotation) both follow the guide.
    """
    (low, high), _ = recommend_rotation_count(profile)
    return is_count(count) and (low <= count <= high or (high == 0 and count <= 1))


def count_verdict(profile: Mapping[str, Any], count: Any) -> str:
    """One sentence: whether `count` fits the guide's rules for this profile, and which rule says so."""
    (low, high), _ = recommend_rotation_count(profile)
    if not is_count(count):
        return f"{count!r} is not a whole number of rotations: write it without quotes, e.g. 2."
    if count_fits(profile, count) and high == 0:
        return (
            f"{count} fits: the budget pays for none at the planning cost, so save first or choose one low-cost host."
        )
    if count > REPAIR_MAX or (count > 3 and not is_weak_application(profile)):
        return f"{count} is more than the guide supports: more than 3 only repairs a weak application."
    if count > high:
        limits = [w for w, on in (("the visa", profile["needs_visa"]), ("the budget", high < USUAL_RANGE[1])) if on]
        return f"{count} is above the {high} the rules allow here ({' and '.join(limits) or 'the usual 2-3'})."
    if count < low:
        return f"{count} is below the {low} the rules suggest (no USCE yet: one rotation is rarely enough)."
    return f"{count} fits: the rules give {low}-{high}."


def show_counts_for_others(counts: Any) -> None:
    """Each fictional learner's count next to the kit's range for them (waits while `counts` holds `...`)."""
    from ..runtime.answers import waiting_for

    if waiting_for(counts, "counts_for_others", "Exercise 1.1"):
        return
    for name in OTHER_LEARNERS:
        got = counts.get(name, "missing") if isinstance(counts, Mapping) else "missing"
        print(f"{name}: you said {got!r}. {count_verdict(learner_profile(name), got)}")


def show_count(profile: Mapping[str, Any], count: Any) -> None:
    """Your count next to the kit's range for your profile, with its reasons (waits while `count` is `...`)."""
    from ..runtime.answers import waiting_for

    if waiting_for(count, "my_rotation_count", "Exercise 1.2"):
        return
    print(f"You plan {count!r} rotation(s). {count_verdict(profile, count)}")
    explain_count(profile)


def plan_options(programs: pd.DataFrame, costs: pd.DataFrame, profile: Mapping[str, Any]) -> pd.DataFrame:
    """Hosts in the learner's specialty (in the sample data) that take visiting IMGs, cheapest first, with their cost."""
    from ..runtime.profile import sample_data_specialty

    specialty = sample_data_specialty(dict(profile), verbose=False)
    hosts = programs[(programs["specialty"] == specialty) & programs["accepts_visiting_imgs"].astype(bool)]
    priced = rotation_costs(list(hosts["program_id"]), programs, costs)
    table = hosts[["program_id", "program_name", "state", "setting"]].merge(priced, on="program_id")
    table["program_name"] = table["program_name"].str.replace(f" {specialty} Residency", "", regex=False)
    return table[PLAN_COLUMNS].sort_values(["total", "program_id"], kind="mergesort").reset_index(drop=True)


def example_plan(options: pd.DataFrame) -> list[str]:
    """The kit's stand-in plan while yours is blank: the two cheapest options."""
    return list(options["program_id"].head(2))


def plan_problems(plan: Any, programs: pd.DataFrame) -> list[str]:
    """What is wrong with the shape of a plan (empty list = a list of known program ids, none twice)."""
    if not isinstance(plan, (list, tuple)):
        return [f"the plan should be a list of program ids in square brackets, e.g. ['P002'], not {plan!r}"]
    ids = [str(p).strip().upper() for p in plan]
    unknown = [p for p in ids if p not in set(programs["program_id"])]
    problems = [f"not program ids from the table: {unknown}"] if unknown else []
    if len(set(ids)) != len(ids):
        problems.append("a program is listed twice")
    return problems


def plan_total(plan: Sequence[str], programs: pd.DataFrame, costs: pd.DataFrame, needs_visa: bool) -> float:
    """What a whole plan costs: every rotation, plus the flight and (if needed) the visa once."""
    ids = [str(p).strip().upper() for p in plan]
    return float(rotation_costs(ids, programs, costs)["total"].sum()) + once_costs(costs, needs_visa)


def show_plan(plan: Any, programs: pd.DataFrame, costs: pd.DataFrame, profile: Mapping[str, Any]):
    """The cost of a plan, rotation by rotation, against the budget; returns the table (None while blank)."""
    from ..runtime.answers import waiting_for

    if waiting_for(plan, "my_plan", "Exercise 1.3"):
        return None
    problems = plan_problems(plan, programs)
    if problems:
        print("This plan cannot be costed yet: " + "; ".join(problems) + ".")
        return None
    ids = [str(p).strip().upper() for p in plan]
    table = rotation_costs(ids, programs, costs)
    once = once_costs(costs, profile["needs_visa"])
    total = float(table["total"].sum()) + once
    budget = profile["budget_usd"]
    visa = " and the visa fee" if profile["needs_visa"] else ""
    print(f"{len(ids)} rotation(s): ${table['total'].sum():,.0f}, plus ${once:,.0f} once (the flight{visa}).")
    verdict = "within" if total <= budget else f"${total - budget:,.0f} over"
    print(f"Total ${total:,.0f} against a budget of ${budget:,.0f}: {verdict}.")
    if total > budget:
        kept = affordable_plan(table, costs, budget, profile["needs_visa"])
        print(f"In your order of priority, the budget pays for: {list(kept['program_id']) or 'none of them'}.")
    return table


def value_ladder(plan: Any, options: pd.DataFrame) -> tuple[list[str], int]:
    """Your plan, then the cheapest other options, up to LADDER_LENGTH rotations; and how many are yours."""
    mine = [str(p).strip().upper() for p in plan]
    extra = [p for p in options["program_id"] if p not in mine]
    return (mine + extra)[: max(LADDER_LENGTH, len(mine))], len(mine)


def show_value_plot(plan: Any, programs: pd.DataFrame, costs: pd.DataFrame, profile: Mapping[str, Any]):
    """Diminishing returns for your plan, extended with the cheapest other hosts; the kit's example plan while blank."""
    from ..runtime.answers import blanks_in

    options = plan_options(programs, costs, profile)
    if blanks_in(plan) or plan_problems(plan, programs):
        print("Your plan (Exercise 1.3) is not filled in yet: the plot uses the kit's example plan.")
        plan = example_plan(options)
    ladder, mine = value_ladder(plan, options)
    per_rotation = rotation_costs(ladder, programs, costs)
    curve = value_vs_cost(per_rotation, once_costs(costs, profile["needs_visa"]))
    fig, summary = value_cost_plot(
        curve, budget=profile["budget_usd"], title="What each extra rotation adds (illustrative value model)"
    )
    print(f"Rotations 1-{mine} are your plan; the rest are the cheapest other hosts, added to show the trend.")
    print(summary)
    return fig


def save_my_numbers(
    profile: Mapping[str, Any], count: Any, plan: Any, programs: pd.DataFrame, costs: pd.DataFrame
) -> None:
    """Save the range (with your count) and the part of your plan your budget pays for, for the capstone.

    A part made from the kit's stand-in (an answer still blank) is saved as the kit's example, not yours.
    """
    from ..runtime.answers import blanks_in
    from ..runtime.state import EXAMPLE, YOURS, save_part

    (low, high), why = recommend_rotation_count(profile)
    counted = not blanks_in(count) and isinstance(count, int) and not isinstance(count, bool)
    record = {"low": int(low), "high": int(high), "rationale": why}
    if counted:
        record["chosen"] = int(count)
        record["rationale"] = f"you chose {count}; the guide's rules give {low}-{high}: " + why
    save_part("rotation_count", record, source=YOURS if counted else EXAMPLE)
    options = plan_options(programs, costs, profile)
    planned = not blanks_in(plan) and not plan_problems(plan, programs)
    ids = [str(p).strip().upper() for p in plan] if planned else example_plan(options)
    kept = affordable_plan(rotation_costs(ids, programs, costs), costs, profile["budget_usd"], profile["needs_visa"])
    save_part("budget_plan", kept, source=YOURS if planned else EXAMPLE)
    whose = "your" if counted else "the kit's example"
    print(
        f"Saved {whose} count ({record.get('chosen', f'{low}-{high}')}) and a budget plan of {len(kept)} rotation(s)."
    )


def offer_ids(value: Any) -> list[str]:
    """A learner's list of offer ids, tidied (capitals, spaces) and sorted; [] for something that is not a list."""
    if not isinstance(value, (list, tuple, set)):
        return []
    return sorted(str(v).strip().upper() for v in value)


def show_offer_lists(
    offers: pd.DataFrame, open_to_kim: Any, open_to_ravi: Any, hands_on: Any, profile: Mapping[str, Any]
) -> None:
    """The three lists of Exercise 1.5 with the offers' descriptions, and what is open to you."""
    from ..runtime.answers import blanks_in

    described = dict(zip(offers["offer_id"], offers["description"], strict=True))
    for name, value in (("open_to_kim", open_to_kim), ("open_to_ravi", open_to_ravi), ("hands_on", hands_on)):
        if blanks_in(value):
            print(f"{name}: no answer yet (replace ... with offer ids).")
            continue
        unknown = [i for i in offer_ids(value) if i not in described]
        note = f" (not offer ids: {unknown})" if unknown else ""
        print(f"{name}: {', '.join(i for i in offer_ids(value) if i in described) or 'none'}{note}")
    status = profile["training_status"]
    print(f"\nYou are a {status}. Open to you here: {', '.join(open_offers(offers, status))}.")
