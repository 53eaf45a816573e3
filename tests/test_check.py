"""`rotation-kit check`: a learner's copy anywhere on disk gets per-exercise results, hints and a next step."""

from __future__ import annotations

import os
import re
import shutil

import nbformat
import pytest
from support import ROOT

from rotation_kit import cli
from rotation_kit.commands.check import (
    NotAKitNotebook,
    check_notebook,
    exercise_label,
    identify,
    read_notebook,
    resolve,
)
from rotation_kit.course.submissions import build_submission
from rotation_kit.runtime.checks import CheckFailed, failed_parts, report_parts_as_data
from rotation_kit.runtime.paths import temporary_env

MODULE = "03_where_to_rotate"
LEARNER = ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb"
SOURCE = ROOT / "solutions" / MODULE / f"{MODULE}.ipynb"
WRONG_ANSWER = "def img_friendliness(program, needs_visa, has_usce):\n    return 2.0\n"
BROKEN_ANSWER = "def geography_fit(state, tie_states):\n    return 1.0 if state in tie_states else\n"


def executes(test):
    """Runs the notebook in a kernel (nbgrader's validator): slower, so kept out of `make test-fast`."""
    return pytest.mark.pipeline(pytest.mark.xdist_group("selfcheck")(test))


def _with_answers(solve: set[str], replace: dict[str, str] | None = None):
    nb = build_submission(LEARNER, SOURCE, solve)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (replace or {}):
            cell.source = replace[grade_id]
    return nb


@pytest.fixture(scope="module")
def saved_work(tmp_path_factory):
    """The learner's saved plan folder (ROTATION_KIT_HOME), with a profile saved by module 00."""
    home = tmp_path_factory.mktemp("my_plan")
    (home / "profile.json").write_text('{"kind": "value", "value": {"name": "Ada"}}', encoding="utf-8")
    return home


@pytest.fixture(scope="module")
def partly_done(tmp_path_factory, saved_work):
    """A renamed copy, outside the kit: 3.2 and 3.5 solved, 3.3 wrong, 3.4 does not even run, the rest untouched."""
    folder = tmp_path_factory.mktemp("Desktop") / "rotation course"
    folder.mkdir()
    path = folder / "my copy of module 3.ipynb"
    nbformat.write(
        _with_answers({"ex32_answer", "ex35_answer"}, {"ex33_answer": WRONG_ANSWER, "ex34_answer": BROKEN_ANSWER}), path
    )
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(saved_work)))
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        report = check_notebook(path)
    return path, report, before


def _by_label(report):
    return {e.label: e for e in report.exercises}


@executes
def test_a_renamed_copy_elsewhere_is_recognised_as_its_module(partly_done):
    _, report, _ = partly_done
    assert report.module == MODULE
    assert report.title.startswith("Where to rotate")
    assert report.next_module and report.next_module > MODULE


@executes
def test_each_exercise_gets_passed_or_not_and_its_points(partly_done):
    _, report, _ = partly_done
    ex = _by_label(report)
    assert (ex["Exercise 3.2"].status, ex["Exercise 3.2"].earned, ex["Exercise 3.2"].possible) == ("passed", 3, 3)
    assert (ex["Exercise 3.5"].status, ex["Exercise 3.5"].earned, ex["Exercise 3.5"].possible) == ("passed", 2, 2)
    assert (ex["Exercise 3.3"].status, ex["Exercise 3.3"].earned) == ("failed", 0)
    assert (ex["Exercise 3.1"].status, ex["Exercise 3.1"].earned, ex["Exercise 3.1"].possible) == ("unanswered", 0, 2)
    assert ex["Exercise 3.9"].manual and ex["Exercise 3.9"].possible == 4
    assert report.points() == (5, 16)
    assert not report.all_passed


@executes
def test_a_wrong_answer_gets_the_first_hint_of_its_check(partly_done):
    _, report, _ = partly_done
    wrong = _by_label(report)["Exercise 3.3"]
    tests = next(
        c.source
        for c in nbformat.read(LEARNER, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "ex33_tests"
    )
    assert wrong.hint and wrong.hint[:30] in tests, "the hint comes from the check cell's own hint="
    assert "2.0" in wrong.got
    text = report.text()
    assert re.search(r"Exercise 3\.3\s+not yet\s+0 / 2 points", text)
    assert "Hint: " + " ".join(wrong.hint.split()[:3]) in text


@executes
def test_an_answer_that_does_not_run_is_named_before_its_check(partly_done):
    _, report, _ = partly_done
    broken = _by_label(report)["Exercise 3.4"]
    assert broken.status != "passed"
    assert broken.answer_error.startswith("SyntaxError")
    assert "Your answer cell stopped with SyntaxError" in report.text()


@executes
def test_the_next_step_names_the_first_exercise_to_work_on(partly_done):
    path, report, _ = partly_done
    text = report.text()
    assert "Next: write your answer to Exercise 3.1" in text
    assert f"    rotation-kit check '{path}'" in text.splitlines()
    assert "graded by a person" in text


@executes
def test_the_check_changes_neither_the_notebook_nor_the_saved_plan(partly_done, saved_work):
    path, _, (content, mtime, saved) = partly_done
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(saved_work)) == saved, "module 03 saves a shortlist; the check must not"


@executes
def test_a_finished_notebook_passes_and_points_to_the_next_module(tmp_path, capsys):
    path = tmp_path / "done.ipynb"
    nbformat.write(_with_answers(None), path)
    status = cli.main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Autograded exercises passed: 8 of 8; points on the visible checks: 16 of 16." in out
    assert "Then go on to module" in out


def _kit_with_my_copy(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(ROOT / "solutions" / MODULE, kit / "solutions" / MODULE)
    mine = kit / "my_work" / MODULE / f"{MODULE}.ipynb"
    mine.parent.mkdir(parents=True)
    nbformat.write(_with_answers(None), mine)
    return kit, mine


@executes
def test_a_module_id_checks_the_learners_copy_in_my_work(tmp_path):
    kit, mine = _kit_with_my_copy(tmp_path)
    report = check_notebook(MODULE, base=kit)
    assert report.path == mine.resolve() and report.all_passed
    assert "your plan is saved in my_work/my_plan/" in report.text()  # the only module in this kit


def test_a_module_id_or_its_number_means_the_copy_in_my_work_and_a_path_means_itself(tmp_path, monkeypatch):
    kit, mine = _kit_with_my_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert resolve(MODULE, kit) == resolve("03", kit) == mine
    assert resolve(str(mine), kit) == mine
    assert resolve("notes.ipynb", kit) == __import__("pathlib").Path("notes.ipynb")  # read_notebook says it is missing
    shutil.rmtree(kit / "my_work")
    with pytest.raises(NotAKitNotebook, match="no copy of module 03_where_to_rotate in my_work/ yet.*make lab"):
        resolve("03", kit)


# -- refusing what is not a kit notebook (no kernel needed) ------------------------------------------


def test_a_file_that_is_not_a_notebook_is_refused(capsys):
    assert cli.main(["check", str(ROOT / "README.md")]) == 2
    assert "is not a notebook" in capsys.readouterr().err


def test_a_missing_path_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(NotAKitNotebook, match="no file at"):
        read_notebook(tmp_path / "nowhere.ipynb")


def test_a_broken_notebook_file_is_refused(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(NotAKitNotebook, match="could not be read as a notebook"):
        read_notebook(bad)


def test_a_folder_with_one_notebook_means_that_notebook(tmp_path):
    nbformat.write(nbformat.read(LEARNER, as_version=4), tmp_path / "x.ipynb")
    path, _ = read_notebook(tmp_path)
    assert path.name == "x.ipynb"


def test_a_notebook_without_exercises_is_refused(tmp_path):
    plain = tmp_path / "Untitled.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(nb, plain)
    assert cli.main(["check", str(plain)]) == 2
    with pytest.raises(NotAKitNotebook, match="no nbgrader exercise cells"):
        identify(nb, {MODULE: nbformat.read(SOURCE, as_version=4)})


def test_another_courses_nbgrader_notebook_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert True")])
    nb.cells[0].metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "grade_id": "problem1_test",
        "points": 1,
        "locked": True,
        "schema_version": 3,
    }
    with pytest.raises(NotAKitNotebook, match="match none of the kit's modules"):
        identify(nb, {MODULE: nbformat.read(SOURCE, as_version=4)})


def test_each_module_notebook_is_recognised_as_itself():
    from rotation_kit.commands.check import _sources

    sources = _sources(ROOT)
    for module in sources:
        path = ROOT / "notebooks" / module / f"{module}.ipynb"
        if not path.exists():  # a module being written, not built yet
            continue
        learner = nbformat.read(path, as_version=4)
        assert identify(learner, sources) == module


def test_a_kit_handed_out_without_solutions_still_recognises_its_notebooks(tmp_path):
    from rotation_kit.commands.check import _sources

    shutil.copytree(ROOT / "notebooks" / MODULE, tmp_path / "notebooks" / MODULE)
    assert identify(nbformat.read(LEARNER, as_version=4), _sources(tmp_path)) == MODULE


# -- reading check messages ------------------------------------------------------------------------


def test_a_failed_check_hands_its_parts_to_the_self_check_as_data():
    failure = CheckFailed("score(x)", "a number between 0 and 1", "2.0 (float)\nover two lines", "Divide by 11.")
    want = {
        "what": "score(x)",
        "expected": "a number between 0 and 1",
        "got": "2.0 (float)\nover two lines",
        "hint": "Divide by 11.",
    }
    assert failure.parts() == want
    report_parts_as_data()  # what the self-check's kernel does (PARTS_ENV)
    try:
        output = nbformat.v4.new_output(
            "error", ename="CheckFailed", evalue=str(failure), traceback=failure._render_traceback_()
        )
    finally:
        del CheckFailed._render_traceback_
    assert failed_parts(output) == want
    plain = nbformat.v4.new_output("error", ename="CheckFailed", evalue=str(failure), traceback=["Traceback ..."])
    assert failed_parts(plain) is None and not hasattr(failure, "_render_traceback_")


def test_exercise_ids_read_as_the_notebooks_call_them():
    assert exercise_label("ex32") == "Exercise 3.2"
    assert exercise_label("ex01") == "Exercise 0.1"
    assert exercise_label("ex310") == "Exercise 3.10"
    assert exercise_label("intro") == "intro"
