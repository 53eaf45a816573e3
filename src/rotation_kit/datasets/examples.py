"""examples/: a learner-style program list in the minimal format, and a deliberately broken copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILES = {
    "examples/my_programs_example.csv": (
        "What a learner's own program list can look like: the three required columns plus a few "
        "optional ones (fictional programs). Module 03 loads it with `load_programs(path)`."
    ),
    "examples/my_programs_broken.csv": (
        'The same list with two mistakes the loader cannot safely guess (a state written "New York state" '
        "and a misspelt specialty), used in module 03 to show what the loader's error messages look like."
    ),
}

_ROWS = [
    (
        "Harlow Pines Medical Center Internal Medicine Residency",
        "Internal Medicine",
        "NJ",
        "38",
        "J-1",
        "true",
        "true",
        "CMIO",
    ),
    (
        "Severn Oaks University Hospital Internal Medicine Residency",
        "Internal Medicine",
        "NY",
        "12",
        "J-1 and H-1B",
        "false",
        "true",
        "Associate CMIO;Director of Clinical Informatics",
    ),
    (
        "Marlin Crossing Community Hospital Internal Medicine Residency",
        "Internal Medicine",
        "TX",
        "61",
        "J-1",
        "true",
        "false",
        "",
    ),
    (
        "Ostwick Regional Medical Center Internal Medicine Residency",
        "Internal Medicine",
        "MI",
        "44",
        "none",
        "true",
        "false",
        "Medical Director of EHR",
    ),
]
_HEADER = (
    "program_name,specialty,state,img_share_pct,visa_sponsorship,accepts_visiting_imgs,telemedicine,informatics_faculty"
)


def write(out_dir: Path, rng: np.random.Generator) -> None:
    folder = out_dir / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    good = [_HEADER] + [",".join(row) for row in _ROWS]
    (folder / "my_programs_example.csv").write_text("\n".join(good) + "\n", encoding="utf-8")
    broken_rows = [list(row) for row in _ROWS]
    broken_rows[1][2] = "New York state"
    broken_rows[2][1] = "Internal Medecine"
    broken = [_HEADER] + [",".join(row) for row in broken_rows]
    (folder / "my_programs_broken.csv").write_text("\n".join(broken) + "\n", encoding="utf-8")
