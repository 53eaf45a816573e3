"""What a submission cannot do, proved through the real pipeline (nbgrader + sandbox + the kit's autograde).

One scratch course gets one submission per kind of trouble (tests/hostile.py), all
graded in one autograde run with short limits; the CPU limit gets a second, tiny
run (a CPU limit shorter than the cell time limit would cut the infinite loop short).
For each: the batch goes on, the gradebook stays intact, the learner gets no points
they did not earn, and the summary says what happened. The probe submission tries
to read, write and connect where a learner's code must not, from inside the grader.

Without bubblewrap the safety tests skip, except under CI (CI=true), where they fail:
`.ci/run` installs bubblewrap.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3

import hostile as H
import nbformat
import pytest

from rotation_kit.commands.grade import sandbox
from rotation_kit.commands.grade.autograde import Limits, autograde
from rotation_kit.commands.grade.demo import new_course
from rotation_kit.course.cells import nbgrader_meta
from rotation_kit.runtime.paths import data_dir

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("grading-hostile")]
M = H.MODULE
LIMITS = Limits(cell_timeout=6, notebook_timeout=120, memory_mb=768, cpu_seconds=30)
CPU_LIMITS = Limits(cell_timeout=60, notebook_timeout=120, memory_mb=768, cpu_seconds=6)
SECRET = "ROTATION_KIT_TEST_SECRET"
HOST_TMP = "/tmp/rotation-kit-probe-was-here.txt"
KERNEL_RUNS = ["control", "tamper-tests", "recover", "stuck", "kernel-dies", "non-utf8", "wrong-name", "probe"]


def _require_sandbox():
    problem = sandbox.sandbox_problem()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem}. Under CI the safety tests must run, not skip.")
        pytest.skip(problem)


def test_hostile_submissions_through_the_real_pipeline(tmp_path):
    """All of them graded together (one test: they share one expensive autograde, and pytest-xdist
    would otherwise run it on each worker)."""
    _require_sandbox()
    graded = _grade_hostile_class(tmp_path)
    _check_the_batch_goes_on_and_the_summary_says_what_happened(graded)
    _check_no_points_that_were_not_earned(graded)
    _check_the_gradebook_stays_intact(graded)
    _check_runaway_cells_are_stopped_by_the_limits(graded)
    _check_learner_code_cannot_reach_outside_its_folder(graded)


def _grade_hostile_class(base):
    course = new_course(base / "course", [M], log=lambda *a: None)
    sub = course.submitted
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    targets = {
        "other_submission": str(sub / "control" / M / f"{M}.ipynb"),
        "solutions": str(course.source / M / f"{M}.ipynb"),
        "kit_solutions": str(H.Path(__file__).resolve().parents[1] / "solutions" / M / f"{M}.ipynb"),
        "gradebook": str(course.gradebook_path),
        "course": str(course.root),
        "data": str(data_dir()),
        "host_tmp_file": HOST_TMP,
        "port": listener.getsockname()[1],
        "secret_name": SECRET,
    }
    H._write(sub / "control" / M, H.full(course))
    for name, build in {
        "tamper-tests": H.tamper_tests,
        "recover": H.recover,
        "stuck": H.stuck,
        "kernel-dies": H.kernel_dies,
        "non-utf8": H.non_utf8,
        "wrong-name": H.wrong_name,
        **H.FILE_PROBLEMS,
    }.items():
        build(course, sub / name / M)
    H.probe(course, sub / "probe" / M, targets)
    os.environ[SECRET] = "do-not-leak"
    try:
        summary = autograde(course, workers=2, limits=LIMITS, progress=False, log=lambda *a: None)
        H.cpu_burner(course, sub / "cpu-burner" / M)  # second run: only the new submission is graded
        cpu = autograde(course, workers=1, limits=CPU_LIMITS, progress=False, log=lambda *a: None)
    finally:
        os.environ.pop(SECRET, None)
        listener.close()
    return course, summary, cpu


def _scores(course, student):
    with course.gradebook() as gb:
        nb = gb.find_submission_notebook(M, M, student)
        return {g.name: g.score for g in nb.grades if g.name.endswith("_tests")}


def _outputs(course, student, grade_id):
    nb = nbformat.read(course.autograded / student / M / f"{M}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)
    return cell.outputs


FULL = {
    "ex31_tests": 2,
    "ex32_tests": 3,
    "ex33_tests": 2,
    "ex34_tests": 1,
    "ex35_tests": 2,
    "ex36_tests": 2,
    "ex37_tests": 2,
    "ex38_tests": 2,
}
ZERO = dict.fromkeys(FULL, 0)


def _check_the_batch_goes_on_and_the_summary_says_what_happened(graded):
    course, summary, cpu = graded
    status = {o.student: o.status for o in summary.outcomes}
    assert status == {
        "control": "graded",
        "tamper-tests": "tampered",
        "recover": "timed out",
        "stuck": "timed out",
        "kernel-dies": "failed to run",
        "non-utf8": "graded",
        "wrong-name": "graded",
        "probe": "graded",
        "invalid-json": "failed to run",
        "not-notebook": "failed to run",
        "empty": "failed to run",
    }
    text = summary.text()
    for phrase in (
        "test cell ex31_tests was edited",
        "test cell ex32_tests was deleted",
        "ex33_tests appears 2 times",
        "ex34_tests was changed from code to markdown",
        "grading metadata of cell ex35_tests was edited",
        "grading metadata of cell ex36_tests was edited",
        "test cell ex37_tests was deleted",
        "answer cell ex38_answer was deleted",
        "ex31_answer ran past its time limit",
        "ex33_answer ran out of memory",
        "ex34_answer printed too much",
        "the kernel did not recover after ex31_answer was interrupted",
        "the kernel stopped while running ex34_answer: it exited with code 1",
        "is not valid JSON",
        "is JSON but not a Jupyter notebook",
        "is empty",
        "not UTF-8",
        "submitted as 'Copy of",
        "extra files not used for grading",
        "1 cell(s) had the id of another cell",
    ):
        assert phrase in text, phrase
    assert [(o.student, o.status) for o in cpu.outcomes] == [("cpu-burner", "failed to run")]
    assert "the CPU time limit was reached" in cpu.text()


def _check_no_points_that_were_not_earned(graded):
    course, _, _ = graded
    assert _scores(course, "control") == FULL
    assert _scores(course, "tamper-tests") == ZERO  # edited, deleted, copied, retyped tests all ran as written
    assert _scores(course, "recover") == {
        **ZERO,
        **{k: FULL[k] for k in ("ex35_tests", "ex36_tests", "ex37_tests", "ex38_tests")},
    }
    assert _scores(course, "kernel-dies") == {
        **ZERO,
        **{k: FULL[k] for k in ("ex31_tests", "ex32_tests", "ex33_tests")},
    }
    assert _scores(course, "stuck") == ZERO and _scores(course, "cpu-burner") == ZERO
    for student in ("invalid-json", "not-notebook", "empty", "probe"):
        assert _scores(course, student) == ZERO
    assert _scores(course, "non-utf8") == FULL and _scores(course, "wrong-name") == FULL


def _check_the_gradebook_stays_intact(graded):
    course, _, _ = graded
    with sqlite3.connect(course.gradebook_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with course.gradebook() as gb:
        assert gb.find_assignment(M).max_score == 16  # the edited points (100) never reached it
        submissions = gb.assignment_submissions(M)
        assert len(submissions) == len(KERNEL_RUNS) + len(H.FILE_PROBLEMS) + 1
        assert all(s.max_score == 16 and s.score <= 16 for s in submissions)


def _check_runaway_cells_are_stopped_by_the_limits(graded):
    course, _, _ = graded
    memory = "".join(o.get("text", "") for o in _outputs(course, "recover", "ex33_answer"))
    allocated = int(memory.split("allocated")[1].split("MB")[0])
    assert allocated < LIMITS.memory_mb  # memory: the allocation stopped below the limit
    assert "CellTimeoutError" in [
        o.ename for o in _outputs(course, "recover", "ex31_answer") if o.output_type == "error"
    ]
    assert [o.ename for o in _outputs(course, "recover", "ex32_answer") if o.output_type == "error"] == ["SystemExit"]
    assert (course.autograded / "recover" / M / f"{M}.ipynb").stat().st_size < 8 * 1024 * 1024  # the flood was cut
    after_stuck = _outputs(course, "stuck", "ex38_tests")  # wall time: the stuck kernel was stopped
    assert after_stuck[0].ename == "NotRun"
    with course.gradebook() as gb:  # CPU time: the burner's kernel died of it (SIGXCPU), and scored nothing for it
        assert gb.find_submission(M, "cpu-burner").score == 0


def _check_learner_code_cannot_reach_outside_its_folder(graded):
    course, _, _ = graded
    text = "".join(o.get("text", "") for o in _outputs(course, "probe", "ex31_answer"))
    found = json.loads(text.split(H.PROBE_MARK, 1)[1])
    for attempt in (
        "read_other_submission",
        "read_solutions",
        "read_kit_solutions",
        "read_gradebook",
        "list_course",
        "write_gradebook",
        "write_data",
        "write_course",
        "connect_local",
        "resolve_name",
        "connect_internet",
    ):
        assert found[attempt].startswith("denied"), (attempt, found[attempt])
    assert found["write_tmp"] == "allowed" and not os.path.exists(HOST_TMP)  # a private /tmp, gone with the kernel
    assert not (course.root / "probe.txt").exists() and not (data_dir() / "probe.txt").exists()
    assert found["secret_env"] == "absent"
    assert found["working_folder"] == [f"{M}.ipynb"]  # the submitted pandas.py and rotation_kit/ never got there
    assert found["memory_limit"] == LIMITS.memory_mb * 1024 * 1024 and found["cpu_limit"] == LIMITS.cpu_seconds
    assert "my_plan" in found["learner_home"] and not found["learner_home"].startswith(str(course.root))
    assert str(H.Path(__file__).resolve().parents[1]) not in found["learner_home"]


def test_without_a_sandbox_grading_works_and_warns_once(tmp_path, monkeypatch, capfd):
    course = new_course(tmp_path / "course", [M], log=lambda *a: None)
    H._write(course.submitted / "control" / M, H.full(course))
    H.wrong_name(course, course.submitted / "wrong-name" / M)
    monkeypatch.setenv(sandbox.SWITCH_ENV, "off")
    monkeypatch.setattr(sandbox, "_warned", False)
    sandbox.sandbox_problem.cache_clear()
    try:
        summary = autograde(course, workers=2, limits=LIMITS, progress=False, log=lambda *a: None)
    finally:
        sandbox.sandbox_problem.cache_clear()
    assert not summary.sandboxed and "sandbox: NONE" in summary.text()
    assert [o.status for o in summary.outcomes] == ["graded", "graded"]
    assert _scores(course, "control") == FULL and _scores(course, "wrong-name") == FULL
    assert capfd.readouterr().err.count("WITHOUT a sandbox") == 1
