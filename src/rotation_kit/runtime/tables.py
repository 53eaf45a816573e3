"""Loading tables with schema checks whose errors name the file, row, column and fix.

Every dataset in `data/` (and a learner's own program list) is described by a
`Schema`; `load_table` reads the file, converts each column to its kind and
reports every problem it finds at once, in words a non-programmer can act on.

A learner's file comes from Excel, LibreOffice, Numbers, Google Sheets or a text
editor, so the reader accepts what those produce: comma, semicolon or tab
separated text (semicolon files use decimal commas), UTF-8 with or without BOM,
UTF-16 ("Unicode text") or Windows-1252, and `.xlsx` workbooks. Headers are
matched loosely ("IMG share %" is `img_share_pct`) and values such as "43%",
"Yes", "$3,800" or "Arizona" are read where their meaning is unambiguous.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import data_file

TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f", ""}
MAX_REPORTED = 8
DELIMITERS = (",", ";", "\t")
UNKNOWN_WORDS = {"n/a", "na", "unknown", "?", "-", "\u2013", "\u2014"}

# U.S. states, the District of Columbia and the inhabited territories (USPS codes).
US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
_STATE_ALIASES = {
    "washington dc": "DC",
    "washington d c": "DC",
    "virgin islands": "VI",
    "us virgin islands": "VI",
    "commonwealth of puerto rico": "PR",
}

EXPORT_HINTS = {
    ".xls": "an Excel 97-2003 workbook. In Excel choose File > Save As > 'Excel Workbook (.xlsx)' "
    "or 'CSV UTF-8 (Comma delimited)'",
    ".ods": "a LibreOffice/OpenOffice spreadsheet. In LibreOffice choose File > Save As > "
    "'Excel 2007-365 (.xlsx)' or 'Text CSV (.csv)'",
    ".numbers": "an Apple Numbers file. In Numbers choose File > Export To > Excel... (.xlsx) or CSV...",
}


class DataError(ValueError):
    """A data file could not be read; the message says where and how to fix it."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its kind, allowed values and meaning (for the data dictionary).

    `synonyms` are other headers a person might give the column ("Program" for program_name);
    headers are compared without case, spaces or punctuation, so they need not list those variants.
    """

    name: str
    kind: str  # "str", "int", "float", "bool", "date", "datetime", "list" (semicolon-separated), "state"
    description: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    default: Any = None  # used when an optional column is absent from a learner's file, or a cell is empty
    example: str = ""
    synonyms: tuple[str, ...] = ()

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
        if self.kind == "state":
            return "a U.S. state or territory: its two-letter code (NY) or its name (New York)"
        return "text"

    @property
    def is_fraction(self) -> bool:
        """A 0-1 share: "43%" means 0.43 here, while in a 0-100 percent column it means 43."""
        return self.kind == "float" and self.minimum == 0 and self.maximum == 1

    @property
    def takes_percent(self) -> bool:
        return self.is_fraction or (self.kind in ("int", "float") and self.unit == "percent")

    @property
    def takes_dollars(self) -> bool:
        return self.kind in ("int", "float") and self.unit.startswith("USD")


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


# --- reading a file into rows of text, numbered as a spreadsheet numbers them -------------------------

Rows = list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def header_key(text: str) -> str:
    """A header reduced to what matters: "IMG share (%)", "img_share_pct" and "Img Share Pct" agree."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    plain = plain.lower().replace("%", " pct ").replace("$", " usd ").replace("#", " number ")
    return re.sub(r"[^0-9a-z]+", "_", plain).strip("_")


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252/Latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(
                f"{name}: the file looks like UTF-16 text but cannot be decoded. Save it again as 'CSV UTF-8'."
            ) from None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # latin-1 decodes any byte: the last resort
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _delimiter(lines: list[str], sample: str) -> str:
    """The separator that splits the header into the most fields: csv.Sniffer decides ties and odd files."""
    header = next((line for line in lines if line.strip()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    best = max(counts.values())
    candidates = [d for d in DELIMITERS if counts[d] == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","
    return sniffed if sniffed in candidates else ","


def _text_rows(text: str) -> tuple[Rows, str]:
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    forced = re.fullmatch(r"sep=(.)", first)  # Excel's own hint line; Excel does not show it as a row
    if forced:
        text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = lines[1:]
    delimiter = forced.group(1) if forced else _delimiter(lines[:50], "\n".join(lines[:50]))
    try:
        rows = [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        ]
    except csv.Error as exc:
        raise DataError(f"cannot be read as a table ({exc}). Re-export it from your spreadsheet as CSV.") from None
    return rows, delimiter


def _cell_text(cell: Any) -> str:
    """An .xlsx cell written as its CSV export would show it (43% stays "43%", 12.0 is "12")."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:.12g}%"
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time(0) else "%Y-%m-%d %H:%M")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(path: Path, raw: bytes, sheet: str | int | None) -> Rows:
    try:
        import openpyxl  # only learners' workbooks need it
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:
        raise DataError(
            f"{path.name}: reading .xlsx needs the openpyxl package, which came with a kit update. "
            "Run `make setup` in the kit's folder, or save the sheet as CSV UTF-8."
        ) from None

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)  # bytes: any file name works
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(
            f"{path.name}: cannot be opened as an Excel workbook ({exc}). Open it in your "
            "spreadsheet and save it again as .xlsx or as CSV UTF-8."
        ) from None
    if sheet is None:
        page = book.worksheets[0]
    elif isinstance(sheet, int) and 0 <= sheet < len(book.worksheets):
        page = book.worksheets[sheet]
    elif sheet in book.sheetnames:
        page = book[sheet]
    else:
        raise DataError(
            f"{path.name}: there is no sheet called {sheet!r}. The sheets are: {', '.join(book.sheetnames)}."
        )
    return [(cells[0].row, [_cell_text(c) for c in cells]) for cells in page.iter_rows() if cells]


def read_rows(path: Path, sheet: str | int | None = None) -> tuple[Rows, bool]:
    """The file's rows as text, and whether numbers use decimal commas (semicolon-separated files)."""
    suffix = path.suffix.lower()
    if suffix in EXPORT_HINTS:
        raise DataError(f"{path.name}: this is {EXPORT_HINTS[suffix]}, then load that file.")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found. Check the path and the file name.") from None
    except OSError as exc:  # a folder, or a file another program has locked
        raise DataError(
            f"{path}: cannot be read ({exc.strerror}). Check the path; close the file in "
            "your spreadsheet program and try again."
        ) from None
    if not raw.strip():
        raise DataError(f"{path.name}: the file is empty. Export your table again as CSV with a header row.")
    if suffix in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path, raw, sheet), False
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(f"{path.name}: this is {EXPORT_HINTS['.xls']}, then load that file.")
    if sheet is not None:
        raise DataError(f"{path.name}: sheet={sheet!r} only applies to .xlsx workbooks; this is a text file.")
    try:
        rows, delimiter = _text_rows(_decode(raw, path.name))
    except DataError as exc:
        raise DataError(f"{path.name}: {exc}") from None
    return rows, delimiter == ";"


# --- turning rows into a typed table -------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number(column: Column, text: str, decimal_comma: bool) -> tuple[float | None, str | None]:
    """A number as people write it: "43%", "$3,800", "3.800,50" (decimal comma), "0.43"."""
    rule = column.rule()
    plain = text.replace("\u00a0", " ").replace("\u202f", " ")
    percent = plain.endswith("%")
    plain = plain.rstrip("%").strip()
    dollars = plain.startswith("$") or plain.upper().endswith("USD")
    plain = re.sub(r"(?i)^\$|usd$", "", plain).strip()
    if re.fullmatch(r"\d{1,3}( \d{3})+([.,]\d+)?", plain):
        plain = plain.replace(" ", "")
    if decimal_comma and "," in plain:
        plain = plain.replace(".", "").replace(",", ".")
    elif decimal_comma and re.fullmatch(r"\d{1,3}(\.\d{3})+", plain):
        return None, (
            f"{text!r} could be {plain.replace('.', '')} or {plain}; write it without the point "
            f"(e.g. {plain.replace('.', '')}) or with a decimal comma"
        )
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", plain):
        plain = plain.replace(",", "")
    elif "," in plain:
        return None, f"{text!r} is not {rule}; write decimals with a point, e.g. {plain.replace(',', '.')}"
    try:
        number = float(plain)
    except ValueError:
        return None, f"{text!r} is not {rule}"
    if (percent and not column.takes_percent) or (dollars and not column.takes_dollars):
        return None, f"{text!r} is not {rule}; write {plain} (no $ or % in this column)"
    if percent and column.is_fraction:
        number /= 100
    elif column.is_fraction and 1 < number <= 100:
        return None, f"{text!r} is not {rule}; for {number:g} percent write {number / 100:g} or {number:g}%"
    if column.kind == "int" and not number.is_integer():
        return None, f"{text!r} is not {rule}"
    if (column.minimum is not None and number < column.minimum) or (
        column.maximum is not None and number > column.maximum
    ):
        return None, f"{text!r} is not {rule}"
    return number, None


def _place_key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower().replace(".", "")).strip()


def _state(text: str) -> tuple[str | None, str | None]:
    """A two-letter code ("ny", "N.Y.") or a name ("New York", "Washington, D.C."), as its code."""
    letters = re.sub(r"[^A-Za-z]", "", text).upper()
    if letters in US_STATES and len(letters) == 2:
        return letters, None
    key = _place_key(text)
    names = {_place_key(name): code for code, name in US_STATES.items()} | _STATE_ALIASES
    if key in names:
        return names[key], None
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    if not close:
        close = [name for name in names if name and key.startswith(name + " ")][:1]
    fix = f" Did you mean {names[close[0]]} ({US_STATES[names[close[0]]]})?" if close else ""
    return None, f"{text!r} is not a U.S. state or territory.{fix} Write its two-letter code or its name."


@functools.cache
def _allowed_by_key(allowed: tuple[str, ...]) -> dict[str, str]:
    """A column's allowed values by their header_key, worked out once per column, not once per cell."""
    return {header_key(value): value for value in allowed}


def _one_of(column: Column, text: str) -> tuple[str | None, str | None]:
    """An allowed value, forgiving case and spacing ("internal  medicine"), else a did-you-mean."""
    found = _allowed_by_key(tuple(column.allowed)).get(header_key(text))
    if found is not None:
        return found, None
    lowered = {value.lower(): value for value in column.allowed}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1)
    fix = f" Did you mean {lowered[close[0]]!r}?" if close else ""
    return None, f"{text!r} is not {column.rule()}.{fix}"


# Exactly the zero-padded spellings of the formats below, ASCII digits only: these take the quick path.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(_ISO_DATE.pattern + r"( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")


def _convert(column: Column, value: str, decimal_comma: bool = False) -> tuple[Any, str | None]:
    """One cell converted to the column's kind, or an error phrase (which says the fix)."""
    text = value.strip()
    if not column.required and (column.kind != "str" or column.allowed) and text.lower() in UNKNOWN_WORDS:
        text = ""  # "N/A" in an optional number, yes/no or category column: unknown, so the default
    if not text and column.kind != "bool":
        if column.required:
            return None, "is empty; write a value" if column.rule() == "text" else f"is empty; write {column.rule()}"
        if column.kind in ("date", "datetime"):
            return pd.NaT, None
        if column.kind == "list":
            return [], None
        return (column.default if column.kind != "str" or column.allowed else ""), None
    if column.kind == "str":
        return _one_of(column, text) if column.allowed else (text, None)
    if column.kind == "state":
        return _state(text)
    if column.kind == "list":
        return [part.strip() for part in text.split(";") if part.strip()], None
    if column.kind == "bool":
        word = text.lower()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, f"{value!r} is not true or false; write yes or no (or true or false)"
    if column.kind in ("int", "float"):
        number, error = _number(column, text, decimal_comma)
        if error:
            return None, error
        return (int(number) if column.kind == "int" else number), None
    if column.kind in ("date", "datetime"):
        if (_ISO_DATE if column.kind == "date" else _ISO_DATETIME).fullmatch(text):
            try:  # the usual zero-padded form, read in C: a strptime each takes most of a big table's load
                return pd.Timestamp(dt.datetime.fromisoformat(text)), None
            except ValueError:
                pass  # an impossible date (30 February): strptime below says so the usual way
        formats = ["%Y-%m-%d"] if column.kind == "date" else ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
        for fmt in formats:
            try:  # strptime, not pd.to_datetime per cell: the same strict formats, a table's dates read about 9x faster
                return pd.Timestamp(dt.datetime.strptime(text, fmt)), None
            except (ValueError, TypeError):  # OutOfBoundsDatetime is a ValueError
                continue
        return None, f"{value!r} is not {column.rule()}"
    raise ValueError(f"unknown column kind {column.kind!r}")


def _match_headers(schema: Schema, header: list[str], name: str, row: int) -> tuple[dict[str, int], list[str]]:
    """Which file column holds each schema column, and the header problems (missing, doubled)."""
    wanted = {}
    for column in schema.columns:
        for alias in (column.name, *column.synonyms):
            wanted.setdefault(header_key(alias), column.name)
    found: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        target = wanted.get(header_key(title))
        if target is None:
            continue
        if target in found:
            problems.append(
                f"{name} row {row}: columns {header[found[target]]!r} and {title!r} both mean "
                f"{target}; keep one of them and rename or delete the other."
            )
            continue
        found[target] = index
    present = {header_key(t): t for i, t in enumerate(header) if t and i not in found.values()}
    for missing in (c for c in schema.required if c not in found):
        near = difflib.get_close_matches(header_key(missing), list(present), n=1)
        hint = f" You have {present[near[0]]!r}: rename it {missing}." if near else ""
        problems.append(
            f"{name} row {row} (the header): missing required column {missing}.{hint} "
            f"Required columns are: {', '.join(schema.required)}."
        )
    return found, problems


def _report(problems: list[str]) -> DataError:
    shown = problems[:MAX_REPORTED]
    more = len(problems) - len(shown)
    tail = f"\n... and {more} more problem(s) like these." if more else ""
    return DataError("\n".join(shown) + tail)


def parse_rows(schema: Schema, rows: Rows, name: str, decimal_comma: bool = False) -> pd.DataFrame:
    """Validate a table's rows against a schema: a typed DataFrame, or one DataError listing every problem."""
    rows = [(number, cells) for number, cells in rows if any(cells)]  # blank rows, anywhere, are ignored
    if not rows:
        raise DataError(f"{name}: the file has no header row. Export your table again with a header row.")
    start = next((i for i, (_, cells) in enumerate(rows[:10]) if sum(map(bool, cells)) >= 2), 0)
    header_row, header = rows[start]  # a title line above the header ("My shortlist") is skipped
    body = rows[start + 1 :]
    named = [i for i, title in enumerate(header) if title]
    header = header[: named[-1] + 1]  # trailing empty columns are ignored
    if len([h for h in header if h]) < 2 and len(schema.required) > 1:
        raise DataError(
            f"{name} row {header_row}: found one column only ({header[named[0]][:40]!r}). Separate the columns "
            "with commas, semicolons or tabs, or save the spreadsheet as .xlsx or CSV."
        )
    problems = []
    ragged = set()
    for number, cells in body:
        if len(cells) > len(header) and any(cells[len(header) :]):
            ragged.add(number)  # its values are shifted: checking them would only add noise
            problems.append(
                f"{name} row {number}: {len([c for c in cells if c])} values, but the header has "
                f"{len([h for h in header if h])} columns. Give the extra column a header in row {header_row}, "
                'or, if a value contains the separator, put it in double quotes, e.g. "Smith, Jr".'
            )
    for index, title in enumerate(header):
        if not title and any(index < len(c) and c[index] for _, c in body):
            problems.append(
                f"{name} column {_column_letter(index)}: has values but no header in row "
                f"{header_row}; give it a name or delete the column."
            )
    found, header_problems = _match_headers(schema, header, name, header_row)
    problems = header_problems + problems
    if not body:
        raise DataError("\n".join(problems + [f"{name}: the file has a header but no rows."]))
    cells_of = [cells + [""] * (len(header) - len(cells)) for _, cells in body]
    cell_problems: list[tuple[int, int, str]] = []  # reported row by row, as a person fixes them
    columns: dict[str, list[Any]] = {}
    for column in schema.columns:
        if column.name not in found:
            columns[column.name] = [column.default] * len(body)
            continue
        index = found[column.name]
        label = column.name if header[index] == column.name else f"{column.name} ({header[index]!r})"
        values = []
        for (number, _), cells in zip(body, cells_of, strict=True):
            converted, error = _convert(column, cells[index], decimal_comma)
            if error and number not in ragged:
                cell_problems.append((number, index, f"{name} row {number}, column {label}: {error}"))
            values.append(converted)
        columns[column.name] = values
    problems += [text for *_, text in sorted(cell_problems)]
    if problems:
        raise _report(problems)
    frame = pd.DataFrame(columns)
    for index, title in enumerate(header):  # keep a learner's own extra columns, untouched
        if title and index not in found.values():
            frame[title] = [cells[index] for cells in cells_of]
    return frame


def parse_table(schema: Schema, text: str, name: str) -> pd.DataFrame:
    """Validate delimited text against a schema and return a typed DataFrame."""
    rows, delimiter = _text_rows(text)
    return parse_rows(schema, rows, name, decimal_comma=delimiter == ";")


def load_table(schema: Schema, path: str | Path | None = None, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a dataset (the kit's own file by default, or `path`) and validate it.

    `path` may be CSV/TSV text or an `.xlsx` workbook (its first sheet, or `sheet`).
    Numbers: a 0-100 percent column reads "43%" and "43" as 43; a 0-1 share column reads
    "43%" and "0.43" as 0.43 and refuses a bare 43 (it says to write 0.43 or 43%).
    """
    file_path = Path(path) if path is not None else data_file(schema.file)
    rows, decimal_comma = read_rows(file_path, sheet)
    return parse_rows(schema, rows, file_path.name, decimal_comma)
