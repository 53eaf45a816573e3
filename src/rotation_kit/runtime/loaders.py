"""Loaders for the kit's datasets (and a learner's own program list), validated against their schemas."""

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


def load_dataset(file_name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Any kit dataset by file name, validated; `path` reads your own file with the same rules."""
    return load_table(schema_for(file_name), path)


def load_programs(path: str | Path | None = None) -> pd.DataFrame:
    """The kit's fictional programs, or your own list (a CSV with at least program_name, specialty, state).

    Optional columns you leave out count as 'no' / unknown; program_id is filled in
    as P001, P002... when missing.
    """
    programs = load_dataset("programs.csv", path)
    blank = programs["program_id"].fillna("").astype(str).str.strip() == ""
    if blank.any():
        programs.loc[blank, "program_id"] = [f"P{i + 1:03d}" for i in programs.index[blank]]
    return programs
