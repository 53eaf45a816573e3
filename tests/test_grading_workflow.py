"""The instructor's workflow on the demo class, with the real nbgrader: the kit's commands end to end.

The demo class (7 fictional learners: one of each kind of submission) is graded
twice from the same files: by nbgrader's own serial `autograde` and by the kit's
parallel, sandboxed `rotation-kit grade autograde`; the grades must be the same.
The kit-graded copy then goes through a second autograde that finds nothing new,
feedback, export and the formgrader. Collection is tried on a fresh course
from the demo's LMS download, a folder, and nbgrader's exchange.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import socket
import time
import urllib.request

import nbformat
import pytest
from support import grade_cli

from rotation_kit.commands.grade.collect import collect_exchange, collect_folder, collect_zip
from rotation_kit.commands.grade.demo import demo_kinds, make_demo, new_course
from rotation_kit.commands.grade.feedback import hidden_lines, markers
from rotation_kit.commands.grade.roster import import_roster
from rotation_kit.course import Course, run_nbgrader
from rotation_kit.course.cells import exercise_of, grade_id, is_solution

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("grading-workflow")]
M = "03_where_to_rotate"
LEARNERS = 7


def _grades(course: Course) -> dict:
    with course.gradebook() as gb:
        found = {}
        for submission in gb.assignment_submissions(M):
            nb = gb.find_submission_notebook(M, M, submission.student.id)
            found[submission.student.id] = {
                "timestamp": submission.timestamp,
                "late": submission.total_seconds_late,
                "cells": {g.name: (g.auto_score, g.score, g.needs_manual_grade) for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
        return found


def _demo_graded_twice(base):
    """The demo class, graded by nbgrader's serial autograde (a copy) and by the kit's command."""
    course = make_demo(base / "demo", LEARNERS, [M], log=lambda *a: None)
    serial = base / "serial"
    shutil.copytree(course.root, serial)
    result = run_nbgrader(["autograde", M, "--create", "--force"], cwd=serial, check=False, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = grade_cli("autograde", "--course", str(course.root), "--no-progress")
    return course, Course.at(serial), summary


def test_the_instructor_workflow_on_the_demo_class(tmp_path):
    """One class through every step (one test: the steps share one expensive autograde, and pytest-xdist
    would otherwise build it on each worker)."""
    demo = _demo_graded_twice(tmp_path)
    _check_kit_grades_equal_serial_nbgrader(demo)
    _check_the_summary_names_every_kind_of_submission(demo)
    _check_a_second_run_grades_only_what_is_new(demo)
    _check_feedback_never_shows_hidden_tests(demo)
    _check_export_writes_grades_and_the_class_report(demo)
    _check_formgrader_shows_the_mark_schemes(demo)


def _check_kit_grades_equal_serial_nbgrader(demo):
    course, serial, _ = demo
    ours, theirs = _grades(course), _grades(serial)
    assert ours == theirs
    assert len(ours) == LEARNERS - 1  # one learner of the demo submitted nothing


def _check_the_summary_names_every_kind_of_submission(demo):
    course, _, summary = demo
    kinds = demo_kinds(course, M, LEARNERS)
    by_kind = {kind: learner for learner, kind in kinds.items()}
    lines = summary.splitlines()
    assert any(f"{M} {by_kind['tampered']}: tampered" in line for line in lines)
    assert "1 missing" in summary and "1 tampered" in summary and "0 failed to run" in summary
    assert any(by_kind["late"] in line and "after the due date" in line for line in lines)
    grades = _grades(course)
    assert sum(s for s, _, _ in [v for k, v in grades[by_kind["full"]]["cells"].items() if "_tests" in k]) == 16
    assert all(
        v[0] == 0
        for k, v in grades[by_kind["tampered"]]["cells"].items()
        if "_tests" in k and exercise_of(k) + "_answer" not in _solved(course, by_kind["tampered"])
    )


def _solved(course, learner):
    nb = nbformat.read(course.submitted / learner / M / f"{M}.ipynb", as_version=4)
    return {grade_id(c) for c in nb.cells if is_solution(c) and "NotImplementedError" not in c.source}


def _check_a_second_run_grades_only_what_is_new(demo):
    course, _, _ = demo
    out = grade_cli("autograde", "--course", str(course.root), "--no-progress")
    assert f"{LEARNERS - 1} unchanged submission(s) skipped" in out and "Autograded 0 submission" in out


def _check_feedback_never_shows_hidden_tests(demo):
    course, _, _ = demo
    grade_cli("feedback", "--course", str(course.root))
    secrets = hidden_lines(course.source / M / f"{M}.ipynb", markers(course.config()))
    visible = {
        line.strip()
        for c in nbformat.read(course.release / M / f"{M}.ipynb", as_version=4).cells
        for line in c.source.splitlines()
    }
    secrets -= visible
    assert len(secrets) > 20
    pages = sorted(course.feedback.glob(f"*/{M}/{M}.html"))
    assert len(pages) == LEARNERS - 1
    failing = 0
    for page in pages:
        autograded = (course.autograded / page.parent.parent.name / M / f"{M}.ipynb").read_text()
        assert any(s in autograded for s in secrets)  # nbgrader did put the hidden tests back to run them...
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        leaked = [s for s in secrets if s in text]
        assert not leaked, (page, leaked[:3])  # ...and the learner's page shows none of them
        assert "MARK SCHEME" not in text
        failing += "Check failed" in text or "NotImplementedError" in text
    assert failing >= 3  # pages with failing tests (partial, blank, broken, tampered) were among them
    # nbgrader's own generate_feedback (the formgrader's button) reads the course config: it hides them too.
    _, serial, _ = demo
    result = run_nbgrader(["generate_feedback", M, "--force"], cwd=serial.root, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = sorted(serial.feedback.glob(f"*/{M}/{M}.html"))
    assert len(pages) == LEARNERS - 1
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert not [s for s in secrets if s in text], page


def _check_export_writes_grades_and_the_class_report(demo):
    """grades.csv and the LMS files, read back with the csv module, hold every learner's gradebook score."""
    course, _, _ = demo
    grade_cli("export", "--course", str(course.root))
    with course.gradebook() as gb:
        people = {s.id: s for s in gb.students}
        scores = {s.id: 0.0 for s in gb.students}
        for submission in gb.assignment_submissions(M):
            scores[submission.student.id] = max(0.0, submission.score - submission.late_submission_penalty)
    assert len(people) == LEARNERS and all(s.lms_user_id for s in people.values())
    with open(course.export / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:4] == ["assignment", "duedate", "timestamp", "student_id"] and len(rows) == LEARNERS
    assert {r["student_id"]: float(r["score"]) for r in rows} == pytest.approx(scores)
    with open(course.export / "canvas_grades.csv", newline="", encoding="utf-8") as handle:
        canvas = list(csv.DictReader(handle))[1:]  # after the Points Possible row
    assert {r["SIS Login ID"]: float(r[M]) for r in canvas} == pytest.approx(scores)
    assert all(r["ID"] == people[r["SIS Login ID"]].lms_user_id for r in canvas)
    with open(course.export / "moodle_grades.csv", newline="", encoding="utf-8") as handle:
        moodle = list(csv.DictReader(handle))
    assert {r["Username"]: float(r[M]) for r in moodle} == pytest.approx(scores)
    report = (course.export / "report.html").read_text()
    for heading in (
        "Score distribution per module",
        "Pass rate per exercise",
        "Exercises most often failed",
        "Submissions needing manual grading",
    ):
        assert heading in report
    assert report.count("data:image/png;base64,") >= 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check_formgrader_shows_the_mark_schemes(demo):
    from rotation_kit.commands.grade.formgrader import start_formgrader

    course, _, _ = demo
    kinds = demo_kinds(course, M, LEARNERS)
    learner = next(lr for lr, kind in kinds.items() if kind == "full")
    with course.gradebook() as gb:
        submission_id = gb.find_submission_notebook(M, M, learner).id
    source = nbformat.read(course.source / M / f"{M}.ipynb", as_version=4)
    scheme = next(
        line.strip()
        for c in source.cells
        if "BEGIN MARK SCHEME" in c.source
        for line in c.source.split("=== BEGIN MARK SCHEME ===")[1].splitlines()
        if len(line.strip()) > 20
    )
    port, token = _free_port(), "rk-test-token"
    process = start_formgrader(
        course, port, browser=False, extra=[f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"]
    )
    try:
        page = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/formgrader/submissions/{submission_id}/?token={token}", timeout=10
                ) as response:
                    page = response.read().decode()
            except OSError:
                assert process.poll() is None, "JupyterLab stopped"
                time.sleep(1)
        assert page is not None, "formgrader did not answer"
        assert scheme.lstrip("-* ")[:40] in html.unescape(re.sub(r"<[^>]+>", "", page))
    finally:
        process.terminate()
        process.wait(30)


def test_collect_from_lms_zip_folder_and_exchange(tmp_path):
    demo_course = make_demo(tmp_path / "demo", 4, [M], log=lambda *a: None, templates=False)
    course = new_course(tmp_path / "course", [M], log=lambda *a: None, templates=False)
    import_roster(course, demo_course.root / "roster.csv")
    submitted = sorted(demo_course.submitters(M))

    zipped = collect_zip(course, M, demo_course.root / "downloads" / f"{M}_lms.zip")
    assert sorted(zipped.learners) == submitted and not zipped.skipped
    for learner in submitted:
        theirs = json.loads((demo_course.submitted / learner / M / f"{M}.ipynb").read_text())
        assert json.loads((course.submitted / learner / M / f"{M}.ipynb").read_text()) == theirs

    folder = tmp_path / "inbox"
    folder.mkdir()
    first, second = submitted[:2]
    shutil.copy(demo_course.submitted / first / M / f"{M}.ipynb", folder / f"{first}.ipynb")
    people = {
        row.split(",")[0]: row.split(",")[1:3] for row in (demo_course.root / "roster.csv").read_text().splitlines()[1:]
    }
    named = folder / f"{people[second][0]} {people[second][1]}"
    named.mkdir()
    shutil.copy(demo_course.submitted / second / M / f"{M}.ipynb", named / "Copy of my notebook.ipynb")
    (folder / "stranger.ipynb").write_text("{}")
    shutil.rmtree(course.submitted)
    from_folder = collect_folder(course, M, folder)
    assert sorted(from_folder.learners) == [first, second] and list(from_folder.skipped) == ["stranger.ipynb"]
    assert sorted(course.submitters(M)) == [first, second]

    exchange, home = tmp_path / "exchange", tmp_path / "learner"
    exchange.mkdir()
    common = [f"--Exchange.root={exchange}", f"--Exchange.cache={tmp_path / 'cache'}"]
    result = run_nbgrader(["release_assignment", M, *common], cwd=course.root, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    (home / M).mkdir(parents=True)
    shutil.copy(demo_course.submitted / submitted[2] / M / f"{M}.ipynb", home / M / f"{M}.ipynb")
    result = run_nbgrader(
        [
            "submit",
            M,
            f"--student={submitted[2]}",
            f"--course={course.course_id}",
            f"--Exchange.assignment_dir={home}",
            *common,
        ],
        cwd=home,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from_exchange = collect_exchange(course, M, str(exchange))
    assert list(from_exchange.learners) == [submitted[2]]
    assert (course.submitted / submitted[2] / M / "timestamp.txt").is_file()
