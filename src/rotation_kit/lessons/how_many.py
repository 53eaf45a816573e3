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
    fig.tight_layout()
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
