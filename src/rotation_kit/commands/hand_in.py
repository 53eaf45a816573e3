"""`rotation-kit hand-in [module ...]`: the hand-in files of `hand_in()` from a terminal, for one module or all.

For learners who prefer a command to the last cell, or who want every module at once
before a deadline. The files land in my_work/hand_in/ (see runtime/hand_in.py); the plan
goes in only with --include-plan.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..runtime.hand_in import HandInError, write_hand_in
from ..runtime.paths import HOME_ENV, PLAN_FOLDER, WORK_ENV, temporary_env, work_dir
from ..runtime.profile import ProfileError


def _modules_with_copies(work: Path) -> list[str]:
    """The modules the learner has a copy of in my_work/ (a folder holding `<module>.ipynb`), in course order."""
    if not work.is_dir():
        return []
    return sorted(p.name for p in work.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def hand_in_modules(
    modules: list[str], learner_id: str | None, include_plan: bool, kit: Path | None = None
) -> tuple[list, list[str]]:
    """Hand in each module; (files written, problems in words)."""
    work = work_dir(kit) if kit is not None else work_dir()
    env = {WORK_ENV: str(work), HOME_ENV: str(work / PLAN_FOLDER)}  # the id is saved beside the notebooks handed in
    wanted = modules or _modules_with_copies(work)
    if not wanted:
        return [], [f"No module copies in {work} yet: open the kit once with `make lab`, which makes them."]
    done, problems = [], []
    with temporary_env(**env):
        for index, module in enumerate(wanted):
            try:
                done.append(write_hand_in(module, learner_id if index == 0 else None, include_plan, work))
            except (HandInError, ProfileError, OSError) as exc:
                problems.append(f"{module}: {exc}")
                if learner_id is None and "learner_id=" in str(exc):
                    problems[-1] = (
                        f"{module}: the kit needs the id your facilitator gave you: run "
                        "`rotation-kit hand-in --learner-id YOUR-ID` once (it is saved in your profile)."
                    )
                    break
    return done, problems


def main(args: argparse.Namespace) -> int:
    done, problems = hand_in_modules(
        list(args.module), args.learner_id, args.include_plan, Path(args.kit) if args.kit else None
    )
    for item in done:
        print(
            f"{item.module}: {item.path}" + (f" (with {len(item.plan_files)} plan file(s))" if item.plan_files else "")
        )
    if done:
        print(
            f"{len(done)} file(s) to give your facilitator. They are your notebooks as last saved: save in "
            "JupyterLab (Ctrl+S) before running this."
            + ("" if args.include_plan else f" Nothing of {PLAN_FOLDER}/ is in them.")
        )
    for problem in problems:
        print(f"Not handed in: {problem}", file=sys.stderr)
    return 1 if problems else 0
