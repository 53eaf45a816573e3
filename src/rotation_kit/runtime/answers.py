"""Answers typed into a prepared template (names, dates): one rule for "not filled in yet" and for names.

Modules 04, 07 and 08 give the learner a template with "..." to type over, and the
capstone compares the names across modules; both need the same rules.
"""

from __future__ import annotations

import re
from typing import Any

BLANK = "..."  # what the answer templates hold until the learner types their own value


def unfilled(value: Any) -> bool:
    """True for a template value nobody has typed over yet ('...', '', only spaces), or for a non-text value."""
    return not isinstance(value, str) or value.strip() in ("", BLANK)


def person_key(name: Any) -> str:
    """A name compared loosely: no title, no brackets, no punctuation or spaces ("Dr. R. Ostrand" -> "rostrand")."""
    text = re.sub(r"\(.*?\)", " ", str(name or "")).lower()
    text = re.sub(r"\b(dr|prof|professor|mr|ms|mrs)\b\.?", " ", text)
    return re.sub(r"[^a-z]", "", text)
