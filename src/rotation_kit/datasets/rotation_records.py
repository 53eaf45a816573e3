"""rotation_records.csv: what two fictional learners did on their away rotations (module 08 turns it into ERAS entries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema
from .programs import EHR_VENDORS

KINDS = ("core_clinical", "clinical_informatics", "informatics_elective")
INVOLVEMENT = ("observed", "discussed", "collected_data", "drafted_proposal", "tested_change", "led")

SCHEMA = Schema(
    file="rotation_records.csv",
    title="Away-rotation records (fictional)",
    description=(
        "One row per completed away rotation of two fictional learners: `sample` (the kit's sample "
        "learner, Internal Medicine) and `peer` (a Family Medicine applicant used in worked examples). "
        "Each row says what the learner did clinically, what informatics work they did and how far "
        "they really took it (`involvement`), and who they worked with. Module 08 turns the rows "
        "into ERAS Experiences entries, a follow-up calendar and interview talking points."
    ),
    sources=(
        "Rotation length of about 4 weeks: AAMC VSLO FAQ (usually 4 weeks, 2-4 at some hosts).",
        "The involvement ladder and its honest labels follow the course guide's framings (workflow "
        "observation, data-informed observation, micro quality-improvement work); the rungs are the kit's.",
        "Hosts, people, patients and events are invented; hours per week are invented.",
    ),
    columns=(
        Column("record_id", "str", "Stable identifier, e.g. R01."),
        Column("learner", "str", "Whose record this is.", allowed=("sample", "peer")),
        Column("host", "str", "Fictional host institution."),
        Column("state", "state", "U.S. state or territory of the host, as its two-letter code.", example="NJ"),
        Column("service", "str", "Service or elective, as it would appear in a title."),
        Column("kind", "str", "Kind of rotation (module 02's three kinds).", allowed=KINDS),
        Column("start_date", "date", "First day of the rotation."),
        Column("end_date", "date", "Last day of the rotation (included)."),
        Column("hours_per_week", "int", "Typical hours per week on the rotation.", minimum=1, maximum=90,
               unit="hours per week"),
        Column("ehr_system", "str", "EHR used at the host.", allowed=EHR_VENDORS),
        Column("contacts", "list", "People to thank and keep updated (name and role), semicolon-separated."),
        Column("clinical_summary", "str", "One sentence on the clinical work."),
        Column("informatics_topic", "str", "What the informatics work was about (a noun phrase)."),
        Column("involvement", "str", "How far the learner really took it, from watching to leading.",
               allowed=INVOLVEMENT),
        Column("ehr_lesson", "str", "What the learner learned about workflows or the EHR "
               "(completes the sentence 'I learned ...')."),
        Column("example_case", "str", "One concrete, de-identified example from the rotation."),
    ),
)

_ROWS = [
    ("R01", "sample", "Quellmont University Hospital", "NJ", "Internal Medicine inpatient wards", "core_clinical",
     "2026-02-02", "2026-03-01", 60, "Epic", "Dr. Orla Venn (attending);Dr. Tobin Arkell (senior resident)",
     "Carried four to six patients on a general medicine team, presented them on daily rounds and wrote "
     "progress notes in the hospital's EHR",
     "how the team uses the sepsis alert and who responds when it fires", "observed",
     "that nurses, residents and pharmacists each see a different view of the same sepsis alert",
     "a patient with pneumonia who got antibiotics within the hour because the night nurse acted on the alert"),
    ("R02", "sample", "Marrowdale Medical Center", "TX", "Internal Medicine continuity clinic", "core_clinical",
     "2026-04-06", "2026-05-03", 50, "Cerner", "Dr. Ines Coldry (clinic director);Dr. Pavel Marsh (chief resident)",
     "Saw adults with chronic disease in a resident clinic, presented each visit to the attending and "
     "wrote visit notes and patient instructions",
     "diabetes eye-exam referrals, followed from order to booked appointment over two weeks", "collected_data",
     "that a referral order and a booked appointment sit in different parts of the record, so a referral "
     "can look done when it is not",
     "a patient with diabetes whose overdue eye exam surfaced only when the two lists were compared"),
    ("R03", "sample", "Kestalgate Regional Medical Center", "NJ",
     "Internal Medicine wards with a quality-improvement half-day", "clinical_informatics",
     "2026-06-01", "2026-06-28", 55, "Epic", "Dr. Selwyn Harrow (attending);Dr. Maren Quist (Associate CMIO)",
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
