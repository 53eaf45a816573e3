"""templates/: an empty program list for learners to fill in before a workshop (module 03 loads it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FILES = {
    "templates/my_programs_template.csv": (
        "A program list to fill in before a workshop and load in module 03 (`my_list_path`): one row per "
        "program you are considering, with headers a spreadsheet shows as they are. Program name, specialty "
        "(one of the six in `programs.csv`) and state are needed; leave any other cell empty if you do not "
        "know it (it counts as no or unknown). Yes/No, `43%` and `$3,800` are understood. The one row in it is "
        "a fictional example to type over."
    ),
}

HEADER = (
    "Program name",
    "Specialty",
    "State",
    "IMG share %",
    "Visa sponsorship",
    "Accepts visiting IMGs",
    "Requires USCE",
    "CI fellowship",
    "Informatics faculty",
    "EHR vendor",
    "Telemedicine",
    "Host fee ($)",
)
EXAMPLE = (
    "Example: Harlow Pines Medical Center Internal Medicine (fictional; type over this row)",
    "Internal Medicine",
    "NJ",
    "38%",
    "J-1",
    "Yes",
    "No",
    "No",
    "CMIO",
    "Epic",
    "Yes",
    "$1,500",
)


def _row(cells: tuple[str, ...]) -> str:
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


def write(out_dir: Path, rng: np.random.Generator) -> None:
    folder = out_dir / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "my_programs_template.csv").write_text(_row(HEADER) + "\n" + _row(EXAMPLE) + "\n", encoding="utf-8")
