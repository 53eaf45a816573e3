"""Where the kit's data and the learner's saved work live, wherever a notebook runs.

Notebooks run from `notebooks/`, `solutions/`, nbgrader's autograde folder under
`grading/`, or a learner's own copy anywhere on disk; none of them should need a
path hack. The package knows where it is installed from, so it finds `data/`
itself.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

DATA_ENV = "ROTATION_KIT_DATA"
HOME_ENV = "ROTATION_KIT_HOME"
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
            f"The kit's data file {name} is missing from {path.parent}. "
            "Rebuild the data with `make data`."
        )
    return path


def learner_home(create: bool = True) -> Path:
    """Where the learner's own work (profile, shortlist, plan) is saved between modules.

    ROTATION_KIT_HOME wins; otherwise `my_plan/` in the kit's checkout, or in the
    home folder when the package is installed without a checkout. Grading sets
    ROTATION_KIT_HOME to a scratch folder so that one learner never sees another's.
    `create=False` only looks (the self-check reads the saved work without making a folder).
    """
    override = os.environ.get(HOME_ENV)
    if override:
        home = Path(override).expanduser()
    else:
        root = kit_root()
        home = (root / "my_plan") if root is not None else Path.home() / "rotation_kit_plan"
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
