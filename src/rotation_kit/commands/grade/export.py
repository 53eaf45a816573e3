"""Grades out of the gradebook, in files other tools read as they are: nbgrader export plugins.

Three exporters, each an `nbgrader.plugins.ExportPlugin`, so they work from
`rotation-kit grade export` (which writes all three into `grading/export/`) and from
nbgrader itself (without `--to`, beside the `ExportPlugin.to` the kit's config sets: `grading/`):

    nbgrader export --exporter=rotation_kit.commands.grade.export.GradesCsvExport   --to grades.csv
    nbgrader export --exporter=rotation_kit.commands.grade.export.CanvasExport      --to canvas.csv
    nbgrader export --exporter=rotation_kit.commands.grade.export.MoodleExport      --to moodle.csv

- `GradesCsvExport`: nbgrader's own grades.csv (one line per learner and module,
  zero when nothing was submitted) written with the csv module, so a name with a
  comma or a quote stays in its field; plus the learner's LMS id and the path
  ("main" or "code lab") of each module.
- `CanvasExport`: Canvas's Gradebook import CSV: Student ("Last, First"), ID (the
  Canvas user id: nbgrader's `lms_user_id`), SIS User ID, SIS Login ID (the
  learner's id in the kit), Section, then one column per module and a
  "Points Possible" row, as Canvas's own gradebook export has them.
- `MoodleExport`: a CSV for Moodle's grade import: First name, Last name,
  Username, ID number (`lms_user_id`), Email address, then one column per module;
  Moodle asks which column identifies the user ("Map from" / "Map to").

`rotation-kit grade export` also writes `flags.csv` (`export_flags`): what needs a look, one
line per flag, from the autograded notebooks (no scores: a flag never changes a grade).

Every field goes through `cell`: one that starts like a spreadsheet formula (=, +, -, @, tab,
carriage return) and is not a number gets a leading single quote, so a name such as
`=HYPERLINK(...)` is shown, never run (OWASP's advice on CSV injection).

Code-lab modules (assignments named `<module>_code`) get their own columns, after
the main-path ones, so the two never add up in one LMS column. LMS files hold the
modules somebody submitted (a column of zeros for a module not yet due would
overwrite the LMS's gradebook); `ExportPlugin.assignment` chooses them instead.
Scores are nbgrader's: the submission's points (manual grades included) minus the
late penalty, never below zero.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Unicode

from ...course import is_code_lab, main_module_of
from .roster import Learner

_NBGRADER_COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]


def points(value: float | None) -> str:
    """A score as an LMS reads it: `12.5`, `16`, `0`; two decimals at most, half up (no float noise, no exponent)."""
    exact = Decimal(repr(float(value or 0.0))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{exact:f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass
class Row:
    """One learner and one module, as nbgrader's CSV export counts it."""

    assignment: str
    student: str
    duedate: object
    max_score: float
    submitted: bool = False
    timestamp: object = None
    raw_score: float = 0.0
    penalty: float = 0.0
    needs_manual_grade: bool = False

    @property
    def score(self) -> float:
        return max(0.0, self.raw_score - self.penalty)


@dataclass
class Grades:
    """Every learner's grade for every chosen module, in gradebook order."""

    assignments: list[str] = field(default_factory=list)
    students: list[Learner] = field(default_factory=list)
    rows: dict[tuple[str, str], Row] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)

    def columns(self) -> list[str]:
        """Assignments as LMS columns: main-path modules first, then code-lab ones."""
        return [a for a in self.assignments if not is_code_lab(a)] + [a for a in self.assignments if is_code_lab(a)]

    def submitted(self, assignment: str) -> bool:
        return any(self.rows[assignment, s.id].submitted for s in self.students)

    def pending_manual(self) -> list[Row]:
        return [r for r in self.rows.values() if r.needs_manual_grade]


def read_grades(
    gradebook: Gradebook, assignments: list[str] | None = None, students: list[str] | None = None
) -> Grades:
    """Grades from nbgrader's gradebook (nbgrader's CsvExportPlugin's rules: missing counts zero)."""
    grades = Grades()
    wanted_a = {str(a) for a in assignments or []}
    wanted_s = {str(s) for s in students or []}
    grades.students = [
        Learner(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
        for s in gradebook.students
        if not wanted_s or s.id in wanted_s
    ]
    for assignment in gradebook.assignments:
        if wanted_a and assignment.name not in wanted_a:
            continue
        grades.assignments.append(assignment.name)
        grades.max_scores[assignment.name] = float(assignment.max_score or 0)
        for student in grades.students:
            row = Row(assignment.name, student.id, assignment.duedate, float(assignment.max_score or 0))
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                pass
            else:
                row.submitted, row.timestamp = True, submission.timestamp
                row.raw_score = float(submission.score or 0)
                row.penalty = float(submission.late_submission_penalty or 0)
                row.needs_manual_grade = bool(submission.needs_manual_grade)
            grades.rows[assignment.name, student.id] = row
    return grades


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): =, +, -, @, tab, carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def cell(value) -> str:
    """A field a spreadsheet shows as text, never runs: `=HYPERLINK(...)` becomes `'=HYPERLINK(...)`.

    Names, e-mails and what a flag saw come from people; a field of theirs that starts like a
    formula gets a leading single quote (OWASP's advice, which Excel, LibreOffice and Sheets read
    as "text"). Numbers, negative ones included, stay numbers.
    """
    text = _text(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(path: str | Path, header: list[str], rows: list[list[str]]) -> Path:
    """UTF-8, every field quoted when it must be (csv.QUOTE_MINIMAL), Windows line ends as RFC 4180 says.

    Every field goes through `cell`, so no name or text can become a spreadsheet formula.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([cell(v) for v in header])
        writer.writerows([cell(v) for v in row] for row in rows)
    return path


def _text(value) -> str:
    return "" if value is None else str(value)


class _KitExport(ExportPlugin):
    """What the kit's exporters share: the grades read once, the destination, a default file name."""

    default_name = "grades.csv"

    def destination(self) -> str:
        """`--to` (the kit's config: grading/grades.csv), or the default name in the folder nbgrader runs in.

        An LMS exporter never writes over a `grades.csv`: given that name (nbgrader's default, and the
        kit's `ExportPlugin.to`), it writes its own file beside it (`grading/canvas_grades.csv`).
        """
        target = Path(self.to or self.default_name)
        if target.name == "grades.csv" and self.default_name != "grades.csv":
            target = target.with_name(self.default_name)
        return str(target)

    def grades(self, gradebook: Gradebook) -> Grades:
        return read_grades(gradebook, self.assignment, self.student)

    def export(self, gradebook: Gradebook) -> None:
        grades = self.grades(gradebook)
        header, rows = self.table(grades)
        target = self.destination()
        self.log.info("Exporting grades to %s", target)
        write_csv(target, header, rows)

    def table(self, grades: Grades) -> tuple[list[str], list[list[str]]]:
        raise NotImplementedError


class GradesCsvExport(_KitExport):
    """nbgrader's grades.csv, correctly quoted, with each learner's LMS id and each module's path."""

    def table(self, grades):
        header = _NBGRADER_COLUMNS + ["lms_user_id", "path"]
        rows = []
        for assignment in grades.assignments:
            for student in grades.students:
                r = grades.rows[assignment, student.id]
                rows.append(
                    [
                        assignment,
                        _text(r.duedate),
                        _text(r.timestamp) if r.submitted else "",
                        student.id,
                        student.last_name,
                        student.first_name,
                        student.email,
                        points(r.raw_score),
                        points(r.penalty),
                        points(r.score),
                        points(r.max_score),
                        student.lms_user_id,
                        "code lab" if is_code_lab(assignment) else "main",
                    ]
                )
        return header, rows


class _LmsExport(_KitExport):
    """One line per learner, one column per module (main path, then code lab)."""

    column_names = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        help="LMS column header per module id, e.g. {'03_where_to_rotate': 'Where to rotate (4021)'} to fill "
        "an assignment that already exists in Canvas (its name and id, as Canvas's own export writes them). "
        "Default: the module id, with ' (code lab)' for code-lab modules.",
    ).tag(config=True)

    def column(self, assignment: str) -> str:
        if assignment in self.column_names:
            return self.column_names[assignment]
        if is_code_lab(assignment):
            return f"{main_module_of(assignment)} (code lab)"
        return assignment

    def grades(self, gradebook):
        grades = super().grades(gradebook)
        if not self.assignment:  # a module nobody submitted would be a column of zeros in the LMS
            grades.assignments = [a for a in grades.assignments if grades.submitted(a)]
        return grades


class CanvasExport(_LmsExport):
    """Canvas's Gradebook import CSV (Grades > Import)."""

    default_name = "canvas_grades.csv"
    section = Unicode(
        "",
        help="Canvas section name written on every line (Canvas reads it for display only).",
    ).tag(config=True)

    def table(self, grades):
        columns = grades.columns()
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [self.column(a) for a in columns]
        rows = [["    Points Possible", "", "", "", ""] + [points(grades.max_scores[a]) for a in columns]]
        for s in grades.students:
            name = ", ".join(part for part in (s.last_name, s.first_name) if part) or s.id  # Canvas: "Last, First"
            rows.append(
                [name, s.lms_user_id, "", s.id, self.section] + [points(grades.rows[a, s.id].score) for a in columns]
            )
        return header, rows


class MoodleExport(_LmsExport):
    """A CSV for Moodle's grade import (Grades > Import > CSV file)."""

    default_name = "moodle_grades.csv"

    def table(self, grades):
        columns = grades.columns()
        header = ["First name", "Last name", "Username", "ID number", "Email address"] + [
            self.column(a) for a in columns
        ]
        rows = []
        for s in grades.students:
            rows.append(
                [s.first_name, s.last_name, s.id, s.lms_user_id, s.email]
                + [points(grades.rows[a, s.id].score) for a in columns]
            )
        return header, rows


FLAGS_FILE = "flags.csv"
_FLAG_COLUMNS = [
    "assignment",
    "student_id",
    "last_name",
    "first_name",
    "kind",
    "meaning",
    "where",
    "exercise",
    "what_was_seen",
]


def export_flags(flags: dict, students: list[Learner], path: str | Path) -> Path:
    """What needs a look, one line per flag (integrity.read_flags' {(module, learner): [Flag]}); no scores.

    Its own file, not a column of grades.csv: grades.csv is nbgrader's export, made from the gradebook
    alone (plain `nbgrader export` writes the same bytes), while flags live in the autograded notebooks.
    """
    from .integrity import FLAG_KINDS

    people = {s.id: s for s in students}
    rows = []
    for (module, student), found in sorted(flags.items()):
        person = people.get(student, Learner(student))
        rows.extend(
            [
                module,
                student,
                person.last_name,
                person.first_name,
                f.kind,
                FLAG_KINDS.get(f.kind, ""),
                f.where,
                f.exercise,
                f.what,
            ]
            for f in found
        )
    return write_csv(path, _FLAG_COLUMNS, rows)


EXPORTERS = {"grades.csv": GradesCsvExport, "canvas_grades.csv": CanvasExport, "moodle_grades.csv": MoodleExport}


def export_all(gradebook: Gradebook, folder: Path, config=None) -> tuple[dict[str, Path], list[Row]]:
    """Every exporter's file in `folder` ({file name: path}), and the submissions still needing a manual grade.

    `config`: the course's nbgrader config (so settings such as `CanvasExport.column_names` apply).
    """
    written = {}
    for name, plugin in EXPORTERS.items():
        plugin(to=str(folder / name), config=config).export(gradebook)
        written[name] = folder / name
    return written, read_grades(gradebook).pending_manual()
