"""`rotation-kit check`: a learner's self-check of one notebook, built on nbgrader's validator.

nbgrader's `validate` runs a notebook's visible check cells and says pass or fail
for the whole notebook. A learner working alone needs more: which exercise
passed, how many points each earned of how many, the first hint for what
failed, and what to do next. This module runs the same validator machinery
(cell-metadata check, clear outputs, execute with the kit's time limit) and
then reads each check cell's outcome, grouping cells by exercise.

It works on any copy of a kit notebook anywhere on disk (renamed or not): the
notebook is recognised by its nbgrader cell ids, which must match a module in
`solutions/`. The learner's file is only read, never written, and the run
cannot change the learner's saved plan: the notebook runs with a throw-away
copy of the saved work (ROTATION_KIT_HOME), so it sees the learner's profile
but whatever it saves is discarded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course.cells import (
    check_cell_ids,
    exercise_of,
    grade_id,
    grade_ids,
    is_answer,
    is_check,
    is_manual,
    is_solution,
    nbgrader_meta,
    points,
)
from ..runtime.checks import NO_ANSWER_YET, PARTS_ENV, failed_parts
from ..runtime.paths import HOME_ENV, WORK_FOLDER, learner_home, temporary_env, work_dir

WIDTH = 88


class NotAKitNotebook(ValueError):
    """The path given to the check is not one of the kit's module notebooks; the message says why."""


@dataclass
class Exercise:
    """One exercise's outcome in the self-check."""

    key: str  # e.g. "ex32"
    label: str  # e.g. "Exercise 3.2"
    possible: float  # points
    manual: bool = False  # graded by a person, not checked here
    earned: float = 0.0
    status: str = "passed"  # passed | failed | unanswered | missing | manual
    failed_check: str = ""  # the "Check failed: ..." line, when there is one
    expected: str = ""
    got: str = ""
    hint: str = ""
    answer_error: str = ""  # an error raised by the learner's own answer cell
    changed: bool = False  # its check cell was edited (the grader puts the original back)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class Report:
    """Everything the self-check found about one notebook."""

    path: Path
    module: str
    title: str
    exercises: list[Exercise]
    next_module: str | None = None
    changed_cells: list[str] = field(default_factory=list)
    type_changed: list[str] = field(default_factory=list)
    source_version: bool = False

    @property
    def auto(self) -> list[Exercise]:
        return [e for e in self.exercises if not e.manual]

    @property
    def all_passed(self) -> bool:
        return not self.type_changed and all(e.passed for e in self.auto)

    def points(self) -> tuple[float, float]:
        return sum(e.earned for e in self.auto), sum(e.possible for e in self.auto)

    def text(self, command: str = "rotation-kit check") -> str:
        return format_report(self, command)


# -- recognising a kit notebook ---------------------------------------------------------------


def read_notebook(path: Path):
    """The notebook at `path`, or NotAKitNotebook with a message a learner can act on."""
    if not path.exists():
        raise NotAKitNotebook(f"There is no file at {path}. Check the path (tab-completion helps).")
    if path.is_dir():
        found = sorted(p for p in path.glob("*.ipynb"))
        if len(found) != 1:
            raise NotAKitNotebook(
                f"{path} is a folder with {len(found)} notebooks in it; give the path of one notebook (.ipynb)."
            )
        path = found[0]
    if path.suffix != ".ipynb":
        raise NotAKitNotebook(f"{path.name} is not a notebook: the check reads .ipynb files, one of the kit's modules.")
    try:
        return path, nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, or not a notebook
        raise NotAKitNotebook(
            f"{path.name} could not be read as a notebook ({type(exc).__name__}). If JupyterLab shows it fine, "
            "save it again from JupyterLab (Ctrl+S) and retry."
        ) from None


def identify(nb, sources: dict[str, object]) -> str:
    """The module id whose source notebook this notebook was made from (by nbgrader cell ids)."""
    ids = set(grade_ids(nb))
    if not ids:
        raise NotAKitNotebook(
            "This notebook has no nbgrader exercise cells, so it is not one of the kit's module notebooks. "
            "Your copies of the kit's notebooks are in my_work/<module>/ (e.g. my_work/03_where_to_rotate/"
            "03_where_to_rotate.ipynb); `rotation-kit check 03_where_to_rotate` finds that one for you."
        )
    best, best_overlap = None, 0.0
    for module, source in sources.items():
        source_ids = set(grade_ids(source))
        shared_tests = set(check_cell_ids(nb)) & set(check_cell_ids(source))
        overlap = len(ids & source_ids) / len(ids | source_ids)
        if shared_tests and overlap > best_overlap:
            best, best_overlap = module, overlap
    if best is None or best_overlap < 0.5:
        sample = ", ".join(sorted(ids)[:4])
        raise NotAKitNotebook(
            f"This notebook has nbgrader cells ({sample}, ...) but they match none of the kit's modules "
            f"({', '.join(sources)}). It may belong to another course, or too much of it was deleted; "
            "start again from a fresh copy in notebooks/ (the kit's clean copies)."
        )
    return best


def _sources(base: Path) -> dict[str, object]:
    """Each module's reference notebook, in course order: its source in solutions/, or, in a copy of the
    kit handed out without solutions/, its released version in notebooks/ (same cells, ids and points)."""
    found: dict[str, object] = {}
    for folder in ("solutions", "notebooks"):
        # On a shared server solutions/ exists but is closed to learners: use the released notebooks.
        if not (base / folder).is_dir() or not os.access(base / folder, os.R_OK | os.X_OK):
            continue
        for module in sorted(p.name for p in (base / folder).iterdir()):
            path = base / folder / module / f"{module}.ipynb"
            if module not in found and path.is_file():
                found[module] = nbformat.read(path, as_version=4)
    if not found:
        raise NotAKitNotebook(f"The kit at {base} has no modules in solutions/ or notebooks/ to compare with.")
    return dict(sorted(found.items()))


def _title(source) -> str:
    """The module's title, from the first heading of its header cell."""
    for cell in source.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    title = line[2:].strip()
                    return re.sub(r"^Module \d+\s*[·:\-]\s*", "", title)
    return ""


def exercise_label(key: str) -> str:
    """`ex32` -> `Exercise 3.2`; `ex01` -> `Exercise 0.1` (module number is the first digit)."""
    match = re.fullmatch(r"ex(\d)(\d+)", key)
    return f"Exercise {match.group(1)}.{int(match.group(2))}" if match else key


# -- running the notebook ---------------------------------------------------------------------


@contextlib.contextmanager
def _scratch_home():
    """A throw-away copy of the learner's saved work: the notebook reads it, its saves vanish."""
    saved = learner_home(create=False)
    with tempfile.TemporaryDirectory(prefix="rotation-kit-check-") as scratch:
        home = Path(scratch) / "my_plan"
        if saved.is_dir():
            shutil.copytree(saved, home)
        else:
            home.mkdir()
        with temporary_env(**{HOME_ENV: str(home)}):
            yield home


def execute(nb, folder: Path, base: Path):
    """Run the notebook as `nbgrader validate` does, in `folder`; returns (executed notebook, ids of
    locked cells that were edited, ids of cells whose type changed; then nothing runs)."""
    import logging

    from nbgrader.utils import chdir
    from nbgrader.validator import Validator

    from ..course import nbgrader_config

    validator = Validator(config=nbgrader_config(base))
    validator.log.setLevel(logging.ERROR)
    type_changed = [grade_id(c) or "?" for c in validator._get_type_changed_cells(nb)]
    if type_changed:
        return nb, [], type_changed
    changed = [grade_id(c) or "?" for c in validator._get_changed_cells(nb)]
    with _scratch_home(), temporary_env(**{PARTS_ENV: "1"}), chdir(str(folder)):
        nb = validator._preprocess(nb)
    return nb, changed, []


# -- reading the outcome ----------------------------------------------------------------------


def _error_output(cell):
    """The first error a code cell produced, if any."""
    return next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)


def _error(cell) -> tuple[str, str] | None:
    """(error name, message) of the first error a code cell produced, if any."""
    output = _error_output(cell)
    return (output.ename, output.evalue) if output is not None else None


def _stderr(cell) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr")


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def _score_test_cell(cell, exercise: Exercise) -> None:
    """Add one executed check cell's points and, for the first failure, its explanation."""
    from nbgrader import utils

    score, maximum = utils.determine_grade(cell)
    exercise.earned += score or 0.0
    if score is not None and score >= maximum:
        return
    if exercise.status in ("failed", "unanswered"):
        return  # keep the first failure's explanation
    error = _error(cell)
    exercise.status = "failed"
    parts = failed_parts(_error_output(cell)) if error else None
    if error and error[0] == "CheckFailed" and parts is None:  # not from the kit's checks: show its message
        exercise.failed_check = _first_line(error[1])
    elif parts is not None:
        exercise.failed_check, exercise.expected, exercise.got = parts["what"], parts["expected"], parts["got"]
        exercise.hint = parts["hint"]
        if parts["got"].startswith(NO_ANSWER_YET) or "NotImplementedError" in parts["got"]:
            exercise.status = "unanswered"
    elif error and error[0] == "NotImplementedError":
        exercise.status = "unanswered"
        exercise.hint = "This exercise has no answer yet: replace the `...` in its answer cell with your answer."
    elif error:
        exercise.failed_check = f"the check cell stopped with {error[0]}: {_first_line(error[1])}"
        exercise.hint = (
            "Run the notebook from the top (Run > Run All Cells): a cell above this one may not "
            "have run, or may have changed a name the check uses."
        )
    elif _stderr(cell):
        exercise.failed_check = f"the check cell printed a warning: {_first_line(_stderr(cell))}"
        exercise.hint = (
            "A check that prints a warning counts as failed; change your answer so it runs without warnings."
        )
    else:
        exercise.failed_check = f"partial credit: {score:g} of {maximum:g} points"


def read_outcome(executed, source) -> list[Exercise]:
    """Per-exercise results, in the order of the source notebook; points from the cells' nbgrader metadata."""
    exercises: dict[str, Exercise] = {}
    cells_by_id = {grade_id(c): c for c in executed.cells if grade_id(c)}
    for src in source.cells:
        gid = grade_id(src)
        manual = is_manual(src)
        if not gid or not (manual or is_check(src)):
            continue
        # A written part is listed on its own line, even when the exercise also has autograded checks.
        key = exercise_of(gid) + ("/written" if manual else "")
        mine = cells_by_id.get(gid)
        worth = points(mine) if mine is not None and "points" in nbgrader_meta(mine) else points(src)
        exercise = exercises.setdefault(
            key,
            Exercise(
                key=key,
                label=exercise_label(exercise_of(gid)),
                possible=0.0,
                manual=manual,
                status="manual" if manual else "passed",
            ),
        )
        exercise.possible += worth
        if manual:
            continue
        if mine is None:
            exercise.status = "missing"
            exercise.failed_check = f"its check cell ({gid}) is missing from your notebook"
            exercise.hint = "Copy the check cell back from a fresh copy of the module (see the learner guide)."
            continue
        _score_test_cell(mine, exercise)
    # An error in the learner's own answer cell explains a failing check better than the check does.
    for cell in executed.cells:
        if is_answer(cell) and grade_id(cell):
            exercise = exercises.get(exercise_of(grade_id(cell)))
            error = _error(cell)
            if exercise and not exercise.manual and error and error[0] != "NotImplementedError":
                exercise.answer_error = f"{error[0]}: {_first_line(error[1])}"
    return list(exercises.values())


# -- the whole check --------------------------------------------------------------------------


def resolve(target: str | Path, base: Path) -> Path:
    """A path as given, or for a module id (`03_where_to_rotate`, or just `03`) the learner's copy in my_work/."""
    path = Path(target).expanduser()
    if path.exists() or path.suffix == ".ipynb" or len(path.parts) > 1:
        return path
    from ..course import modules

    matches = [m for m in modules(base) if m == str(target) or m.startswith(f"{target}_")]
    if len(matches) != 1:
        return path  # read_notebook says there is no such file
    module = matches[0]
    mine = work_dir(base) / module / f"{module}.ipynb"
    if not mine.is_file():
        raise NotAKitNotebook(
            f"You have no copy of module {module} in {WORK_FOLDER}/ yet ({mine} is missing). "
            "Run `make lab` (or `rotation-kit workspace`) once: it makes your copies."
        )
    return mine


def check_notebook(path: Path, base: Path | None = None) -> Report:
    """Recognise, run and score one learner notebook; raises NotAKitNotebook for anything else."""
    from ..course import root

    base = base or root()
    path, nb = read_notebook(resolve(path, base).resolve())
    sources = _sources(base)
    module = identify(nb, sources)
    source = sources[module]
    order = list(sources)
    following = order[order.index(module) + 1 :]
    source_version = any("### BEGIN SOLUTION" in c.source for c in nb.cells if is_solution(c))
    executed, changed, type_changed = execute(nb, path.parent, base)
    exercises = read_outcome(executed, source) if not type_changed else []
    changed_keys = {exercise_of(c) for c in changed}
    for exercise in exercises:
        exercise.changed = exercise.key in changed_keys
    return Report(
        path=path,
        module=module,
        title=_title(source),
        exercises=exercises,
        next_module=following[0] if following else None,
        changed_cells=changed,
        type_changed=type_changed,
        source_version=source_version,
    )


# -- the words the learner reads --------------------------------------------------------------


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


STATUS_WORDS = {
    "passed": "passed",
    "failed": "not yet",
    "unanswered": "no answer yet",
    "missing": "check cell missing",
    "manual": "graded by a person",
}


def format_report(report: Report, command: str = "rotation-kit check") -> str:
    """The self-check's printout: one block per exercise, then the total and the next step."""
    lines = [
        f"Self-check of {report.path}",
        f"Module {report.module}" + (f": {report.title}" if report.title else ""),
        "",
    ]
    if report.source_version:
        lines += _wrap("Note: this is the instructor's source notebook (it contains the solutions).", "")
        lines.append("")
    if report.type_changed:
        lines += _wrap(
            "This notebook cannot be checked: these cells changed type (for example from code to "
            f"Markdown): {', '.join(report.type_changed)}. Select each one in JupyterLab and set its type "
            "back in the toolbar's drop-down (Code or Markdown), save, and check again.",
            "",
        )
        return "\n".join(lines)
    for exercise in report.exercises:
        if exercise.manual:
            lines.append(
                f"  {exercise.label:<14} {STATUS_WORDS['manual']:<20} {exercise.possible:g} points, not checked here"
            )
            continue
        mark = "ok" if exercise.passed else "--"
        lines.append(
            f"{mark} {exercise.label:<14} {STATUS_WORDS[exercise.status]:<20} "
            f"{exercise.earned:g} / {exercise.possible:g} points"
        )
        if exercise.answer_error:
            lines += _wrap(f"Your answer cell stopped with {exercise.answer_error}", "     ")
        if not exercise.passed:
            if exercise.failed_check and exercise.status != "unanswered":
                lines += _wrap(f"Check: {exercise.failed_check}", "     ")
                if exercise.expected or exercise.got:
                    lines += _wrap(f"Expected: {exercise.expected}", "     ")
                    lines += _wrap(f"Got: {exercise.got}", "     ")
            if exercise.hint:
                lines += _wrap(f"Hint: {exercise.hint}", "     ")
        if exercise.changed:
            lines += _wrap(
                "Its check cell was edited; the grader uses the original, so this result may differ from your grade.",
                "     ",
            )
    earned, possible = report.points()
    passed = sum(e.passed for e in report.auto)
    lines += [
        "",
        f"Autograded exercises passed: {passed} of {len(report.auto)}; "
        f"points on the visible checks: {earned:g} of {possible:g}.",
    ]
    lines += [""] + next_steps(report, command)
    return "\n".join(lines)


def next_steps(report: Report, command: str) -> list[str]:
    """What to do next, in a few sentences."""
    out: list[str] = []
    todo = [e for e in report.auto if not e.passed]
    manual = [e for e in report.exercises if e.manual]
    again = f"    {command} {shlex.quote(str(report.path))}"
    if todo:
        first = todo[0]
        if first.answer_error:
            action = (
                f"fix the error in your answer to {first.label}, run that cell (Shift+Enter), then run its check cell."
            )
        elif first.status == "unanswered":
            action = (
                f"write your answer to {first.label} in place of each `...` in its answer cell, run it "
                "(Shift+Enter), then run its check cell."
            )
        else:
            action = (
                f"work on {first.label}: read the hint above, change your answer, run the answer cell and "
                "then its check cell."
            )
        out += _wrap(f"Next: {action} Save the notebook (Ctrl+S) and check again:", "")
        out.append(again)
        out += _wrap(
            "Tried the hints (including the Hint block under the exercise) and still stuck? "
            "docs/learner-guide.md says when and how to open the solution.",
            "",
        )
    else:
        out += _wrap(
            "Next: every autograded exercise passes its visible checks. When your work is graded, more "
            "checks try other inputs, so a pass here is a good sign, not a guarantee.",
            "",
        )
    if manual:
        names = ", ".join(e.label for e in manual)
        out += _wrap(
            f"{names}: written answer(s) graded by a person; make sure you wrote them in the cell(s) under the prompt.",
            "",
        )
    if report.changed_cells:
        out += _wrap(
            f"Warning: you edited locked cells ({', '.join(report.changed_cells)}). Grading puts the "
            "originals back; if you are unsure, copy them from a fresh copy of the module.",
            "",
        )
    if not todo:
        if report.next_module:
            out += _wrap(
                f"Then go on to module {report.next_module} (my_work/{report.next_module}/{report.next_module}.ipynb).",
                "",
            )
        else:
            out += _wrap("This is the last module: your plan is saved in my_work/my_plan/.", "")
    return out


def main(args) -> int:
    """`rotation-kit check PATH`: print the report; 0 when every autograded exercise passes."""
    try:
        report = check_notebook(Path(args.path))
    except NotAKitNotebook as problem:
        print(f"Cannot check {args.path}: {problem}", file=sys.stderr)
        return 2
    except Exception as problem:  # the kernel died or could not start: say so plainly
        print(
            f"The notebook could not be run to the end ({type(problem).__name__}: {problem}). Open it in "
            "JupyterLab and use Kernel > Restart Kernel and Run All Cells to see where it stops.",
            file=sys.stderr,
        )
        return 1
    print(report.text())
    return 0 if report.all_passed else 1
