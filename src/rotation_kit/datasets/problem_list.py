"""problem_list.csv: a fictional patient's problem list with duplicates, abbreviations and resolved items (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema

SCHEMA = Schema(
    file="problem_list.csv",
    title="A messy problem list (fictional patient, bed 12)",
    description=(
        "Fourteen entries on one fictional patient's problem list, added by different clinicians over several "
        "years: the same problem written out and abbreviated (T2DM, HTN, CKD 3a, AF, UTI), with and without "
        "hyphens, and problems that were later resolved. Module 05 keeps the latest entry of each problem and "
        "separates active from resolved ones, as a draft for the resident to check. Not clinical advice."
    ),
    sources=(
        "Keeping problem lists accurate: the course guide, section 4.",
        "Problems and dates: invented for teaching.",
    ),
    columns=(
        Column("entry_id", "str", "Identifier, P01 to P14."),
        Column("problem", "str", "The problem as written."),
        Column("status", "str", "Status given in that entry.", allowed=("active", "resolved")),
        Column("noted_on", "date", "Date of the entry."),
    ),
)

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
