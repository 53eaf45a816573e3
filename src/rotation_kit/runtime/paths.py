"""Where the kit's data and the learner's saved work live, wherever a notebook runs.

Notebooks run from the learner's `my_work/`, `solutions/`, nbgrader's autograde
folder under `grading/`, or a copy anywhere on disk; none of them should need a
path hack. The package knows where it is installed from, so it finds `data/`
itself. This module is the one place that knows where the learner's work lives:
their notebooks in `my_work/<module>/` and their saved parts in `my_work/my_plan/`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

DATA_ENV = "ROTATION_KIT_DATA"
HOME_ENV = "ROTATION_KIT_HOME"
WORK_ENV = "ROTATION_KIT_WORK"
WORK_FOLDER = "my_work"  # the learner's own copies of the notebooks, git-ignored
PLAN_FOLDER = "my_plan"  # inside it: the parts modules save for later modules
EARLIER_FOLDER = "earlier_versions"  # in a module's folder: the copies an update replaced (never handed in)
SOLUTIONS_FOLDER = "solutions"
SOLUTIONS_SCRATCH = ("build", "solutions_state")  # where a solutions notebook's saves go instead
_MARKER = "programs.csv"


class KitNotFound(FileNotFoundError):
    """Raised when the kit's data folder cannot be found."""


def _is_kit(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "data").is_dir()


def kit_root() -> Path | None:
    """The kit's folder: the checkout the package is installed from (editable install, `make lab`), or else,
    for a plain `pip install .`, the folder the command runs in or one of its parents."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if _is_kit(parent):
            return parent
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if _is_kit(parent) and (parent / "nbgrader_config.py").is_file():
            return parent
    return None


def data_dir() -> Path:
    """The folder holding the kit's datasets.

    Order: the ROTATION_KIT_DATA variable, the checkout the package came from, then
    any parent of the current folder that has a `data/programs.csv`.
    """
    override = os.environ.get(DATA_ENV)
    if override:
        path = Path(override).expanduser()
        if not (path / _MARKER).is_file():
            raise KitNotFound(
                f"{DATA_ENV} points to {path}, but there is no {_MARKER} there. "
                f"Unset {DATA_ENV} or point it at the kit's data/ folder."
            )
        return path
    root = kit_root()
    if root is not None and (root / "data" / _MARKER).is_file():
        return root / "data"
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "data" / _MARKER).is_file():
            return parent / "data"
    raise KitNotFound(
        "Cannot find the kit's data/ folder. Start JupyterLab with `make lab` from the "
        f"kit's folder, or set {DATA_ENV} to the path of its data/ folder."
    )


def data_file(name: str) -> Path:
    """Path of one dataset file, with a clear message when it is missing."""
    path = data_dir() / name
    if not path.exists():
        raise KitNotFound(
            f"The kit's data file {name} is missing from {path.parent}. Rebuild the data with `make data`."
        )
    return path


def work_dir(kit: Path | None = None) -> Path:
    """The learner's own folder: their copies of the module notebooks and, in it, their saved parts.

    For a given kit folder: its `my_work/`. Otherwise ROTATION_KIT_WORK (set by `make lab` for the
    notebooks it opens), else `my_work/` in the kit's checkout, else `~/rotation_kit_work` when the
    package is installed without a checkout.
    """
    if kit is not None:
        return Path(kit) / WORK_FOLDER
    override = os.environ.get(WORK_ENV)
    if override:
        return Path(override).expanduser()
    root = kit_root()
    return (root / WORK_FOLDER) if root is not None else Path.home() / "rotation_kit_work"


def legacy_plan_dir(kit: Path) -> Path:
    """Where saved parts lived before `my_work/` (the kit's top-level `my_plan/`), to move them from."""
    return Path(kit) / PLAN_FOLDER


def running_solutions_notebook() -> Path | None:
    """The kit folder when the running notebook is one of its source notebooks (`solutions/<module>/`).

    Jupyter starts a notebook's kernel in the notebook's folder (nbclient and nbgrader do the same
    when given the notebook's path), and JupyterLab also names the notebook in JPY_SESSION_NAME;
    either one inside a kit's solutions/ folder counts.
    """
    places = [Path.cwd()]
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        places.append(Path(session).expanduser().parent)
    for folder in places:
        folder = folder.resolve()
        if folder.parent.name == SOLUTIONS_FOLDER and (folder.parent.parent / "nbgrader_config.py").is_file():
            return folder.parent.parent
    return None


_said_scratch: set[Path] = set()


def _solutions_scratch(kit: Path) -> Path:
    """A scratch folder for a solutions notebook's saves, said once per kernel."""
    scratch = kit.joinpath(*SOLUTIONS_SCRATCH)
    try:
        scratch.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only kit: a folder of its own in the temp dir
        import tempfile

        scratch = Path(tempfile.gettempdir()) / "rotation_kit_solutions_state"
        scratch.mkdir(parents=True, exist_ok=True)
    if scratch not in _said_scratch:
        _said_scratch.add(scratch)
        print(
            f"This is a solutions notebook: what it saves goes to a scratch folder ({scratch}), "
            f"never to your own saved work in {WORK_FOLDER}/{PLAN_FOLDER}/.",
            file=sys.stdout,
        )
    return scratch


def learner_home(create: bool = True) -> Path:
    """Where the learner's own work (profile, shortlist, plan) is saved between modules.

    ROTATION_KIT_HOME wins (grading and the hub set it; grading to a scratch folder so that one
    learner never sees another's). A notebook run from the kit's solutions/ gets a scratch folder
    and says so: the sample learner's answers never replace the learner's. Otherwise
    `my_work/my_plan/` (see `work_dir`). `create=False` only looks (the self-check reads the saved
    work without making a folder).
    """
    override = os.environ.get(HOME_ENV)
    if override:
        home = Path(override).expanduser()
    else:
        kit = running_solutions_notebook()
        home = _solutions_scratch(kit) if kit is not None else work_dir() / PLAN_FOLDER
    if create:
        home.mkdir(parents=True, exist_ok=True)
    return home


@contextlib.contextmanager
def temporary_env(**values: str) -> Iterator[None]:
    """Set environment variables for one block (kernels started inside inherit them), then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
