"""faculty.csv: a fictional faculty directory for the programs in programs.csv, to find informatics mentors by title (module 04)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import FACULTY as SCHEMA  # noqa: F401 (datasets.build_all reads it)
from . import SEED
from . import programs as programs_data

# Each informatics title in programs.csv, written the ways directories write it.
TITLE_SPELLINGS = {
    "Chief Medical Information Officer": (
        "Chief Medical Information Officer",
        "CMIO",
        "Chief Medical Information Officer (CMIO)",
    ),
    "Associate CMIO": ("Associate CMIO", "Associate Chief Medical Information Officer"),
    "Director of Clinical Informatics": ("Director of Clinical Informatics", "Director, Clinical Informatics"),
    "Medical Director of EHR": ("Medical Director of EHR", "Medical Director, Electronic Health Record"),
    "Medical Director of Clinical Decision Support": (
        "Medical Director of Clinical Decision Support",
        "Medical Director, CDS",
    ),
}
OTHER_TITLES = (
    "Program Director",
    "Associate Program Director",
    "Clerkship Director",
    "Core Faculty",
    "Division Chief",
    "Chief Medical Officer",
    "Director of Quality and Patient Safety",
    "Medical Director, Intensive Care Unit",
    "Chief Resident",
)
DEPARTMENTS = {
    "Internal Medicine": "Department of Medicine",
    "Family Medicine": "Department of Family Medicine",
    "Pediatrics": "Department of Pediatrics",
    "Psychiatry": "Department of Psychiatry",
    "Pathology": "Department of Pathology",
    "Emergency Medicine": "Department of Emergency Medicine",
}

_FIRST_START = (
    "Al",
    "Bel",
    "Cor",
    "Dav",
    "El",
    "Fen",
    "Gal",
    "Hal",
    "Ir",
    "Jor",
    "Kel",
    "Lin",
    "Mar",
    "Nor",
    "Or",
    "Pel",
    "Quin",
    "Ras",
    "Sel",
    "Tor",
    "Ul",
    "Vin",
    "Wen",
    "Yas",
    "Zor",
)
_FIRST_END = ("a", "en", "is", "o", "an", "el", "ia", "on", "ra", "ette")
_LAST_START = (
    "Varn",
    "Osk",
    "Tell",
    "Brev",
    "Mol",
    "Drand",
    "Kess",
    "Lum",
    "Pard",
    "Rill",
    "Sann",
    "Thorv",
    "Ebb",
    "Grau",
    "Hest",
)
_LAST_END = ("ow", "ett", "ard", "isk", "ane", "orr", "ell", "ude", "amb", "ith", "ander", "ey")


def _name(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        first = str(rng.choice(_FIRST_START)) + str(rng.choice(_FIRST_END))
        last = str(rng.choice(_LAST_START)) + str(rng.choice(_LAST_END))
        name = f"Dr. {first} {last}"
        if name not in used:
            used.add(name)
            return name


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """Two to four clinical faculty per program, plus one person per informatics title the program lists."""
    programs = programs_data.generate(np.random.default_rng(SEED + sum(map(ord, "programs"))))
    rows, used = [], set()
    for _, program in programs.iterrows():
        people = [
            (str(rng.choice(OTHER_TITLES)), DEPARTMENTS[program["specialty"]]) for _ in range(int(rng.integers(2, 5)))
        ]
        titles = [t for t in str(program["informatics_faculty"]).split(";") if t]
        people += [(str(rng.choice(TITLE_SPELLINGS[t])), "Clinical Informatics") for t in titles]
        for index in rng.permutation(len(people)):
            title, department = people[int(index)]
            rows.append(
                {
                    "name": _name(rng, used),
                    "title": title,
                    "department": department,
                    "program_id": program["program_id"],
                }
            )
    frame = pd.DataFrame(rows)
    frame.insert(0, "faculty_id", [f"F{i + 1:04d}" for i in range(len(frame))])
    return frame
