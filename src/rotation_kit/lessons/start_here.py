"""The two-stage path (module 00): specialty lookups, the stage labels, and a sense check for a profile.

Module 00's learners write their own `specialty_card`; later modules and the
capstone use this one, so an unfinished exercise never blocks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

# Stage 1 is the Match; the other three are the Stage-2 routes toward informatics.
STAGE_LABELS = {
    "stage1": "Stage 1: match into a U.S. residency in a core clinical specialty",
    "fellowship": "Stage 2, route 1: an ACGME-accredited Clinical Informatics fellowship (24 months)",
    "hybrid": "Stage 2, route 2: a clinician who builds informatics work into residency and practice, no fellowship",
    "roles": "Stage 2, route 3: a role in a health system, an EHR vendor or a digital-health company",
}

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
# Beyond these the numbers are probably a typo (an extra zero), not a plan.
MAX_PLAUSIBLE_MONTHS = 480
MAX_PLAUSIBLE_BUDGET = 250_000

CARD_KEYS = ("informatics_focus", "img_share_pct", "share_basis", "year", "source", "uncertain")


def specialty_card(table: pd.DataFrame, specialty: str) -> dict[str, Any]:
    """The latest row for one specialty, as a dictionary; spelling and capitals need not be exact.

    A ValueError names the specialties the table knows, so a typo gets a useful message.
    """
    wanted = str(specialty).strip().lower()
    rows = table[table["specialty"].str.strip().str.lower() == wanted]
    if rows.empty:
        known = ", ".join(sorted(table["specialty"].unique()))
        raise ValueError(f"No specialty called {specialty!r}; the table has: {known}.")
    latest = rows.sort_values("year", kind="mergesort").iloc[-1]
    return {
        "informatics_focus": str(latest["informatics_focus"]),
        "img_share_pct": float(latest["img_share_pct"]),
        "share_basis": str(latest["share_basis"]),
        "year": int(latest["year"]),
        "source": str(latest["source"]),
        "uncertain": bool(latest["uncertain"]),
    }


def profile_coherence_problems(profile: Mapping[str, Any]) -> list[str]:
    """Things in a valid profile that do not add up (empty list = coherent).

    `profile.validate_profile` checks types; this checks that the answers agree with each
    other and look like a real plan, without preferring any particular learner.
    """
    problems = []
    if profile.get("has_usce") is True and profile.get("usce_months", 0) <= 0:
        problems.append("'has_usce' is True but 'usce_months' is 0: give the months you have.")
    for field in ("usce_months", "training_gap_months"):
        if profile.get(field, 0) > MAX_PLAUSIBLE_MONTHS:
            problems.append(f"{field!r} is {profile[field]}: that is over 40 years; check for a typo.")
    if profile.get("budget_usd", 0) > MAX_PLAUSIBLE_BUDGET:
        problems.append(f"'budget_usd' is {profile['budget_usd']}: check for an extra zero.")
    ties = list(profile.get("tie_states", []))
    unknown = [s for s in ties if s not in US_STATES]
    if unknown:
        problems.append(f"'tie_states' has codes that are not U.S. states: {unknown}.")
    if len(set(ties)) != len(ties):
        problems.append("'tie_states' lists a state twice.")
    experience = profile.get("informatics_experience", [])
    if any(not isinstance(item, str) or not item.strip() for item in experience):
        problems.append("'informatics_experience' should hold short descriptions in quotes, none empty.")
    return problems


# For a specialty the guide does not name: the kit's own general angle, labelled as such. The one
# sourced fact in it: clinical informatics certification is open to physicians of any primary
# specialty certified by an ABMS member board (ABPM, Clinical Informatics certification FAQ, accessed 2026).
GENERAL_ANGLE = (
    "general angle (the kit's, not the guide's): clinical informatics is open to physicians of any "
    "primary specialty, so look for informatics work where your specialty meets the EHR: order sets "
    "and decision support for its common problems, the quality measures it reports, and the data its "
    "tests, images or procedures produce"
)
GENERAL_ANGLE_SOURCE = (
    "ABPM, Clinical Informatics certification FAQ (accessed 2026): eligibility needs current primary "
    "certification by an ABMS member board, in any specialty"
)


def informatics_angle(table: pd.DataFrame, specialty: str) -> dict[str, Any]:
    """Where a specialty leads in informatics: the guide's angle for its six, a labelled general one otherwise."""
    wanted = str(specialty).strip().lower()
    rows = table[table["specialty"].str.strip().str.lower() == wanted]
    if rows.empty:
        return {
            "specialty": str(specialty),
            "angle": GENERAL_ANGLE,
            "source": GENERAL_ANGLE_SOURCE,
            "from_guide": False,
        }
    card = specialty_card(table, specialty)
    return {
        "specialty": str(specialty),
        "angle": card["informatics_focus"],
        "source": "the course guide (its six typical Stage 1 specialties)",
        "from_guide": True,
    }


# ---------------------------------------------------------------- parallel informatics experience (guide §6 A)
# A fictional graduate's 20 months since internship; True = informatics-related experience the guide names.
GAP_ACTIVITIES = {
    "P1": ("Completed an online certificate in health informatics", True),
    "P2": ("Took a university course in statistics", True),
    "P3": ("Took a course in public health and epidemiology", True),
    "P4": ("Joined a chart-review QI project at the former hospital, remotely", True),
    "P5": ("Sat on the EHR optimisation committee of the hospital where he worked before", True),
    "P6": ("Analysed registry data in R for a research team", True),
    "P7": ("Travelled for six months", False),
    "P8": ("Studied for the USMLE only", False),
}
GAP_FRAMINGS = {
    "A": "I took some time off after internship.",
    "B": "For 20 months I built informatics skills on purpose: a health informatics certificate, statistics, "
    "and registry analysis for a research team, while preparing for the USMLE.",
    "C": "Leave the months out of the application so nobody asks.",
    "D": "I could not find a clinical job, so I waited.",
}
BEST_GAP_FRAMING = "B"


def parallel_experience() -> list[str]:
    """Ids of the gap activities that count as informatics-related experience in the guide's sense."""
    return [key for key, (_, counts) in GAP_ACTIVITIES.items() if counts]
