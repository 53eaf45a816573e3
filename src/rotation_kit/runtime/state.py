"""The learner's work carried between modules (profile, shortlist, pitch, ...), saved as JSON.

Each module saves what later modules reuse with `save_part`; a later module calls
`load_part`, which falls back to the sample learner's version and names the module
to run first, so running modules out of order gives a message, never a NameError.

Every saved part records where it came from (`source`): "yours" when the learner's
own answer made it, "example" when a notebook saved the kit's example in its place
(an exercise left unanswered, no profile yet). The capstone reads it with
`part_source`, so a stand-in is never reported as the learner's own work.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .paths import learner_home

YOURS, EXAMPLE = "yours", "example"
SOURCES = (YOURS, EXAMPLE)


def _path(name: str):
    return learner_home() / f"{name}.json"


def save_part(name: str, value: Any, source: str = YOURS) -> str:
    """Save one part of the plan (a dict, list, str or DataFrame) and where it came from; returns the file path.

    `source` is "yours" for the learner's own answer, "example" for the kit's example saved in its place.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if isinstance(value, pd.DataFrame):
        payload = {"kind": "table", "value": json.loads(value.to_json(orient="records"))}
    else:
        payload = {"kind": "value", "value": value}
    payload["source"] = source
    path = _path(name)
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return str(path)


def has_part(name: str) -> bool:
    return _path(name).is_file()


def part_source(name: str) -> str | None:
    """Where a saved part came from ("yours" or "example"), or None when nothing readable is saved.

    Parts saved before sources were recorded count as "yours" (they were saved by the learner's own run).
    """
    path = _path(name)
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    source = payload.get("source", YOURS) if isinstance(payload, dict) else None
    return source if source in SOURCES else None


def load_part(name: str, fallback: Any, made_in: str, verbose: bool = True) -> Any:
    """Your saved part, or `fallback` with a note naming the module (`made_in`) that makes it."""
    path = _path(name)
    if path.is_file():
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            value = payload["value"]
            if verbose:
                whose = "your" if payload.get("source", YOURS) == YOURS else "the kit's example"
                print(f"Using {whose} {name} from module {made_in}.")
            return pd.DataFrame(value) if payload.get("kind") == "table" else value
        except (ValueError, KeyError, TypeError) as exc:
            if verbose:
                print(f"Your saved {name} ({path}) could not be read ({exc}); run module {made_in} again to "
                      "save it. Using the sample learner's for now.")
            return fallback
    if verbose:
        print(f"No saved {name} yet: run module {made_in} first to use your own. "
              "Using the sample learner's for now.")
    return fallback
