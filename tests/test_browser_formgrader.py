"""The formgrader as an instructor uses it, in a real browser, on the demo class.

As grading/README.md says: `rotation-kit grade demo`, `rotation-kit grade autograde --course ...`,
then `rotation-kit grade formgrader --course ...` (the kit's own console script, on a free port
with a token). In headless Chromium (Debian's `chromium`, driven by `playwright`, as in
tests/test_browser.py) the instructor goes Manual Grading -> module -> notebook, opens a submission
marked "needs manual grade", sees the mark scheme in the written task, gives a score and a
comment, and the score is then in nbgrader's gradebook and in every file `rotation-kit grade
export` writes. Screenshots go to test-artifacts/formgrader/.

Without chromium or playwright the test skips, except under CI (CI=true), where it fails.
"""

from __future__ import annotations

import csv
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from support import ROOT, free_port, jupyter_env, launched_chromium, stop_server, wait_until_up

from rotation_kit.commands.grade.demo import WRITTEN_ANSWER, demo_kinds
from rotation_kit.commands.grade.roster import roster
from rotation_kit.course import Course

# The same xdist group as the learner's browser test (tests/test_browser.py): two Chromiums and two servers
# never compete for the cores at once.
pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.xdist_group("browser")]

M = "03_where_to_rotate"
TASK = "ex37_task"  # the module's written answer, graded by hand (4 points)
LEARNERS = 3  # the demo's first learners: one full, one partial, one blank submission
ARTIFACTS = ROOT / "test-artifacts" / "formgrader"
SCORE = 3
COMMENT = 'Clear reasoning for the reach pick; name two facts to check on each program\'s site ("visa", "VSLO").'


def _kit(*args, timeout=1200) -> str:
    """`rotation-kit ...` as the README has the instructor type it (the environment's console script)."""
    command = [str(Path(sys.executable).with_name("rotation-kit")), *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory):
    """The demo class, autograded, with the formgrader running on it; yields (base URL, token, course)."""
    base = tmp_path_factory.mktemp("formgrader")
    demo = base / "demo-class"
    _kit("grade", "demo", "--learners", str(LEARNERS), "--out", str(demo))
    _kit("grade", "autograde", "--course", str(demo), "--no-progress")
    port, token = free_port(), secrets.token_hex(16)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "formgrader.log"
    command = [
        str(Path(sys.executable).with_name("rotation-kit")),
        "grade",
        "formgrader",
        "--course",
        str(demo),
        "--port",
        str(port),
        "--no-browser",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command, env=jupyter_env(base, port, token), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/status?token={token}", proc, log, "`rotation-kit grade formgrader`")
        yield url, token, Course.at(demo)
    finally:
        stop_server(url, token, proc)


@pytest.fixture
def page(formgrader, request):
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            page.screenshot(path=ARTIFACTS / f"last-{request.node.name}.png")  # what the page showed at the end
            context.close()


def _mark_scheme_line(course: Course) -> str:
    """A line of the task's mark scheme (the learners' copies never had it)."""
    source = nbformat.read(course.source / M / f"{M}.ipynb", as_version=4)
    task = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == TASK)
    scheme = task.source.split("=== BEGIN MARK SCHEME ===")[1].split("=== END MARK SCHEME ===")[0]
    return next(line.strip().lstrip("-* ") for line in scheme.splitlines() if len(line.strip()) > 30)


def _task_grade(course: Course, student: str):
    with course.gradebook() as gb:
        grade = gb.find_grade(TASK, M, M, student)
        comment = gb.find_comment(TASK, M, M, student)
        submission = gb.find_submission(M, student)
        return (
            grade.manual_score,
            grade.needs_manual_grade,
            comment.manual_comment,
            submission.score - submission.late_submission_penalty,
        )


def test_instructor_grades_a_written_answer_in_the_formgrader(page, formgrader):
    url, token, course = formgrader
    # What the instructor opens: the server's start page is the formgrader (LabApp.default_url).
    page.goto(f"{url}/?token={token}")
    page.wait_for_url(re.compile(r"/formgrader/manage_assignments"))
    page.get_by_role("link", name="Manual Grading").click()
    page.get_by_role("link", name=M, exact=True).click()  # the module
    page.wait_for_url(re.compile(rf"/formgrader/gradebook/{M}/?$"))
    page.get_by_role("link", name=M, exact=True).click()  # its notebook
    page.wait_for_url(re.compile(rf"/formgrader/gradebook/{M}/{M}/?$"))
    waiting = page.locator("tr", has=page.locator("td.needs-manual-grade .glyphicon-ok"))
    waiting.first.wait_for()
    page.screenshot(path=ARTIFACTS / "01-submissions-needing-manual-grade.png", full_page=True)
    with course.gradebook() as gb:
        pending = [s for s in gb.assignment_submissions(M) if s.needs_manual_grade]
    assert len(pending) == LEARNERS and waiting.count() == len(pending)  # every written task waits for a grade

    # The instructor looks for a learner who wrote an answer: names are hidden until asked for.
    learner = next(lr for lr in roster(course) if demo_kinds(course, M, LEARNERS)[lr.id] == "full")
    page.get_by_role("button", name="Show All Names").click()
    waiting.filter(has_text=f"{learner.last_name}, {learner.first_name}").locator("a.name-shown").click()
    page.wait_for_url(re.compile(r"/formgrader/submissions/[^/]+/?"))
    submission_id = re.search(r"/formgrader/submissions/([^/?#]+)", page.url).group(1)
    with course.gradebook() as gb:
        student = gb.find_submission_notebook_by_id(submission_id).student.id
    assert student == learner.id
    page.get_by_text(WRITTEN_ANSWER[:60]).wait_for()  # the learner's written answer, under the task
    before = _task_grade(course, student)
    assert before[0] is None and before[1], f"{student}'s written task is not waiting for a grade: {before}"

    score = page.locator(f"input.score#{TASK}")
    score.scroll_into_view_if_needed()
    task_panel = page.locator(".nbgrader_cell", has=score)
    scheme = _mark_scheme_line(course)
    assert scheme[:50] in task_panel.inner_text(), "the mark scheme is not in the task the instructor grades"
    task_panel.screenshot(path=ARTIFACTS / "02-task-with-mark-scheme.png")

    score.fill(str(SCORE))
    score.press("Tab")  # the formgrader saves a score on change
    comment = page.locator(f"textarea#{TASK}-comment")
    comment.fill(COMMENT)
    comment.press("Tab")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _task_grade(course, student)[:3] != (SCORE, False, COMMENT):
        time.sleep(0.5)
    task_panel.screenshot(path=ARTIFACTS / "03-task-scored-and-commented.png")

    manual, needs_manual, saved_comment, total = _task_grade(course, student)
    assert (manual, needs_manual, saved_comment) == (SCORE, False, COMMENT)
    assert total == pytest.approx(before[3] + SCORE)

    page.reload()  # what the next look at this submission shows
    page.locator(f"input.score#{TASK}").wait_for()
    # Scores and comments load as two separate requests: wait for both boxes to be filled.
    page.wait_for_function(
        "id => document.getElementById(id).value !== '' && document.getElementById(id + '-comment').value !== ''",
        arg=TASK,
    )
    assert float(page.locator(f"input.score#{TASK}").input_value()) == SCORE
    assert page.locator(f"textarea#{TASK}-comment").input_value() == COMMENT

    _kit("grade", "export", "--course", str(course.root))
    with open(course.export / "grades.csv", newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["student_id"] == student and r["assignment"] == M)
    assert float(row["score"]) == pytest.approx(total)
    with open(course.export / "canvas_grades.csv", newline="", encoding="utf-8") as handle:
        canvas = next(r for r in csv.DictReader(handle) if r["SIS Login ID"] == student)
    assert float(canvas[M]) == pytest.approx(total)
    with open(course.export / "moodle_grades.csv", newline="", encoding="utf-8") as handle:
        moodle = next(r for r in csv.DictReader(handle) if r["Username"] == student)
    assert float(moodle[M]) == pytest.approx(total)
