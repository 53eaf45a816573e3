"""Benchmark: each solution notebook's run time against a floor notebook that only imports pandas and matplotlib.

Every assignment in solutions/ is timed: each main-path module and its optional code lab
(NN_name_code). Both run the same way (nbclient, fresh python3 kernel, from the module's
folder), a few times each, each run paired with a run of the floor just before it; the median of
the pairs' ratios is reported. Goal: every notebook at most GOAL times
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


def with_one_line_cells(floor_nb, count: int):
    """The floor followed by `count` one-line cells: the kernel round trips of a notebook's cells, with no work."""
    nb = nbformat.from_dict(dict(floor_nb))
    nb.cells = list(nb.cells) + [nbformat.v4.new_code_cell(f"x = {i}") for i in range(count)]
    return nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.replace("GOAL times", f"{GOAL}x"))
    parser.add_argument("--repeats", type=int, default=7, help="paired runs per notebook (default 7)")
    parser.add_argument(
        "--render",
        action="store_true",
        help="draw every figure as JupyterLab does (the inline backend) and report what a learner waits for; "
        "informational, the goal is for the default run",
    )
    parser.add_argument(
        "--cell-floor",
        action="store_true",
        help="also time, in each pair, the floor followed by one-line cells (`x = 1`) up to the notebook's number "
        "of code cells: what the cell count alone costs in kernel round trips; informational",
    )
    parser.add_argument("modules", nargs="*", help="assignment ids (default: every one in solutions/, labs too)")
    args = parser.parse_args()
    if args.render:
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    else:
        os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["ROTATION_KIT_HOME"] = tempfile.mkdtemp(prefix="rotation-kit-bench-")
    floor_nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import pandas as pd\nimport matplotlib.pyplot as plt")]
    )
    floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    wanted = args.modules or modules(ROOT)
    # Paired runs: the floor runs again just before each run of a notebook, and the ratio is the median of the
    # pairs' ratios. A shared VM drifts by a third within minutes; one floor measured at the start would
    # charge that drift to whichever notebooks ran while the machine was slow.
    floors: list[float] = []
    load_before = os.getloadavg()
    print(f"load average at the start: {load_before[0]:.2f} ({os.cpu_count()} cores)")
    results = {"goal_ratio": GOAL, "figures_rendered": args.render, "load_average_before": load_before, "modules": {}}
    worst, over = 0.0, []
    for module in wanted:
        path = ROOT / "solutions" / module / f"{module}.ipynb"
        pairs, cell_floors = [], []
        code_cells = sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)
        for _ in range(args.repeats):
            floor_s = run_once(nbformat.from_dict(dict(floor_nb)), ROOT)
            seconds = run_once(nbformat.read(path, as_version=4), path.parent)
            floors.append(floor_s)
            pairs.append((seconds, floor_s))
            if args.cell_floor:
                cell_floors.append(run_once(with_one_line_cells(floor_nb, code_cells - 1), ROOT))
        ratio = statistics.median(s_ / f_ for s_, f_ in pairs)
        seconds = statistics.median(s_ for s_, _ in pairs)
        worst = max(worst, ratio)
        lab = is_code_lab(module)
        results["modules"][module] = {"seconds": seconds, "ratio": ratio, "code_lab": lab}
        if ratio > GOAL:
            over.append(module)
        kind = "code lab" if lab else "main"
        verdict = "" if args.render else ("ok" if ratio <= GOAL else "OVER GOAL")
        line = f"{module:29s} {kind:8s} {seconds:6.2f} s  {ratio:4.2f}x  {verdict}"
        if cell_floors:
            cells_ratio = statistics.median(c / f_ for c, (_, f_) in zip(cell_floors, pairs, strict=True))
            against = statistics.median(s_ / c for c, (s_, _) in zip(cell_floors, pairs, strict=True))
            results["modules"][module] |= {
                "code_cells": code_cells,
                "cell_floor_ratio": cells_ratio,
                "ratio_to_cell_floor": against,
            }
            line += f"  ({code_cells} code cells: {cells_ratio:4.2f}x for one-line cells alone; {against:4.2f}x that)"
        print(line)
    results["floor_s"] = statistics.median(floors) if floors else None
    results["load_average_after"] = os.getloadavg()
    tenths = statistics.quantiles(floors, n=10, method="inclusive") if len(floors) > 1 else [1.0] * 9
    spread = tenths[-1] / tenths[0]  # the slowest tenth against the fastest tenth: one stray run does not count
    results["floor_spread"] = spread
    print(
        f"floor (import pandas + matplotlib): median {results['floor_s']:.2f} s over {len(floors)} paired runs "
        f"(90th percentile {spread:.2f}x the 10th); load average at the end: {results['load_average_after'][0]:.2f}"
    )
    if spread > 1.25:
        # Pairing cancels slow drift, not other work that comes and goes within one pair: such a run is noisy.
        print("the floor varied by more than a quarter: other work was running; run again on a quiet machine")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "notebook_speed_rendered.json" if args.render else "notebook_speed.json"
    (out / name).write_text(json.dumps(results, indent=2))
    if args.render:
        print(f"figures drawn as in JupyterLab: worst ratio {worst:.2f}x (informational); results in {out / name}")
        return 0
    print(f"worst ratio {worst:.2f}x (goal <= {GOAL}x); results in {out / name}")
    if over:
        print(f"over the goal: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
