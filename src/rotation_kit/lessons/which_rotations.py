"""Which rotations, in which order (module 02): the kit classifies, orders and checks; the learner decides.

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

from ..runtime.answers import blanks_in, waiting_for
from ..runtime.profile import has_own_profile
from ..runtime.state import EXAMPLE, YOURS, save_part

CATEGORIES = {
    "clinical_informatics": "clinical work in your target specialty, with informatics in the background",
    "core": "clinical work in your target specialty",
    "off_target": "clinical work in another specialty",
    "informatics_elective": "mostly non-clinical: an informatics, QI or health-systems elective",
}
CLINICAL_MIN = 0.5  # at least half the time in clinical service counts as a clinical rotation
ELECTIVE_SLOTS = (2, 3)  # FAQ 2: an informatics elective as the second or third rotation, never the first
TARGET_CLINICAL = ("clinical_informatics", "core")
# The kit's rule of thumb for a rotation likely to bring a strong letter: four weeks or more of mostly
# clinical work in your target specialty, so a supervisor sees enough of you to write one.
LETTER_CLINICAL_MIN, LETTER_WEEKS_MIN = 0.8, 4
MAX_ROTATIONS = 4


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


# ------------------------------------------------------------------ the main path: what a decision does
# Exercise 2.1: a few catalogue rotations to sort by hand. The first two are the same kind whatever
# your target specialty; the others depend on it.
KIND_QUESTIONS_FIXED = ("R22", "R26")
KIND_QUESTIONS_YOURS = ("R03", "R06", "R13")
ORDER_COLUMNS = ["slot", "rotation_id", "title", "host", "category", "preference"]


def kinds_for(catalogue: pd.DataFrame, ids: Any, target_specialty: str) -> dict[str, str]:
    """The kit's kind of each rotation id, for this target specialty."""
    table = catalogue.set_index("rotation_id")
    return {i: classify_rotation(table.loc[i], target_specialty) for i in ids}


def letter_ready(rotation: Mapping[str, Any], target_specialty: str) -> bool:
    """Whether a rotation is the kind likely to bring a strong letter (the kit's rule of thumb above)."""
    return (
        classify_rotation(rotation, target_specialty) in TARGET_CLINICAL
        and float(rotation["clinical_share"]) >= LETTER_CLINICAL_MIN
        and int(rotation["weeks"]) >= LETTER_WEEKS_MIN
    )


def rotation_ids(order: Any) -> list[str]:
    """The ids of a my_rotations answer, upper case, in the order given."""
    if isinstance(order, str):
        order = [order]
    if not isinstance(order, (list, tuple)):
        return []
    return [str(i).strip().upper() for i in order]


def shape_problems(order: Any, catalogue: pd.DataFrame) -> list[str]:
    """Why a my_rotations answer is not a list of 1-4 different catalogue ids."""
    if not isinstance(order, (list, tuple)):
        return ['my_rotations should be a list of rotation ids in order, e.g. ["R02", "R05"]']
    ids = rotation_ids(order)
    problems = []
    if not 1 <= len(ids) <= MAX_ROTATIONS:
        problems.append(f"choose 1 to {MAX_ROTATIONS} rotations (you chose {len(ids)})")
    unknown = [i for i in ids if i not in set(catalogue["rotation_id"])]
    if unknown:
        problems.append(f"not in the catalogue: {unknown}")
    if len(set(ids)) != len(ids):
        problems.append("each rotation once")
    return problems


def order_problems(order: Any, catalogue: pd.DataFrame, target_specialty: str) -> dict[str, list[str]]:
    """The guide's ordering rules applied to a list of rotation ids: {rule: problems}, empty lists when kept.

    clinical_first: slot 1 is clinical work in your target specialty. elective_slot: an informatics
    elective only second or third (FAQ 2), never first and never the only rotation. letter_early: a
    rotation likely to bring a strong letter in your target specialty in slot 1 or 2.
    """
    rules: dict[str, list[str]] = {"shape": shape_problems(order, catalogue)}
    rules.update(clinical_first=[], elective_slot=[], letter_early=[])
    if rules["shape"]:
        return rules
    table = catalogue.set_index("rotation_id")
    ids = rotation_ids(order)
    kinds = [classify_rotation(table.loc[i], target_specialty) for i in ids]
    if kinds[0] not in TARGET_CLINICAL:
        rules["clinical_first"].append(
            f"slot 1 is {ids[0]} ({kinds[0]}): start with clinical work in {target_specialty}"
        )
    for slot, (rid, kind) in enumerate(zip(ids, kinds, strict=True), start=1):
        if kind == "informatics_elective" and slot not in ELECTIVE_SLOTS:
            where = "first" if slot == 1 else f"in slot {slot}"
            rules["elective_slot"].append(f"{rid} is an informatics elective {where}: put it second or third")
    if all(k == "informatics_elective" for k in kinds):
        rules["elective_slot"].append("an informatics elective is never the only rotation")
    if not any(letter_ready(table.loc[i], target_specialty) for i in ids[:2]):
        rules["letter_early"].append(
            f"neither of your first two is a 4-week, mostly clinical {target_specialty} rotation likely to "
            "bring a strong letter"
        )
    return rules


def order_table(order: Any, catalogue: pd.DataFrame, target_specialty: str) -> pd.DataFrame:
    """Your rotations in your order with their kind: the shape the capstone reads (slot 1 = first)."""
    table = catalogue.set_index("rotation_id", drop=False)
    ids = [i for i in rotation_ids(order) if i in table.index]
    rows = table.loc[ids].reset_index(drop=True)
    kinds = [classify_rotation(r, target_specialty) for r in rows.to_dict("records")]
    return rows.assign(
        slot=range(1, len(rows) + 1),
        category=kinds,
        preference=range(1, len(rows) + 1),
        letter_ready=[letter_ready(r, target_specialty) for r in rows.to_dict("records")],
    )


def calendar(
    order: Any, catalogue: pd.DataFrame, target_specialty: str, first_start: Any = "2026-02-02"
) -> pd.DataFrame:
    """Your rotations one after another with a free week between them: start and end dates (illustrative)."""
    rows = order_table(order, catalogue, target_specialty)
    starts, day = [], pd.Timestamp(first_start)
    for weeks in rows["weeks"]:
        starts.append(day)
        day = day + pd.Timedelta(weeks=int(weeks) + 1)
    start = pd.Series(starts, dtype="datetime64[ns]")
    end = start + pd.to_timedelta(rows["weeks"].astype(int) * 7 - 1, unit="D")
    return rows.assign(start=start.dt.date, end=end.dt.date)


def show_order(order: Any, catalogue: pd.DataFrame, target_specialty: str) -> pd.DataFrame | None:
    """Your calendar, and what the guide's ordering rules say about it."""
    if waiting_for(order, "my_rotations", "Exercise 2.2"):
        return None
    problems = order_problems(order, catalogue, target_specialty)
    if problems["shape"]:
        print("To fix first: " + "; ".join(problems["shape"]) + ".")
        return None
    found = [p for rule in ("clinical_first", "elective_slot", "letter_early") for p in problems[rule]]
    print("In the guide's order." if not found else "To reconsider: " + "; ".join(found) + ".")
    columns = ["slot", "rotation_id", "title", "category", "letter_ready", "weeks", "start", "end"]
    return calendar(order, catalogue, target_specialty)[columns]


def example_order(catalogue: pd.DataFrame, target_specialty: str) -> list[str]:
    """The kit's example: two rotations likely to bring letters in your specialty, then the QI elective (R24)."""
    rows = catalogue.to_dict("records")
    ready = [r["rotation_id"] for r in rows if letter_ready(r, target_specialty)]
    clinical = [r["rotation_id"] for r in rows if classify_rotation(r, target_specialty) in TARGET_CLINICAL]
    firsts = (ready + [c for c in clinical if c not in ready])[:2]
    return [*firsts, "R24"]


def keep_order(order: Any, catalogue: pd.DataFrame, target_specialty: str) -> str:
    """Save your order for the capstone: yours once answered (with your own profile), else the kit's example."""
    answered = not blanks_in(order) and not shape_problems(order, catalogue)
    used = rotation_ids(order) if answered else example_order(catalogue, target_specialty)
    mine = answered and has_own_profile()
    table = order_table(used, catalogue, target_specialty)
    save_part("rotation_order", table[ORDER_COLUMNS], source=YOURS if mine else EXAMPLE)
    if mine:
        return f"Saved your order ({', '.join(used)}) for the capstone."
    why = "Exercise 2.2 is not answered yet" if not answered else "there is no profile of yours from module 00"
    made = "the kit's example order" if not answered else "this order"
    return f"Saved {made} ({', '.join(used)}) as an example, not as yours ({why})."
