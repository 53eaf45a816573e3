"""A tiny course made in a test (one module and its code lab), so tests of the kit's commands do not
depend on any real module's current exercises. Built into learner notebooks by the real nbgrader."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from support import ROOT

from rotation_kit.course import build_learner_notebooks
from rotation_kit.course.submissions import build_submission

MODULE = "09_practice"
LAB = "09_practice_code"
#: visible checks: a whole number of rotations, at least 1; the further (hidden) check: at most 4.
COUNT_SOLUTION = "my_count = 3"
#: a choice: the letter of the right option; the check cell is split in two (a: a letter, b: the right one).
CHOICE_SOLUTION = 'my_choice = "b"'


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=0, task=False) -> dict:
    meta = {
        "nbgrader": {
            "grade": grade,
            "grade_id": grade_id,
            "locked": locked,
            "schema_version": 3,
            "solution": solution,
            "task": task,
        }
    }
    if grade:
        meta["nbgrader"]["points"] = points
    return meta


def _answer(grade_id: str, template: str, solution: str, indent: str = ""):
    source = f"{template}\n{indent}### BEGIN SOLUTION\n{indent}{solution}\n{indent}### END SOLUTION"
    return nbformat.v4.new_code_cell(source, metadata=_meta(grade_id, solution=True))


def _check(grade_id: str, points: float, source: str):
    meta = _meta(grade_id, grade=True, locked=True, points=points)
    meta["tags"] = ["raises-exception"]
    return nbformat.v4.new_code_cell(source, metadata=meta)


SETUP = "from rotation_kit.runtime.checks import CheckFailed, expect, passed"

COUNT_CHECK = """answer = expect.defined(globals(), "my_count")
expect.number(answer, what="my_count", between=(1, 20), hint="Write how many rotations, as a whole number.")
### BEGIN HIDDEN TESTS
expect.true(
    answer <= 4,
    what="the count against the rule for a learner with no US experience",
    expected="at most 4 rotations",
    got=f"{answer} rotations",
    hint="More than four rotations costs more than it brings: count again.",
)
### END HIDDEN TESTS
passed("Exercise 9.1")"""

CHOICE_CHECK_A = """answer = expect.defined(globals(), "my_choice")
expect.true(answer in ("a", "b", "c"), what="my_choice", expected="one of 'a', 'b', 'c'", got=answer)
passed("Exercise 9.2, part a")"""

CHOICE_CHECK_B = """answer = expect.defined(globals(), "my_choice")
expect.equal(answer, "b", what="my_choice", hint="Which option comes first in the guide?")
passed("Exercise 9.2, part b")"""

LAB_CHECK = """expect.defined(globals(), "double")
expect.equal(expect.call(double, 2), 4, what="double(2)", hint="Multiply by two.")
### BEGIN HIDDEN TESTS
expect.equal(expect.call(double, -3), -6, what="double(-3)", hint="Negative numbers double too.")
### END HIDDEN TESTS
passed("Lab exercise 9.1")"""


def main_notebook():
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Module 09 · Practice\n\n**Estimated time:** 5 minutes", metadata=_meta("header", locked=True)
        ),
        nbformat.v4.new_code_cell(SETUP, metadata=_meta("setup", locked=True)),
        _answer("ex91_answer", "my_count = ...", COUNT_SOLUTION),
        _check("ex91_tests", 2, COUNT_CHECK),
        _answer("ex92_answer", "my_choice = ...", CHOICE_SOLUTION),
        _check("ex92_tests_a", 1, CHOICE_CHECK_A),
        _check("ex92_tests_b", 1, CHOICE_CHECK_B),
        nbformat.v4.new_markdown_cell(
            "### Exercise 9.3 (2 points): in your words", metadata=_meta("ex93_task", task=True, locked=True, points=2)
        ),
        nbformat.v4.new_code_cell('print("the end")'),
    ]
    cells[7].metadata["nbgrader"]["points"] = 2
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": _kernelspec()})


def lab_notebook():
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Code lab 09 (optional) · Practice\n\n**Estimated time:** 15 minutes",
            metadata=_meta("header", locked=True),
        ),
        nbformat.v4.new_code_cell(SETUP, metadata=_meta("setup", locked=True)),
        _answer(
            "ex91_answer",
            'def double(x):\n    """Twice x."""',
            "return 2 * x",
            indent="    ",
        ),
        _check("ex91_tests", 3, LAB_CHECK),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": _kernelspec()})


def _kernelspec() -> dict:
    return {"display_name": "Python 3", "language": "python", "name": "python3"}


def practice_kit(folder: Path) -> Path:
    """A kit folder with the kit's nbgrader config, the practice module and its lab in solutions/, and
    their learner notebooks in notebooks/ made by nbgrader generate_assignment."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    for module, nb in ((MODULE, main_notebook()), (LAB, lab_notebook())):
        (folder / "solutions" / module).mkdir(parents=True)
        nbformat.write(nb, folder / "solutions" / module / f"{module}.ipynb")
    build_learner_notebooks(base=folder)
    return folder


def learner_copy(kit: Path, module: str, answers: dict[str, str] | None = None, solve: set[str] | None = frozenset()):
    """The released notebook with the answers in `solve` solved and those in `answers` typed in."""
    nb = build_submission(
        kit / "notebooks" / module / f"{module}.ipynb",
        kit / "solutions" / module / f"{module}.ipynb",
        None if solve is None else set(solve),
    )
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in (answers or {}):
            cell.source = answers[gid]
    return nb
