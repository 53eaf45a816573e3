"""ward_windows.csv: the free windows of a fictional ward day, and which of them are calm (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema

SCHEMA = Schema(
    file="ward_windows.csv",
    title="Free windows in a ward day (fictional)",
    description=(
        "The gaps between the fixed events of a fictional ward day (rounds 07:30-10:00, noon conference "
        "12:00-12:30, sign-out 16:00-16:30) in which a visiting student can do their own tasks. `calm` marks "
        "windows where nobody is usually waiting on you: the only ones module 05 uses for informatics "
        "questions. Times are invented."
    ),
    sources=("Ward schedule: invented for teaching; real schedules vary by site and service.",),
    columns=(
        Column("window_id", "str", "Short name of the window."),
        Column("label", "str", "What the window is."),
        Column("start", "str", "Start, 24-hour HH:MM.", example="06:30"),
        Column("minutes", "int", "Length.", minimum=1, maximum=300, unit="minutes"),
        Column("calm", "bool", "True when the window is usually quiet enough for informatics questions."),
    ),
)

ROWS = [
    ("pre-rounds", "Before rounds", "06:30", 60, False),
    ("after-rounds", "After rounds: orders, notes and calls", "10:00", 120, False),
    ("lunch", "Lunch after noon conference", "12:30", 30, True),
    ("afternoon", "Afternoon: admissions and follow-up", "13:00", 150, False),
    ("quiet-spell", "Quiet spell before sign-out, if the list allows", "15:30", 30, True),
    ("before-leaving", "After sign-out, before leaving", "16:30", 30, True),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The windows in time order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
