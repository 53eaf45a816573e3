"""The real nbgrader on the real notebooks: solutions score full marks, blanks zero, one exercise its own points."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest
from shared import build_once
from support import ROOT, autograde, scratch_course, submit

from rotation_kit.course import modules
from rotation_kit.course.cells import answer_ids, check_cell_ids, exercise_of, grade_id, is_answer, is_check
from rotation_kit.course.submissions import build_submission
from rotation_kit.runtime.checks import NO_ANSWER_YET

MODULES = modules(ROOT)


def near_miss(module):
    """The module's near-miss submission (tests/near_misses/<module>.py), or None."""
    path = Path(__file__).parent / "near_misses" / f"{module}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"near_miss_{module}", path)
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found


pytestmark = pytest.mark.pipeline


def _params():
    return [pytest.param(m, marks=pytest.mark.xdist_group(m), id=m) for m in MODULES]


def _grade_module(base, module):
    """Autograde the full solution, the untouched learner notebook, and one submission per exercise."""
    course = scratch_course(base, module)
    source = ROOT / "solutions" / module / f"{module}.ipynb"
    learner = ROOT / "notebooks" / module / f"{module}.ipynb"
    submit(course, module, "full", build_submission(learner, source))
    submit(course, module, "blank", nbformat.read(learner, as_version=4))
    answers = answer_ids(nbformat.read(source, as_version=4))
    for answer in answers:
        submit(course, module, f"only-{answer}", build_submission(learner, source, {answer}))
    near = near_miss(module)
    if near:
        nb = nbformat.read(learner, as_version=4)
        for cell in nb.cells:
            if is_answer(cell) and grade_id(cell) in near.ANSWERS:
                cell.source = near.ANSWERS[grade_id(cell)]
        submit(course, module, "near-miss", nb)
    full = course / "grading" / "autograded" / "full" / module / f"{module}.ipynb"
    return autograde(course, module), answers, check_cell_ids(nbformat.read(source, as_version=4)), str(full)


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """One autograde run per module for the whole test run, whichever xdist worker asks first."""

    def run(module):
        return build_once(tmp_path_factory, f"pipeline-{module}", lambda base: _grade_module(base, module))

    return run


@pytest.mark.parametrize("module", _params())
def test_solution_runs_top_to_bottom_in_a_fresh_kernel(module, graded):
    """nbgrader ran the solved notebook (hidden tests included) from the top in a new kernel: no cell errored."""
    *_, full = graded(module)
    autograded = nbformat.read(full, as_version=4)
    errors = [
        (cell.id, out.get("ename"), out.get("evalue"))
        for cell in autograded.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, f"cells that raised in the solved notebook: {errors}"


@pytest.mark.parametrize("module", _params())
def test_untouched_notebook_runs_top_to_bottom(module, graded):
    """Run All on the learner's untouched notebook: only check cells fail, each saying there is no answer yet.

    No NameError, TypeError, KeyError ... from a try-it cell or a later exercise the learner has not reached.
    """
    *_, full = graded(module)
    blank = nbformat.read(full.replace("/full/", "/blank/"), as_version=4)
    wrong, unanswered = [], []
    for cell in blank.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") != "error":
                continue
            if not is_check(cell) or out.get("ename") != "CheckFailed":
                wrong.append((cell.id, out.get("ename"), out.get("evalue", "")[:200]))
            elif NO_ANSWER_YET not in out.get("evalue", ""):
                unanswered.append((cell.id, out.get("evalue", "")[:200]))
    assert not wrong, f"cells other than check cells raised in the untouched notebook: {wrong}"
    assert not unanswered, f"check cells that do not say {NO_ANSWER_YET!r} for an untouched answer: {unanswered}"


@pytest.mark.parametrize("module", _params())
def test_solution_scores_full_marks(module, graded):
    scores, _, tests, _ = graded(module)
    short = {t: scores["full"][t] for t in tests if scores["full"][t][0] != scores["full"][t][1]}
    assert not short, f"solution lost points in {short}"


@pytest.mark.parametrize("module", _params())
def test_blank_submission_scores_zero(module, graded):
    scores, _, tests, _ = graded(module)
    earned = {t: scores["blank"][t] for t in tests if scores["blank"][t][0] != 0}
    assert not earned, f"an unanswered notebook earned points in {earned}"


@pytest.mark.parametrize("module", _params())
def test_one_exercise_earns_exactly_its_points(module, graded):
    scores, answers, tests, _ = graded(module)
    wrong = {}
    for answer in answers:
        student = scores[f"only-{answer}"]
        for test in tests:
            score, maximum = student[test]
            expected = maximum if exercise_of(test) == exercise_of(answer) else 0
            if score != expected:
                wrong[(answer, test)] = (score, expected)
    assert not wrong, f"(solved answer, test cell): (score, expected) = {wrong}"


@pytest.mark.parametrize("module", [p for p in _params() if near_miss(p.values[0])])
def test_a_near_miss_earns_part_of_the_points(module, graded):
    """Points split over several check cells: right on one idea, wrong on another, earns exactly that part."""
    scores, *_ = graded(module)
    expected = near_miss(module).EXPECTED
    got = {cell: scores["near-miss"][cell][0] for cell in expected}
    assert got == expected
    possible = sum(scores["near-miss"][cell][1] for cell in expected)
    assert 0 < sum(got.values()) < possible, "a near miss should earn some, not all, of the exercise's points"
