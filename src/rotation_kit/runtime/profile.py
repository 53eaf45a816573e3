"""The learner's profile: built in module 00, validated here, reused by every later module."""

from __future__ import annotations

import difflib
import re
from typing import Any

from .schemas import SPECIALTIES
from .state import EXAMPLE, YOURS, load_part, part_source, save_part

# The core specialties in which the ACGME accredits residency programs, under the names of the ACGME's
# program requirements (the kit's list, compiled in 2026; combined Internal Medicine-Pediatrics and
# integrated surgical programs included). Check the ACGME's site for a specialty not listed here. Any of them can lead to
# clinical informatics: board certification in it is open to physicians of any primary specialty.
ACGME_SPECIALTIES: tuple[str, ...] = (
    "Allergy and Immunology",
    "Anesthesiology",
    "Child Neurology",
    "Colon and Rectal Surgery",
    "Dermatology",
    "Diagnostic Radiology",
    "Emergency Medicine",
    "Family Medicine",
    "Internal Medicine",
    "Internal Medicine-Pediatrics",
    "Interventional Radiology",
    "Medical Genetics and Genomics",
    "Neurological Surgery",
    "Neurology",
    "Nuclear Medicine",
    "Obstetrics and Gynecology",
    "Ophthalmology",
    "Orthopaedic Surgery",
    "Osteopathic Neuromusculoskeletal Medicine",
    "Otolaryngology - Head and Neck Surgery",
    "Pathology",
    "Pediatrics",
    "Physical Medicine and Rehabilitation",
    "Plastic Surgery",
    "Preventive Medicine",
    "Psychiatry",
    "Radiation Oncology",
    "Surgery",
    "Thoracic Surgery",
    "Urology",
    "Vascular Surgery",
)
# The six the guide names as typical Stage 1 specialties; the sample data covers only these.
GUIDE_SPECIALTIES: tuple[str, ...] = tuple(SPECIALTIES)
# Everyday names a learner may type, mapped to the ACGME name the kit expects.
SPECIALTY_ALIASES = {
    "ob/gyn": "Obstetrics and Gynecology",
    "obgyn": "Obstetrics and Gynecology",
    "ob-gyn": "Obstetrics and Gynecology",
    "obstetrics & gynecology": "Obstetrics and Gynecology",
    "radiology": "Diagnostic Radiology",
    "general surgery": "Surgery",
    "anesthesia": "Anesthesiology",
    "ent": "Otolaryngology - Head and Neck Surgery",
    "otolaryngology": "Otolaryngology - Head and Neck Surgery",
    "pm&r": "Physical Medicine and Rehabilitation",
    "med-peds": "Internal Medicine-Pediatrics",
    "im": "Internal Medicine",
    "fm": "Family Medicine",
    "em": "Emergency Medicine",
    "peds": "Pediatrics",
    "paediatrics": "Pediatrics",
    "psych": "Psychiatry",
    "cardiology": "Internal Medicine",
    "gastroenterology": "Internal Medicine",
    "neurosurgery": "Neurological Surgery",
    "orthopedic surgery": "Orthopaedic Surgery",
    "orthopedics": "Orthopaedic Surgery",
    "genetics": "Medical Genetics and Genomics",
}
TRAINING_STATUSES = {
    "student": "enrolled in a medical school now (visiting student electives can be open to you)",
    "graduate": "you already hold your medical degree (visiting student electives are usually closed to you)",
}

# Fields, their types and what they mean; module 00 teaches each one.
FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "what to call you in your plan (a first name or nickname is fine)"),
    "target_specialty": (str, "the ACGME name of your specialty, e.g. 'Internal Medicine' or 'Neurology'"),
    "training_status": (
        str,
        "'student' if you are enrolled in a medical school now, 'graduate' if you have your degree",
    ),
    "years_since_graduation": ((int, float), "years since you finished medical school (0 if you are a student)"),
    "tie_states": (list, "two-letter states where you have family, study or partner ties, e.g. ['NJ', 'TX']"),
    "has_usce": (bool, "True if you already have U.S. clinical experience"),
    "usce_months": ((int, float), "months of U.S. clinical experience so far (0 if none)"),
    "training_gap_months": ((int, float), "months since your last clinical training (0 if none)"),
    "budget_usd": ((int, float), "money you can spend on away rotations, in U.S. dollars"),
    "needs_visa": (bool, "True if you need a visa to rotate and to train in the U.S."),
    "informatics_experience": (list, "informatics-related things you have done, e.g. ['QI project']"),
}

# Optional fields: a profile is complete without them, and each is checked only when present.
# `learner_id` is the id on the class roster a facilitator gives out; hand-in files are named with it
# (runtime/hand_in.py), so `rotation-kit grade collect` can tell whose work a file is.
OPTIONAL_FIELDS: dict[str, tuple[type, str]] = {
    "learner_id": (
        str,
        "the id your facilitator gave you for handing in work (as on the class roster), e.g. 'l07' or 'amara'",
    ),
}
# The one rule for a learner id (the roster's too: commands/grade/roster.py). It becomes a folder name on the
# grader's side: letters, digits, dot, dash, underscore, @ and +. Here, because the handout ships no commands/grade.
LEARNER_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


def learner_id_problem(value: Any) -> str | None:
    """What is wrong with a learner id, in words a learner can act on (None = fine)."""
    if not isinstance(value, str):
        return f"'learner_id' should be {OPTIONAL_FIELDS['learner_id'][1]}, in quotes; you gave {value!r}."
    if not LEARNER_ID_PATTERN.match(value.strip()) or value != value.strip():
        return (
            f"'learner_id' {value!r} cannot be used in a file name: use letters, digits and . _ - @ + only, "
            "starting with a letter or digit, exactly as your facilitator wrote it (no spaces)."
        )
    return None


# The kit's one sample learner (fictional), the same person in every module's solution and in the
# capstone's examples: Amina, a graduate applying to Internal Medicine.
SAMPLE_PROFILE: dict[str, Any] = {
    "name": "Amina (fictional sample learner)",
    "target_specialty": "Internal Medicine",
    "training_status": "graduate",
    "years_since_graduation": 3,
    "tie_states": ["NJ", "TX"],
    "has_usce": False,
    "usce_months": 0,
    "training_gap_months": 14,
    "budget_usd": 9000,
    "needs_visa": True,
    "informatics_experience": ["Excel audit of ward readmissions"],
}


# Fields added after the first release: a profile saved without them is kept and completed,
# never replaced by the sample learner (the learner's work is not lost).
ADDED_FIELDS: dict[str, Any] = {"training_status": "graduate", "years_since_graduation": 0}


def specialty_suggestions(typed: Any, limit: int = 3) -> list[str]:
    """ACGME specialty names close to what was typed (an alias first), for a did-you-mean message."""
    text = str(typed).strip()
    alias = SPECIALTY_ALIASES.get(text.lower())
    by_case = [s for s in ACGME_SPECIALTIES if s.lower() == text.lower()]
    lowered = {s.lower(): s for s in ACGME_SPECIALTIES}
    close = [lowered[m] for m in difflib.get_close_matches(text.lower(), list(lowered), n=limit, cutoff=0.6)]
    starts = [s for s in ACGME_SPECIALTIES if text and s.lower().startswith(text.lower())]
    found = ([alias] if alias else []) + by_case + close + starts
    return list(dict.fromkeys(found))[:limit]


def in_sample_data(specialty: str) -> bool:
    """Whether the kit's fictional programs and rotations include this specialty (only the guide's six)."""
    return specialty in GUIDE_SPECIALTIES


def sample_data_specialty(profile: dict[str, Any], verbose: bool = True) -> str:
    """The specialty to use with the kit's sample data: yours, or Internal Medicine with a note when it has none."""
    specialty = profile.get("target_specialty", "")
    if in_sample_data(specialty):
        return specialty
    if verbose:
        print(
            f"The kit's fictional sample data has no programs or rotations in {specialty}: it covers only the "
            f"guide's six ({', '.join(GUIDE_SPECIALTIES)}). The examples below use Internal Medicine so you can "
            f"see what each tool does; your profile, your own program list and your plan keep {specialty}."
        )
    return "Internal Medicine"


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
        bad_type = not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool)
        if bad_type:
            problems.append(f"{field!r} should be {meaning}; you gave {value!r}.")
            continue
        if field == "target_specialty" and value not in ACGME_SPECIALTIES:
            near = specialty_suggestions(value)
            hint = (
                f" Did you mean {' or '.join(repr(n) for n in near)}?"
                if near
                else (" Use the ACGME name, e.g. 'Internal Medicine', 'Neurology', 'Obstetrics and Gynecology'.")
            )
            problems.append(f"'target_specialty' {value!r} is not an ACGME specialty name.{hint}")
        if field == "training_status" and value not in TRAINING_STATUSES:
            problems.append(f"'training_status' should be 'student' or 'graduate'; you gave {value!r}.")
        if field == "tie_states" and not all(isinstance(s, str) and len(s) == 2 and s.isupper() for s in value):
            problems.append(f"'tie_states' should hold two-letter codes in capitals like 'NY'; you gave {value!r}.")
        if kinds == (int, float) and value < 0:
            problems.append(f"{field!r} cannot be negative; you gave {value!r}.")
        if field == "name" and not value.strip():
            problems.append("'name' is empty: write what to call you in your plan.")
    if "learner_id" in profile:
        problem = learner_id_problem(profile["learner_id"])
        if problem:
            problems.append(problem)
    if (
        profile.get("training_status") == "student"
        and isinstance(profile.get("years_since_graduation"), (int, float))
        and not isinstance(profile["years_since_graduation"], bool)
        and profile["years_since_graduation"] > 0
    ):
        problems.append("'training_status' is 'student' but 'years_since_graduation' is above 0: make them agree.")
    if (
        profile.get("has_usce") is False
        and isinstance(profile.get("usce_months"), (int, float))
        and profile["usce_months"] > 0
    ):
        problems.append("'has_usce' is False but 'usce_months' is above 0: make them agree.")
    return problems


def validate_profile(profile: Any) -> dict[str, Any]:
    """The profile itself when valid; otherwise a ProfileError listing every fix."""
    problems = profile_problems(profile)
    if problems:
        raise ProfileError("Your profile needs a few fixes:\n- " + "\n- ".join(problems))
    return profile


def save_profile(profile: dict[str, Any]) -> str:
    """Validate and save the profile so later modules can reuse it; returns where it went.

    A learner id saved earlier (for handing in) is kept when the new profile does not give one.
    """
    validate_profile(profile)
    earlier = saved_learner_id()
    if earlier and "learner_id" not in profile:
        profile = {**profile, "learner_id": earlier}
    return save_part("profile", profile)


def saved_learner_id() -> str | None:
    """The learner id in the saved profile (module 00, or set when handing in), or None."""
    saved = load_part("profile", None, made_in="00_start_here", verbose=False)
    value = saved.get("learner_id") if isinstance(saved, dict) else None
    return value if isinstance(value, str) and learner_id_problem(value) is None else None


def save_learner_id(learner_id: str) -> str:
    """Add (or change) the learner id in the saved profile, keeping everything else and where it came from.

    Without a saved profile, the sample learner's stands in (saved as the kit's example, so it never
    counts as the learner's own profile) until module 00 saves theirs, which keeps the id.
    """
    problem = learner_id_problem(learner_id)
    if problem:
        raise ProfileError(problem)
    saved = load_part("profile", None, made_in="00_start_here", verbose=False)
    if isinstance(saved, dict) and part_source("profile") is not None:
        return save_part("profile", {**saved, "learner_id": learner_id}, source=part_source("profile"))
    return save_part("profile", {**SAMPLE_PROFILE, "learner_id": learner_id}, source=EXAMPLE)


def load_profile(verbose: bool = True) -> dict[str, Any]:
    """Your saved profile from module 00, or the sample learner when there is none (or it is broken)."""
    profile = load_part("profile", dict(SAMPLE_PROFILE), made_in="00_start_here", verbose=verbose)
    if isinstance(profile, dict) and any(field not in profile for field in ADDED_FIELDS):
        missing = [field for field in ADDED_FIELDS if field not in profile]
        profile = {**ADDED_FIELDS, **profile}
        if verbose:
            print(
                f"Your saved profile has no {', '.join(missing)} yet (new in module 00): assuming a graduate "
                "for now. Add them in module 00 and save again."
            )
    problems = profile_problems(profile)
    if problems:
        if verbose:
            print(
                "Your saved profile has problems (" + "; ".join(problems) + "). Re-run module 00. "
                "Using the sample learner for now."
            )
        return dict(SAMPLE_PROFILE)
    return profile


def has_own_profile() -> bool:
    """True when module 00 saved a valid profile of the learner's own, not the sample learner's stand-in."""
    if part_source("profile") != YOURS:
        return False
    saved = load_part("profile", None, made_in="00_start_here", verbose=False)
    return isinstance(saved, dict) and not profile_problems(saved)
