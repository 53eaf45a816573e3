"""rotation_records.csv: what two fictional learners did on their away rotations (module 08 turns it into ERAS entries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import ROTATION_RECORDS as SCHEMA


_ROWS = [
    ("R01", "sample", "Thessaldale Academic Medical Center", "NJ", "Internal Medicine inpatient wards", "core_clinical",
     "2026-02-02", "2026-03-01", 60, "Cerner", "Dr. Mirela Ostrand (attending);Dr. Pavo Linderke (senior resident)",
     "Carried four to six patients on a general medicine team, presented them on daily rounds and wrote "
     "progress notes in the hospital's EHR",
     "how the team uses the sepsis alert and who responds when it fires", "observed",
     "that nurses, residents and pharmacists each see a different view of the same sepsis alert",
     "a patient with pneumonia who got antibiotics within the hour because the night nurse acted on the alert"),
    ("R02", "sample", "Kestalcrest University Hospital", "NY", "Internal Medicine continuity clinic", "core_clinical",
     "2026-03-09", "2026-04-05", 50, "Cerner", "Dr. Ines Coldry (clinic director);Dr. Pavel Marsh (chief resident)",
     "Saw adults with chronic disease in a resident clinic, presented each visit to the attending and "
     "wrote visit notes and patient instructions",
     "diabetes eye-exam referrals, followed from order to booked appointment over two weeks", "collected_data",
     "that a referral order and a booked appointment sit in different parts of the record, so a referral "
     "can look done when it is not",
     "a patient with diabetes whose overdue eye exam surfaced only when the two lists were compared"),
    ("R03", "sample", "Lorrinmoor Academic Medical Center", "FL",
     "Internal Medicine wards with a quality-improvement half-day", "clinical_informatics",
     "2026-04-13", "2026-05-10", 55, "Epic", "Dr. Selwyn Harrow (attending);Dr. Maren Quist (Associate CMIO)",
     "Admitted and followed patients on a medical ward and joined the weekly quality-improvement half-day",
     "delays between the discharge order and the pharmacy check on one ward, with a one-page proposal "
     "for the ward team", "drafted_proposal",
     "how the discharge order set, the medication reconciliation screen and the pharmacy queue pass work "
     "to one another",
     "a discharge that waited four hours for the pharmacy check because reconciliation was left unfinished"),
    ("R04", "peer", "Ambryholt Community Hospital", "MI", "Family Medicine inpatient service", "core_clinical",
     "2026-03-02", "2026-03-29", 55, "Meditech", "Dr. Corin Lask (attending);Dr. Yara Fenmoor (senior resident)",
     "Admitted and followed family medicine inpatients and presented new admissions on morning rounds",
     "why allergies are written on paper at admission and typed in again later", "discussed",
     "that the admission screen lets a clerk save a record before allergies are confirmed",
     "a patient whose penicillin allergy was on the paper form but not yet in the record at the first order"),
    ("R05", "peer", "Lorrinford University Hospital", "IL", "Family Medicine continuity clinic", "core_clinical",
     "2026-05-04", "2026-05-31", 45, "Epic", "Dr. Hollis Brane (clinic director)",
     "Saw children and adults for acute and preventive visits and wrote notes reviewed by the attending",
     "how the clinic's population-health dashboard lists patients overdue for screening", "observed",
     "that the dashboard is refreshed overnight, so the morning huddle works from yesterday's list",
     "a patient overdue for colorectal screening who was called in after appearing on the dashboard"),
    ("R06", "peer", "Pellamcrest Medical Center", "FL", "Quality improvement and patient safety elective",
     "informatics_elective", "2026-07-06", "2026-08-02", 40, "Epic",
     "Dr. Anselm Torvey (patient-safety officer);Dr. Hollis Brane (clinic director)",
     "Joined clinic sessions twice a week alongside the elective's quality-improvement work",
     "a revised reminder for overdue blood-pressure checks, tried for one week with the clinic nurses",
     "tested_change",
     "that a reminder nobody owns is ignored, however well it is designed",
     "a nurse who caught three overdue checks in one morning once the reminder named who should act"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """Hand-written fictional rows (no randomness: every sentence is chosen for teaching)."""
    return pd.DataFrame(_ROWS, columns=SCHEMA.names)
