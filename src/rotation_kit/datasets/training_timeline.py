"""training_timeline.csv: two fictional learners' training histories, with gaps and informatics work (module 08)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import TRAINING_TIMELINE as SCHEMA

_ROWS = [
    ("sample", "Medical school (MBBS)", "clinical", "2016-09-01", "2022-08-31"),
    ("sample", "Internship, teaching hospital", "clinical", "2022-09-01", "2023-08-31"),
    ("sample", "Medical officer, district hospital", "clinical", "2023-09-01", "2024-04-30"),
    ("sample", "Weekend emergency locum shifts", "clinical", "2023-11-04", "2024-02-25"),
    ("sample", "USMLE preparation", "other", "2024-05-01", "2025-05-31"),
    ("sample", "Online certificate in health informatics", "informatics", "2024-09-02", "2025-03-28"),
    ("sample", "Excel audit of ward readmissions (remote, former hospital)", "informatics", "2025-01-06", "2025-04-30"),
    ("sample", "Python for data analysis course", "informatics", "2025-09-01", ""),
    ("sample", "Away rotation: Internal Medicine wards", "clinical", "2026-02-02", "2026-03-01"),
    ("sample", "Away rotation: Internal Medicine clinic", "clinical", "2026-03-09", "2026-04-05"),
    ("sample", "Away rotation: wards with QI half-day", "clinical", "2026-04-13", "2026-05-10"),
    ("peer", "Medical school (MD)", "clinical", "2015-10-01", "2021-09-30"),
    ("peer", "Internship", "clinical", "2021-10-01", "2022-09-30"),
    ("peer", "Family leave", "other", "2022-10-01", "2023-09-30"),
    ("peer", "General practice clinic", "clinical", "2023-10-01", "2025-03-31"),
    ("peer", "Exam preparation", "other", "2025-04-01", "2025-12-31"),
    ("peer", "Short course in public-health statistics", "informatics", "2025-06-02", "2025-07-25"),
    ("peer", "Away rotation: Family Medicine inpatient", "clinical", "2026-03-02", "2026-03-29"),
    ("peer", "Away rotation: Family Medicine clinic", "clinical", "2026-05-04", "2026-05-31"),
    ("peer", "Away rotation: QI and patient safety elective", "clinical", "2026-07-06", "2026-08-02"),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """Hand-written fictional rows: overlaps, nesting, touching periods and an open end on purpose."""
    return pd.DataFrame(_ROWS, columns=SCHEMA.names)
