"""Grades the LMS takes as they are: grades.csv, Canvas's and Moodle's gradebook imports, and the roster's LMS ids.

The course is a real one (the kit's module 03 registered by nbgrader's generate_assignment)
with a fabricated gradebook: learners with awkward names (commas, quotes, accents,
semicolons) imported from a roster CSV, points set cell by cell through nbgrader's
Gradebook API, a late penalty, a learner who submitted nothing, a code-lab assignment
(`<module>_code`, registered by nbgrader with two more cells added through the Gradebook API) and a module
nobody submitted. The class report (written by the same export) keeps the code lab apart too.
Every file is written by `rotation-kit grade export` (and by plain `nbgrader export`
with the kit's exporters), then read back with the csv module and checked learner by
learner against the points the test set.
"""

from __future__ import annotations

import csv

import nbformat
import pytest
from support import ROOT, grade_cli, read_csv_rows

from rotation_kit.commands.grade.demo import new_course
from rotation_kit.commands.grade.export import points
from rotation_kit.commands.grade.roster import Learner, import_roster, read_roster, roster, write_roster
from rotation_kit.course import Course, run_nbgrader
from rotation_kit.course.cells import exercise_of, grade_id, is_check, is_manual
from rotation_kit.course.cells import points as cell_points

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("grading-export")]

M = "03_where_to_rotate"
CODE = f"{M}_code"  # the module's optional code lab (its real notebook), plus two cells the test adds
UNSTARTED = "04_before_rotation"  # registered, nobody submitted: no LMS column of zeros for it

LEARNERS = [
    Learner("zobrien", "Zoë", "O'Brien, Jr.", "zoe.obrien@uni.example", "2001"),
    Learner("anunez", 'Ana "Nana"', "Núñez", "ana@uni.example", "2002"),
    Learner("flefevre", "François", "Lefèvre; Dubois", "francois@uni.example", "2003"),
    Learner("nguyen.tm", "Thị Minh", "Nguyễn", "", "2004"),
    Learner("li", "Li", "", "li@uni.example", ""),  # no last name, no LMS id
    Learner("absent", "Ômar", 'Al-Sayed, "Sam"', "omar@uni.example", "2006"),  # submits nothing
]


def _graded_cells() -> tuple[str, str, str]:
    """The module's first check cell, a check cell of another exercise, and its first written task: whatever
    its exercises are now (modules get rewritten), each worth at least the points given below."""
    source = nbformat.read(ROOT / "solutions" / M / f"{M}.ipynb", as_version=4)
    checks = [c for c in source.cells if is_check(c) and cell_points(c) >= 2]
    first = checks[0]
    other = next(c for c in checks if exercise_of(grade_id(c)) != exercise_of(grade_id(first)))
    task = next(c for c in source.cells if is_manual(c) and cell_points(c) >= 4)
    return grade_id(first), grade_id(other), grade_id(task)


T1, T2, TASK = _graded_cells()
#: points given per learner: {assignment: {cell: points}}; the late penalty separately
GIVEN = {
    "zobrien": {M: {T1: 2, TASK: 3.5}, CODE: {"c1": 4, "c2": 1.25}},
    "anunez": {M: {T1: 2, T2: 2, TASK: 4}},
    "flefevre": {M: {}, CODE: {"c1": 0.5}},
    "nguyen.tm": {M: {TASK: 1}},
    "li": {M: {T1: 2}},
}
PENALTY = {("anunez", M): 1.5}


def _expected(student: str, assignment: str) -> float:
    given = sum(GIVEN.get(student, {}).get(assignment, {}).values())
    return max(0.0, given - PENALTY.get((student, assignment), 0.0))


def _fabricate(course: Course) -> None:
    """Submissions and points in the course's gradebook, through nbgrader's API."""
    with course.gradebook() as gb:
        gb.update_or_create_assignment(CODE)
        gb.update_or_create_notebook(CODE, CODE)
        for cell, most in (("c1", 4), ("c2", 2)):
            gb.update_or_create_grade_cell(cell, CODE, CODE, max_score=most, cell_type="code")
        gb.update_or_create_assignment(UNSTARTED)
        gb.update_or_create_notebook(UNSTARTED, UNSTARTED)
        gb.update_or_create_grade_cell("t1", UNSTARTED, UNSTARTED, max_score=3, cell_type="code")
        for student, by_assignment in GIVEN.items():
            for assignment, cells in by_assignment.items():
                gb.add_submission(assignment, student, timestamp="2026-03-01 10:00:00")
                notebook = gb.find_submission_notebook(assignment, assignment, student)
                for grade in notebook.grades:
                    grade.auto_score = 0.0
                    grade.manual_score = cells.get(grade.name, 0.0)
                    grade.needs_manual_grade = False
                notebook.late_submission_penalty = PENALTY.get((student, assignment))
        gb.db.commit()
    for student, by_assignment in GIVEN.items():  # the fabricated points are what nbgrader counts
        with course.gradebook() as gb:
            for assignment in by_assignment:
                submission = gb.find_submission(assignment, student)
                counted = submission.score - submission.late_submission_penalty
                assert counted == pytest.approx(_expected(student, assignment))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    course = new_course(base / "course", [M, CODE], log=lambda *a: None, templates=False)
    import_roster(course, write_roster(LEARNERS, base / "roster.csv"))
    _fabricate(course)
    return course


@pytest.fixture(scope="module")
def maxima(course):
    with course.gradebook() as gb:
        return {a.name: float(a.max_score) for a in gb.assignments}


def _export(course: Course, out) -> str:
    return grade_cli("export", "--course", str(course.root), "--out", str(out), timeout=600)


@pytest.fixture(scope="module")
def exported(course, tmp_path_factory):
    out = tmp_path_factory.mktemp("exported")
    return out, _export(course, out)


def test_the_roster_keeps_each_learners_lms_id_and_awkward_name(course):
    assert roster(course) == sorted(LEARNERS, key=lambda lr: lr.id)


def test_grades_csv_round_trips_every_learner_and_module(maxima, exported):
    out, _ = exported
    rows = read_csv_rows(out / "grades.csv")
    assert list(rows[0])[:4] == ["assignment", "duedate", "timestamp", "student_id"]
    people = {lr.id: lr for lr in LEARNERS}
    assert len(rows) == len(people) * 3  # every learner, every assignment in the gradebook (nbgrader's rule)
    for row in rows:
        learner = people[row["student_id"]]
        assert (row["first_name"], row["last_name"], row["email"], row["lms_user_id"]) == (
            learner.first_name,
            learner.last_name,
            learner.email,
            learner.lms_user_id,
        )
        expected = _expected(learner.id, row["assignment"])
        assert float(row["score"]) == pytest.approx(expected), row
        assert float(row["max_score"]) == maxima[row["assignment"]]
        assert row["path"] == ("code lab" if row["assignment"] == CODE else "main")
        submitted = row["assignment"] in GIVEN.get(learner.id, {})
        assert bool(row["timestamp"]) == submitted
    late = next(r for r in rows if r["student_id"] == "anunez" and r["assignment"] == M)
    assert float(late["raw_score"]) == 8 and float(late["late_submission_penalty"]) == 1.5


def test_canvas_import_file_has_canvas_columns_and_every_score(maxima, exported):
    out, _ = exported
    with open(out / "canvas_grades.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header, possible, learners = table[0], table[1], table[2:]
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", M, "03_where_to_rotate (code lab)"]
    assert possible[0].strip() == "Points Possible"
    assert [float(p) for p in possible[5:]] == [maxima[M], maxima[CODE]]
    assert len(learners) == len(LEARNERS)
    by_login = {row[3]: row for row in learners}
    for learner in LEARNERS:
        row = by_login[learner.id]
        name = ", ".join(p for p in (learner.last_name, learner.first_name) if p)
        assert row[0] == name and row[1] == learner.lms_user_id
        assert [float(v) for v in row[5:]] == pytest.approx([_expected(learner.id, M), _expected(learner.id, CODE)])
    assert UNSTARTED not in " ".join(header)  # nobody submitted it: no column of zeros


def test_moodle_import_file_maps_by_username_id_number_or_email(course, exported):
    out, _ = exported
    rows = read_csv_rows(out / "moodle_grades.csv")
    assert list(rows[0]) == [
        "First name",
        "Last name",
        "Username",
        "ID number",
        "Email address",
        M,
        "03_where_to_rotate (code lab)",
    ]
    assert sorted(r["Username"] for r in rows) == sorted(lr.id for lr in LEARNERS)
    for learner in LEARNERS:
        row = next(r for r in rows if r["Username"] == learner.id)
        assert (row["First name"], row["Last name"], row["ID number"], row["Email address"]) == (
            learner.first_name,
            learner.last_name,
            learner.lms_user_id,
            learner.email,
        )
        assert float(row[M]) == pytest.approx(_expected(learner.id, M))
        assert float(row["03_where_to_rotate (code lab)"]) == pytest.approx(_expected(learner.id, CODE))


def test_plain_nbgrader_export_uses_the_kits_exporters(course, tmp_path):
    """`nbgrader export` in the course folder (its config names the kit's exporter), and --exporter= for the LMSs."""
    _export(course, tmp_path / "kit")
    result = run_nbgrader(["export"], cwd=course.root, check=False)  # no --to: the config's grading/grades.csv
    assert result.returncode == 0, result.stderr[-3000:]
    assert (course.grading / "grades.csv").read_bytes() == (tmp_path / "kit" / "grades.csv").read_bytes()
    for name, exporter in (("canvas_grades.csv", "CanvasExport"), ("moodle_grades.csv", "MoodleExport")):
        plugin = f"--exporter=rotation_kit.commands.grade.export.{exporter}"
        result = run_nbgrader(["export", plugin], cwd=course.root, check=False)
        assert result.returncode == 0, result.stderr[-3000:]
        assert (course.grading / name).read_bytes() == (tmp_path / "kit" / name).read_bytes()  # beside, not over
        result = run_nbgrader(["export", plugin, f"--to={tmp_path / name}"], cwd=course.root, check=False)
        assert result.returncode == 0, result.stderr[-3000:]
        assert (tmp_path / name).read_bytes() == (tmp_path / "kit" / name).read_bytes()
    assert (course.grading / "grades.csv").read_bytes() == (tmp_path / "kit" / "grades.csv").read_bytes()


def test_export_names_the_submissions_still_waiting_for_a_manual_grade(course, tmp_path):
    with course.gradebook() as gb:
        grade = gb.find_grade(TASK, M, M, "li")
        grade.needs_manual_grade = True
        gb.db.commit()
    try:
        out = _export(course, tmp_path)
        assert "1 submission(s) still need manual grading" in out and f"{M} li" in out
    finally:
        with course.gradebook() as gb:
            gb.find_grade(TASK, M, M, "li").needs_manual_grade = False
            gb.db.commit()


def test_points_are_written_as_an_lms_reads_them():
    assert [points(v) for v in (0, 0.0, 16, 12.5, 0.1 + 0.2, 7.125, None, -0.0)] == [
        "0",
        "0",
        "16",
        "12.5",
        "0.3",
        "7.13",
        "0",
        "0",
    ]


def test_a_canvas_gradebook_export_works_as_a_roster(tmp_path):
    canvas = tmp_path / "canvas.csv"
    canvas.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Module 1 (4021)\n"
        "    Points Possible,,,,,16.00\n"
        '"O\'Brien, Jr., Zoë",2001,S-1,zobrien,Cohort A,\n'
        '"Núñez, Ana ""Nana""",2002,,anunez,Cohort A,12\n',
        encoding="utf-8",
    )
    assert read_roster(canvas) == [
        Learner("zobrien", "Zoë", "O'Brien, Jr.", "", "2001"),
        Learner("anunez", 'Ana "Nana"', "Núñez", "", "2002"),
    ]


def test_a_roster_without_lms_ids_keeps_the_ones_already_known(tmp_path):
    course = Course.at(_course_folder(tmp_path))
    first = tmp_path / "first.csv"
    write_roster([Learner("zobrien", "Zoë", "O'Brien", "z@x.org", "2001")], first)
    import_roster(course, first)
    again = tmp_path / "again.csv"
    again.write_text('id,name,email\nzobrien,"O\'Brien, Zoë",zoe@x.org\n', encoding="utf-8")
    import_roster(course, again)
    assert roster(course) == [Learner("zobrien", "Zoë", "O'Brien", "zoe@x.org", "2001")]


def _course_folder(tmp_path):
    import shutil

    from support import ROOT

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    return tmp_path


def _report_section(report: str, heading_start: str) -> str:
    start = report.index(f"<h2>{heading_start}")
    end = report.find("<h2>", start + 4)
    return report[start : end if end != -1 else len(report)]


def test_the_class_report_keeps_the_code_lab_apart_from_the_main_path(maxima, exported):
    import html

    out, _ = exported
    report = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    overview = _report_section(report, "Overview: main path")
    assert f"<td>{M}</td>" in overview and CODE not in overview, "the main path's overview holds no code lab"
    lab = _report_section(report, "Code lab (optional)")
    assert f"<td>{CODE}</td>" in lab and "never count toward the main path" in lab
    assert "1 lab(s), 2 submission(s)" in lab  # zobrien and flefevre
    totals = _report_section(report, "Per learner: main-path total")
    rows = {}
    for row in totals.split("<tr>")[1:]:
        values = [v.split("</td>")[0] for v in row.split("<td>")[1:]]
        if values:  # not the header row
            rows[values[0]] = values
    assert set(rows) == {learner for learner in GIVEN}
    for learner in GIVEN:
        _, main, of, submitted, lab_points = rows[learner]
        assert float(main) == pytest.approx(_expected(learner, M)), "main path: the module's points, no lab in them"
        assert float(of) == pytest.approx(maxima[M]) and submitted == "1"
        if CODE in GIVEN[learner]:
            assert lab_points == f"{_expected(learner, CODE):g} of {maxima[CODE]:g} (1 lab(s))"
        else:
            assert lab_points == "none"
    assert float(rows["zobrien"][1]) == pytest.approx(5.5), "zobrien's 5.25 lab points are not added in"


def test_the_code_lab_never_lowers_or_raises_the_main_path_columns(maxima, exported):
    """Skipping the lab (anunez) or doing it (zobrien): the main-path column is the module's points alone."""
    out, _ = exported
    rows = read_csv_rows(out / "grades.csv")
    for row in rows:
        if row["assignment"] == M:
            assert float(row["score"]) == pytest.approx(_expected(row["student_id"], M))
    canvas = read_csv_rows(out / "canvas_grades.csv")[1:]
    for row in canvas:
        assert float(row[M] or 0) == pytest.approx(_expected(row["SIS Login ID"], M))
        lab = row["03_where_to_rotate (code lab)"]
        assert (float(lab) if lab else 0.0) == pytest.approx(_expected(row["SIS Login ID"], CODE))
