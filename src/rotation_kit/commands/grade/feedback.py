"""Feedback for learners: one HTML page per learner per module that never shows hidden tests.

nbgrader's `generate_feedback` renders the autograded notebook, in which nbgrader
has put the hidden tests back into the test cells (that is how it runs them). Its
feedback would show their source to the learner, and a failing hidden test's
traceback quotes the lines around the failure. Here nbgrader's own
generate_feedback runs with one more preprocessor, `HideHiddenTests`, which:

- removes every region between the hidden-test markers from every cell (the
  markers and the mark-scheme ones are nbgrader's, read from the course's
  config: `ClearHiddenTests.begin_test_delimeter`, `ClearMarkScheme.begin_mark_scheme_delimeter`...);
- in test cells that had hidden tests, replaces tracebacks with their last line
  (the check's message for the learner: what was expected, what came back, a hint);
- removes any line of a hidden test that still appears in any output;
- removes mark schemes from task cells (they stay visible to graders in formgrader).

Submissions that could not be read get a short page saying why, and every page
starts with the notes from grading (e.g. "test cell ex31_tests was edited; the
original was graded").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, NbGraderPreprocessor
from traitlets import Unicode
from traitlets.config import Config

from ...course import Course
from ._html import render

_MIN_SCRUB = 8  # shorter hidden lines (`)`, `else:`) say nothing and would blank ordinary words


def strip_regions(source: str, begin: str, end: str) -> tuple[str, list[str]]:
    """`source` without the regions between lines containing `begin` and `end` (markers included)."""
    kept, removed, inside = [], [], False
    for line in source.splitlines(keepends=True):
        if not inside and begin in line:
            inside = True
            removed.append(line)
            continue
        if inside:
            removed.append(line)
            if end in line:
                inside = False
            continue
        kept.append(line)
    return "".join(kept), [line.rstrip("\n") for line in removed]


@dataclass(frozen=True)
class Markers:
    """Where hidden tests and mark schemes begin and end: the course's nbgrader settings."""

    hidden_tests: tuple[str, str]
    mark_scheme: tuple[str, str]


def markers(config: Config | None = None) -> Markers:
    """The delimiters nbgrader itself uses with `config` (ClearHiddenTests, ClearMarkScheme; its defaults without)."""
    tests, scheme = ClearHiddenTests(config=config or Config()), ClearMarkScheme(config=config or Config())
    return Markers(
        (tests.begin_test_delimeter, tests.end_test_delimeter),
        (scheme.begin_mark_scheme_delimeter, scheme.end_mark_scheme_delimeter),
    )


def hidden_lines(source_notebook: Path, marks: Markers | None = None) -> set[str]:
    """The stripped lines of all hidden tests (and mark schemes) in a source notebook."""
    marks = marks or markers()
    found: set[str] = set()
    nb = nbformat.read(source_notebook, as_version=4)
    for cell in nb.cells:
        for begin, end in (marks.hidden_tests, marks.mark_scheme):
            _, removed = strip_regions(cell.source, begin, end)
            found.update(
                line.strip()
                for line in removed
                if len(line.strip()) >= _MIN_SCRUB and begin not in line and end not in line
            )
    return found


def _scrub(text, secrets: set[str]):
    if isinstance(text, list):
        return [_scrub(t, secrets) for t in text]
    if not isinstance(text, str):
        return text
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "[hidden test]")
    return text


class HideHiddenTests(NbGraderPreprocessor):
    """Take hidden tests and mark schemes out of a notebook before it becomes feedback."""

    source_directory = Unicode("", help="The course's source folder (to find the hidden tests).").tag(config=True)

    def preprocess(self, nb, resources):
        marks = markers(self.config)
        secrets: set[str] = set()
        info = resources.get("nbgrader", {})
        source = Path(self.source_directory) / info.get("assignment", "") / f"{info.get('notebook', '')}.ipynb"
        if self.source_directory and source.is_file():
            secrets = hidden_lines(source, marks)
        for cell in nb.cells:
            text, hidden = strip_regions(cell.source, *marks.hidden_tests)
            text, scheme = strip_regions(text, *marks.mark_scheme)
            cell.source = text.rstrip("\n")
            if hidden and cell.cell_type == "code":
                cell.source += "\n# (hidden tests are not shown)"
            if scheme:
                cell.source += "\n\n*(The mark scheme is not shown.)*"
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    if hidden:
                        output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
                    output["traceback"] = _scrub(output.get("traceback", []), secrets)
                    output["evalue"] = _scrub(output.get("evalue", ""), secrets)
                elif "text" in output:
                    output["text"] = _scrub(output["text"], secrets)
                for mime, value in list(output.get("data", {}).items()):
                    if mime.startswith("text/") or mime.endswith("json"):
                        output["data"][mime] = _scrub(value, secrets)
        return nb, resources


def _banner(notes: list[str]) -> str:
    return render("feedback_notes.html.j2", notes=notes)


def _learner_notes(details: list[str]) -> list[str]:
    """The grading notes a learner may see (not the instructor's review hints)."""
    return [d for d in details if not d.startswith("review:")]


def _unreadable_page(module: str, student: str, details: list[str]) -> str:
    return render(
        "feedback_unreadable.html.j2",
        module=module,
        student=student,
        notes=_learner_notes(details) or ["no notebook found"],
    )


def generate_feedback(course: Course, modules: list[str] | None = None, log=print) -> list[Path]:
    """Write feedback HTML for every autograded (or unreadable) submission of `modules`."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.apps import NbGraderAPI
    from nbgrader.preprocessors import GetGrades

    from .autograde import _quiet_logs, load_state

    _quiet_logs()
    state = load_state(course)
    modules = modules or [m for m in course.modules() if any(course.autograded.glob(f"*/{m}")) or state.get(m)]
    written: list[Path] = []
    for module in modules:
        course.check_module(module)
        config = course.config()
        config.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
        config.HideHiddenTests.source_directory = str(course.source)
        students = sorted(p.parent.name for p in course.autograded.glob(f"*/{module}") if p.is_dir())
        if students:
            api = NbGraderAPI(coursedir=course.coursedir(), config=config)
            result = api.generate_feedback(module, force=True)
            if not result["success"]:
                log(f"nbgrader generate_feedback {module} reported problems:\n{result.get('log', '')[-2000:]}")
        for student, record in sorted(state.get(module, {}).items()):
            folder = course.feedback / student / module
            details = record.get("details", [])
            if not (course.submitted / student / module).is_dir():
                continue  # an old record (the course was reset since)
            if not (course.autograded / student / module).is_dir() and record.get("status") != "missing":
                folder.mkdir(parents=True, exist_ok=True)
                for name in course.notebook_names(module):
                    page = folder / f"{name}.html"
                    page.write_text(_unreadable_page(module, student, details), encoding="utf-8")
                    written.append(page)
                continue
            notes = _learner_notes(details)
            for page in sorted(folder.glob("*.html")):
                if notes:
                    text = page.read_text(encoding="utf-8")
                    body = re.search(r"<body[^>]*>", text)
                    end = body.end() if body else 0
                    page.write_text(text[:end] + _banner(notes) + text[end:], encoding="utf-8")
        written.extend(sorted(p for s in students for p in (course.feedback / s / module).glob("*.html")))
        log(f"{module}: feedback for {len(students)} learner(s) in {course.feedback}")
    return sorted(set(written))
