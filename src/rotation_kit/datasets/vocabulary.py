"""vocabulary.csv: nine informatics terms to know before a rotation, in plain words, with where each comes from (module 04)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import VOCABULARY as SCHEMA

ONC = "ONC, Clinical Decision Support (HealthIT.gov)"
KIT = "kit working definition"

ROWS = [
    (
        "CDS",
        "clinical decision support",
        "Tools that put medical knowledge and facts about this patient in front of a clinician while a decision is "
        "being made: alerts, reminders, suggested orders, documentation templates.",
        "An alert suggests a lower antibiotic dose because the patient's kidney function has dropped.",
        ONC,
    ),
    (
        "order set",
        "order set",
        "A ready-made bundle of orders for one clinical situation, picked from in computerised provider order entry "
        "(CPOE) so nothing routine is forgotten.",
        "Admitting a patient with heart failure, the resident opens one screen listing labs, diuretics and daily weights.",
        ONC,
    ),
    (
        "care pathway",
        "care pathway (clinical pathway)",
        "A shared plan for the usual steps of care of one group of patients over time, from arrival to discharge, "
        "often built into the EHR as linked orders, reminders and notes.",
        "Patients with suspected sepsis follow agreed steps from the emergency department to the ward.",
        KIT,
    ),
    (
        "data governance",
        "data governance",
        "The rules and roles that decide who may collect, define, see and change data, and how its quality is kept.",
        "A committee decides who may see the readmission data and how a 'readmission' is defined.",
        KIT,
    ),
    (
        "data warehouse",
        "clinical data warehouse",
        "A separate database that gathers copies of data from many systems (records, lab, pharmacy, billing), "
        "usually refreshed on a schedule such as nightly, and used for reports and research rather than live care.",
        "This morning's dashboard shows yesterday's numbers because its source is refreshed overnight.",
        KIT,
    ),
    (
        "quality metric",
        "quality metric (quality measure)",
        "A number that compares care with a standard over many patients, such as a rate or a share of patients "
        "who received a recommended treatment.",
        "The ward reviews its 30-day readmission rate for heart failure each month.",
        KIT,
    ),
    (
        "interoperability",
        "interoperability",
        "Different systems exchanging patient information and putting it to use without special effort by the user.",
        "Results from an outside clinic appear in the local chart without anyone retyping them.",
        "21st Century Cures Act (2016), 42 U.S.C. 300jj(9)",
    ),
    (
        "HL7 v2",
        "Health Level Seven version 2 messaging",
        "An older, very widely used messaging standard: lines of text called segments (MSH header, PID patient, "
        "OBR order, OBX result) whose fields are separated by a vertical bar.",
        "The lab system sends each new potassium result to the EHR as a short text message.",
        "HL7 International, Version 2 product suite",
    ),
    (
        "FHIR",
        "Fast Healthcare Interoperability Resources",
        "A newer standard that shares data as small building blocks called resources (Patient, Observation, "
        "MedicationRequest...) over a web interface, written in JSON or XML.",
        "A bedside app reads the patient's vital signs from the EHR through a web interface.",
        "HL7 International, FHIR specification (hl7.org/fhir)",
    ),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The nine terms in teaching order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
