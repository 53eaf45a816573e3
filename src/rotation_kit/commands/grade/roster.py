"""Import the class roster (a CSV of learner ids, names and emails) into nbgrader's gradebook.

The CSV needs one column with the learner's id (the name of their folder under
`grading/submitted/`, usually the LMS login); names and email are optional.
Column names are matched loosely, so most LMS exports work as they come:

    id,first_name,last_name,email          (nbgrader's own format)
    username,name,email                    ("name" is split into first and last)
    Student ID,First Name,Last Name,Email Address
    Student,ID,SIS User ID,SIS Login ID,Section   (Canvas's gradebook export)

Each learner's id in the LMS (nbgrader's `lms_user_id`: Canvas's numeric user id,
Moodle's ID number) is kept when the roster has it (`lms_user_id`, `Canvas user id`,
`ID number`, or Canvas's `ID` next to `SIS Login ID`), so that the grade exports can
name learners the way the LMS does. A Canvas gradebook export used as a roster takes
the learner's id from `SIS Login ID`, the LMS id from `ID`, and the name from `Student`.

Learners are added with nbgrader's Gradebook API (what `nbgrader db student import`
does); re-importing updates names and emails and never removes anyone.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ...course import Course, CourseError
from ...runtime.profile import LEARNER_ID_PATTERN  # an id becomes a folder name: one rule, learners' side too

ID_COLUMNS = ("id", "student_id", "learner_id", "username", "user_id", "login", "sis_user_id", "student")
FIRST_COLUMNS = ("first_name", "first", "given_name", "firstname")
LAST_COLUMNS = ("last_name", "last", "family_name", "surname", "lastname")
NAME_COLUMNS = ("name", "full_name", "student_name", "display_name")
EMAIL_COLUMNS = ("email", "email_address", "e_mail", "mail")
LMS_ID_COLUMNS = ("lms_user_id", "lms_id", "canvas_user_id", "canvas_id", "moodle_id", "id_number", "idnumber")
#: Canvas's gradebook export: the row under the header gives each assignment's points, not a learner.
_CANVAS_POINTS_ROW = "points possible"


@dataclass
class Learner:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _key(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.strip().lower()).strip("_")


def _pick(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in columns:
            return columns[name]
    return None


def read_roster(path: Path) -> list[Learner]:
    """Learners from a roster CSV; a CourseError lists every line that needs fixing."""
    if not path.is_file():
        raise CourseError(f"No roster file at {path}.")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    header = next((line for line in text.splitlines() if line.strip()), "")
    # The delimiter from the header alone: names with quotes and commas below it mislead csv.Sniffer.
    delimiter = max(",;\t", key=header.count) if any(d in header for d in ",;\t") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise CourseError(f"{path.name} has no learners (it needs a header line and one line per learner).")
    columns = {_key(c): c for c in rows[0].keys() if c}
    canvas = all(k in columns for k in ("student", "id", "sis_login_id"))
    id_col = columns["sis_login_id"] if canvas else _pick(columns, ID_COLUMNS)
    lms_col = columns["id"] if canvas else _pick(columns, LMS_ID_COLUMNS)
    if id_col is None:
        raise CourseError(
            f"{path.name} has no id column; name one of its columns 'id' (found: {', '.join(rows[0].keys())})."
        )
    first_col, last_col = _pick(columns, FIRST_COLUMNS), _pick(columns, LAST_COLUMNS)
    name_col, email_col = _pick(columns, NAME_COLUMNS), _pick(columns, EMAIL_COLUMNS)
    if canvas:
        name_col = columns["student"]

    learners, problems, seen = [], [], {}
    for line, row in enumerate(rows, start=2):
        learner_id = (row.get(id_col) or "").strip()
        if not learner_id and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        if canvas and (row.get(name_col) or "").strip().lower() == _CANVAS_POINTS_ROW:
            continue
        if not LEARNER_ID_PATTERN.match(learner_id):
            problems.append(f"line {line}: id {learner_id!r} is empty or has characters a folder name cannot have")
            continue
        if learner_id in seen:
            problems.append(f"line {line}: id {learner_id!r} already on line {seen[learner_id]}")
            continue
        seen[learner_id] = line
        first = (row.get(first_col) or "").strip() if first_col else ""
        last = (row.get(last_col) or "").strip() if last_col else ""
        if not (first or last) and name_col:
            full = (row.get(name_col) or "").strip()
            if "," in full:  # "Last, First" (a last name may hold a comma too: "O'Brien, Jr., Zoë")
                last, first = (part.strip() for part in full.rsplit(",", 1))
            else:
                first, _, last = full.partition(" ")
        email = (row.get(email_col) or "").strip() if email_col else ""
        if email and "@" not in email:
            problems.append(f"line {line}: email {email!r} for {learner_id} has no @")
            continue
        lms_id = (row.get(lms_col) or "").strip() if lms_col else ""
        learners.append(Learner(learner_id, first, last.strip(), email, lms_id))
    if problems:
        raise CourseError(f"{path.name} needs fixing before import:\n  " + "\n  ".join(problems))
    return learners


def import_roster(course: Course, path: Path) -> tuple[int, int]:
    """Add or update every learner of the roster in the gradebook; (added, updated)."""
    learners = read_roster(path)
    added = updated = 0
    with course.gradebook() as gb:
        known = {s.id for s in gb.students}
        for learner in learners:
            details = {
                "first_name": learner.first_name or None,
                "last_name": learner.last_name or None,
                "email": learner.email or None,
            }
            if learner.lms_user_id:  # a roster without LMS ids never erases the ones already known
                details["lms_user_id"] = learner.lms_user_id
            gb.update_or_create_student(learner.id, **details)
            if learner.id in known:
                updated += 1
            else:
                added += 1
    return added, updated


def roster(course: Course) -> list[Learner]:
    """The learners in the gradebook."""
    with course.gradebook() as gb:
        return [
            Learner(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
            for s in sorted(gb.students, key=lambda s: s.id)
        ]


def write_roster(learners: list[Learner], path: Path) -> Path:
    """A roster CSV in nbgrader's own format (`nbgrader db student import` reads it too)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        for learner in learners:
            writer.writerow([learner.id, learner.first_name, learner.last_name, learner.email, learner.lms_user_id])
    return path
