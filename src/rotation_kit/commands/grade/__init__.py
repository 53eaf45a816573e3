"""`rotation-kit grade ...`: the instructor's grading workflow on top of nbgrader, one command each.

Fast, safe and tamper-proof; one module per step of the workflow (grading/README.md):

- `roster`: import the class list into nbgrader's gradebook;
- `collect`: bring submissions in (LMS zip via nbgrader's zip_collect, a folder, nbgrader's exchange);
- `screen`: look at each submitted file before nbgrader does (unreadable files, tampering, stray files);
- `autograde`: grade everything new on all cores and merge into the gradebook, with a summary;
- `execute`: nbgrader's Execute preprocessor made robust to hostile notebooks;
- `sandbox`: the learner's kernel inside bubblewrap, under resource limits;
- `integrity`: no credit for the kit's own reference answers, and the flags for review;
- `progress`: the progress line while grading;
- `formgrader`: start nbgrader's formgrader for manual grading;
- `feedback`: feedback pages that never show hidden tests;
- `report`: grades.csv and the class report;
- `demo`: a fictional class to try the workflow on (tests and the benchmark use it too);
- this package: the `grade` sub-commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..._startup import skip_unused_iri_checker
from ...course import Course, CourseError

skip_unused_iri_checker()  # workers and commands import nbformat next


def _course(args) -> Course:
    return Course.at(args.course)


def _roster(args) -> int:
    from .roster import import_roster

    added, updated = import_roster(_course(args), Path(args.csv))
    print(f"Roster imported: {added} learner(s) added, {updated} updated.")
    return 0


def _collect(args) -> int:
    from .collect import collect_exchange, collect_folder, collect_zip

    course = _course(args)
    if args.zip:
        found = collect_zip(course, args.module, Path(args.zip))
    elif args.folder:
        found = collect_folder(course, args.module, Path(args.folder))
    else:
        found = collect_exchange(course, args.module, args.exchange_root)
    print(found.text(args.module))
    return 0


def _limits(args):
    from .autograde import Limits

    return Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                  memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds, sandbox=not args.no_sandbox)


def _autograde(args) -> int:
    from .autograde import autograde

    summary = autograde(_course(args), args.module or None, args.student or None, args.workers, args.force,
                        _limits(args), progress=not args.no_progress)
    print(summary.text())
    return 0


def _feedback(args) -> int:
    from .feedback import generate_feedback

    generate_feedback(_course(args), args.module or None)
    return 0


def _export(args) -> int:
    from .report import build_report, export_grades

    course = _course(args)
    out = Path(args.out) if args.out else course.export
    grades = export_grades(course, out / "grades.csv")
    report = build_report(course, out / "report.html")
    print(f"wrote {grades}\nwrote {report}")
    return 0


def _formgrader(args) -> int:
    from .formgrader import start_formgrader

    course = _course(args)
    print(f"Starting formgrader for {course.root} (Ctrl-C to stop)...")
    process = start_formgrader(course, args.port, browser=not args.no_browser)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def _demo(args) -> int:
    from .demo import make_demo

    out = Path(args.out) if args.out else Course.at(args.course).grading / "demo-class"
    course = make_demo(out, args.learners, args.modules or None, args.seed, args.force)
    print(f"Try the workflow on it:\n  rotation-kit grade autograde --course {course.root}\n"
          f"  rotation-kit grade feedback --course {course.root}\n  rotation-kit grade export --course {course.root}")
    return 0


def _wrap(func):
    return lambda args: run(func, args)


def add_parser(sub) -> None:
    """Add `grade` and its actions to the kit's command line (`sub`: the main subparsers)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course", help="the course folder (default: this kit's checkout)")
    grade = sub.add_parser("grade", help="instructor grading: roster, collect, autograde, formgrader, feedback, "
                                         "export, demo (see grading/README.md)")
    actions = grade.add_subparsers(dest="action", required=True)

    roster = actions.add_parser("roster", parents=[common], help="import the class roster (CSV: id, names, email)")
    roster.add_argument("csv", help="the roster CSV: a column of learner ids; names and email optional")
    roster.set_defaults(func=_wrap(_roster))

    collect = actions.add_parser("collect", parents=[common], help="bring submissions in (LMS zip, folder, exchange)")
    collect.add_argument("module", help="module id, e.g. 03_where_to_rotate")
    source = collect.add_mutually_exclusive_group(required=True)
    source.add_argument("--zip", help="an LMS download: a zip of the learners' files")
    source.add_argument("--folder", help="a folder of notebooks named by learner (or one folder per learner)")
    source.add_argument("--exchange", action="store_true", help="nbgrader's exchange (what learners submitted in JupyterLab)")
    collect.add_argument("--exchange-root", help="the exchange folder (default: from nbgrader_config.py)")
    collect.set_defaults(func=_wrap(_collect))

    auto = actions.add_parser("autograde", parents=[common], help="autograde every new submission, on all cores, sandboxed")
    auto.add_argument("module", nargs="*", help="module ids (default: every module with submissions)")
    auto.add_argument("--student", action="append", help="only this learner (repeat for more)")
    auto.add_argument("--workers", type=int, help="parallel graders (default: one per core)")
    auto.add_argument("--force", action="store_true", help="regrade submissions already graded")
    auto.add_argument("--cell-timeout", type=int, help="seconds per cell (default: Execute.timeout in nbgrader_config.py)")
    auto.add_argument("--notebook-timeout", type=int, default=600, help="seconds per notebook (default: 600)")
    auto.add_argument("--memory-mb", type=int, default=2048, help="memory per learner's kernel (default: 2048)")
    auto.add_argument("--cpu-seconds", type=int, default=300, help="CPU time per learner's kernel (default: 300)")
    auto.add_argument("--no-sandbox", action="store_true", help="do not use bubblewrap (trusted submissions only)")
    auto.add_argument("--no-progress", action="store_true", help="no progress bar")
    auto.set_defaults(func=_wrap(_autograde))

    formgrader = actions.add_parser("formgrader", parents=[common], help="start nbgrader's formgrader for manual grading")
    formgrader.add_argument("--port", type=int, help="port to serve on (default: JupyterLab's, 8888 or the next free one)")
    formgrader.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    formgrader.set_defaults(func=_wrap(_formgrader))

    feedback = actions.add_parser("feedback", parents=[common], help="feedback HTML per learner (hidden tests never shown)")
    feedback.add_argument("module", nargs="*", help="module ids (default: every graded module)")
    feedback.set_defaults(func=_wrap(_feedback))

    export = actions.add_parser("export", parents=[common], help="grades.csv and the class report (HTML with plots)")
    export.add_argument("--out", help="folder to write into (default: grading/export/)")
    export.set_defaults(func=_wrap(_export))

    demo = actions.add_parser("demo", parents=[common], help="create a fictional class to try the workflow on")
    demo.add_argument("--learners", type=int, default=30, help="how many fictional learners (default: 30)")
    demo.add_argument("--modules", nargs="*", help="module ids (default: 03_where_to_rotate)")
    demo.add_argument("--out", help="folder (default: grading/demo-class/)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed: the same seed makes the same class (default: 2026)")
    demo.add_argument("--force", action="store_true", help="replace the folder if it exists")
    demo.set_defaults(func=_wrap(_demo))


def run(func, args) -> int:
    """Run an action; a problem the instructor must fix is a message, not a traceback."""
    try:
        return func(args)
    except CourseError as problem:
        print(f"rotation-kit grade {args.action}: {problem}", file=sys.stderr)
        return 2
