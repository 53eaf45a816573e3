"""ward_questions.csv: questions a visiting student might ask, to match with the right moment (module 05)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import WARD_QUESTIONS as SCHEMA

ROWS = [
    ("Q01", "Do we have a standard order set we use when admitting someone with this condition?"),
    ("Q02", "Which quality measures does the team keep an eye on for this diagnosis?"),
    ("Q03", "Where in the chart do I find this patient's list of home medicines?"),
    ("Q04", "The kidney-dosing alert just fired for this antibiotic: which dose should I suggest for her?"),
    ("Q05", "How does the ward find out about trends in patient-safety events?"),
    ("Q06", "Is there a dashboard here that follows readmissions, sepsis alerts or antibiotic use?"),
    ("Q07", "Who builds and updates the order sets here, and how would someone suggest a change?"),
    ("Q08", "I noticed discharge orders often wait until late afternoon: has anyone looked at why?"),
    ("Q09", "Could I skip pre-rounding tomorrow to sit in on the EHR optimisation committee?"),
    ("Q10", "Could we pause this presentation so I can show everyone a faster way to write the note?"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The questions in id order (nothing random here)."""
    return pd.DataFrame(ROWS, columns=SCHEMA.names)
