"""stage_statements.csv: short statements about an IMG's path, to sort into Stage 1 and the Stage-2 routes (module 00)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import STAGE_STATEMENTS as SCHEMA  # noqa: F401 (datasets.build_all reads it)

STATEMENTS = {
    "S01": "Pass USMLE Step 1 and Step 2 CK and meet ECFMG's other exam requirements in time for ECFMG to "
    "confirm them to the NRMP by the rank order list deadline.",
    "S02": "Do a four-week visiting rotation in Internal Medicine at a hospital that regularly takes IMGs, "
    "and leave with a U.S. letter.",
    "S03": "Choose a core specialty such as Pediatrics or Pathology that can lead into informatics later.",
    "S04": "Submit your rank order list of residency programs and wait for Match Day.",
    "S05": "During residency, apply for a two-year ACGME-accredited training program in Clinical Informatics.",
    "S06": "After finishing accredited subspecialty training, sit the Clinical Informatics board exam.",
    "S07": "Work as an attending pediatrician who spends one afternoon a week improving the clinic's EHR "
    "templates, without any formal informatics training after residency.",
    "S08": "Complete your residency's health IT track, then mix clinical shifts with informatics projects "
    "as an early-career hospitalist.",
    "S09": "Take a full-time job at an EHR vendor as a physician adviser who designs clinical content.",
    "S10": "Join a digital health startup that needs someone with both bedside experience and data skills.",
    "S11": "Leave most bedside work for a full-time post in a health system's IT department, leading the "
    "roll-out of new order sets.",
    "S12": "Keep the seat you won on your hospital's EHR optimisation committee as a resident when you "
    "become a new attending, alongside your clinical work.",
}


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The statements in id order (nothing random here)."""
    return pd.DataFrame({"statement_id": list(STATEMENTS), "statement": list(STATEMENTS.values())})
