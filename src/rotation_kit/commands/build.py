"""`rotation-kit build` (`make notebooks`): rebuild the learner notebooks in notebooks/ from solutions/.

The build itself is the course's (`course.build_learner_notebooks`, nbgrader generate_assignment).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..course import build_learner_notebooks


def main(args: argparse.Namespace) -> int:
    written = build_learner_notebooks(Path(args.out) if args.out else None, args.module or None)
    for path in written:
        print(f"built {path}")
    return 0
