"""specialty_informatics.csv: each core specialty's route into clinical informatics and the IMG share of its positions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import SPECIALTY_INFORMATICS as SCHEMA  # noqa: F401 (datasets.build_all reads it)

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
        [
            {
                "specialty": s,
                "informatics_focus": _FOCUS[s],
                "img_share_pct": share,
                "share_basis": basis,
                "year": year,
                "source": source,
                "uncertain": uncertain,
            }
            for s, share, basis, year, source, uncertain in _ROWS
        ]
    )
