"""messages/: small fictional HL7 v2 messages and FHIR resources to read in module 04."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FILES = {
    "messages/admission_adt_a01.hl7": (
        "A fictional HL7 v2 ADT^A01 (admit) message: MSH header, EVN event, PID patient, PV1 visit (ward, bed, "
        "attending). One segment per line; the standard separates segments with a carriage return, these files "
        "use new lines so you can read them. Module 04's worked example."
    ),
    "messages/lab_result_oru_r01.hl7": (
        "A fictional HL7 v2 ORU^R01 (results) message: MSH, PID, PV1, one OBR (a basic metabolic panel) and four "
        "OBX results (sodium, potassium, creatinine, glucose) with units, reference range and abnormal flag. "
        "Test codes are real LOINC codes; the patient, hospital and values are invented. Module 04's exercise."
    ),
    "messages/patient.json": (
        "A fictional FHIR Patient resource (JSON) for the same invented patient as the ORU^R01 message: two "
        "identifiers (a member number and the medical record number, type code MR), an official and a usual name, "
        "gender, birth date and an invented address. Web addresses use the reserved example.org domain."
    ),
    "messages/observation.json": (
        "A fictional FHIR Observation resource (JSON): the potassium result from the ORU^R01 message, with its "
        "LOINC code and value. Module 04's worked example for reading nested JSON."
    ),
}

ADMISSION = (
    "\n".join(
        [
            r"MSH|^~\&|ADMITSYS|QUELLMONT_GH|WARDBOARD|QUELLMONT_GH|202503040815||ADT^A01|MSG00417|P|2.5.1",
            "EVN|A01|202503040810",
            "PID|1||771204^^^QGH^MR||Dorvane^Esmi^L||19640922|F|||12 Larrow Lane^^Brindlewick^NJ",
            "PV1|1|I|4WEST^412^B||||D20931^Pellisar^Oren",
        ]
    )
    + "\n"
)

LAB_RESULT = (
    "\n".join(
        [
            r"MSH|^~\&|LABSYS|OSTERMERE_UH|EHR|OSTERMERE_UH|202504110642||ORU^R01|LAB88213|P|2.5.1",
            "PID|1||448120^^^OUH^MR||Tavrel^Nimorek^K||19780215|M",
            "PV1|1|I|5EAST^507^A",
            "OBR|1|ORD5521|F99120|80048^Basic metabolic panel^CPT|||202504110530",
            "OBX|1|NM|2951-2^Sodium^LN||138|mmol/L|135-145|N|||F",
            "OBX|2|NM|2823-3^Potassium^LN||5.9|mmol/L|3.5-5.1|H|||F",
            "OBX|3|NM|2160-0^Creatinine^LN||1.8|mg/dL|0.7-1.3|H|||F",
            "OBX|4|NM|2345-7^Glucose^LN||162|mg/dL|70-99|H|||F",
        ]
    )
    + "\n"
)

PATIENT = {
    "resourceType": "Patient",
    "id": "pt-5521",
    "identifier": [
        {
            "type": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MB"}],
                "text": "Member number",
            },
            "system": "https://insurer.example.org/members",
            "value": "QX-20391877",
        },
        {
            "use": "usual",
            "type": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}],
                "text": "Medical record number",
            },
            "system": "https://ostermere.example.org/mrn",
            "value": "448120",
        },
    ],
    "name": [
        {"use": "usual", "family": "Tavrel", "given": ["Nimo"]},
        {"use": "official", "family": "Tavrel", "given": ["Nimorek", "K."]},
    ],
    "gender": "male",
    "birthDate": "1978-02-15",
    "address": [{"use": "home", "line": ["40 Quarry Row"], "city": "Ostermere", "state": "MI"}],
}

OBSERVATION = {
    "resourceType": "Observation",
    "id": "obs-88213-2",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "2823-3", "display": "Potassium"}], "text": "Potassium"},
    "subject": {"reference": "Patient/pt-5521"},
    "effectiveDateTime": "2025-04-11T05:30:00-04:00",
    "valueQuantity": {"value": 5.9, "unit": "mmol/L"},
    "referenceRange": [{"low": {"value": 3.5, "unit": "mmol/L"}, "high": {"value": 5.1, "unit": "mmol/L"}}],
}


def write(out_dir: Path, rng: np.random.Generator) -> None:
    folder = out_dir / "messages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "admission_adt_a01.hl7").write_text(ADMISSION, encoding="utf-8")
    (folder / "lab_result_oru_r01.hl7").write_text(LAB_RESULT, encoding="utf-8")
    (folder / "patient.json").write_text(json.dumps(PATIENT, indent=2) + "\n", encoding="utf-8")
    (folder / "observation.json").write_text(json.dumps(OBSERVATION, indent=2) + "\n", encoding="utf-8")
