"""Handing work in without a hub: one file per module for the instructor, named with the learner's id.

nbgrader's exchange (the Assignment List's Submit button) does not run on Windows and needs a
shared server; a workshop on laptops needs a file a learner can put on a USB stick, a shared
drive, an email or a learning platform. `hand_in("03_where_to_rotate")`, the last cell of every
module (and `rotation-kit hand-in`), writes

    my_work/hand_in/<learner id>__<module>.ipynb     the learner's saved copy of the notebook, nothing else
    my_work/hand_in/<learner id>__<module>.zip       only with include_plan=True: that notebook and my_plan/

`rotation-kit grade collect --folder` (or `--zip`, for a platform's download) recognises the
learner from the id in the name. Nothing of `my_work/my_plan/` (visa, budget, training gaps...)
leaves the laptop unless the learner asks for it with `include_plan=True`. Plain files, pathlib
and zip only, so it works the same on Windows, macOS and Linux.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .paths import HOME_ENV, PLAN_FOLDER, running_solutions_notebook, work_dir
from .profile import ProfileError, learner_id_problem, save_learner_id, saved_learner_id

HAND_IN_FOLDER = "hand_in"  # in my_work/: the files to give the instructor
SEPARATOR = "__"  # between the learner id and the module in a hand-in file's name
MANIFEST = "hand_in.json"  # inside a hand-in zip: who, which module, when, whether the plan is in it
PLAN_SUFFIXES = (".json", ".html")  # what a shared plan holds: one JSON file per part, the printable page

ASK_FOR_ID = (
    "To hand in, the kit needs the id your facilitator gave you (as on the class roster, e.g. 'l07'). "
    'Type it once, in this cell: hand_in("{module}", learner_id="your-id") and run it again. '
    'It is saved in your profile, so next time hand_in("{module}") is enough. '
    "(Without a roster id, ask your facilitator which one to use.)"
)


@dataclass
class HandedIn:
    """One hand-in file and what is in it."""

    path: Path
    module: str
    learner_id: str
    saved_at: datetime
    plan_files: list[str]

    def text(self) -> str:
        plan = (
            f" It also holds your plan ({len(self.plan_files)} file(s) from {PLAN_FOLDER}/), as you asked."
            if self.plan_files
            else f" Nothing from {PLAN_FOLDER}/ is in it."
        )
        return (
            f"Handed in {self.module} for {self.learner_id}: {self.path}\n"
            f"It is your notebook as last saved, at {self.saved_at:%H:%M} on {self.saved_at:%d %b}; if you changed "
            f"anything since, save (Ctrl+S) and run this again.{plan}\n"
            "Give this file to your facilitator (USB stick, shared folder, email or your course's platform)."
        )


class HandInError(ValueError):
    """Why nothing was handed in, in words a learner can act on."""


def hand_in_name(learner_id: str, module: str, with_plan: bool = False) -> str:
    return f"{learner_id}{SEPARATOR}{module}{'.zip' if with_plan else '.ipynb'}"


def _plan_files(plan: Path) -> list[Path]:
    if not plan.is_dir():
        return []
    return sorted(p for p in plan.iterdir() if p.is_file() and p.suffix in PLAN_SUFFIXES)


def write_hand_in(
    module: str, learner_id: str | None = None, include_plan: bool = False, work: Path | None = None
) -> HandedIn:
    """Copy the learner's saved notebook of `module` into my_work/hand_in/ under their id; the plan only if asked."""
    work = Path(work) if work is not None else work_dir()
    if learner_id is not None:
        problem = learner_id_problem(learner_id)
        if problem:
            raise HandInError(problem)
        save_learner_id(learner_id)
    learner_id = learner_id or saved_learner_id()
    if not learner_id:
        raise HandInError(ASK_FOR_ID.format(module=module))
    notebook = work / module / f"{module}.ipynb"
    if not notebook.is_file():
        raise HandInError(
            f"There is no copy of {module} in {work} yet ({notebook} is missing): open the kit with `make lab` "
            "(or `rotation-kit lab`), which makes your copies, and work there."
        )
    data = notebook.read_bytes()
    try:
        json.loads(data.decode("utf-8"))
    except ValueError as exc:
        raise HandInError(
            f"{notebook} is not a readable notebook ({exc}); nothing handed in. Open it in JupyterLab and save it again."
        ) from exc
    saved_at = datetime.fromtimestamp(notebook.stat().st_mtime)
    folder = work / HAND_IN_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / hand_in_name(learner_id, module, include_plan)
    other = folder / hand_in_name(learner_id, module, not include_plan)
    plan_names: list[str] = []
    partial = target.with_name(target.name + ".partial")
    if include_plan:
        plan = work / PLAN_FOLDER
        files = _plan_files(plan)
        manifest = {
            "learner_id": learner_id,
            "module": module,
            "notebook": f"{module}.ipynb",
            "saved_at": saved_at.isoformat(timespec="seconds"),
            "plan_included": True,
        }
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{module}.ipynb", data)
            for path in files:
                archive.write(path, f"{PLAN_FOLDER}/{path.name}")
                plan_names.append(path.name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
    else:
        partial.write_bytes(data)
    os.replace(partial, target)  # a half-written file is never left under the real name
    if other.exists():  # one hand-in per module: an earlier choice about the plan does not linger beside it
        other.unlink()
    return HandedIn(target, module, learner_id, saved_at, plan_names)


def _running_copy(module: str, work: Path) -> bool:
    """Whether this kernel runs the learner's own copy, my_work/<module>/ (not a check, grading or another copy)."""
    mine = (work / module).resolve()
    places = [Path.cwd()]
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        places.append(Path(session).expanduser().parent)
    return any(place.resolve() == mine for place in places)


def hand_in(module: str, learner_id: str | None = None, include_plan: bool = False) -> Path | None:
    """The last cell of each module: hand in your saved notebook (save first); prints where the file is.

    `learner_id`: the id your facilitator gave you (needed once; it is saved in your profile).
    `include_plan=True` adds your saved plan (my_work/my_plan/); by default nothing of it is handed in.
    Never raises: when nothing can be handed in, it says why and what to do.
    """
    if running_solutions_notebook() is not None:
        print("This is a solutions notebook: nothing is handed in from here.")
        return None
    work = work_dir()
    if not _running_copy(module, work):
        if os.environ.get("JUPYTERHUB_USER"):  # a single-user server started by JupyterHub
            print("On the course's JupyterHub, hand in with Submit in Nbgrader > Assignment List.")
        elif os.environ.get(HOME_ENV):
            print("(Hand-in skipped: this run is a check or grading, not your own copy in my_work/.)")
        else:
            print(
                f"Nothing handed in: this notebook is not your copy of {module} in {work}. "
                f"Open {work / module / (module + '.ipynb')} (`make lab` opens your copies) and run this cell there."
            )
        return None
    try:
        done = write_hand_in(module, learner_id, include_plan, work)
    except (HandInError, ProfileError, OSError) as exc:
        print(f"Nothing handed in. {exc}")
        return None
    print(done.text())
    return done.path
