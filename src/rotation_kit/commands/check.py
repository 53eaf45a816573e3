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

A self-paced learner with the full kit (solutions/ readable beside it) also gets
the further checks the grader runs: nbgrader's own SaveCells records the source
notebook's cells (hidden tests included) in a throw-away gradebook and its
OverwriteCells puts them into a scratch copy of the learner's notebook, as
`nbgrader autograde` does; the copy runs in a temporary folder, and the report
names the further check that fails (its what/expected/got/hint), never its code.
Without solutions/ (a cohort, or a shared server where it is closed) the report
says the further checks run at grading. A code lab's points are reported as the
optional lab's, apart from the main path.
"""

from __future__ import annotations

import contextlib
import copy
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
from ..runtime.checks import NO_ANSWER_YET, NOT_ANSWERED, PARTS_ENV, failed_parts
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
    further: str = ""  # passes the visible checks, but this further (hidden) check on other data fails
    further_expected: str = ""
    further_got: str = ""
    further_hint: str = ""
    further_earned: float | None = None  # points with the further checks too (None: not run)

    @property
    def passed(self) -> bool:
        return self.status == "passed" and not self.further

    @property
    def visible_passed(self) -> bool:
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
    further_run: bool = False  # the further (hidden) checks are run: solutions/ is readable beside the kit
    code_lab_of: str | None = None  # the main module, when this notebook is that module's optional code lab
    code_lab: str | None = None  # this main module's optional code lab, when the kit has one

    @property
    def auto(self) -> list[Exercise]:
        return [e for e in self.exercises if not e.manual]

    @property
    def all_passed(self) -> bool:
        return not self.type_changed and all(e.passed for e in self.auto)

    def points(self) -> tuple[float, float]:
        return sum(e.earned for e in self.auto), sum(e.possible for e in self.auto)

    def further_points(self) -> float:
        """Points with the further checks too (only meaningful when `further_run`)."""
        return sum(e.earned if e.further_earned is None else e.further_earned for e in self.auto)

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
    best, best_overlap, best_same = None, 0.0, -1
    texts = {c.source for c in nb.cells}
    for module, source in sources.items():
        source_ids = set(grade_ids(source))
        shared_tests = set(check_cell_ids(nb)) & set(check_cell_ids(source))
        overlap = len(ids & source_ids) / len(ids | source_ids)
        # A code lab can share its module's grade ids (exNK_*): then the cells' own text decides.
        same = sum(c.source in texts for c in source.cells)
        if shared_tests and (overlap, same) > (best_overlap, best_same):
            best, best_overlap, best_same = module, overlap, same
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


# -- the further (hidden) checks --------------------------------------------------------------


def solutions_source(base: Path, module: str) -> Path | None:
    """The module's source notebook in solutions/, when this learner may read it (the full kit, self-paced)."""
    folder = base / "solutions"
    path = folder / module / f"{module}.ipynb"
    if not os.access(folder, os.R_OK | os.X_OK) or not os.access(path, os.R_OK):
        return None
    return path if path.is_file() else None


def has_hidden_tests(source, base: Path) -> bool:
    from ..course import nbgrader_config
    from .grade.feedback import markers

    begin = markers(nbgrader_config(base)).hidden_tests[0]
    return any(begin in c.source for c in source.cells if is_check(c))


def with_further_checks(nb, source, module: str, scratch: Path, base: Path):
    """A copy of the learner's notebook whose check cells are the source's, hidden tests included.

    nbgrader's own way, as in `generate_assignment` then `autograde`: SaveCells records the source
    notebook's cells (after LockCells, ClearSolutions, ComputeChecksums, before ClearHiddenTests) in a
    gradebook, here a throw-away one in `scratch`; OverwriteCells then puts every locked cell back in
    the copy from it. The learner's own notebook is not touched.
    """
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import (
        CheckCellMetadata,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
        OverwriteCells,
        SaveCells,
    )

    from ..course import nbgrader_config, tool_env

    config = nbgrader_config(base)
    db_url = f"sqlite:///{scratch / 'further-checks.db'}"
    with temporary_env(PATH=tool_env()["PATH"]), Gradebook(db_url) as gradebook:  # nbgrader runs `alembic`
        gradebook.add_assignment(module)
    resources = {"nbgrader": {"notebook": module, "assignment": module, "db_url": db_url}}
    recorded = copy.deepcopy(source)
    for step in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata, ComputeChecksums, SaveCells):
        recorded, resources = step(config=config).preprocess(recorded, resources)
    mine, _ = OverwriteCells(config=config).preprocess(copy.deepcopy(nb), resources)
    return mine


def run_further_checks(nb, source, module: str, base: Path):
    """The learner's notebook with the further checks, executed in a temporary folder (as the validator runs)."""
    import logging

    from nbgrader.utils import chdir
    from nbgrader.validator import Validator

    from ..course import nbgrader_config

    with tempfile.TemporaryDirectory(prefix="rotation-kit-further-") as scratch:
        folder = Path(scratch)
        mine = with_further_checks(nb, source, module, folder, base)
        validator = Validator(config=nbgrader_config(base))
        validator.log.setLevel(logging.ERROR)
        (folder / "run").mkdir()
        with _scratch_home(), temporary_env(**{PARTS_ENV: "1"}), chdir(str(folder / "run")):
            return validator._preprocess(mine)


def _further_message(cell) -> tuple[str, str, str, str]:
    """(what, expected, got, hint) of a failing further check, from its CheckFailed parts; never its code."""
    output = _error_output(cell)
    parts = failed_parts(output) if output is not None else None
    if parts is not None:
        return parts["what"], parts["expected"], parts["got"], parts["hint"]
    if output is not None:
        return (
            f"it stopped with {output.ename}" + (f": {_first_line(output.evalue)}" if output.evalue else ""),
            "",
            "",
            "",
        )
    if _stderr(cell):
        return f"it printed a warning: {_first_line(_stderr(cell))}", "", "", ""
    return "it gave part of its points", "", "", ""


def add_further_outcome(exercises: list[Exercise], executed_further) -> None:
    """For each exercise that passes its visible checks: the first further check that fails, and its points."""
    from nbgrader import utils

    by_key = {e.key: e for e in exercises if not e.manual}
    for exercise in by_key.values():
        exercise.further_earned = exercise.earned if exercise.visible_passed else None
    for cell in executed_further.cells:
        gid = grade_id(cell)
        if not gid or not is_check(cell):
            continue
        exercise = by_key.get(exercise_of(gid))
        if exercise is None or not exercise.visible_passed:
            continue
        score, maximum = utils.determine_grade(cell)
        if score is None or score >= maximum:
            continue
        exercise.further_earned -= maximum - (score or 0.0)
        if not exercise.further:
            what, expected, got, hint = _further_message(cell)
            exercise.further, exercise.further_expected, exercise.further_got = what, expected, got
            exercise.further_hint = hint


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
    elif error and error[0] == "NotImplementedError":  # a copy made before the `...` stubs
        exercise.status = "unanswered"
        exercise.hint = NOT_ANSWERED
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
            if not exercise or exercise.manual or not error:
                continue
            if error[0] == "NotImplementedError":  # the stub of a copy made before the `...` stubs
                if exercise.status == "failed":
                    exercise.status, exercise.failed_check, exercise.hint = "unanswered", "", NOT_ANSWERED
                    exercise.expected = exercise.got = ""
            else:
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
    from ..course import CODE_LAB_SUFFIX, is_code_lab, main_module_of

    module = identify(nb, sources)
    source = sources[module]
    order = [m for m in sources if not is_code_lab(m)]
    following = order[order.index(main_module_of(module)) + 1 :] if main_module_of(module) in order else []
    source_version = any("### BEGIN SOLUTION" in c.source for c in nb.cells if is_solution(c))
    executed, changed, type_changed = execute(nb, path.parent, base)
    exercises = read_outcome(executed, source) if not type_changed else []
    if is_code_lab(module):
        for exercise in exercises:
            exercise.label = "Lab " + exercise.label[0].lower() + exercise.label[1:]
    changed_keys = {exercise_of(c) for c in changed}
    for exercise in exercises:
        exercise.changed = exercise.key in changed_keys
    full_source = solutions_source(base, module)
    further_run = full_source is not None
    if further_run and any(e.visible_passed for e in exercises if not e.manual):
        hidden = nbformat.read(full_source, as_version=4)
        if has_hidden_tests(hidden, base):
            add_further_outcome(exercises, run_further_checks(nb, hidden, module, base))
    lab = module + CODE_LAB_SUFFIX
    return Report(
        path=path,
        module=module,
        title=_title(source),
        exercises=exercises,
        next_module=following[0] if following else None,
        changed_cells=changed,
        type_changed=type_changed,
        source_version=source_version,
        further_run=further_run,
        code_lab_of=main_module_of(module) if is_code_lab(module) else None,
        code_lab=lab if lab in sources else None,
    )


# -- the words the learner reads --------------------------------------------------------------


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


STATUS_WORDS = {
    "passed": "passed",
    "further": "visible checks pass",
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
    if report.code_lab_of:
        lines += _wrap(
            f"This is the optional code lab of module {report.code_lab_of}: its points never count toward "
            "the main path's grade, and skipping it never lowers that grade.",
            "",
        )
        lines.append("")
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
        status = "further" if exercise.further else exercise.status
        lines.append(
            f"{mark} {exercise.label:<14} {STATUS_WORDS[status]:<20} {exercise.earned:g} / {exercise.possible:g} points"
        )
        if exercise.further:
            lines += _wrap(
                f"Passes the visible checks; a further check on other data fails: {exercise.further}", "     "
            )
            if exercise.further_expected or exercise.further_got:
                lines += _wrap(f"Expected: {exercise.further_expected}", "     ")
                lines += _wrap(f"Got: {exercise.further_got}", "     ")
            if exercise.further_hint:
                lines += _wrap(f"Hint: {exercise.further_hint}", "     ")
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
    passed = sum(e.visible_passed for e in report.auto)
    kind = "Code lab (optional) exercises" if report.code_lab_of else "Autograded exercises"
    lines += [""] + _wrap(
        f"{kind} passing the visible checks: {passed} of {len(report.auto)}; "
        f"points on the visible checks: {earned:g} of {possible:g}.",
        "",
    )
    if report.further_run and not any(e.visible_passed for e in report.auto):
        lines += _wrap(
            "Further checks on other data (from solutions/ beside your kit) run for each exercise once it "
            "passes its visible checks.",
            "",
        )
    elif report.further_run:
        failing = [e for e in report.auto if e.further]
        lines += _wrap(
            f"With the further checks on other data (run from solutions/ beside your kit): "
            f"{report.further_points():g} of {possible:g} points"
            + (f"; {len(failing)} exercise(s) pass the visible checks but not a further one." if failing else "."),
            "",
        )
    else:
        lines += _wrap("Further checks on other data run when your work is graded.", "")
    if report.code_lab_of:
        lines += _wrap("These are code lab points, kept apart from the main path's.", "")
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
        if first.further:
            action = (
                f"work on {first.label}: it passes the visible checks but not a further check on other data; "
                "make your answer follow the rule in general (read the hint above), not just for this example."
            )
        elif first.answer_error:
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
            "Next: every autograded exercise passes its visible checks and the further checks."
            if report.further_run
            else "Next: every autograded exercise passes its visible checks. When your work is graded, more "
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
        if report.code_lab:
            out += _wrap(
                f"If you want the data-skills practice, this module's optional code lab is "
                f"my_work/{report.code_lab}/{report.code_lab}.ipynb (its points are kept apart).",
                "",
            )
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
