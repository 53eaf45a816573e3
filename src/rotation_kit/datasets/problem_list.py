"""problem_list.csv: a fictional patient's problem list with duplicates, abbreviations and resolved items (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import PROBLEM_LIST as SCHEMA

ROWS = [
    ("P01", "Type 2 diabetes mellitus", "active", "2019-04-02"),
    ("P02", "T2DM", "active", "2024-11-20"),
    ("P03", "Hypertension", "active", "2018-06-11"),
    ("P04", "HTN", "active", "2025-01-08"),
    ("P05", "Community-acquired pneumonia", "active", "2023-01-30"),
    ("P06", "community acquired pneumonia", "resolved", "2023-02-14"),
    ("P07", "Acute kidney injury", "resolved", "2025-02-03"),
    ("P08", "Chronic kidney disease stage 3a", "active", "2025-02-03"),
    ("P09", "CKD 3a", "active", "2024-06-15"),
    ("P10", "Atrial fibrillation", "active", "2022-09-09"),
    ("P11", "AF", "active", "2025-03-01"),
    ("P12", "Urinary tract infection", "resolved", "2024-12-01"),
    ("P13", "UTI", "resolved", "2024-12-01"),
    ("P14", "Hypothyroidism", "active", "2020-05-05"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The entries in list order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
