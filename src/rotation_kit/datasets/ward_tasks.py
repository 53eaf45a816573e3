"""ward_tasks.csv: one visiting student's to-do list for a fictional ward day (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema

KINDS = ("patient_care", "team", "learning", "informatics")

SCHEMA = Schema(
    file="ward_tasks.csv",
    title="A ward day's task list (fictional)",
    description=(
        "Thirteen things a visiting student on a fictional internal medicine ward wants to do in one day, "
        "with how long each takes and the earliest time it can start. Module 05 plans the day into the free "
        "windows of `ward_windows.csv`: patient care first, then team duties, then reading, and informatics "
        "only in calm windows. Durations are invented but plausible."
    ),
    sources=(
        "Priorities (clinical work first, informatics questions in calmer moments, small EHR tasks such as "
        "medication lists offered as help): the course guide, section 4, reworded.",
        "Durations and times: invented for teaching.",
    ),
    columns=(
        Column("task_id", "str", "Identifier, T01 to T13."),
        Column("task", "str", "What the student will do."),
        Column("kind", "str", "Whose need the task serves first.", allowed=KINDS),
        Column("minutes", "int", "How long it takes.", minimum=1, maximum=240, unit="minutes"),
        Column("not_before", "str", "Earliest start, 24-hour HH:MM (e.g. notes only after rounds).", example="10:00"),
    ),
)

ROWS = [
    ("T01", "Pre-round on your three patients: overnight events, vital signs, new results", "patient_care", 50, "06:30"),
    ("T02", "Write progress notes for your three patients", "patient_care", 60, "10:00"),
    ("T03", "Call the pharmacist about a renal dose adjustment for bed 12", "patient_care", 10, "10:00"),
    ("T04", "Admit a new patient with the resident: history, examination, admission orders", "patient_care", 90, "13:00"),
    ("T05", "Check the afternoon CT result for bed 7 and tell the resident", "patient_care", 10, "13:00"),
    ("T06", "Join the resident to update the family of bed 12", "patient_care", 15, "13:00"),
    ("T07", "Help the intern with the discharge paperwork for bed 9", "team", 30, "10:00"),
    ("T08", "Tidy the medication list for bed 12 and show the resident your draft", "team", 20, "10:00"),
    ("T09", "Prepare your patients' lines of the sign-out list", "team", 20, "15:30"),
    ("T10", "Read up on today's admission diagnosis", "learning", 30, "10:00"),
    ("T11", "Ask the senior resident how the ward hears about patient-safety trends", "informatics", 10, "12:30"),
    ("T12", "Look at the sepsis-alert dashboard with the charge nurse, if she offers", "informatics", 20, "12:30"),
    ("T13", "Jot down the discharge steps you saw today (notes for a possible mini project)", "informatics", 20, "15:30"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The task list in the student's own order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
