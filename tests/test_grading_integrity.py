"""No credit for the kit's own answers, flags for what an instructor should see, and every path the safe one.

Fast part: the grader's scan of the notebook source and the checks' run-time look at a learner's
function, for every module with function exercises, every exercise, and every way of reaching the
kit's reference in tests/hostile.py (DELEGATIONS); honest notebooks (solved, blank, solved later
exercises only) are never caught.

Pipeline part (real nbgrader, one test: the steps share two expensive grading runs): one scratch
course with every module; per module a notebook whose every function exercise reaches the kit's
reference (the ways cycle across modules), plus, in module 03, a solved control, a learner who
solved only the later exercises (the kit's fallbacks stand in for the earlier ones), and one
submission per kind of flag. `rotation-kit grade autograde` and plain `nbgrader autograde` (the
command the formgrader's button runs, with the kit's nbgrader_config.py) grade the same files; the
grades, zeros and flags must be the same.
"""

from __future__ import annotations

import copy
import functools
import importlib
import shutil

import nbformat
import pytest

import hostile as H
from rotation_kit.commands.grade import sandbox
from rotation_kit.commands.grade.autograde import Limits, autograde
from rotation_kit.commands.grade.demo import new_course
from rotation_kit.commands.grade.integrity import FLAG_KINDS, lesson_modules, notebook_cells, read_flags, scan
from rotation_kit.course import Course, run_nbgrader
from rotation_kit.course.cells import nbgrader_meta
from rotation_kit.course.submissions import build_submission
from rotation_kit.runtime.checks import CheckFailed, expect
from support import ROOT

MODULES = sorted(p.name for p in (ROOT / "notebooks").iterdir()
                 if (p / f"{p.name}.ipynb").is_file()
                 and H.function_exercises(nbformat.read(p / f"{p.name}.ipynb", as_version=4)))
M = H.MODULE


@functools.lru_cache(maxsize=None)
def _read(path):
    return nbformat.read(path, as_version=4)


def _release(module):
    return copy.deepcopy(_read(ROOT / "notebooks" / module / f"{module}.ipynb"))


def _source(module):
    return copy.deepcopy(_read(ROOT / "solutions" / module / f"{module}.ipynb"))


@functools.lru_cache(maxsize=None)
def _built(module, solve):
    return build_submission(ROOT / "notebooks" / module / f"{module}.ipynb",
                            ROOT / "solutions" / module / f"{module}.ipynb", set(solve) if solve is not None else None)


def _solved(module, solve=None):
    return copy.deepcopy(_built(module, tuple(sorted(solve)) if solve is not None else None))


def _scan(nb, module):
    """The grader's scan, on the notebook as nbgrader runs it (protected cells as in the source, hidden tests too)."""
    source = _source(module)
    originals = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("locked")}
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in originals:
            cell.source = originals[gid]
    exercises = {gid.rsplit("_", 1)[0]: name for gid, name in H.function_exercises(source).items()}
    cells = notebook_cells(nb)
    return scan(cells, exercises, lesson_modules(cells))


def test_every_module_has_function_exercises_to_protect():
    assert len(MODULES) == 10


# -- the grader's scan of the source --------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
def test_honest_notebooks_are_never_caught(module):
    release = _release(module)
    answers = list(H.function_exercises(release))
    later = set(answers[len(answers) // 2:])  # the earlier exercises skipped: the kit's fallbacks stand in
    for nb in (_solved(module), release, _solved(module, later)):
        result = _scan(nb, module)
        assert result.delegating == {} and not [f for f in result.flags if f.kind == "kit-answer"]


@pytest.mark.parametrize("how", sorted(H.DELEGATIONS))
@pytest.mark.parametrize("module", MODULES)
def test_each_way_of_reaching_the_kits_answer_is_caught_from_the_source(module, how):
    source = _source(module)
    for answer_id, name in H.function_exercises(source).items():
        nb = _solved(module)
        H.delegate(nb, source, answer_id, how)
        exercise = answer_id.rsplit("_", 1)[0]
        result = _scan(nb, module)
        assert set(result.delegating) == {exercise}, (answer_id, result.delegating)
        flag = next(f for f in result.flags if f.kind == "kit-answer")
        assert flag.exercise == exercise and name in flag.what and "scores 0" in flag.what


@pytest.mark.parametrize("kind", sorted(H.FLAGGED))
def test_each_hostile_kind_is_named_from_the_source(kind):
    nb = _solved(M)
    H._cell(nb, "ex31_answer").source = H.FLAGGED[kind]
    result = _scan(nb, M)
    wanted = "exit" if kind == "kernel-died" else kind  # a kernel killed by os._exit shows at run time too
    assert any(f.kind == wanted and f.where == "ex31_answer" for f in result.flags), result.flags
    assert result.delegating == {} and set(FLAG_KINDS) >= {f.kind for f in result.flags}


# -- what the checks see at run time ----------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _after_setup(module):
    namespace = {"__name__": "__main__"}
    exec(compile(H._setup_source(_source(module)), "/tmp/ipykernel_0/setup.py", "exec"), namespace)
    return namespace


def _define(module, answer_id, how):
    """Run a delegating answer as a notebook would (a namespace with the setup cell run first)."""
    source = _source(module)
    name = H.function_exercises(source)[answer_id]
    module_name, ref = H.reference(source, answer_id)
    answer, before = H.DELEGATIONS[how](name, module_name, ref)
    namespace = dict(_after_setup(module))
    for code in (before, answer):
        exec(compile(code, "/tmp/ipykernel_0/cell.py", "exec"), namespace)
    reference = getattr(importlib.import_module(module_name), ref)
    return namespace[name], name, (reference if ref != name else None)


@pytest.mark.parametrize("how", sorted(H.DELEGATIONS))
@pytest.mark.parametrize("module", MODULES)
def test_each_way_is_caught_by_the_check_at_run_time(module, how):
    for answer_id in H.function_exercises(_source(module)):
        func, name, reference = _define(module, answer_id, how)
        with pytest.raises(CheckFailed, match="is your own code"):
            expect.own_function(func, name=name, reference=reference)


@pytest.mark.parametrize("module", MODULES)
def test_the_model_answers_pass_the_run_time_check(module):
    """The reference is the model answer: the same code typed into a cell is the learner's own."""
    source = _source(module)
    namespace = dict(_after_setup(module))
    for answer_id, name in H.function_exercises(source).items():
        cell = H._cell(_solved(module), answer_id)
        exec(compile(cell.source, f"/tmp/ipykernel_0/{answer_id}.py", "exec"), namespace)
        module_name, ref = H.reference(source, answer_id)
        reference = getattr(importlib.import_module(module_name), ref) if ref != name else None
        expect.own_function(namespace[name], name=name, reference=reference)


# -- the real pipeline: the kit's command and plain nbgrader ----------------------------------------

LIMITS = Limits()  # the defaults, which plain nbgrader gets from nbgrader_config.py and the kit's classes


def _class(base):
    course = new_course(base / "course", MODULES, log=lambda *a: None)
    used = {}
    for position, module in enumerate(MODULES):
        nb, used[module] = H.kit_answers(course, module, offset=position)
        H._write(course.submitted / "kit-answers" / module, nb, name=f"{module}.ipynb")
    H._write(course.submitted / "control" / M, H.full(course))
    later = list(H.function_exercises(nbformat.read(course.source / M / f"{M}.ipynb", as_version=4)))[-2:]
    H._write(course.submitted / "later-only" / M, build_submission(
        course.release / M / f"{M}.ipynb", course.source / M / f"{M}.ipynb", set(later)))
    for kind in H.FLAGGED:
        H.flagged(course, course.submitted / kind / M, kind)
    # Plain nbgrader grades a copy of the same files, with the kit's own nbgrader_config.py.
    plain = base / "plain"
    shutil.copytree(course.root, plain, ignore=shutil.ignore_patterns(".kit"))
    summary = autograde(course, workers=2, limits=LIMITS, progress=False, log=lambda *a: None)
    for module in MODULES:
        result = run_nbgrader(["autograde", module, "--create", "--force"], cwd=plain, check=False, timeout=1800)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course, Course.at(plain), summary, used, later


def _grades(course):
    found = {}
    with course.gradebook() as gb:
        for module in MODULES:
            for submission in gb.assignment_submissions(module):
                nb = gb.find_submission_notebook(module, module, submission.student.id)
                found[(module, submission.student.id)] = {g.name: g.score for g in nb.grades}
    return found


@pytest.mark.pipeline
@pytest.mark.xdist_group("grading-integrity")
def test_kit_answers_and_hostile_kinds_through_the_kit_and_plain_nbgrader(tmp_path):
    problem = sandbox.sandbox_problem()
    if problem:
        pytest.skip(problem)  # tests/test_grading_hostile.py fails under CI without bubblewrap
    course, plain, summary, used, later = _class(tmp_path)
    kit_grades, plain_grades = _grades(course), _grades(plain)

    # Every path is the safe path: plain nbgrader with the kit's config grades exactly as the kit's command.
    assert kit_grades == plain_grades
    kit_flags, plain_flags = read_flags(course), read_flags(plain)
    assert kit_flags == plain_flags

    for module in MODULES:
        release = nbformat.read(course.release / module / f"{module}.ipynb", as_version=4)
        tests = {nbgrader_meta(c)["grade_id"] for c in release.cells
                 if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")}
        exercises = {a.rsplit("_", 1)[0] for a in used[module]}
        scores = kit_grades[(module, "kit-answers")]
        for test in tests:
            if test.rsplit("_", 1)[0] in exercises:  # no credit for any way of reaching the kit's answer...
                assert scores[test] == 0, (module, test, used[module])
        flagged = {f.exercise for f in kit_flags[(module, "kit-answers")] if f.kind == "kit-answer"}
        assert exercises <= flagged, (module, exercises - flagged)  # ...and each one named for review

    control = kit_grades[(M, "control")]
    assert sum(v for k, v in control.items() if k.endswith("_tests")) == 16 and (M, "control") not in kit_flags
    later_only = kit_grades[(M, "later-only")]  # the kit's fallbacks stand in for the skipped exercises
    for answer in later:
        assert later_only[answer.replace("_answer", "_tests")] == control[answer.replace("_answer", "_tests")] > 0
    assert (M, "later-only") not in kit_flags

    # Each hostile kind is named with what was seen, and no flag changes a grade.
    for kind in H.FLAGGED:
        kinds = {f.kind for f in kit_flags[(M, kind)]}
        assert kind in kinds, (kind, kit_flags[(M, kind)])
        if kind != "kernel-died":  # a dead kernel stops the notebook: the later tests do not run
            assert {k: v for k, v in kit_grades[(M, kind)].items() if k != "ex31_tests"} == \
                   {k: v for k, v in control.items() if k != "ex31_tests"}
    seen = {f.what for f in kit_flags[(M, "leftover-process")]}
    assert any("still running when the notebook ended" in w for w in seen)
    assert any("exited with code 3" in f.what for f in kit_flags[(M, "kernel-died")])
    text = summary.text()
    assert "Flagged for review" in text and "kit-answer:" in text and "equality-trick:" in text
