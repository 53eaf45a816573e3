"""ward_tasks.csv: one visiting student's to-do list for a fictional ward day (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import WARD_TASKS as SCHEMA

ROWS = [
    (
        "T01",
        "Pre-round on your three patients: overnight events, vital signs, new results",
        "patient_care",
        50,
        "06:30",
    ),
    ("T02", "Write progress notes for your three patients", "patient_care", 60, "10:00"),
    ("T03", "Call the pharmacist about a renal dose adjustment for bed 12", "patient_care", 10, "10:00"),
    (
        "T04",
        "Admit a new patient with the resident: history, examination, admission orders",
        "patient_care",
        90,
        "13:00",
    ),
    ("T05", "Check the afternoon CT result for bed 7 and tell the resident", "patient_care", 10, "13:00"),
    ("T06", "Join the resident to update the family of bed 12", "patient_care", 15, "13:00"),
    ("T07", "Help the intern with the discharge paperwork for bed 9", "team", 30, "10:00"),
    ("T08", "Tidy the medication list for bed 12 and show the resident your draft", "team", 20, "10:00"),
    ("T09", "Prepare your patients' lines of the sign-out list", "team", 20, "15:30"),
    ("T10", "Read up on today's admission diagnosis", "learning", 30, "10:00"),
    ("T11", "Ask the senior resident how the ward hears about patient-safety trends", "informatics", 10, "12:30"),
    ("T12", "Look at the sepsis-alert dashboard with the charge nurse, if she offers", "informatics", 20, "12:30"),
    (
        "T13",
        "Jot down the discharge steps you saw today (notes for a possible mini project)",
        "informatics",
        20,
        "15:30",
    ),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The task list in the student's own order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
