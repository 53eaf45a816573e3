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


def typed_ids(value: Any) -> list[str]:
    """Ids picked from a table as the learner typed them (" f0001", "k3") in the kit's spelling; [] for a non-list."""
    return [str(i).strip().upper() for i in value] if isinstance(value, (list, tuple, set)) else []


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


def waiting_for(value: Any, name: str, exercise: str = "") -> bool:
    """For a cell that uses an answer: True, and a note saying what to fill in first, while it still holds `...`.

    Try-it cells and the kit's show_* functions call this instead of failing, so Run All on an
    untouched notebook goes on to the end.
    """
    left = blanks_in(value)
    if not left:
        return False
    where = f" ({exercise})" if exercise else ""
    parts = "" if left == ["the answer"] else " at " + ", ".join(f"{name}{w}" for w in left)
    print(f"Waiting for your answer{where}: `{name}` still has `...`{parts}. Fill it in, run that cell, then this one.")
    return True


def try_it(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run the learner's function on an example for a try-it cell; never raises, so Run All goes on.

    Until the function is written (its body is still `...`) it says so; an error in it is reported
    in one plain sentence (the check cell below gives the details).
    """
    name = getattr(func, "__name__", "your function")
    if func is Ellipsis or is_stub_function(func):
        print(f"`{name}` has no answer yet: write it in the cell above, run that cell, then this one.")
        return None
    if not callable(func):
        print(f"`{name}` is not a function yet: define it with `def {name}(...):` in the cell above.")
        return None
    try:
        return func(*args, **kwargs)
    except Exception as exc:  # a try-it cell shows the problem; the check cell explains it
        print(f"{name}(...) stopped with {type(exc).__name__}: {exc}. Fix it above, run that cell, then this one.")
        return None
