"""Running the real nbgrader on a scratch copy of the course, for the pipeline tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from rotation_kit.course import run_nbgrader

ROOT = Path(__file__).resolve().parents[1]


def scratch_course(tmp: Path, module: str) -> Path:
    """A course folder with the kit's config, one module's source, and its own gradebook."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / module, tmp / "solutions" / module)
    (tmp / "grading").mkdir()
    result = run_nbgrader(["generate_assignment", module, "--force"], cwd=tmp, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp


def submit(course: Path, module: str, student: str, nb) -> None:
    folder = course / "grading" / "submitted" / student / module
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{module}.ipynb")


def autograde(course: Path, module: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Autograde every submission; scores[student][grade_id] = (score, max_score)."""
    result = run_nbgrader(["autograde", module, "--create", "--force"], cwd=course, check=False, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    scores: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(f"sqlite:///{course / 'grading' / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(module):
            notebook = gb.find_submission_notebook(module, module, submission.student_id)
            scores[submission.student_id] = {g.name: (g.score, g.max_score) for g in notebook.grades}
    return scores
