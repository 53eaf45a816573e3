"""specialty_informatics.csv: each core specialty's route into clinical informatics and the IMG share of its positions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema
from .programs import SPECIALTIES

SCHEMA = Schema(
    file="specialty_informatics.csv",
    title="Specialties and their informatics focus",
    description=(
        "One row per specialty and year: the kind of informatics work the specialty leads into "
        "(the course guide's map, in the kit's words) and the share of first-year positions that went "
        "to IMGs. Module 00 looks specialties up in it. The percentages are real published figures, "
        "not invented: check `share_basis` (filled or offered) and `uncertain` before comparing rows."
    ),
    sources=(
        "Internal Medicine 43%, Pathology 37.4%, Family Medicine 31.8% of first-year positions filled by "
        "IMGs in the 2024 Match (Intealth, 2024).",
        "Internal Medicine categorical positions 2025: 44.6% filled by IMGs (ACP press release, March 2025).",
        "Pediatrics ~24%, Psychiatry ~16%, Emergency Medicine ~15%: 2024 estimates computed from a secondary "
        "source, share of positions offered rather than filled (uncertain).",
        "Informatics focus per specialty: the course guide's section 3, step 1, reworded.",
    ),
    columns=(
        Column("specialty", "str", "Core clinical specialty.", allowed=SPECIALTIES),
        Column("informatics_focus", "str", "The informatics work this specialty leads into most naturally."),
        Column("img_share_pct", "float", "Share of first-year positions that went to IMGs.", minimum=0,
               maximum=100, unit="percent"),
        Column("share_basis", "str", "Whether the share is of positions filled or of positions offered.",
               allowed=("filled", "offered")),
        Column("year", "int", "Match year the share refers to.", minimum=2000, maximum=2100),
        Column("source", "str", "Where the share comes from."),
        Column("uncertain", "bool", "True when the share is an estimate to treat with care."),
    ),
)

_FOCUS = {
    "Internal Medicine": "Broadest base for a Clinical Informatics fellowship: inpatient and clinic data, "
                         "decision support, order sets",
    "Family Medicine": "Population health and primary care informatics: registries, preventive-care "
                       "reminders, panel management",
    "Pediatrics": "Population health and primary care informatics for children: immunisation registries, "
                  "growth and dosing support",
    "Psychiatry": "Digital mental health and telepsychiatry, an area still taking shape",
    "Pathology": "Laboratory informatics: a data-heavy specialty built on lab information systems",
    "Emergency Medicine": "Operational informatics and real-time decision support: patient flow, triage, "
                          "tracking boards",
}

_INTEALTH = "Intealth, 2024 Match data"
_ESTIMATE = "Estimate from a secondary source, 2024 (positions offered, not filled)"
_ROWS = [
    ("Internal Medicine", 43.0, "filled", 2024, _INTEALTH, False),
    ("Internal Medicine", 44.6, "filled", 2025, "ACP press release, March 2025 (categorical positions)", False),
    ("Family Medicine", 31.8, "filled", 2024, _INTEALTH, False),
    ("Pediatrics", 24.0, "offered", 2024, _ESTIMATE, True),
    ("Psychiatry", 16.0, "offered", 2024, _ESTIMATE, True),
    ("Pathology", 37.4, "filled", 2024, _INTEALTH, False),
    ("Emergency Medicine", 15.0, "offered", 2024, _ESTIMATE, True),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The published shares as they are (nothing random here)."""
    return pd.DataFrame(
        [{"specialty": s, "informatics_focus": _FOCUS[s], "img_share_pct": share, "share_basis": basis,
          "year": year, "source": source, "uncertain": uncertain}
         for s, share, basis, year, source, uncertain in _ROWS]
    )
