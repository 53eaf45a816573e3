"""med_list.csv: a fictional patient's medication list gathered from several sources, with duplicates (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import MED_LIST as SCHEMA

ROWS = [
    ("M01", "Metformin", "500 mg", "BID", "admission note"),
    ("M02", "metformin HCl", "0.5 g", "twice daily", "pharmacy record"),
    ("M03", "Paracetamol", "1 g", "PRN", "patient report"),
    ("M04", "acetaminophen", "1000mg", "as needed", "admission note"),
    ("M05", "Lisinopril", "10 mg", "daily", "admission note"),
    ("M06", "LISINOPRIL", "20 mg", "once daily", "outside discharge summary"),
    ("M07", "Atorvastatin", "40 mg", "at bedtime", "admission note"),
    ("M08", "atorvastatin  calcium", "40 MG", "qhs", "pharmacy record"),
    ("M09", "Salbutamol", "100 mcg", "as needed", "patient report"),
    ("M10", "albuterol", "100mcg", "PRN", "pharmacy record"),
    ("M11", "Apixaban", "5 mg", "BID", "admission note"),
    ("M12", "apixaban", "5 mg", "b.i.d.", "pharmacy record"),
    ("M13", "Levothyroxine", "50 mcg", "daily", "admission note"),
    ("M14", "Furosemide", "40 mg", "daily", "admission note"),
    ("M15", "furosemide", "40 mg", "twice daily", "pharmacy record"),
    ("M16", "Amlodipine", "5 mg", "qd", "admission note"),
    ("M17", "Metoprolol succinate", "25 mg", "OD", "outside discharge summary"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The entries in the order they were gathered (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
