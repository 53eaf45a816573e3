"""`rotation-kit data` (`make data`): regenerate data/ and data/README.md from the seeded generators."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..course import root
from ..datasets import build_all


def main(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else root() / "data"
    for name in build_all(out):
        print(f"wrote {out / name}")
    return 0
