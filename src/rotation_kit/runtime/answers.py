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


def name_words(name: Any) -> list[str]:
    """A name's words in lower case, without titles, notes in brackets or punctuation ("Dr. M. Ostrand" -> r, ostrand)."""
    text = re.sub(r"\(.*?\)", " ", str(name or "")).lower()
    text = re.sub(r"\b(dr|prof|professor|mr|ms|mrs|mx)\b\.?", " ", text)
    return re.findall(r"[a-z]+", text)


def same_person(a: Any, b: Any) -> bool:
    """Whether two written names can be the same person: "Dr. M. Ostrand", "Dr Rhea Ostrand", "R. O." all match.

    Same surname with the same first initial, or the same initials when one is written as initials only.
    """
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if len(wa[-1]) > 1 and len(wb[-1]) > 1:
        return wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0][0] == wb[0][0])
    return "".join(w[0] for w in wa) == "".join(w[0] for w in wb)


def among(name: Any, people: list[Any]) -> bool:
    """Whether `name` is one of `people` (compared with same_person)."""
    return any(same_person(name, other) for other in people)
