"""The class report: one HTML page with plots, next to the grade files (export.py) it summarises.

The report answers what an instructor asks after grading: how did each module go
(score distribution), which exercises did the class get right (pass rate per
exercise), which ones to revisit in class (the exercises most often failed), what
is left to do by hand (submissions needing manual grading, and the ones the
autograder could not grade), and what needs a look (the integrity flags, per
submission: what was seen and where; a flag never changes a score). It is a single self-contained HTML file: the plots
are embedded, so it can be mailed or archived as it is.

The optional code labs (assignments `<module>_code`, issue 10) are reported apart: the overview,
the plots and the most-failed list are the main path's; the labs get their own section
("Code lab (optional)"), and the per-learner totals count the main path only, with the code
lab's points in a column of their own, so skipping a lab never lowers a main-path total.
"""

from __future__ import annotations

import base64
import io
import time
from pathlib import Path

import nbformat
import pandas as pd

from ...course import Course, is_code_lab
from ...course.cells import check_cell_ids, exercise_of
from ...runtime.plots import PALETTE
from ._html import render

PASS_SHARE = 0.6  # a submission "passes" a module with at least this share of its points
_COLOURS = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "grey")]


def _test_cells(course: Course, module: str) -> set[str]:
    cells: set[str] = set()
    for name in course.notebook_names(module):
        cells.update(check_cell_ids(nbformat.read(course.source / module / f"{name}.ipynb", as_version=4)))
    return cells


def grade_table(course: Course) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cells, submissions): one row per graded cell of each submission, one row per submission."""
    cells, subs = [], []
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            if assignment.name not in course.modules():
                continue
            tests = _test_cells(course, assignment.name)
            for submission in gb.assignment_submissions(assignment.name):
                pending = 0
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        kind = "test" if grade.name in tests else "manual"
                        cells.append(
                            {
                                "module": assignment.name,
                                "student": submission.student.id,
                                "cell": grade.name,
                                "exercise": exercise_of(grade.name),
                                "kind": kind,
                                "score": float(grade.score or 0),
                                "max_score": float(grade.max_score or 0),
                                "needs_manual_grade": bool(grade.needs_manual_grade),
                            }
                        )
                        pending += bool(grade.needs_manual_grade)
                maximum = float(submission.max_score or 0)
                subs.append(
                    {
                        "module": assignment.name,
                        "student": submission.student.id,
                        "score": float(submission.score or 0),
                        "max_score": maximum,
                        "share": float(submission.score or 0) / maximum if maximum else 0.0,
                        "needs_manual": pending,
                        "late": bool(submission.total_seconds_late and submission.total_seconds_late > 0),
                        "code_lab": is_code_lab(assignment.name),
                        "penalty": float(submission.late_submission_penalty or 0),
                    }
                )
    return pd.DataFrame(cells), pd.DataFrame(subs)


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _figure(png: str, alt: str) -> dict:
    return {"png": png, "alt": alt}


def _table(frame: pd.DataFrame) -> str:
    """pandas' own HTML table (escaped); empty when there are no rows (the template says "None.")."""
    return "" if frame.empty else frame.to_html(index=False, escape=True, border=0, classes="t")


def pass_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """Share of submissions with full marks on each autograded exercise."""
    tests = cells[cells["kind"] == "test"]
    if tests.empty:
        return pd.DataFrame(columns=["module", "exercise", "submissions", "passed", "pass_rate"])
    tests = tests.assign(passed=tests["score"] >= tests["max_score"])
    rates = (
        tests.groupby(["module", "exercise"], sort=True)
        .agg(submissions=("passed", "size"), passed=("passed", "sum"))
        .reset_index()
    )
    rates["pass_rate"] = rates["passed"] / rates["submissions"]
    return rates


def module_overview(subs: pd.DataFrame) -> pd.DataFrame:
    """One row per module: submissions, mean and median score, share passing, late, needing manual grading."""
    overview = (
        subs.groupby("module")
        .agg(
            submissions=("student", "size"),
            mean_score=("score", "mean"),
            max_score=("max_score", "max"),
            median_share=("share", "median"),
            passing=("share", lambda s: (s >= PASS_SHARE).mean()),
            late=("late", "sum"),
            needing_manual=("needs_manual", lambda s: int((s > 0).sum())),
        )
        .reset_index()
    )
    overview["median_share"] = (overview["median_share"] * 100).round(0).astype(int).astype(str) + "%"
    overview["passing"] = (overview["passing"] * 100).round(0).astype(int).astype(str) + "%"
    overview["mean_score"] = overview["mean_score"].round(1)
    return overview.rename(
        columns={
            "median_share": "median score",
            "passing": f"scoring ≥ {int(PASS_SHARE * 100)}%",
            "needing_manual": "needing manual grading",
            "mean_score": "mean score",
            "max_score": "points",
        }
    )


LAB_COLUMN = "code lab (optional)"


def learner_totals(subs: pd.DataFrame) -> pd.DataFrame:
    """One row per learner: the main path's points (code labs never in them) and, apart, the code labs';
    late penalties taken off, as in the grade files (export.py)."""
    if subs.empty:
        return pd.DataFrame(columns=["learner", "main path", "of", "modules submitted", LAB_COLUMN])
    subs = subs.assign(counted=(subs["score"] - subs["penalty"]).clip(lower=0))  # as the grade files count it
    main, labs = subs[~subs["code_lab"]], subs[subs["code_lab"]]
    possible = main.groupby("module")["max_score"].max().sum()
    rows = []
    for learner in sorted(subs["student"].unique()):
        mine, my_labs = main[main["student"] == learner], labs[labs["student"] == learner]
        rows.append(
            {
                "learner": learner,
                "main path": round(float(mine["counted"].sum()), 2),
                "of": round(float(possible), 2),
                "modules submitted": len(mine),
                LAB_COLUMN: (
                    f"{my_labs['counted'].sum():g} of {my_labs['max_score'].sum():g} ({len(my_labs)} lab(s))"
                    if len(my_labs)
                    else "none"
                ),
            }
        )
    return pd.DataFrame(rows)


def flagged_submissions(course: Course, flags: dict) -> list[dict]:
    """integrity.read_flags' {(module, learner): [Flag]} as the report lists it: one entry per submission."""
    with course.gradebook() as gb:
        names = {s.id: f"{s.first_name or ''} {s.last_name or ''}".strip() for s in gb.students}
    return [
        {
            "module": module,
            "learner": learner,
            "name": names.get(learner, ""),
            "flags": [
                {"kind": f.kind, "what": f.what, "where": f.where or (f"exercise {f.exercise}" if f.exercise else "")}
                for f in found
            ],
        }
        for (module, learner), found in sorted(flags.items(), key=lambda item: (item[0][1], item[0][0]))
    ]


def build_report(course: Course, to: Path | None = None, flags: dict | None = None) -> Path:
    """Write the class report (HTML) and return its path.

    `flags`: integrity.read_flags(course), when the caller already has them.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from .autograde import load_state
    from .integrity import FLAG_KINDS, read_flags

    target = to or course.export / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    cells, subs = grade_table(course)
    all_subs = subs
    state = load_state(course)
    sections: list[dict] = []

    def section(
        heading: str,
        note: str = "",
        command: str = "",
        figure: dict | None = None,
        table: str | None = None,
        legend: dict | None = None,
        flagged: list | None = None,
    ) -> None:
        sections.append(
            {
                "heading": heading,
                "note": note,
                "command": command,
                "figure": figure,
                "table": table,
                "legend": legend,
                "flagged": flagged,
            }
        )

    # Overview: the main path; the optional code labs apart
    lab_subs = subs[subs["code_lab"]] if not subs.empty else subs
    subs = subs[~subs["code_lab"]] if not subs.empty else subs
    lab_cells = cells[cells["module"].map(is_code_lab)] if not cells.empty else cells
    cells = cells[~cells["module"].map(is_code_lab)] if not cells.empty else cells
    modules = sorted(subs["module"].unique()) if not subs.empty else []
    if not subs.empty:
        section("Overview: main path", table=_table(module_overview(subs)))
    else:
        section("Overview: main path", note="No graded submissions yet: run", command="rotation-kit grade autograde")

    # Score distribution per module
    if modules:
        fig, ax = plt.subplots(figsize=(max(5, 1.6 * len(modules) + 2), 4))
        data = [subs.loc[subs["module"] == m, "share"] * 100 for m in modules]
        ax.boxplot(data, showfliers=False, widths=0.5, medianprops={"color": PALETTE["vermillion"], "linewidth": 2})
        for i, values in enumerate(data, start=1):
            offsets = [(j % 7 - 3) * 0.04 for j in range(len(values))]
            ax.scatter(
                [i + o for o in offsets], values, s=18, color=_COLOURS[(i - 1) % len(_COLOURS)], alpha=0.8, zorder=3
            )
        ax.set_xticks(range(1, len(modules) + 1), modules, rotation=20, ha="right")
        ax.set_ylabel("Score (% of the module's points)")
        ax.set_xlabel("Module")
        ax.set_ylim(-5, 105)
        ax.set_title("Score distribution per module")
        summary = "; ".join(f"{m}: median {v.median():.0f}%" for m, v in zip(modules, data, strict=True))
        section("Score distribution per module", figure=_figure(_png(fig), summary))

    # Pass rate per exercise, and the ones most often failed
    rates = pass_rates(cells) if not cells.empty else pass_rates(pd.DataFrame(columns=["kind"]))
    if not rates.empty:
        labels = [f"{m} · {e}" for m, e in zip(rates["module"], rates["exercise"], strict=True)]
        fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(rates) + 1)))
        colours = [
            _COLOURS[modules.index(m) % len(_COLOURS)] if m in modules else PALETTE["grey"] for m in rates["module"]
        ]
        ax.barh(labels[::-1], (rates["pass_rate"] * 100)[::-1], color=colours[::-1])
        ax.set_xlabel("Submissions with full marks (%)")
        ax.set_ylabel("Exercise")
        ax.set_xlim(0, 100)
        ax.set_title("Pass rate per exercise")
        best = rates.loc[rates["pass_rate"].idxmax()]
        section(
            "Pass rate per exercise",
            figure=_figure(
                _png(fig), f"Highest pass rate: {best['module']} {best['exercise']} ({best['pass_rate']:.0%})"
            ),
        )

        worst = rates.sort_values(["pass_rate", "module", "exercise"]).head(10).copy()
        fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(worst) + 1)))
        ax.barh(
            [f"{m} · {e}" for m, e in zip(worst["module"], worst["exercise"], strict=True)][::-1],
            ((1 - worst["pass_rate"]) * 100)[::-1],
            color=PALETTE["vermillion"],
        )
        ax.set_xlabel("Submissions without full marks (%)")
        ax.set_ylabel("Exercise")
        ax.set_xlim(0, 100)
        ax.set_title("Exercises most often failed")
        worst["failed"] = worst["submissions"] - worst["passed"]
        worst["fail rate"] = ((1 - worst["pass_rate"]) * 100).round(0).astype(int).astype(str) + "%"
        top = worst.iloc[0]
        section(
            "Exercises most often failed",
            figure=_figure(
                _png(fig),
                f"Most often failed: {top['module']} {top['exercise']} ({1 - top['pass_rate']:.0%} without full marks)",
            ),
            table=_table(worst[["module", "exercise", "submissions", "failed", "fail rate"]]),
        )

    # The optional code labs, apart: never part of the main path's totals
    lab_note = (
        "Optional: a learner who skips a code lab loses nothing on the main path. These points are kept "
        "apart here, in their own columns of the grade files, and never count toward the main path's totals."
    )
    if not lab_subs.empty:
        lab_rates = pass_rates(lab_cells) if not lab_cells.empty else pd.DataFrame()
        if not lab_rates.empty:
            lab_rates = lab_rates.assign(
                **{"pass rate": (lab_rates["pass_rate"] * 100).round(0).astype(int).astype(str) + "%"}
            )[["module", "exercise", "submissions", "passed", "pass rate"]]
        section(
            f"Code lab (optional): {lab_subs['module'].nunique()} lab(s), {len(lab_subs)} submission(s)",
            note=lab_note,
            table=_table(module_overview(lab_subs)) + _table(lab_rates),
        )
    else:
        section("Code lab (optional)", note=lab_note + " No code lab submissions yet.")

    # Per learner: the main path's total, and the code labs' points beside it
    section(
        "Per learner: main-path total, code lab (optional) apart",
        note="The main path's points, out of every main-path module graded so far; code lab points beside them, "
        "never added in.",
        table=_table(learner_totals(all_subs)),
    )

    # Manual grading to do (main path and code labs: both need a person)
    cells = pd.concat([cells, lab_cells]) if not lab_cells.empty else cells
    if not cells.empty:
        todo = cells[cells["needs_manual_grade"]]
        todo = (
            todo.groupby(["module", "student"])
            .agg(cells=("cell", lambda c: ", ".join(sorted(c))), points=("max_score", "sum"))
            .reset_index()
        )
    else:
        todo = pd.DataFrame()
    section(
        f"Submissions needing manual grading ({len(todo)})",
        note="Grade them in formgrader:",
        command="rotation-kit grade formgrader",
        table=_table(todo),
    )

    # What the autograder could not do
    submitted = set(zip(all_subs["module"], all_subs["student"], strict=True)) if not all_subs.empty else set()
    rows = [
        {"module": m, "learner": s, "status": r.get("status"), "what happened": "; ".join(r.get("details", [])[:4])}
        for m, by in sorted(state.items())
        for s, r in sorted(by.items())
        if r.get("status") in ("failed to run", "timed out", "tampered") and (m, s) in submitted
    ]
    section(f"Submissions the autograder flagged ({len(rows)})", table=_table(pd.DataFrame(rows)))

    # What needs a look: the integrity flags, per submission (none changes a score)
    flags = read_flags(course) if flags is None else flags
    section(
        f"Needs a look ({len(flags)} submission{'' if len(flags) == 1 else 's'})",
        note="What grading saw in these submissions, and where. None of it changes a score: a flag says "
        "what was seen, for you to judge (the only zero, for kit-answer, comes from the rule that the "
        "kit's own answer earns nothing). Open the submission in formgrader:",
        command="rotation-kit grade formgrader",
        flagged=flagged_submissions(course, flags),
        legend=FLAG_KINDS if flags else None,
    )

    from .export import EXPORTERS, FLAGS_FILE

    page = render(
        "report.html.j2",
        course=course.course_id or course.root.name,
        sections=sections,
        generated=time.strftime("%Y-%m-%d %H:%M"),
        gradebook=str(course.gradebook_path),
        grade_files=[*EXPORTERS, FLAGS_FILE],
    )
    target.write_text(page, encoding="utf-8")
    return target
