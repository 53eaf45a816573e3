"""The course as nbgrader sees it: modules, the kit's folders, and rebuilding learner notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .paths import kit_root


def root() -> Path:
    """The kit's checkout; course commands need one."""
    found = kit_root()
    if found is None:
        raise SystemExit("This command must run from a checkout of the course kit (with solutions/ and data/).")
    return found


def modules(base: Path | None = None) -> list[str]:
    """Module ids (nbgrader assignment names), in course order: the folders in solutions/."""
    solutions = (base or root()) / "solutions"
    return sorted(p.name for p in solutions.iterdir() if (p / f"{p.name}.ipynb").is_file())


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and jupyter: this interpreter's bin/ first on PATH.

    nbgrader calls helper programs (alembic, jupyter) by name, so kit commands work
    without an activated virtual environment.
    """
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def run_nbgrader(args: list[str], cwd: Path, check: bool = True, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run one nbgrader command in a course folder, with the kit's environment."""
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd, env=tool_env(), check=check, capture_output=True, text=True, timeout=timeout,
    )


def build_learner_notebooks(out_dir: Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Rebuild learner notebooks from solutions/ with nbgrader generate_assignment.

    Builds in a scratch course (its own gradebook) so the instructor's gradebook is
    never touched, then replaces each module folder in `out_dir` (default notebooks/).
    """
    base = root()
    target = out_dir or base / "notebooks"
    written = []
    with tempfile.TemporaryDirectory(prefix="rotation-kit-build-") as scratch:
        scratch_path = Path(scratch)
        shutil.copy(base / "nbgrader_config.py", scratch_path / "nbgrader_config.py")
        (scratch_path / "grading").mkdir()
        os.symlink(base / "solutions", scratch_path / "solutions")
        wanted = only or modules(base)
        # One process for all modules: nbgrader's start-up dominates the cost of each call.
        script = "import sys; from rotation_kit.course import _generate_here; _generate_here(sys.argv[1:])"
        result = subprocess.run([sys.executable, "-c", script, *wanted], cwd=scratch_path, env=tool_env(),
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stdout}\n{result.stderr}")
        for module in wanted:
            built = scratch_path / "notebooks" / module
            dest = target / module
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(built, dest)
            written.extend(sorted(dest.rglob("*.ipynb")))
    return written


def _generate_here(module_ids: list[str]) -> None:
    """Run nbgrader generate_assignment for several modules in the current course folder."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=os.getcwd()).load_config()
    config.CourseDirectory.root = os.getcwd()
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for module in module_ids:
        result = api.generate_assignment(module, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"generate_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}")
