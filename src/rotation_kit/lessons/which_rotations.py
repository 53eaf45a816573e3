"""Which rotations, in which order (module 02): the kit's reference versions.

The course guide's priorities: rotations in your target specialty with real clinical
work come first, ideally at a place where informatics happens in the background; a
dedicated informatics or QI elective may be the second or third rotation (FAQ 2), never the
first, and only after a clinical one; a strong clinical rotation with a likely letter beats a
weak one at an informatics-heavy site.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

CATEGORIES = {
    "clinical_informatics": "clinical work in your target specialty, with informatics in the background",
    "core": "clinical work in your target specialty",
    "off_target": "clinical work in another specialty",
    "informatics_elective": "mostly non-clinical: an informatics, QI or health-systems elective",
}
CLINICAL_MIN = 0.5  # at least half the time in clinical service counts as a clinical rotation
ELECTIVE_FIRST_SLOT = 2  # FAQ 2: an elective as the second or third rotation; the first is clinical
_GROUP = {"clinical_informatics": 0, "core": 0, "off_target": 1, "informatics_elective": 2}


def classify_rotation(rotation: Mapping[str, Any], target_specialty: str) -> str:
    """One of CATEGORIES for a catalogue row, given the learner's target specialty."""
    if rotation["clinical_share"] < CLINICAL_MIN:
        return "informatics_elective"
    if rotation["specialty"] != target_specialty:
        return "off_target"
    if rotation["informatics_exposure"]:
        return "clinical_informatics"
    return "core"


def classify_catalogue(catalogue: pd.DataFrame, target_specialty: str) -> pd.DataFrame:
    """The catalogue with a `category` column for this target specialty."""
    categories = [classify_rotation(row, target_specialty) for row in catalogue.to_dict("records")]
    return catalogue.assign(category=categories)


def order_rotations(chosen: pd.DataFrame) -> pd.DataFrame:
    """Chosen rotations in the order the guide advises, with a `slot` column (1 = first).

    Clinical rotations in the target specialty first, then clinical ones in other
    specialties, then informatics electives; within each group by `preference`
    (1 = most wanted), ties by `rotation_id`. An elective may never take slot 1
    (FAQ 2 allows it second or third): with no clinical rotation before it, it is left out.
    """
    ranked = chosen.assign(_group=chosen["category"].map(_GROUP))
    ranked = ranked.sort_values(["_group", "preference", "rotation_id"], kind="mergesort")
    clinical = int((ranked["_group"] < _GROUP["informatics_elective"]).sum())
    if clinical < ELECTIVE_FIRST_SLOT - 1:
        ranked = ranked[ranked["_group"] < _GROUP["informatics_elective"]]
    ranked = ranked.drop(columns="_group").reset_index(drop=True)
    return ranked.assign(slot=range(1, len(ranked) + 1))


def guide_prefers(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """'a' or 'b': which of two rotation options the guide would take (ties go to 'a').

    Compare in this order: clinical work in the target specialty (FAQ 2), then a
    likely strong letter (FAQ 3), then informatics presence at the site.
    """
    for key in ("clinical_in_target", "strong_letter_likely"):
        if bool(a[key]) != bool(b[key]):
            return "a" if a[key] else "b"
    if float(a["informatics"]) != float(b["informatics"]):
        return "a" if float(a["informatics"]) > float(b["informatics"]) else "b"
    return "a"


def option(clinical_in_target: bool = True, strong_letter_likely: bool = True, informatics: float = 0.0) -> dict:
    """A rotation option for guide_prefers: a base for examples and tests."""
    return {
        "clinical_in_target": clinical_in_target,
        "strong_letter_likely": strong_letter_likely,
        "informatics": informatics,
    }


# ---------------------------------------------------------------- why rotate, and kinds of elective
# Statements about what a rotation adds for an IMG; True = the guide's four extra values (section 2).
EXTRA_VALUE_STATEMENTS = {
    "V1": ("A U.S. team sees you work, so you stop being an unknown applicant", True),
    "V2": ("Faculty who supervised you can write U.S. letters of recommendation", True),
    "V3": ("You show you can work inside a U.S. hospital and its EHR", True),
    "V4": ("You can show the informatics side you bring as well as clinical work", True),
    "V5": ("A good rotation makes up for a failed licensing exam", False),
    "V6": ("The host must then invite you to interview", False),
    "V7": ("The weeks count toward residency training", False),
}
# Four offers; only one serves all three of the guide's goals at once (match in a field that leads to
# informatics, be competitive for a later fellowship or leadership path, stand out as an IMG).
GOAL_OFFERS = {
    "A": "Internal Medicine wards at an academic centre that matches IMGs every year, has a CI fellowship, "
    "and whose CMIO meets visiting students",
    "B": "A dermatology research month at a famous centre, no patient contact",
    "C": "A two-week EHR-optimisation elective with no patient contact at a top-ranked centre",
    "D": "Internal Medicine wards at a hospital that has not ranked an IMG in years and shows no informatics work",
}
ALL_THREE_GOALS = "A"
# The guide's kinds of informatics elective, and which one each of the catalogue's electives is.
ELECTIVE_TYPES = {
    "qi_safety": "quality improvement and patient safety",
    "analytics_cds": "data analytics or clinical decision support",
    "ehr_optimisation": "EHR optimisation / provider informatics",
    "population_health": "population health or health-systems management",
}
CATALOGUE_ELECTIVE_TYPES = {
    "R24": "qi_safety",
    "R25": "analytics_cds",
    "R26": "ehr_optimisation",
    "R27": "population_health",
}


def extra_values() -> list[str]:
    """Ids of the statements that are the guide's extra values of a rotation for an IMG."""
    return [key for key, (_, true) in EXTRA_VALUE_STATEMENTS.items() if true]
