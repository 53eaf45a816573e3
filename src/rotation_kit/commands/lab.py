"""`make lab` (`rotation-kit lab`): the learner's JupyterLab on their own copies in my_work/.

Before JupyterLab opens:

- `rotation-kit workspace` makes the learner's copies in `my_work/` and brings kit
  updates into them (commands/workspace.py);
- nbgrader's Assignment List needs the modules released to its exchange: on a
  learner's own machine the kit is both instructor and student, so
  `nbgrader_config.py` puts the exchange in `grading/exchange/` and counts the
  learner's `my_work/<module>/` folders as their downloaded copies (Validate and
  Submit work on them). Every module not in the exchange yet is released, once.

JupyterLab then runs with the learner's settings, the same ones hub learners get
(hub/jupyter/learner/): nbgrader's formgrader and create-assignment tools are off,
since their buttons rebuild the release folder and show the solutions. An
instructor uses `rotation-kit grade formgrader` instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..course import jupyterlab_command, modules, nbgrader_config, root, running_as_root, tool_env
from ..runtime.paths import WORK_ENV, kit_root, work_dir

#: The Jupyter settings of a learner (formgrader and create-assignment off), shared with the hub.
LEARNER_SETTINGS = Path("hub") / "jupyter" / "learner"
FIRST_NOTEBOOK = Path("00_start_here") / "00_start_here.ipynb"


def missing_releases(kit: Path) -> list[str]:
    """Modules with learner notebooks that are not in the exchange's outbound folder yet."""
    config = nbgrader_config(kit)
    exchange = Path(config.Exchange.get("root", "") or "")
    course = config.CourseDirectory.get("course_id", "")
    if not exchange or not course:
        return []
    outbound = exchange / course / "outbound"
    return [m for m in modules(kit) if (kit / "notebooks" / m).is_dir() and not (outbound / m).is_dir()]


def prepare_lab(kit: Path | None = None) -> list[str]:
    """Release the modules the exchange lacks (nbgrader release_assignment); returns the ones released."""
    kit = (kit or root()).resolve()
    if sys.platform == "win32":  # nbgrader's exchange does not run on Windows
        return []
    todo = missing_releases(kit)
    if not todo:
        return []
    # One nbgrader process for all modules: its start-up dominates the cost.
    script = "import sys; from rotation_kit.commands.lab import _release_here; _release_here(sys.argv[1:])"
    result = subprocess.run(
        [sys.executable, "-c", script, *todo], cwd=kit, env=tool_env(), capture_output=True, text=True
    )
    if result.returncode != 0:
        # The lab still opens; only the Assignment List panel is affected.
        print(
            "Note: could not list the modules in JupyterLab's Assignment List "
            f"(nbgrader release_assignment failed):\n{result.stdout[-1500:]}{result.stderr[-1500:]}",
            file=sys.stderr,
        )
        return []
    print(f"Listed {len(todo)} module(s) in JupyterLab's Assignment List: {', '.join(todo)}")
    return todo


def _release_here(module_ids: list[str]) -> None:
    """nbgrader release_assignment for several modules, in the current course folder."""
    from ..course import nbgrader_api_here

    api = nbgrader_api_here()
    for module in module_ids:
        result = api.release_assignment(module)
        if not result["success"]:
            raise SystemExit(f"release_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}")


def lab_env(kit: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment JupyterLab runs in for the learner: the learner's Jupyter settings first, my_work/ named."""
    env = dict(tool_env() if base is None else base)
    settings = kit / LEARNER_SETTINGS
    if not settings.is_dir() and kit_root() is not None:  # a copy of the course files without hub/
        settings = kit_root() / LEARNER_SETTINGS
    settings = str(settings.resolve())
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (settings, env.get("JUPYTER_CONFIG_PATH", "")) if p)
    env[WORK_ENV] = str(work_dir(kit))
    env.pop("MPLBACKEND", None)  # plots show inline in the notebooks
    return env


def lab_command(kit: Path) -> list[str]:
    """JupyterLab on the kit folder, opening the learner's first module in my_work/."""
    work = work_dir(kit)
    start = work / FIRST_NOTEBOOK
    target = start if start.is_file() else work
    return [*jupyterlab_command(kit), str(target.relative_to(kit))]


def open_lab(kit: Path | None = None) -> int:
    """Everything `make lab` does: the Assignment List's releases, the learner's copies, then JupyterLab."""
    from .workspace import update_workspace

    kit = (kit or root()).resolve()
    prepare_lab(kit)
    print(update_workspace(kit).text(), flush=True)
    command, env = lab_command(kit), lab_env(kit)
    if running_as_root():
        print(
            "Warning: JupyterLab is running as root (--allow-root); on a shared machine use your own account.",
            file=sys.stderr,
            flush=True,
        )
    if sys.platform == "win32":
        return subprocess.call(command, cwd=kit, env=env)
    os.chdir(kit)
    os.execve(command[0], command, env)  # JupyterLab takes over this process (Ctrl+C stops it as before)
    return 0  # not reached


def main(args) -> int:
    """`rotation-kit lab` (what `make lab` runs)."""
    return open_lab(Path(args.kit) if args.kit else None)
