"""Loaders for the kit's datasets (and a learner's own tables), validated against their schemas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .schemas import ALL
from .tables import Schema, load_table


def schema_for(file_name: str) -> Schema:
    """The schema that describes one file in data/."""
    for schema in ALL:
        if schema.file == file_name:
            return schema
    raise KeyError(f"No dataset called {file_name!r}; see data/README.md for the list.")


def load_dataset(file_name: str, path: str | Path | None = None, sheet: str | int | None = None) -> pd.DataFrame:
    """Any kit dataset by file name, validated; `path` reads your own file with the same rules.

    Your file may be a CSV (comma, semicolon or tab separated; UTF-8 or Windows-1252) or an
    `.xlsx` workbook (its first sheet, or the one named by `sheet`). Every problem is reported
    at once in one DataError naming the file, the row as your spreadsheet numbers it, the
    column and the fix; nothing is loaded until the whole file is right.
    """
    return load_table(schema_for(file_name), path, sheet)


def load_programs(path: str | Path | None = None, sheet: str | int | None = None) -> pd.DataFrame:
    """The kit's fictional programs, or your own list (at least program name, specialty and state).

    Headers are matched loosely ("Program Name", "IMG share %"); "43%", "Yes"/"No" and "$3,800"
    are understood, and a state may be its code or its name. Optional columns you leave out (or
    cells you leave empty) count as 'no' / unknown; program_id is filled in as P001, P002... when
    missing.
    """
    programs = load_dataset("programs.csv", path, sheet)
    blank = programs["program_id"].fillna("").astype(str).str.strip() == ""
    if blank.any():
        programs.loc[blank, "program_id"] = [f"P{i + 1:03d}" for i in programs.index[blank]]
    return programs
