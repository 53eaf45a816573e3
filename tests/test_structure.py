"""Structure of every source notebook: the rules that keep grading honest and feedback readable."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from support import ROOT

from rotation_kit.course import modules
from rotation_kit.course.cells import answer_ids, check_cell_ids, exercise_of, is_check, is_task, nbgrader_meta

MODULES = modules(ROOT)


def _source(module):
    return nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)


def test_course_has_modules():
    assert "03_where_to_rotate" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_every_answer_has_a_test_cell_with_hidden_tests(module):
    nb = _source(module)
    tests = {exercise_of(t): t for t in check_cell_ids(nb)}
    cells = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}
    for answer in answer_ids(nb):
        test = tests.get(exercise_of(answer))
        assert test, f"{module}: answer {answer} has no tests cell named {exercise_of(answer)}_tests"
        assert "### BEGIN HIDDEN TESTS" in cells[test].source, f"{module}: {test} has no hidden tests"
        assert float(nbgrader_meta(cells[test])["points"]) > 0


@pytest.mark.parametrize("module", MODULES)
def test_only_check_cells_are_tagged_raises_exception(module):
    """Run All goes on past a failing check (JupyterLab and nbclient honour the tag), and past nothing else."""
    nb = _source(module)
    tagged = {c.id for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])}
    checks = {c.id for c in nb.cells if is_check(c)}
    assert tagged == checks, f"{module}: untagged check cells {checks - tagged}, tagged others {tagged - checks}"


@pytest.mark.parametrize("module", MODULES)
def test_grade_ids_and_cell_ids_are_unique(module):
    nb = _source(module)
    grade_ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if "grade_id" in nbgrader_meta(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"duplicate grade ids in {module}"
    cell_ids = [c.id for c in nb.cells]
    assert len(cell_ids) == len(set(cell_ids)), f"duplicate cell ids in {module}"


@pytest.mark.parametrize("module", MODULES)
def test_header_states_objectives_and_time(module):
    header = _source(module).cells[0]
    assert header.cell_type == "markdown"
    text = header.source.lower()
    assert "estimated time" in text and "builds on" in text, f"{module}: header lacks time or builds-on"
    assert "you will be able to" in text or "objectives" in text, f"{module}: header lacks learning objectives"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_notebooks_are_committed_without_outputs(folder):
    for path in sorted((ROOT / folder).rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path} has outputs"


@pytest.mark.parametrize("module", MODULES)
def test_visible_tests_explain_failures(module):
    """No bare asserts: visible tests go through rotation_kit.runtime.checks so a failure says expected, got, hint."""
    nb = _source(module)
    for cell in nb.cells:
        if is_check(cell):
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert not re.search(r"^\s*assert\b", visible, re.M), f"{module}: bare assert in {cell.id}"
            assert "expect." in visible, f"{module}: {cell.id} does not use expect checks"


@pytest.mark.parametrize("module", MODULES)
def test_manual_tasks_carry_a_mark_scheme(module):
    for cell in _source(module).cells:
        if is_task(cell):
            assert "=== BEGIN MARK SCHEME ===" in cell.source and "=== END MARK SCHEME ===" in cell.source


@pytest.mark.parametrize("module", MODULES)
def test_learner_notebook_hides_solutions_tests_and_mark_schemes(module):
    learner = (ROOT / "notebooks" / module / f"{module}.ipynb").read_text(encoding="utf-8")
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
        assert secret not in learner, f"{module}: learner notebook contains {secret}"
