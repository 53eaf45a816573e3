"""rotation_catalogue.csv: fictional visiting rotations (clinical and informatics/QI) for module 02 to classify and order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import SPECIALTIES
from ..runtime.schemas import ROTATION_CATALOGUE as SCHEMA


_V, _O, _T = "Veskwold University Hospital", "Ombrystead Medical Center", "Tarnholm Community Hospital"
_C, _P, _I = "Corrabay Academic Medical Center", "Pellinor Regional Medical Center", "Iskelby General Hospital"
IM, FM, PEDS, PSY, PATH, EM = SPECIALTIES[0], SPECIALTIES[1], SPECIALTIES[2], SPECIALTIES[3], SPECIALTIES[4], SPECIALTIES[5]

_ROWS = [
    ("Inpatient Medicine Wards", _V, IM, "inpatient", 0.9, True, True, 4,
     "Admitting team on general medicine; students join a monthly EHR teaching session run by the CMIO's office."),
    ("Medical ICU Sub-Internship", _O, IM, "icu", 0.95, False, False, 4,
     "Acting-intern role in the medical ICU with your own patients and night calls."),
    ("Ambulatory Continuity Clinic", _T, IM, "outpatient", 0.85, False, False, 4,
     "Adult primary care clinic with a steady panel of returning patients."),
    ("Inpatient Medicine Sub-Internship", _C, IM, "inpatient", 0.9, True, False, 4,
     "Acting intern on a ward team that reviews its readmissions dashboard with the quality office each week."),
    ("Cardiology Consult Service", _P, IM, "inpatient", 0.9, False, False, 2,
     "Consults across the hospital with the cardiology fellow."),
    ("Hospital Medicine with a QI Project", _I, IM, "inpatient", 0.6, True, False, 4,
     "Ward work most days; two afternoons a week on the team's discharge-delay project."),
    ("Clinical Informatics Elective", _V, IM, "non_clinical", 0.05, True, True, 4,
     "Shadow the informatics fellows: order-set reviews, alert tuning, EHR build meetings."),
    ("Family Medicine Inpatient Service", _I, FM, "inpatient", 0.9, False, False, 4,
     "Family medicine admitting team covering adults and children."),
    ("Community Health Center Clinic", _P, FM, "outpatient", 0.85, True, False, 4,
     "Busy clinic that uses a diabetes registry; students help find patients overdue for care."),
    ("Pediatric Inpatient Wards", _V, PEDS, "inpatient", 0.9, True, True, 4,
     "General pediatrics ward; the team uses weight-based dosing support built by the informatics group."),
    ("General Pediatrics Clinic", _T, PEDS, "outpatient", 0.85, False, False, 4,
     "Well-child visits, vaccines and common acute problems."),
    ("Newborn Nursery", _O, PEDS, "inpatient", 0.9, False, False, 2,
     "Newborn examinations and discharge teaching for parents."),
    ("Pediatric Hospital Medicine and Quality", _C, PEDS, "inpatient", 0.5, True, False, 4,
     "Half the time on the ward, half on the unit's bronchiolitis care-pathway audit."),
    ("Inpatient Psychiatry", _I, PSY, "inpatient", 0.85, False, False, 4,
     "Acute adult psychiatry unit with daily team rounds."),
    ("Telepsychiatry Outpatient Clinic", _C, PSY, "outpatient", 0.8, True, False, 4,
     "Video visits to rural clinics; students see how the scheduling and documentation tools work."),
    ("Consultation-Liaison Psychiatry", _V, PSY, "inpatient", 0.85, False, True, 4,
     "Psychiatric consults on medical and surgical wards."),
    ("Surgical Pathology Sign-out", _O, PATH, "laboratory", 0.8, False, False, 4,
     "Grossing and sign-out with the pathology team."),
    ("Clinical Pathology and Laboratory Information Systems", _V, PATH, "laboratory", 0.6, True, True, 4,
     "Lab medicine service plus time with the team that runs the laboratory information system."),
    ("Emergency Department Acute Care", _P, EM, "emergency", 0.95, False, False, 4,
     "Shifts in the main emergency department, seeing your own patients."),
    ("Emergency Medicine Sub-Internship", _C, EM, "emergency", 0.95, True, False, 4,
     "Sub-intern shifts; the department reviews its tracking board and sepsis alerts at a weekly huddle."),
    ("Emergency Department Operations and Patient Flow", _P, EM, "non_clinical", 0.3, True, False, 2,
     "Work with the operations team on waiting times and bed flow; a few clinical shifts."),
    ("General Surgery Wards", _T, "General Surgery", "inpatient", 0.95, False, False, 4,
     "Pre- and post-operative care on a general surgery team."),
    ("Labor and Delivery", _I, "Obstetrics and Gynecology", "inpatient", 0.95, False, False, 4,
     "Labor ward shifts with the obstetrics team."),
    ("Quality Improvement and Patient Safety", _C, "Multidisciplinary", "non_clinical", 0.1, True, False, 4,
     "Join incident reviews and a small improvement project with the patient-safety office."),
    ("Clinical Decision Support and Data Analytics", _V, "Multidisciplinary", "non_clinical", 0.0, True, True, 4,
     "Build and test a small report from the clinical data warehouse."),
    ("Provider Informatics: EHR Optimisation", _O, "Multidisciplinary", "non_clinical", 0.1, True, False, 2,
     "Sit with EHR analysts and clinicians redesigning note templates."),
    ("Population Health and Health Systems Management", _P, "Multidisciplinary", "non_clinical", 0.2, True, False, 4,
     "Care-gap reports, outreach lists and a few clinic sessions."),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The catalogue as written above (nothing random here, so exercises can name rotations by id)."""
    frame = pd.DataFrame(_ROWS, columns=[n for n in SCHEMA.names if n != "rotation_id"])
    frame.insert(0, "rotation_id", [f"R{i + 1:02d}" for i in range(len(frame))])
    return frame
