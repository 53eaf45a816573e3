"""The course as nbgrader sees it: one abstraction shared by every command.

The kit's checkout is a course folder (its `nbgrader_config.py` names the folders:
solutions/ is nbgrader's source, notebooks/ its release, grading/ the rest); the
grading commands also work on any other course folder (a demo class, a scratch copy
in tests). Here: the module list, the nbgrader config, the gradebook, running
nbgrader (`run_nbgrader`, the one `generate_assignment` call) and rebuilding the
learner notebooks. `cells` says what each cell is; `submissions` builds learner
notebooks for tests and the demo class.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..runtime.paths import kit_root

#: The kit's own bookkeeping inside the course (not nbgrader's): states, caches, logs.
KIT_DIR = ".kit"


def root() -> Path:
    """The kit's checkout; course commands need one."""
    found = kit_root()
    if found is None:
        raise SystemExit(
            "This command must run in the course kit's folder (the one with solutions/ and data/): cd there first."
        )
    return found


#: A module's optional code lab is its own nbgrader assignment: `03_where_to_rotate_code` beside
#: `03_where_to_rotate`. Its points are reported apart, so skipping it never lowers the main path's grade.
CODE_LAB_SUFFIX = "_code"


def is_code_lab(assignment: str) -> bool:
    return assignment.endswith(CODE_LAB_SUFFIX)


def main_module_of(assignment: str) -> str:
    """The main-path module an assignment belongs to: `03_where_to_rotate_code` -> `03_where_to_rotate`."""
    return assignment[: -len(CODE_LAB_SUFFIX)] if is_code_lab(assignment) else assignment


def module_ids(source: Path) -> list[str]:
    """Module ids (nbgrader assignments), in course order: the folders in `source` that hold a notebook."""
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def modules(base: Path | None = None) -> list[str]:
    """The kit's assignments, in course order: the folders in solutions/ (each main module, then its code lab).

    A kit handed out without solutions/ (`rotation-kit handout`) has its modules in notebooks/ only.
    """
    base = base or root()
    return module_ids(base / "solutions") or module_ids(base / "notebooks")


def main_modules(base: Path | None = None) -> list[str]:
    """The main path's modules, in course order (no code labs)."""
    return [m for m in modules(base) if not is_code_lab(m)]


def code_labs(base: Path | None = None) -> list[str]:
    """The optional code labs, in course order."""
    return [m for m in modules(base) if is_code_lab(m)]


def nbgrader_config(base: Path):
    """The kit's nbgrader settings (`nbgrader_config.py` in `base`), as nbgrader run in that folder reads them."""
    config = Config()
    if (base / "nbgrader_config.py").is_file():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(base)).load_config())
    return config


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def jupyterlab_command(root_dir: Path, *options: str) -> list[str]:
    """JupyterLab as every kit command starts it (the learner's lab, the formgrader).

    Kernel connections are encrypted (no "TCP without encryption" warning on every kernel; JupyterLab
    does not read nbgrader_config.py's setting), and as root (a cloud VM, a container, WSL) it is
    told to start instead of refusing.
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root_dir}",
        "--MappingKernelManager.transport_encryption=auto",
        *options,
    ]
    if running_as_root():
        command.append("--allow-root")
    return command


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


def use_tool_path() -> None:
    """Put this interpreter's bin/ first on PATH (once): nbgrader runs `alembic` and `jupyter` by name."""
    if not os.environ.get("PATH", "").startswith(str(Path(sys.executable).parent)):
        os.environ["PATH"] = tool_env()["PATH"]


def quiet_nbgrader_logs() -> None:
    """nbgrader's in-process apps log to the terminal; the kit reports what matters itself."""
    import logging
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's gradebook code, not ours
    for name in ("traitlets", "NbGraderAPI", "Autograde"):
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False
        logger.setLevel(logging.INFO)


def run_nbgrader(
    args: list[str], cwd: Path, check: bool = True, timeout: float | None = None
) -> subprocess.CompletedProcess:
    """Run one nbgrader command in a course folder, with the kit's environment."""
    return subprocess.run(
        [sys.executable, "-m", "rotation_kit.course.nbgrader_main", *args],
        cwd=cwd,
        env=tool_env(),
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def fingerprint(folder: Path) -> str:
    """A digest of everything in a submission folder: a new submission has a new fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest.update(str(path.relative_to(folder)).encode("utf-8", "replace"))
            stat = path.stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class CourseError(RuntimeError):
    """Something the instructor must fix before a grading command can run."""


@dataclass
class Course:
    root: Path

    @classmethod
    def at(cls, path: str | Path | None = None) -> Course:
        """The course in `path`, or the kit's checkout."""
        use_tool_path()
        if path is None:
            path = root()
        root_path = Path(path).expanduser().resolve()
        if not (root_path / "nbgrader_config.py").is_file():
            raise CourseError(f"{root_path} is not a course folder: it has no nbgrader_config.py.")
        return cls(root_path)

    # -- configuration -----------------------------------------------------------
    def config(self) -> Config:
        """nbgrader's config for this course, with every path made absolute."""
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = self.db_url_from(config)
        return config

    def db_url_from(self, config: Config) -> str:
        url = config.CourseDirectory.get("db_url", "") or f"sqlite:///{self.root / 'gradebook.db'}"
        prefix = "sqlite:///"
        if url.startswith(prefix) and not os.path.isabs(url[len(prefix) :]):
            url = prefix + str(self.root / url[len(prefix) :])
        return url

    @cached_property
    def _settings(self) -> Config:
        return self.config()

    def _dir(self, name: str, default: str) -> Path:
        value = self._settings.CourseDirectory.get(name, default)
        return (self.root / value).resolve()

    @property
    def course_id(self) -> str:
        return self._settings.CourseDirectory.get("course_id", "") or ""

    @property
    def source(self) -> Path:
        return self._dir("source_directory", "source")

    @property
    def release(self) -> Path:
        return self._dir("release_directory", "release")

    @property
    def submitted(self) -> Path:
        return self._dir("submitted_directory", "submitted")

    @property
    def autograded(self) -> Path:
        return self._dir("autograded_directory", "autograded")

    @property
    def feedback(self) -> Path:
        return self._dir("feedback_directory", "feedback")

    @property
    def db_url(self) -> str:
        return self._settings.CourseDirectory.db_url

    @property
    def gradebook_path(self) -> Path:
        return Path(self.db_url[len("sqlite:///") :])

    @property
    def grading(self) -> Path:
        """The folder holding nbgrader's grading state (where the gradebook is)."""
        return self.gradebook_path.parent

    @property
    def kit(self) -> Path:
        path = self.grading / KIT_DIR
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def export(self) -> Path:
        return self.grading / "export"

    def coursedir(self, **attrs):
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config())
        for key, value in attrs.items():
            setattr(coursedir, key, value)
        return coursedir

    def gradebook(self):
        from nbgrader.api import Gradebook

        self.grading.mkdir(parents=True, exist_ok=True)
        return Gradebook(self.db_url, self.course_id)

    # -- modules and submissions -------------------------------------------------
    def modules(self) -> list[str]:
        """Module ids (nbgrader assignments): folders in the source folder that hold a notebook."""
        return module_ids(self.source)

    def notebook_names(self, module: str) -> list[str]:
        """The notebooks (without .ipynb) a submission of `module` must contain."""
        return sorted(p.stem for p in (self.source / module).glob("*.ipynb"))

    def check_module(self, module: str) -> None:
        if module not in self.modules():
            known = ", ".join(self.modules()) or "none"
            raise CourseError(f"Unknown module {module!r}. Modules in {self.source}: {known}.")

    def submitters(self, module: str) -> list[str]:
        """Learners with a submission folder for `module`."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if (p / module).is_dir())

    # -- assignments in the gradebook ---------------------------------------------
    def source_digest(self, module: str) -> str:
        digest = hashlib.sha256()
        for path in sorted((self.source / module).rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                digest.update(str(path.relative_to(self.source)).encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def release_copy(self, module: str) -> Path:
        """The learner version of `module` that matches the gradebook (the kit's cached build)."""
        return self.kit / "release" / module

    def ensure_assignment(self, module: str, log=print) -> Path:
        """Make sure the gradebook knows `module` as built from the current source; return its learner version.

        Runs nbgrader's generate_assignment in this course (so the gradebook gets the
        assignment, its notebooks and cells, and their checksums) but writes the learner
        notebooks to the kit's cache, never over `notebooks/`. Skipped when the source has
        not changed since the last time.
        """
        self.check_module(module)
        state_file = self.kit / "assignments.json"
        state = json.loads(state_file.read_text()) if state_file.is_file() else {}
        digest = self.source_digest(module)
        release = self.release_copy(module)
        with self.gradebook() as gb:
            known = module in {a.name for a in gb.assignments}
        if state.get(module) == digest and known and release.is_dir():
            return release
        log(f"Registering {module} in the gradebook (nbgrader generate_assignment)...")
        quiet_nbgrader_logs()
        from nbgrader.apps import NbGraderAPI

        config = self.config()
        config.CourseDirectory.release_directory = str(self.kit / "release")
        api = NbGraderAPI(coursedir=self.coursedir(release_directory=str(self.kit / "release")), config=config)
        generate_assignment(api, module)
        state[module] = digest
        state_file.write_text(json.dumps(state, indent=1))
        return release


def generate_assignment(api, module: str) -> None:
    """nbgrader generate_assignment for one module through nbgrader's API (every kit command builds this way)."""
    result = api.generate_assignment(module, force=True, create=True)
    if not result["success"]:
        raise CourseError(
            f"nbgrader generate_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}"
        )


def build_learner_notebooks(
    out_dir: Path | None = None, only: list[str] | None = None, base: Path | None = None
) -> list[Path]:
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
        result = subprocess.run(
            [sys.executable, "-c", script, *wanted], cwd=scratch_path, env=tool_env(), capture_output=True, text=True
        )
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


def _generate_here(modules: list[str]) -> None:
    """Run nbgrader generate_assignment for several modules in the current course folder."""
    api = nbgrader_api_here()
    for module in modules:
        generate_assignment(api, module)


def module_points(module: str, base: Path | None = None) -> tuple[float, float]:
    """(autograded, manually graded) points of one module, read from its source notebook's nbgrader metadata."""
    import nbformat

    from .cells import is_grade, is_manual, points

    nb = nbformat.read((base or root()) / "solutions" / module / f"{module}.ipynb", as_version=4)
    auto = sum(points(c) for c in nb.cells if is_grade(c) and not is_manual(c))
    manual = sum(points(c) for c in nb.cells if is_manual(c))
    return auto, manual
