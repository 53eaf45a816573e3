"""`rotation-kit`: the kit's command line (build learner notebooks, rebuild data, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
