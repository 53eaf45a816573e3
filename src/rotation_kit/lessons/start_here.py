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


# ---------------------------------------------------------------- the main path's decisions (module 00)
# The worked example of the profile exercise (fictional), with two mistakes the validator names.
EXAMPLE_PROFILE: dict[str, Any] = {
    "name": "Tomas (fictional)",
    "target_specialty": "Psychiatry",
    "training_status": "graduate",
    "years_since_graduation": 3,
    "tie_states": ["Illinois"],  # mistake 1: states are two-letter codes
    "has_usce": False,
    "usce_months": 2,  # mistake 2: no USCE, yet two months of it
    "training_gap_months": 30,
    "budget_usd": 6000,
    "needs_visa": True,
    "informatics_experience": [],
}

# Fictional doctors and the informatics work each wants (Exercise 0.2): the learner names the specialty.
INFORMATICS_WISHES = {
    "D1": "real-time alerts and patient-flow dashboards for a busy emergency department",
    "D2": "running the hospital laboratory's information system and digital slide review",
    "D3": "video visits and app-based follow-up for people with depression or anxiety",
    "D4": "registries and reminders that keep a whole community's vaccinations and diabetes care on track",
    "D5": "not sure yet which informatics work: wants the broadest base for a fellowship later",
}
SHARE_READINGS = {
    "a": "a share of positions filled in the 2024 Match, from Intealth",
    "b": "an estimate of positions offered in 2024, from a secondary source, marked uncertain",
    "c": "the share of positions filled in 2025, from the ACP",
}


def show_a_failed_check() -> None:
    """Print what a failed check looks like, on purpose, without stopping Run All."""
    from ..runtime.checks import CheckFailed, expect

    try:
        expect.equal(2 + 2, 5, what="2 + 2", hint="This check is wrong on purpose: it only shows the format.")
    except CheckFailed as failure:
        print(failure)


def show_profile(profile: Any, name: str = "my_profile") -> None:
    """What the kit thinks of a profile: every problem with its fix, or that it is valid (waits while blank)."""
    from ..runtime.answers import waiting_for
    from ..runtime.profile import profile_problems

    if waiting_for(profile, name, "Exercise 0.1"):
        return
    problems = profile_problems(profile)
    if problems:
        print("Fix these, run your cell again, then this one:\n- " + "\n- ".join(problems))
        return
    odd = profile_coherence_problems(profile)
    print("Valid: the kit can read every field." + ("" if odd else " And the answers agree with each other."))
    if odd:
        print("Things that do not add up:\n- " + "\n- ".join(odd))


def save_my_profile(profile: Any) -> None:
    """Save a valid profile for the later modules; a blank or invalid one is not saved, and says why."""
    from ..runtime.answers import blanks_in
    from ..runtime.profile import ProfileError, save_profile

    if blanks_in(profile):
        print(
            "Not saved: finish Exercise 0.1 first (my_profile still has `...`). Later modules use the sample learner."
        )
        return
    try:
        print("Saved your profile to", save_profile(profile))
    except ProfileError as problem:
        print(f"Not saved. {problem}")


def specialty_named(text: Any) -> str | None:
    """The guide specialty a learner meant ("em", " pathology ", "Peds"), or None."""
    from ..runtime.profile import GUIDE_SPECIALTIES, SPECIALTY_ALIASES

    typed = str(text).strip().lower()
    typed = SPECIALTY_ALIASES.get(typed, typed).lower()
    return next((s for s in GUIDE_SPECIALTIES if s.lower() == typed), None)


def show_card(table: pd.DataFrame, specialty: str) -> None:
    """One specialty's informatics angle and IMG share, with what kind of number the share is."""
    angle = informatics_angle(table, specialty)
    if not angle["from_guide"]:
        print(f"{specialty}: {angle['angle']}.\nSource: {angle['source']}. (No IMG share in the table.)")
        return
    card = specialty_card(table, specialty)
    kind = "estimated share of positions offered" if card["uncertain"] else f"share of positions {card['share_basis']}"
    print(f"{specialty}: {card['informatics_focus']}.")
    print(f"IMGs, {card['year']}: {card['img_share_pct']}% ({kind}; source: {card['source']}).")


def show_specialty_choices(table: pd.DataFrame, choices: Any) -> None:
    """Each doctor's wish next to the informatics focus of the specialty the learner chose (waits while blank)."""
    from ..runtime.answers import waiting_for

    if waiting_for(choices, "specialty_for", "Exercise 0.2"):
        return
    for key, wish in INFORMATICS_WISHES.items():
        typed = choices.get(key, "") if isinstance(choices, Mapping) else ""
        found = specialty_named(typed)
        leads = specialty_card(table, found)["informatics_focus"] if found else "not one of the six in the table"
        print(f"{key}: {wish}.\n    You chose {typed!r}: {leads}.")


def show_my_card(table: pd.DataFrame, profile: Any) -> None:
    """The card for the learner's own specialty (Internal Medicine, and a note, until Exercise 0.1 is done)."""
    from ..runtime.answers import blanks_in

    if blanks_in(profile) or not isinstance(profile, Mapping) or "target_specialty" not in profile:
        print("Your profile (Exercise 0.1) is not filled in yet: showing Internal Medicine.")
        specialty = "Internal Medicine"
    else:
        specialty = str(profile["target_specialty"])
    show_card(table, specialty)


def show_sorting(sorting: Any, statements: pd.DataFrame) -> None:
    """How many statements the learner put in each group, and any left blank (waits while all are blank)."""
    from ..runtime.answers import blanks_in

    if not isinstance(sorting, Mapping) or len(blanks_in(sorting)) == len(sorting):
        print(
            "Waiting for your answer (Exercise 0.3): `my_sorting` still has `...`. Fill it in, run that cell, then this one."
        )
        return
    groups = {label: [] for label in STAGE_LABELS}
    for key, label in sorting.items():
        groups.setdefault(str(label).strip().lower() if label is not ... else "not labelled yet", []).append(key)
    for label, keys in groups.items():
        print(f"{label}: {', '.join(sorted(keys)) or '-'}")
