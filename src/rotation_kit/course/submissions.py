"""Building submissions from the course notebooks: full, blank, or solving chosen exercises only.

Used by the test suite (and the demo class) to feed nbgrader realistic learner
notebooks: the released learner notebook with some answer cells replaced by the
solution code from the source notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .cells import grade_id, is_answer, is_solution

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solution_source(source: str) -> str:
    """A solution cell's code as a learner who solved it would have written it."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in SOLUTION_MARKERS)


def build_submission(learner_path: Path, source_path: Path, solve: set[str] | None = None):
    """The learner notebook with the answers in `solve` (grade ids; None = all) filled in."""
    learner = nbformat.read(learner_path, as_version=4)
    source = nbformat.read(source_path, as_version=4)
    solutions = {grade_id(c): c.source for c in source.cells if is_solution(c)}
    for cell in learner.cells:
        if is_answer(cell) and (solve is None or grade_id(cell) in solve):
            cell.source = solution_source(solutions[grade_id(cell)])
    return learner
