"""`rotation-kit`: the kit's command line (build learner notebooks, rebuild data, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._startup import skip_unused_iri_checker

skip_unused_iri_checker()


def _build(args: argparse.Namespace) -> int:
    from .course import build_learner_notebooks

    written = build_learner_notebooks(Path(args.out) if args.out else None, args.module or None)
    for path in written:
        print(f"built {path}")
    return 0


def _data(args: argparse.Namespace) -> int:
    from .course import root
    from .datasets import build_all

    out = Path(args.out) if args.out else root() / "data"
    for name in build_all(out):
        print(f"wrote {out / name}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .commands.check import NotAKitNotebook, check_notebook

    try:
        report = check_notebook(Path(args.path))
    except NotAKitNotebook as problem:
        print(f"Cannot check {args.path}: {problem}", file=sys.stderr)
        return 2
    except Exception as problem:  # the kernel died or could not start: say so plainly
        print(f"The notebook could not be run to the end ({type(problem).__name__}: {problem}). Open it in "
              "JupyterLab and use Kernel > Restart Kernel and Run All Cells to see where it stops.", file=sys.stderr)
        return 1
    print(report.text())
    return 0 if report.all_passed else 1


def _slides(args: argparse.Namespace) -> int:
    from .commands.slides import render_module

    for path in render_module(args.module, Path(args.out) if args.out else None, execute=not args.no_run,
                              reveal_prefix=args.reveal_prefix):
        print(f"wrote {path}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from .commands.reset import reset_kit

    return reset_kit(dry_run=args.dry_run, assume_yes=args.yes)


def _prepare_lab(args: argparse.Namespace) -> int:
    from .commands.lab import prepare_lab

    prepare_lab(Path(args.kit) if args.kit else None)
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="rotation-kit", description=__doc__)
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
