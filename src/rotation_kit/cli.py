"""`rotation-kit`: the kit's command line, a thin argparse layer over `commands/` (one module per verb)."""

from __future__ import annotations

import argparse
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


def _prepare_lab(args: argparse.Namespace) -> int:
    from .commands.lab import main as prepare_lab

    return prepare_lab(args)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rotation-kit", description=__doc__)
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = main.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="rebuild notebooks/ from solutions/ (nbgrader generate_assignment)")
    build.add_argument("module", nargs="*", help="module ids (default: all)")
    build.add_argument("--out", help="folder to write into (default: notebooks/)")
    build.set_defaults(func=_build)
    data = sub.add_parser("data", help="regenerate data/ and data/README.md from the seeded generators")
    data.add_argument("--out", help="folder to write into (default: data/)")
    data.set_defaults(func=_data)
    check = sub.add_parser("check", help="self-check a learner notebook: per exercise, passed or not, points, "
                                         "the first hint, and what to do next")
    check.add_argument("path", help="your notebook (.ipynb), wherever it is")
    check.set_defaults(func=_check)
    slides = sub.add_parser("slides", help="render a module as a reveal.js slide deck (build/slides/)")
    slides.add_argument("module", help="module id, e.g. 03_where_to_rotate")
    slides.add_argument("--out", help="folder to write into (default: build/slides/)")
    slides.add_argument("--no-run", action="store_true", help="do not run the notebook first (no outputs, faster)")
    slides.add_argument("--reveal-prefix", help="where reveal.js is (default: a CDN; a local folder works offline)")
    slides.set_defaults(func=_slides)
    reset = sub.add_parser("reset", help="archive graded work and learners' files to grading/archive/, "
                                         "then return the kit to a clean state")
    reset.add_argument("--dry-run", action="store_true", help="only list what would be archived and cleared")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(func=_reset)
    prep = sub.add_parser("prepare-lab", help="set up what JupyterLab's nbgrader panels need (run by `make lab`)")
    prep.add_argument("--kit", help="the kit folder (default: this checkout)")
    prep.set_defaults(func=_prepare_lab)
    from .commands.grade import add_parser as add_grading  # instructor grading: `rotation-kit grade ...`

    add_grading(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
