"""Benchmark: the kit's autograde against nbgrader's own, on the demo class.

Builds the demo class (default 30 fictional learners on three modules), copies it
twice, and grades every submission:

1. serially with plain `nbgrader autograde <module> --create --force`, module after module;
2. with `rotation-kit grade autograde` (screening, sandboxed kernels, one worker per core).

It reports both wall times and their ratio, whether the two gradebooks hold the
same grades (every cell's score, every manual-grading flag, every timestamp and
late time), and the peak memory of a kit worker and of a learner's kernel. Goal
on a 2-core machine: at least 1.7x faster, identical grades, under 500 MB per worker.
Not a test: timings depend on the machine and on what else runs on it (the load
average is reported). Results: benchmarks/results/grading_speed.json.

    .venv/bin/python benchmarks/grading_speed.py [--learners 30] [--modules A B C] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO, GOAL_MB = 1.7, 500
DEFAULT_MODULES = ["03_where_to_rotate", "04_before_rotation", "05_during_rotation"]


def grades(course) -> dict:
    """Everything autograde writes, per module, learner and cell."""
    found = {}
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            for submission in gb.assignment_submissions(assignment.name):
                cells = {}
                for nb in submission.notebooks:
                    cells.update({f"{nb.name}/{g.name}": (g.auto_score, g.needs_manual_grade) for g in nb.grades})
                found[f"{assignment.name}/{submission.student.id}"] = {
                    "timestamp": str(submission.timestamp),
                    "late": submission.total_seconds_late,
                    "cells": cells,
                }
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--modules", nargs="*", default=None)
    parser.add_argument("--workers", type=int, default=None, help="kit workers (default: one per core)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args()

    from rotation_kit.commands.grade.autograde import default_workers
    from rotation_kit.commands.grade.demo import make_demo
    from rotation_kit.course import Course, tool_env

    modules = args.modules or [m for m in DEFAULT_MODULES if (ROOT / "solutions" / m / f"{m}.ipynb").is_file()]
    env = {**tool_env(), "MPLBACKEND": "Agg"}
    scratch = Path(tempfile.mkdtemp(prefix="rotation-kit-grading-bench-"))
    env["ROTATION_KIT_HOME"] = str(scratch / "plan")  # serial nbgrader's kernels save the plan here
    print(f"Building the demo class: {args.learners} learners x {len(modules)} modules ({', '.join(modules)})...")
    demo = make_demo(scratch / "demo", args.learners, modules, log=lambda *a: None)
    serial_root, kit_root = scratch / "serial", scratch / "kit"
    shutil.copytree(demo.root, serial_root)
    shutil.copytree(demo.root, kit_root)
    cores = default_workers()
    load_before = os.getloadavg()

    start = time.perf_counter()
    for module in modules:
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", module, "--create", "--force"],
            cwd=serial_root,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(
                f"nbgrader autograde {module} reported errors (as nbgrader does for broken submissions):\n"
                + result.stderr[-1500:]
            )
    serial = time.perf_counter() - start
    print(f"serial nbgrader autograde: {serial:7.1f} s")

    start = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "rotation_kit.cli",
        "grade",
        "autograde",
        "--course",
        str(kit_root),
        "--no-progress",
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    kit = time.perf_counter() - start
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:])
        return 1
    print(f"rotation-kit grade autograde: {kit:7.1f} s")
    load_after = os.getloadavg()

    ours, theirs = grades(Course.at(kit_root)), grades(Course.at(serial_root))
    differing = sorted(k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
    last = json.loads((Course.at(kit_root).kit / "last_autograde.json").read_text())
    ratio = serial / kit
    report = {
        "learners": args.learners,
        "modules": modules,
        "submissions": len(theirs),
        "cores": cores,
        "workers": last["workers"],
        "sandboxed": last["sandboxed"],
        "serial_s": round(serial, 1),
        "kit_s": round(kit, 1),
        "ratio": round(ratio, 2),
        "goal_ratio": GOAL_RATIO,
        "identical_grades": not differing,
        "differing": differing[:20],
        "peak_worker_mb": round(last["peak_worker_mb"], 1),
        "peak_kernel_mb": round(last["peak_kernel_mb"], 1),
        "goal_mb": GOAL_MB,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "kit_statuses": {
            s: sum(1 for o in last["outcomes"] if o["status"] == s)
            for s in ("graded", "tampered", "timed out", "failed to run", "missing")
        },
    }
    print(
        f"ratio: {ratio:.2f}x (goal {GOAL_RATIO}x on 2 cores; this machine: {cores} core(s), "
        f"load {load_before[0]:.1f} -> {load_after[0]:.1f})"
    )
    print(
        f"identical grades: {'yes' if not differing else 'NO: ' + ', '.join(differing[:5])} ({len(theirs)} submissions)"
    )
    print(
        f"peak memory: worker {report['peak_worker_mb']} MB, learner kernel {report['peak_kernel_mb']} MB "
        f"(goal under {GOAL_MB} MB per worker)"
    )
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "grading_speed.json").write_text(json.dumps(report, indent=1))
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print(f"scratch courses kept in {scratch}")
    return 0 if not differing else 1


if __name__ == "__main__":
    sys.exit(main())
