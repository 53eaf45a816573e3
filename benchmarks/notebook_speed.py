"""Benchmark: each solution notebook's run time against a floor notebook that only imports pandas and matplotlib.

Every assignment in solutions/ is timed: each main-path module and its optional code lab
(NN_name_code). Both run the same way (nbclient, fresh python3 kernel, from the module's
folder), a few times each; the median is reported. Goal: every notebook at most GOAL times
the floor (issue 10: "Notebook execution stays at most 1.3x the floor"); the exit status is 1
when one is over it. Not a test: timings depend on the machine. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from rotation_kit.course import is_code_lab, modules, nbgrader_config

ROOT = Path(__file__).resolve().parents[1]
#: The one place the goal lives: at most this many times the floor, for every notebook (main and lab).
GOAL = 1.3


def run_once(nb, folder: Path) -> float:
    config = nbgrader_config(ROOT)  # the kit's kernel settings (encrypted sockets), as grading uses them
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", config=config, resources={"metadata": {"path": str(folder)}}
    ).execute()
    return time.perf_counter() - start


def median_time(path_or_nb, folder: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        nb = nbformat.read(path_or_nb, as_version=4) if isinstance(path_or_nb, Path) else nbformat.from_dict(path_or_nb)
        times.append(run_once(nb, folder))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.replace("GOAL times", f"{GOAL}x"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("modules", nargs="*", help="assignment ids (default: every one in solutions/, labs too)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["ROTATION_KIT_HOME"] = tempfile.mkdtemp(prefix="rotation-kit-bench-")
    floor_nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import pandas as pd\nimport matplotlib.pyplot as plt")]
    )
    floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    wanted = args.modules or modules(ROOT)
    floor = median_time(dict(floor_nb), ROOT, args.repeats)
    print(f"floor (import pandas + matplotlib): {floor:.2f} s (median of {args.repeats})")
    results = {"floor_s": floor, "goal_ratio": GOAL, "modules": {}}
    worst, over = 0.0, []
    for module in wanted:
        path = ROOT / "solutions" / module / f"{module}.ipynb"
        seconds = median_time(path, path.parent, args.repeats)
        ratio = seconds / floor
        worst = max(worst, ratio)
        lab = is_code_lab(module)
        results["modules"][module] = {"seconds": seconds, "ratio": ratio, "code_lab": lab}
        if ratio > GOAL:
            over.append(module)
        kind = "code lab" if lab else "main"
        print(f"{module:29s} {kind:8s} {seconds:6.2f} s  {ratio:4.2f}x  {'ok' if ratio <= GOAL else 'OVER GOAL'}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "notebook_speed.json").write_text(json.dumps(results, indent=2))
    print(f"worst ratio {worst:.2f}x (goal <= {GOAL}x); results in {out / 'notebook_speed.json'}")
    if over:
        print(f"over the goal: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
