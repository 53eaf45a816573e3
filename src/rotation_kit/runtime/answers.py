"""Answers typed into a prepared template (names, dates): one rule for "not filled in yet" and for names.

Modules 04, 07 and 08 give the learner a template with "..." to type over, and the
capstone compares the names across modules; both need the same rules.
"""

from __future__ import annotations

import re
from typing import Any

BLANK = "..."  # what the answer templates hold until the learner types their own value


def _stub_body() -> None: ...


def _stub_body_with_docstring() -> None:
    """A docstring."""
    ...


_STUB_CODES = {_stub_body.__code__.co_code, _stub_body_with_docstring.__code__.co_code}


def is_stub_function(value: Any) -> bool:
    """A function whose body is still only the blank `...` (and maybe its docstring): not written yet."""
    code = getattr(value, "__code__", None)
    return code is not None and code.co_code in _STUB_CODES and not code.co_names


def blanks_in(value: Any, where: str = "") -> list[str]:
    """Where an answer still holds the blank `...`: [] when filled in, else e.g. ['["prestige"]', '[2]'].

    Looks inside dicts, lists, tuples and sets (any depth), so a half-filled template says which parts are left.
    """
    if value is Ellipsis or is_stub_function(value):
        return [where or "the answer"]
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += blanks_in(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found += blanks_in(item, f"{where}[{i}]")
    elif isinstance(value, (set, frozenset)) and Ellipsis in value:
        found.append(where or "the answer")
    return found


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
