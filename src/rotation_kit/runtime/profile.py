"""The learner's profile: built in module 00, validated here, reused by every later module."""

from __future__ import annotations

from typing import Any

from .schemas import SPECIALTIES
from .state import YOURS, load_part, part_source, save_part

# Fields, their types and what they mean; module 00 teaches each one.
FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "what to call you in your plan (a first name or nickname is fine)"),
    "target_specialty": (str, "one of: " + ", ".join(SPECIALTIES)),
    "tie_states": (list, "two-letter states where you have family, study or partner ties, e.g. ['NJ', 'TX']"),
    "has_usce": (bool, "True if you already have U.S. clinical experience"),
    "usce_months": ((int, float), "months of U.S. clinical experience so far (0 if none)"),
    "training_gap_months": ((int, float), "months since your last clinical training (0 if none)"),
    "budget_usd": ((int, float), "money you can spend on away rotations, in U.S. dollars"),
    "needs_visa": (bool, "True if you need a visa to rotate and to train in the U.S."),
    "informatics_experience": (list, "informatics-related things you have done, e.g. ['QI project']"),
}

# The kit's one sample learner (fictional), the same person in every module's solution and in the
# capstone's examples: Amina, a graduate applying to Internal Medicine.
SAMPLE_PROFILE: dict[str, Any] = {
    "name": "Amina (fictional sample learner)",
    "target_specialty": "Internal Medicine",
    "tie_states": ["NJ", "TX"],
    "has_usce": False,
    "usce_months": 0,
    "training_gap_months": 14,
    "budget_usd": 9000,
    "needs_visa": True,
    "informatics_experience": ["Excel audit of ward readmissions"],
}


class ProfileError(ValueError):
    """A profile field is missing or has the wrong kind of value; the message says which and how to fix it."""


def profile_problems(profile: Any) -> list[str]:
    """Every problem with a profile, in words a learner can act on (empty list = valid)."""
    if not isinstance(profile, dict):
        return [f"The profile must be a dictionary {{...}}, not {type(profile).__name__}."]
    problems = []
    for field, (kinds, meaning) in FIELDS.items():
        if field not in profile:
            problems.append(f"Add the key {field!r}: {meaning}.")
            continue
        value = profile[field]
        bad_type = not isinstance(value, kinds) or (isinstance(value, bool) and kinds != bool)
        if bad_type:
            problems.append(f"{field!r} should be {meaning}; you gave {value!r}.")
            continue
        if field == "target_specialty" and value not in SPECIALTIES:
            problems.append(f"'target_specialty' {value!r} is not one of: {', '.join(SPECIALTIES)}.")
        if field == "tie_states" and not all(isinstance(s, str) and len(s) == 2 and s.isupper() for s in value):
            problems.append(f"'tie_states' should hold two-letter codes in capitals like 'NY'; you gave {value!r}.")
        if kinds == (int, float) and value < 0:
            problems.append(f"{field!r} cannot be negative; you gave {value!r}.")
        if field == "name" and not value.strip():
            problems.append("'name' is empty: write what to call you in your plan.")
    if profile.get("has_usce") is False and isinstance(profile.get("usce_months"), (int, float)) and profile["usce_months"] > 0:
        problems.append("'has_usce' is False but 'usce_months' is above 0: make them agree.")
    return problems


def validate_profile(profile: Any) -> dict[str, Any]:
    """The profile itself when valid; otherwise a ProfileError listing every fix."""
    problems = profile_problems(profile)
    if problems:
        raise ProfileError("Your profile needs a few fixes:\n- " + "\n- ".join(problems))
    return profile


def save_profile(profile: dict[str, Any]) -> str:
    """Validate and save the profile so later modules can reuse it; returns where it went."""
    validate_profile(profile)
    return save_part("profile", profile)


def load_profile(verbose: bool = True) -> dict[str, Any]:
    """Your saved profile from module 00, or the sample learner when there is none (or it is broken)."""
    profile = load_part("profile", dict(SAMPLE_PROFILE), made_in="00_start_here", verbose=verbose)
    problems = profile_problems(profile)
    if problems:
        if verbose:
            print("Your saved profile has problems (" + "; ".join(problems) + "). Re-run module 00. "
                  "Using the sample learner for now.")
        return dict(SAMPLE_PROFILE)
    return profile


def has_own_profile() -> bool:
    """True when module 00 saved a valid profile of the learner's own, not the sample learner's stand-in."""
    if part_source("profile") != YOURS:
        return False
    saved = load_part("profile", None, made_in="00_start_here", verbose=False)
    return isinstance(saved, dict) and not profile_problems(saved)
