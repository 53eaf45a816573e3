"""interaction_log.csv: a fictional visiting student's four-week log of who they worked with, where, and how long."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import INTERACTION_LOG as SCHEMA  # noqa: F401 (datasets.build_all reads it)
from ..runtime.schemas import INTERACTION_START as START

PEOPLE = {
    "Dr. Halvor Quennet": "attending",
    "Dr. Mirela Ostrand": "attending",
    "Dr. Soren Kallimet": "attending",
    "Dr. Anouk Tervelle": "attending",
    "Dr. Ilse Brannock": "attending",
    "Dr. Pavo Linderke": "senior resident",
    "Dr. Yaretzi Mollan": "senior resident",
    "Dr. Kemal Arsuin": "intern",
    "Tamsin Eloway, PharmD": "pharmacist",
    "Bryndel Faross, RN": "nurse",
}

# (person, weeks, weekdays 0-4 or "night", setting, typical minutes, informatics talk by (week, day) else "not discussed")
_SCHEDULE = (
    ("Dr. Halvor Quennet", (1, 2), (0, 1, 2, 3, 4), "rounds", 90, {(1, 2): "dismissive", (2, 2): "neutral"}),
    ("Dr. Mirela Ostrand", (1, 2, 3, 4), (0, 2, 4), "admissions", 60, {(1, 4): "interested", (2, 0): "interested"}),
    ("Dr. Mirela Ostrand", (1, 2, 3, 4), (3,), "family meeting", 45, {}),
    ("Dr. Mirela Ostrand", (1, 2, 3, 4), (1,), "teaching conference", 50, {(3, 1): "interested"}),
    ("Dr. Mirela Ostrand", (3, 4), (0, 1, 2, 3, 4), "rounds", 85, {}),
    ("Dr. Soren Kallimet", (1, 2, 3, 4), ("night",), "night call", 180, {(2, "night"): "neutral"}),
    ("Dr. Soren Kallimet", (1, 2, 3, 4), (1,), "admissions", 40, {}),
    ("Dr. Anouk Tervelle", (2, 3), (1, 3), "clinic", 120, {(2, 1): "interested", (2, 3): "interested"}),
    ("Dr. Anouk Tervelle", (2,), (4,), "teaching conference", 50, {(2, 4): "interested"}),
    ("Dr. Ilse Brannock", (3, 4), (0, 2, 4), "clinic", 110, {(4, 2): "interested"}),
    ("Dr. Pavo Linderke", (1, 2), (0, 1, 2, 3, 4), "rounds", 150, {(1, 1): "interested"}),
    ("Dr. Yaretzi Mollan", (3, 4), (0, 1, 2, 3, 4), "rounds", 150, {}),
    ("Dr. Kemal Arsuin", (1, 2, 3, 4), (0, 1, 2, 3, 4), "admissions", 70, {}),
    ("Tamsin Eloway, PharmD", (1, 2, 3, 4), (2,), "rounds", 20, {(1, 2): "interested"}),
    ("Bryndel Faross, RN", (1, 2, 3, 4), (0, 3), "rounds", 15, {}),
)


def generate(rng: np.random.Generator) -> pd.DataFrame:
    start = pd.Timestamp(START)
    rows = []
    for person, weeks, days, setting, minutes, talk in _SCHEDULE:
        for week in weeks:
            for day in days:
                offset = 7 * (week - 1) + (5 if day == "night" else day)  # night call falls on Saturday
                rows.append(
                    {
                        "date": (start + pd.Timedelta(days=offset)).strftime("%Y-%m-%d"),
                        "week": week,
                        "person": person,
                        "role": PEOPLE[person],
                        "setting": setting,
                        "minutes": max(5, int(minutes + rng.integers(-12, 13))),
                        "informatics_talk": talk.get((week, day), "not discussed"),
                    }
                )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["date", "person", "setting"], kind="mergesort").reset_index(drop=True)
