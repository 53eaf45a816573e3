"""Loading CSV tables with schema checks whose errors name the file, row, column and fix.

Every dataset in `data/` (and a learner's own program list) is described by a
`Schema`; `load_table` reads the CSV, converts each column to its kind and
reports every problem it finds at once, in words a non-programmer can act on.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import data_file

TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f", ""}
MAX_REPORTED = 8


class DataError(ValueError):
    """A data file could not be read; the message says where and how to fix it."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its kind, allowed values and meaning (for the data dictionary)."""

    name: str
    kind: str  # "str", "int", "float", "bool", "date", "datetime", "list" (semicolon-separated)
    description: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    default: Any = None  # used when an optional column is absent from a learner's file
    example: str = ""

    def rule(self) -> str:
        """The column's constraint, as one phrase for messages and the data dictionary."""
        if self.allowed:
            return "one of " + ", ".join(self.allowed)
        if self.kind == "bool":
            return "true or false"
        if self.kind in ("int", "float"):
            word = "a whole number" if self.kind == "int" else "a number"
            if self.minimum is not None and self.maximum is not None:
                return f"{word} between {self.minimum:g} and {self.maximum:g}"
            if self.minimum is not None:
                return f"{word} of at least {self.minimum:g}"
            return word
        if self.kind == "date":
            return "a date written YYYY-MM-DD"
        if self.kind == "datetime":
            return "a date and time written YYYY-MM-DD HH:MM"
        if self.kind == "list":
            return "items separated by semicolons (may be empty)"
        return "text"


@dataclass(frozen=True)
class Schema:
    """A dataset: its file name, columns, and what shaped it."""

    file: str
    title: str
    description: str
    columns: tuple[Column, ...]
    sources: tuple[str, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        """Column names in the file's order (generators build their frames in it)."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found. Check the path and the file name.") from None
    if not raw.strip():
        raise DataError(f"{path.name}: the file is empty. Export your table again as CSV with a header row.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path.name} line {line}: the file is not UTF-8 text. In your spreadsheet choose "
            "'Save as' > 'CSV UTF-8 (comma delimited)' and load that file."
        ) from None


def _check_shape(name: str, text: str) -> None:
    """Ragged rows are the commonest malformed CSV: find the first one by line number."""
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as exc:
        raise DataError(f"{name}: cannot read a header row ({exc}).") from None
    if len(header) < 2:
        raise DataError(
            f"{name} line 1: found one column only ({header[0][:40]!r}). The file must be "
            "comma-separated; if your spreadsheet wrote semicolons or tabs, save it as CSV (comma delimited)."
        )
    try:
        for line_no, row in enumerate(rows, start=2):
            if row and len(row) != len(header):
                raise DataError(
                    f"{name} line {line_no}: {len(row)} fields, but the header has {len(header)}. "
                    "A comma inside a value needs the value in double quotes, e.g. \"Smith, Jr\"."
                )
    except csv.Error as exc:
        raise DataError(f"{name}: the CSV is malformed ({exc}). Re-export it from your spreadsheet.") from None


def _convert(column: Column, value: str) -> tuple[Any, str | None]:
    """One cell converted to the column's kind, or an error phrase."""
    text = value.strip()
    if column.kind == "str":
        if column.allowed and text not in column.allowed:
            close = difflib.get_close_matches(text, column.allowed, n=1)
            fix = f" Did you mean {close[0]!r}?" if close else ""
            return None, f"{value!r} is not {column.rule()}.{fix}"
        if column.required and not text:
            return None, "is empty; write a value"
        return text, None
    if column.kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()], None
    if column.kind == "bool":
        word = text.lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, f"{value!r} is not true or false; write true or false"
    if column.kind in ("int", "float"):
        if not text:
            return None, f"is empty; write {column.rule()}"
        cleaned = text.replace(",", "").replace("$", "").replace("%", "")
        try:
            number = float(cleaned)
        except ValueError:
            return None, f"{value!r} is not {column.rule()}"
        if cleaned != text:
            return None, f"{value!r} is not {column.rule()}; write {cleaned} (no $, % or thousands commas)"
        if column.kind == "int" and not number.is_integer():
            return None, f"{value!r} is not {column.rule()}"
        if (column.minimum is not None and number < column.minimum) or (
            column.maximum is not None and number > column.maximum
        ):
            return None, f"{value!r} is not {column.rule()}"
        return (int(number) if column.kind == "int" else number), None
    if column.kind in ("date", "datetime"):
        if not text and not column.required:
            return pd.NaT, None
        fmt = "%Y-%m-%d" if column.kind == "date" else "%Y-%m-%d %H:%M"
        try:
            return pd.to_datetime(text, format=fmt), None
        except (ValueError, TypeError):
            return None, f"{value!r} is not {column.rule()}"
    raise ValueError(f"unknown column kind {column.kind!r}")


def parse_table(schema: Schema, text: str, name: str) -> pd.DataFrame:
    """Validate CSV text against a schema and return a typed DataFrame."""
    _check_shape(name, text)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns]
    known = schema.names
    missing = [c for c in schema.required if c not in raw.columns]
    if missing:
        hints = []
        for col in missing:
            near = difflib.get_close_matches(col, list(raw.columns), n=1)
            hints.append(f"{col} (you have {near[0]!r}: rename it)" if near else col)
        raise DataError(
            f"{name}: missing required column(s): {', '.join(hints)}. "
            f"Required columns are: {', '.join(schema.required)}."
        )
    if len(raw) == 0:
        raise DataError(f"{name}: the file has a header but no rows.")
    problems: list[str] = []
    columns: dict[str, list[Any]] = {}
    for column in schema.columns:
        if column.name not in raw.columns:
            columns[column.name] = [column.default] * len(raw)
            continue
        values = []
        for row_no, value in enumerate(raw[column.name], start=1):
            converted, error = _convert(column, value)
            if error:
                problems.append(f"{name} row {row_no} (line {row_no + 1}), column {column.name}: {error}")
            values.append(converted)
        columns[column.name] = values
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        tail = f"\n... and {more} more problem(s) like these." if more else ""
        raise DataError("\n".join(shown) + tail)
    frame = pd.DataFrame(columns)
    extras = [c for c in raw.columns if c not in known]
    for extra in extras:  # keep a learner's own extra columns, untouched
        frame[extra] = raw[extra].values
    return frame


def load_table(schema: Schema, path: str | Path | None = None) -> pd.DataFrame:
    """Read a dataset (the kit's own file by default, or `path`) and validate it."""
    file_path = Path(path) if path is not None else data_file(schema.file)
    return parse_table(schema, _read_text(file_path), file_path.name)
