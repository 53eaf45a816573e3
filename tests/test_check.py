"""`rotation-kit check`: a learner's copy anywhere on disk gets per-exercise results, hints, the further
checks when solutions/ is beside the kit, and a next step."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from practice_course import LAB, MODULE, learner_copy, practice_kit
from support import ROOT

from rotation_kit import cli
from rotation_kit.commands.check import (
    STATUS_WORDS,
    NotAKitNotebook,
    check_notebook,
    exercise_label,
    identify,
    read_notebook,
    resolve,
)
from rotation_kit.runtime.checks import NO_ANSWER_YET, NOT_ANSWERED, CheckFailed, failed_parts, report_parts_as_data
from rotation_kit.runtime.paths import temporary_env


def executes(test):
    """Runs nbgrader (the practice course's build) or the notebook in a kernel (nbgrader's validator):
    slower, so kept out of `make test-fast`."""
    return pytest.mark.pipeline(pytest.mark.xdist_group("selfcheck")(test))


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A kit with one small practice module and its code lab (tests/practice_course.py), learner
    notebooks built by nbgrader: these tests do not depend on a real module's current exercises."""
    return practice_kit(tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def saved_work(tmp_path_factory):
    """The learner's saved plan folder (ROTATION_KIT_HOME), with a profile saved by module 00."""
    home = tmp_path_factory.mktemp("my_plan")
    (home / "profile.json").write_text('{"kind": "value", "value": {"name": "Ada"}}', encoding="utf-8")
    return home


def _check(kit, saved_work, folder, nb, name="my copy of the practice module.ipynb"):
    path = folder / name
    nbformat.write(nb, path)
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        return path, check_notebook(path, base=kit)


@pytest.fixture(scope="module")
def partly_done(kit, saved_work, tmp_path_factory):
    """A renamed copy outside the kit: 9.1 passes its visible checks but not the further one, 9.2 is
    half right (split points), 9.3 is written. The full kit (solutions/ beside it) runs the further checks."""
    folder = tmp_path_factory.mktemp("Desktop") / "rotation course"
    folder.mkdir()
    nb = learner_copy(kit, MODULE, {"ex91_answer": "my_count = 9", "ex92_answer": 'my_choice = "c"'})
    path = folder / "my copy of the practice module.ipynb"
    nbformat.write(nb, path)
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(saved_work)), sorted(os.listdir(folder)))
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        report = check_notebook(path, base=kit)
    return path, report, before


def _by_label(report):
    return {e.label: e for e in report.exercises}


def _hidden_code(kit, module=MODULE) -> list[str]:
    """The lines of the source's hidden tests (what the report must never show)."""
    source = nbformat.read(kit / "solutions" / module / f"{module}.ipynb", as_version=4)
    lines = []
    for cell in source.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            lines += [line.strip() for line in hidden.splitlines() if len(line.strip()) > 12]
    assert lines
    return lines


@executes
def test_a_renamed_copy_elsewhere_is_recognised_as_its_module(partly_done):
    _, report, _ = partly_done
    assert report.module == MODULE and report.title == "Practice"
    assert report.code_lab == LAB and report.code_lab_of is None


@executes
def test_each_exercise_gets_its_points_and_split_points_give_partial_credit(partly_done):
    _, report, _ = partly_done
    ex = _by_label(report)
    assert (ex["Exercise 9.1"].status, ex["Exercise 9.1"].earned, ex["Exercise 9.1"].possible) == ("passed", 2, 2)
    assert (ex["Exercise 9.2"].status, ex["Exercise 9.2"].earned, ex["Exercise 9.2"].possible) == ("failed", 1, 2)
    assert ex["Exercise 9.3/written"].manual if "Exercise 9.3/written" in ex else ex["Exercise 9.3"].manual
    assert report.points() == (3, 4)
    assert not report.all_passed


@executes
def test_a_further_check_on_other_data_is_named_with_its_message_not_its_code(partly_done, kit):
    _, report, _ = partly_done
    count = _by_label(report)["Exercise 9.1"]
    assert count.visible_passed and not count.passed
    assert count.further == "the count against the rule for a learner with no US experience"
    assert (count.further_expected, count.further_got) == ("at most 4 rotations", "9 rotations")
    text = report.text()
    assert "Passes the visible checks; a further check on other data fails: the count against" in text
    assert "Got: 9 rotations" in text and "Hint: More than four rotations" in text
    assert re.search(r"Exercise 9\.1\s+visible checks pass\s+2 / 2 points", text)
    assert "With the further checks on other data (run from solutions/ beside your kit): 1 of 4" in " ".join(
        text.split()
    ).replace(" points", "")
    for line in _hidden_code(kit):
        assert line not in text, f"the report shows hidden test code: {line}"
    assert "Next: work on Exercise 9.1: it passes the visible checks but not a further check" in " ".join(text.split())


@executes
def test_a_wrong_answer_gets_the_hint_of_the_check_that_failed(partly_done, kit):
    _, report, _ = partly_done
    wrong = _by_label(report)["Exercise 9.2"]
    assert wrong.hint == "Which option comes first in the guide?" and "'c'" in wrong.got
    assert not wrong.further, "further checks run only for exercises that pass their visible checks"
    assert re.search(r"Exercise 9\.2\s+not yet\s+1 / 2 points", report.text())


@executes
def test_the_check_changes_neither_the_notebook_nor_its_folder_nor_the_saved_plan(partly_done, saved_work):
    path, _, (content, mtime, saved, beside) = partly_done
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(path.parent)) == beside, "the further checks run in a temporary folder"
    assert sorted(os.listdir(saved_work)) == saved


@executes
def test_in_a_cohort_without_solutions_the_further_checks_are_left_to_grading(kit, saved_work, tmp_path):
    cohort = tmp_path / "cohort kit"
    shutil.copy(kit / "nbgrader_config.py", cohort.mkdir() or cohort / "nbgrader_config.py")
    shutil.copytree(kit / "notebooks", cohort / "notebooks")
    nb = learner_copy(kit, MODULE, {"ex91_answer": "my_count = 9"}, {"ex92_answer"})
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, path)
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        report = check_notebook(path, base=cohort)
    assert not report.further_run and report.all_passed and report.points() == (4, 4)
    text = report.text()
    assert "Further checks on other data run when your work is graded." in text
    assert "a further check on other data fails" not in text


@executes
def test_a_finished_notebook_passes_the_further_checks_too(kit, saved_work, tmp_path, capsys):
    path = tmp_path / "done.ipynb"
    nbformat.write(learner_copy(kit, MODULE, solve=None), path)
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        report = check_notebook(path, base=kit)
    assert report.all_passed and report.further_run and report.further_points() == 4, report.text()
    text = " ".join(report.text().split())
    assert "Autograded exercises passing the visible checks: 2 of 2; points on the visible checks: 4 of 4." in text
    assert "every autograded exercise passes its visible checks and the further checks" in text
    assert f"optional code lab is my_work/{LAB}/{LAB}.ipynb" in text


@executes
@pytest.mark.parametrize("stub", ["...", "raise NotImplementedError()"], ids=["dots", "old_stub"])
def test_an_untouched_answer_says_no_answer_yet_with_either_stub(kit, saved_work, tmp_path, stub):
    answers = {"ex91_answer": f"my_count = ...\n{stub}" if stub == "..." else f"# YOUR CODE HERE\n{stub}"}
    _, report = _check(kit, saved_work, tmp_path, learner_copy(kit, MODULE, answers))
    ex = _by_label(report)
    assert ex["Exercise 9.1"].status == "unanswered" and ex["Exercise 9.2"].status == "unanswered"
    assert ex["Exercise 9.1"].hint == NOT_ANSWERED
    text = report.text()
    assert re.search(r"Exercise 9\.1\s+no answer yet\s+0 / 2 points", text)
    assert NO_ANSWER_YET == STATUS_WORDS["unanswered"]
    assert "Next: write your answer to Exercise 9.1 in place of each `...`" in " ".join(text.split())
    assert "Further checks on other data (from solutions/ beside your kit) run for each exercise once it passes" in (
        " ".join(text.split())
    )


@executes
def test_an_answer_that_does_not_run_is_named_before_its_check(kit, saved_work, tmp_path):
    _, report = _check(kit, saved_work, tmp_path, learner_copy(kit, MODULE, {"ex91_answer": "my_count = 3 +"}))
    broken = _by_label(report)["Exercise 9.1"]
    assert broken.status != "passed" and broken.answer_error.startswith("SyntaxError")
    assert "Your answer cell stopped with SyntaxError" in report.text()


@executes
def test_a_code_lab_is_reported_apart_from_the_main_path(kit, saved_work, tmp_path):
    wrong = {"ex91_answer": "def double(x):\n    return 4 if x == 2 else 0"}
    _, report = _check(kit, saved_work, tmp_path, learner_copy(kit, LAB, wrong), name="lab.ipynb")
    assert report.module == LAB and report.code_lab_of == MODULE
    lab = _by_label(report)["Lab exercise 9.1"]
    assert lab.visible_passed and lab.further == "double(-3)" and lab.further_got == "0 (int)"
    text = " ".join(report.text().split())
    assert "This is the optional code lab of module 09_practice: its points never count toward the main path" in text
    assert "Code lab (optional) exercises passing the visible checks: 1 of 1" in text
    assert "These are code lab points, kept apart from the main path's." in text
    for line in _hidden_code(kit, LAB):
        assert line not in text


def _kit_with_my_copy(kit, tmp_path):
    mine_kit = tmp_path / "kit"
    shutil.copytree(kit / "solutions" / MODULE, mine_kit / "solutions" / MODULE)
    shutil.copy(kit / "nbgrader_config.py", mine_kit / "nbgrader_config.py")
    mine = mine_kit / "my_work" / MODULE / f"{MODULE}.ipynb"
    mine.parent.mkdir(parents=True)
    nbformat.write(learner_copy(kit, MODULE, solve=None), mine)
    return mine_kit, mine


@executes
def test_a_module_id_checks_the_learners_copy_in_my_work(kit, saved_work, tmp_path):
    mine_kit, mine = _kit_with_my_copy(kit, tmp_path)
    with temporary_env(ROTATION_KIT_HOME=str(saved_work)):
        report = check_notebook(MODULE, base=mine_kit)
    assert report.path == mine.resolve() and report.all_passed
    assert "your plan is saved in my_work/my_plan/" in report.text()  # the only module in this kit


@executes
def test_a_module_id_or_its_number_means_the_copy_in_my_work_and_a_path_means_itself(kit, tmp_path, monkeypatch):
    mine_kit, mine = _kit_with_my_copy(kit, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert resolve(MODULE, mine_kit) == resolve("09", mine_kit) == mine
    assert resolve(str(mine), mine_kit) == mine
    assert resolve("notes.ipynb", mine_kit) == Path("notes.ipynb")  # read_notebook says it is missing
    shutil.rmtree(mine_kit / "my_work")
    with pytest.raises(NotAKitNotebook, match="no copy of module 09_practice in my_work/ yet.*make lab"):
        resolve("09", mine_kit)


@executes
def test_with_further_checks_puts_the_hidden_tests_into_a_copy_the_nbgrader_way(kit, tmp_path):
    from rotation_kit.commands.check import with_further_checks

    learner = learner_copy(kit, MODULE)
    before = nbformat.writes(learner)
    source = nbformat.read(kit / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    copy = with_further_checks(learner, source, MODULE, tmp_path, kit)
    assert nbformat.writes(learner) == before, "the learner's notebook is not changed"
    checks = {c.metadata["nbgrader"]["grade_id"]: c.source for c in copy.cells if "nbgrader" in c.metadata}
    assert "### BEGIN HIDDEN TESTS" in checks["ex91_tests"]
    assert checks["ex91_answer"] == "my_count = ...\n...", "answer cells stay the learner's"


# -- refusing what is not a kit notebook (no kernel needed) ------------------------------------------


def _any_real_module() -> dict:
    from rotation_kit.course import main_modules

    first = main_modules(ROOT)[0]
    return {first: nbformat.read(ROOT / "solutions" / first / f"{first}.ipynb", as_version=4)}


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
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "x.ipynb")
    path, _ = read_notebook(tmp_path)
    assert path.name == "x.ipynb"


def test_a_notebook_without_exercises_is_refused(tmp_path):
    plain = tmp_path / "Untitled.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(nb, plain)
    assert cli.main(["check", str(plain)]) == 2
    with pytest.raises(NotAKitNotebook, match="no nbgrader exercise cells"):
        identify(nb, _any_real_module())


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
        identify(nb, _any_real_module())


def test_each_module_notebook_is_recognised_as_itself():
    from rotation_kit.commands.check import _sources

    sources = _sources(ROOT)
    for module in sources:
        path = ROOT / "notebooks" / module / f"{module}.ipynb"
        if not path.exists():  # a module being written, not built yet
            continue
        learner = nbformat.read(path, as_version=4)
        assert identify(learner, sources) == module


@executes
def test_a_kit_handed_out_without_solutions_still_recognises_its_notebooks(kit, tmp_path):
    from rotation_kit.commands.check import _sources

    shutil.copytree(kit / "notebooks", tmp_path / "notebooks")
    for module in (MODULE, LAB):
        learner = nbformat.read(kit / "notebooks" / module / f"{module}.ipynb", as_version=4)
        assert identify(learner, _sources(tmp_path)) == module


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
