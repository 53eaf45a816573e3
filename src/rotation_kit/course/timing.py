"""How long a module really takes a careful non-native reader who does not program (the honest-time model).

The header of every notebook states an estimated time; `tests/test_timing.py` holds it to this
model, so the number a learner plans an evening around is not a guess:

- reading: every word the learner sees (markdown, hints, the code cells they run) at 130 words a minute;
- running: a quarter of a minute per code cell (click, Shift+Enter, look at the result);
- deciding: a few minutes per autograded answer on the main path (read the table, choose, check);
  writing a function in the code lab takes longer;
- writing: a written task at 20 words a minute for the most words it asks for (10 minutes when it
  names no length).
"""

from __future__ import annotations

import math
import re

from . import is_code_lab
from .cells import is_answer, is_manual

READING_WPM = 130
WRITING_WPM = 20
RUN_CELL_MIN = 0.25
DECISION_MIN = 3  # one main-path answer: a value, a choice, ids from a table
FUNCTION_MIN = 12  # one code-lab function, with its worked example and hint
WRITTEN_TASK_MIN = 10  # a written task that names no length
MAIN_PATH_RANGE = (30, 50)  # minutes a main-path module may state (the course map's budget)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_STATED = re.compile(r"estimated time:\**\s*(?:about\s+)?(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*min", re.IGNORECASE)
_ASKED_WORDS = re.compile(r"(\d+)\s*(?:-|–|to)\s*(\d+)\s*words|(?:up to|at most|about)\s*(\d+)\s*words", re.I)
_MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===", re.S)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def stated_minutes(nb) -> int | None:
    """The time the header states (the upper end of a range), or None when it states none."""
    found = _STATED.search(nb.cells[0].source) if nb.cells else None
    if not found:
        return None
    return int(found.group(2) or found.group(1))


def _asked_words(text: str) -> int | None:
    found = _ASKED_WORDS.search(text)
    if not found:
        return None
    return int(found.group(2) or found.group(3))


def modelled_minutes(nb, assignment: str) -> float:
    """Minutes the model above gives for the learner's version of a notebook (mark schemes are not shown)."""
    seen = 0
    cells = 0
    answers = 0
    writing = 0.0
    previous = ""
    for cell in nb.cells:
        text = _MARK_SCHEME.sub(" ", cell.source)
        seen += words(text)
        if cell.cell_type == "code":
            cells += 1
        if is_answer(cell):
            answers += 1
        if is_manual(cell):  # a task, or a written answer (its prompt is usually the cell before)
            asked = _asked_words(text) or _asked_words(previous)
            writing += asked / WRITING_WPM if asked else WRITTEN_TASK_MIN
        previous = text
    per_answer = FUNCTION_MIN if is_code_lab(assignment) else DECISION_MIN
    return seen / READING_WPM + cells * RUN_CELL_MIN + answers * per_answer + writing


def honest_statement(nb, assignment: str) -> str:
    """What the header should say at least: e.g. 'about 45 minutes'."""
    return f"{math.ceil(modelled_minutes(nb, assignment) / 5) * 5} minutes"
