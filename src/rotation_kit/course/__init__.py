"""The course as nbgrader sees it: modules, the kit's folders, and rebuilding learner notebooks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..runtime.paths import kit_root
from ._course import KIT_DIR, Course, CourseError, fingerprint, quiet_nbgrader_logs, use_tool_path  # noqa: F401


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


@contextlib.contextmanager
def quiet_stderr():
    """Hide a kernel's start-up warnings (e.g. about TCP) from the person at the terminal: not about their work."""
    with tempfile.TemporaryFile(mode="w+b") as sink:
        try:
            fd = os.dup(2)
        except OSError:  # no stderr at all (e.g. a GUI launcher)
            yield
            return
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(fd, 2)
            os.close(fd)


def nbgrader_config(base: Path):
    """The kit's nbgrader settings (`nbgrader_config.py` in `base`), as nbgrader run in that folder reads them."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (base / "nbgrader_config.py").is_file():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(base)).load_config())
    return config


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
        [sys.executable, "-m", "rotation_kit.course.nbgrader_main", *args],
        cwd=cwd, env=tool_env(), check=check, capture_output=True, text=True, timeout=timeout,
    )


def build_learner_notebooks(out_dir: Path | None = None, only: list[str] | None = None,
                            base: Path | None = None) -> list[Path]:
    """Rebuild learner notebooks from solutions/ with nbgrader generate_assignment.

    Builds in a scratch course (its own gradebook) so the instructor's gradebook is
    never touched, then replaces each module folder in `out_dir` (default notebooks/).
    `base` is the kit folder (default: this checkout).
    """
    base = base or root()
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


def nbgrader_api_here():
    """nbgrader's Python API for the course folder we are in (its nbgrader_config.py, its paths)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = nbgrader_config(Path.cwd())
    config.CourseDirectory.root = os.getcwd()
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _generate_here(module_ids: list[str]) -> None:
    """Run nbgrader generate_assignment for several modules in the current course folder."""
    api = nbgrader_api_here()
    for module in module_ids:
        result = api.generate_assignment(module, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"generate_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}")


def module_points(module: str, base: Path | None = None) -> tuple[float, float]:
    """(autograded, manually graded) points of one module, read from its source notebook's nbgrader metadata."""
    import nbformat

    nb = nbformat.read((base or root()) / "solutions" / module / f"{module}.ipynb", as_version=4)
    auto = manual = 0.0
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        points = float(meta.get("points", 0) or 0)
        if meta.get("task") or (meta.get("grade") and meta.get("solution")):
            manual += points
        elif meta.get("grade"):
            auto += points
    return auto, manual
