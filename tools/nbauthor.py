"""Authoring helpers: write nbgrader source notebooks from Python, with correct nbgrader metadata.

Used while writing a module (`solutions/<module>/<module>.ipynb` is the source of
truth once written; edit it in JupyterLab or with these helpers). Cell ids are
stable: graded cells use their grade id, the rest `<module>-<n>`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _nbg(**fields):
    return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False, "locked": False,
                         "task": False, **fields}}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str) -> nbformat.NotebookNode:
    """Plain prose."""
    return nbformat.v4.new_markdown_cell(_clean(text))


def code(text: str) -> nbformat.NotebookNode:
    """A code cell the learner runs (and may edit)."""
    return nbformat.v4.new_code_cell(_clean(text))


def readonly_md(grade_id: str, text: str) -> nbformat.NotebookNode:
    """Instructions the learner must not edit (nbgrader restores them when grading)."""
    return nbformat.v4.new_markdown_cell(_clean(text), metadata=_nbg(locked=True, grade_id=grade_id))


def readonly_code(grade_id: str, text: str) -> nbformat.NotebookNode:
    """Set-up code the learner must not edit (nbgrader restores it when grading)."""
    return nbformat.v4.new_code_cell(_clean(text), metadata=_nbg(locked=True, grade_id=grade_id))


def answer(grade_id: str, text: str) -> nbformat.NotebookNode:
    """An autograded answer: code between ### BEGIN SOLUTION / ### END SOLUTION is stubbed out."""
    return nbformat.v4.new_code_cell(_clean(text), metadata=_nbg(solution=True, grade_id=grade_id))


def tests(grade_id: str, points: float, text: str) -> nbformat.NotebookNode:
    """Visible tests plus ### BEGIN HIDDEN TESTS ... ### END HIDDEN TESTS; worth `points`."""
    return nbformat.v4.new_code_cell(
        _clean(text), metadata=_nbg(grade=True, locked=True, points=points, grade_id=grade_id))


def task(grade_id: str, points: float, text: str) -> nbformat.NotebookNode:
    """A manually graded task: the prompt, with the mark scheme between === BEGIN/END MARK SCHEME ===."""
    return nbformat.v4.new_markdown_cell(
        _clean(text), metadata=_nbg(task=True, locked=True, points=points, grade_id=grade_id))


def write(module: str, cells: list, root: Path) -> Path:
    """Write solutions/<module>/<module>.ipynb with stable cell ids and no outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for number, cell in enumerate(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id or f"{module.split('_')[0]}-{number:02d}"
    nb.cells = cells
    path = root / "solutions" / module / f"{module}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path
