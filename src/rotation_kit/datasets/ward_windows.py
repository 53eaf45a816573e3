"""ward_windows.csv: the free windows of a fictional ward day, and which of them are calm (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import WARD_WINDOWS as SCHEMA

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
