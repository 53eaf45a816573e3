"""What a cell of a course notebook is, as nbgrader sees it, and which exercise it belongs to.

nbgrader marks each cell in its metadata and reads the marks with `nbgrader.utils`
(is_grade, is_solution, is_locked, is_task); the kit asks the same questions through
the functions here, so every command agrees with nbgrader on what a cell is.
"""

from __future__ import annotations

import re

from nbgrader import utils


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata ({} for a cell nbgrader does not know)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id") or None


def is_answer(cell) -> bool:
    """A code cell the learner writes in (an autograded answer)."""
    return cell.cell_type == "code" and bool(utils.is_solution(cell))


def is_check(cell) -> bool:
    """An autograded test cell: graded, not written by the learner."""
    return cell.cell_type == "code" and bool(utils.is_grade(cell)) and not utils.is_solution(cell)


def is_manual(cell) -> bool:
    """A part graded by a person: a task, or a written answer with points."""
    return bool(utils.is_task(cell)) or (bool(utils.is_grade(cell)) and bool(utils.is_solution(cell)))


def is_grade(cell) -> bool:
    """A cell with points (a test cell, or a written answer graded by a person)."""
    return bool(utils.is_grade(cell))


def is_task(cell) -> bool:
    return bool(utils.is_task(cell))


def is_solution(cell) -> bool:
    return bool(utils.is_solution(cell))


def is_locked(cell) -> bool:
    """nbgrader puts this cell's source back when grading (test cells and read-only cells)."""
    return bool(utils.is_locked(cell))


def points(cell) -> float:
    return float(nbgrader_meta(cell).get("points", 0) or 0)


def grade_ids(nb) -> list[str]:
    """Every grade id in the notebook, in notebook order."""
    return [gid for gid in map(grade_id, nb.cells) if gid]


def answer_ids(nb) -> list[str]:
    """grade ids of the autograded answer cells (code solution cells), in notebook order."""
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_answer(c)]


def check_cell_ids(nb) -> list[str]:
    """grade ids of the autograded test cells."""
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells if is_check(c)]


def exercise_of(grade_id: str) -> str:
    """The exercise a grade id belongs to: `ex32_answer`, `ex32_tests`, `ex32_task` -> `ex32`.

    The kit names graded cells `exNK_<part>`; any other id loses its last `_<part>`.
    """
    match = re.match(r"(ex\d+)", grade_id)
    return match.group(1) if match else grade_id.rsplit("_", 1)[0]
