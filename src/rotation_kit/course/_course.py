"""One course folder as the grading commands see it: nbgrader's config, folders and gradebook.

Every grading command works on a course folder: the kit's checkout by default, or
any folder with an `nbgrader_config.py` (a demo class, a scratch copy in tests).
Folder names come from that config, so the kit follows whatever the instructor
set there; paths in it are relative to the course folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

#: The kit's own bookkeeping inside the course (not nbgrader's): states, caches, logs.
KIT_DIR = ".kit"


def fingerprint(folder: Path) -> str:
    """A digest of everything in a submission folder: a new submission has a new fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest.update(str(path.relative_to(folder)).encode("utf-8", "replace"))
            stat = path.stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def use_tool_path() -> None:
    """Put this interpreter's bin/ first on PATH: nbgrader runs `alembic` and `jupyter` by name."""
    from . import tool_env

    os.environ["PATH"] = tool_env()["PATH"] if not os.environ.get("PATH", "").startswith(
        str(Path(__import__("sys").executable).parent)) else os.environ["PATH"]


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


class CourseError(RuntimeError):
    """Something the instructor must fix before a grading command can run."""


@dataclass
class Course:
    root: Path

    @classmethod
    def at(cls, path: str | Path | None = None) -> "Course":
        """The course in `path`, or the kit's checkout."""
        use_tool_path()
        if path is None:
            from . import root

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
        if url.startswith(prefix) and not os.path.isabs(url[len(prefix):]):
            url = prefix + str(self.root / url[len(prefix):])
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
        return Path(self.db_url[len("sqlite:///"):])

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
        """Module ids (nbgrader assignments): folders in the source folder with a notebook of the same name."""
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

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
        result = api.generate_assignment(module, force=True, create=True)
        if not result["success"]:
            raise CourseError(f"nbgrader generate_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}")
        state[module] = digest
        state_file.write_text(json.dumps(state, indent=1))
        return release
