"""`rotation-kit`: the kit's command line, a thin argparse layer over `commands/` (one module per verb)."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from . import __version__
from ._startup import skip_unused_iri_checker

skip_unused_iri_checker()


def _build(args: argparse.Namespace) -> int:
    from .commands.build import main as build

    return build(args)


def _data(args: argparse.Namespace) -> int:
    from .commands.data import main as data

    return data(args)


def _check(args: argparse.Namespace) -> int:
    from .commands.check import main as check

    return check(args)


def _slides(args: argparse.Namespace) -> int:
    from .commands.slides import main as slides

    return slides(args)


def _reset(args: argparse.Namespace) -> int:
    from .commands.reset import main as reset

    return reset(args)


def _lab(args: argparse.Namespace) -> int:
    from .commands.lab import main as lab

    return lab(args)


def _workspace(args: argparse.Namespace) -> int:
    from .commands.workspace import main as workspace

    return workspace(args)


def _hand_in(args: argparse.Namespace) -> int:
    from .commands.hand_in import main as hand_in

    return hand_in(args)


def _handout(args: argparse.Namespace) -> int:
    from .commands.handout import main as handout

    return handout(args)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rotation-kit", description=__doc__)
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = main.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="rebuild notebooks/ from solutions/ (nbgrader generate_assignment)")
    build.add_argument("module", nargs="*", help="module ids (default: all)")
    build.add_argument("--out", help="folder to write into (default: notebooks/)")
    build.set_defaults(func=_build)
    if importlib.util.find_spec("rotation_kit.datasets") is not None:  # the authors' generators: not in a handout
        data = sub.add_parser("data", help="regenerate data/ and data/README.md from the seeded generators")
        data.add_argument("--out", help="folder to write into (default: data/)")
        data.set_defaults(func=_data)
    check = sub.add_parser(
        "check",
        help="self-check a learner notebook: per exercise, passed or not, points, the first hint, and what to do next; "
        "with solutions/ beside the kit, the further checks too (a code lab's points are reported apart)",
    )
    check.add_argument(
        "path",
        help="your notebook (.ipynb), wherever it is, or a module id (03_where_to_rotate, "
        "or 03) for your copy in my_work/",
    )
    check.set_defaults(func=_check)
    slides = sub.add_parser("slides", help="render a module as a reveal.js slide deck (build/slides/)")
    slides.add_argument("module", help="module id, e.g. 03_where_to_rotate")
    slides.add_argument("--out", help="folder to write into (default: build/slides/)")
    slides.add_argument("--no-run", action="store_true", help="do not run the notebook first (no outputs, faster)")
    slides.add_argument("--reveal-prefix", help="where reveal.js is (default: a CDN; a local folder works offline)")
    slides.set_defaults(func=_slides)
    reset = sub.add_parser(
        "reset",
        help="archive graded work to grading/archive/, then return the kit to a clean "
        "state; asks before touching learners' own work in my_work/",
    )
    reset.add_argument("--dry-run", action="store_true", help="only list what would be archived and cleared")
    reset.add_argument(
        "--yes",
        action="store_true",
        help="do not ask before clearing graded work (learners' own work still needs --learner-work)",
    )
    reset.add_argument(
        "--learner-work",
        choices=["keep", "archive", "delete"],
        help="what to do with learners' own work (my_work/): keep it (the default when nobody "
        "answers), archive it with the rest and clear it, or delete it with no copy kept",
    )
    reset.set_defaults(func=_reset)
    lab = sub.add_parser(
        "lab", help="make or update your copies in my_work/, then open JupyterLab on them (what `make lab` runs)"
    )
    lab.add_argument("--kit", help="the kit folder (default: this checkout)")
    lab.set_defaults(func=_lab)
    workspace = sub.add_parser(
        "workspace",
        help="make your own copies of the notebooks in my_work/ and bring kit "
        "updates into them, keeping every answer (run by `make lab`)",
    )
    workspace.add_argument("--kit", help="the kit folder (default: this checkout)")
    workspace.set_defaults(func=_workspace)
    hand_in = sub.add_parser(
        "hand-in",
        help="hand in without a hub: my_work/hand_in/<your id>__<module>.ipynb for your facilitator "
        "(your saved notebook; nothing of my_plan/ unless --include-plan)",
    )
    hand_in.add_argument("module", nargs="*", help="module ids (default: every module you have a copy of)")
    hand_in.add_argument("--learner-id", help="the id your facilitator gave you (needed once; saved in your profile)")
    hand_in.add_argument(
        "--include-plan",
        action="store_true",
        help="also hand in your saved plan (my_work/my_plan/: it holds visa, budget and training gaps); "
        "the file is then a .zip",
    )
    hand_in.add_argument("--kit", help="the kit folder (default: this checkout)")
    hand_in.set_defaults(func=_hand_in)
    handout = sub.add_parser(
        "handout",
        help="a zip for the room: learner notebooks, data, the runtime and a printable learner sheet; "
        "no solutions, hidden tests, mark schemes or grading",
    )
    handout.add_argument("--out", help="the zip to write (default: build/handout/rotation-kit-handout-<version>.zip)")
    handout.set_defaults(func=_handout)
    if importlib.util.find_spec("rotation_kit.commands.grade") is not None:  # not in a learner handout
        from .commands.grade import add_parser as add_grading  # instructor grading: `rotation-kit grade ...`

        add_grading(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
