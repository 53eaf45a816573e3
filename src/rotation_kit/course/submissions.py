"""Building submissions from the course notebooks: full, blank, or solving chosen exercises only.

Used by the test suite (and the demo class) to feed nbgrader realistic learner
notebooks: the released learner notebook with some answer cells replaced by the
solution code from the source notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def answer_ids(nb) -> list[str]:
    """grade ids of the autograded answer cells (code solution cells), in notebook order."""
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells
            if nbgrader_meta(c).get("solution") and c.cell_type == "code"]


def check_cell_ids(nb) -> list[str]:
    """grade ids of the autograded test cells."""
    return [nbgrader_meta(c)["grade_id"] for c in nb.cells
            if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution") and c.cell_type == "code"]


def exercise_of(grade_id: str) -> str:
    """`ex32_answer` and `ex32_tests` belong to exercise `ex32`."""
    return grade_id.rsplit("_", 1)[0]


def solution_source(source: str) -> str:
    """A solution cell's code as a learner who solved it would have written it."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in SOLUTION_MARKERS)


def build_submission(learner_path: Path, source_path: Path, solve: set[str] | None = None):
    """The learner notebook with the answers in `solve` (grade ids; None = all) filled in."""
    learner = nbformat.read(learner_path, as_version=4)
    source = nbformat.read(source_path, as_version=4)
    solutions = {nbgrader_meta(c).get("grade_id"): c.source for c in source.cells if nbgrader_meta(c).get("solution")}
    for cell in learner.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            if solve is None or meta["grade_id"] in solve:
                cell.source = solution_source(solutions[meta["grade_id"]])
    return learner
