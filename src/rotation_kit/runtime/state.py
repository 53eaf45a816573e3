"""The learner's work carried between modules (profile, shortlist, pitch, ...), saved as JSON.

Each module saves what later modules reuse with `save_part`; a later module calls
`load_part`, which falls back to the sample learner's version and names the module
to run first, so running modules out of order gives a message, never a NameError.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .paths import learner_home


def _path(name: str):
    return learner_home() / f"{name}.json"


def save_part(name: str, value: Any) -> str:
    """Save one part of the plan (a dict, list, str or DataFrame); returns the file path."""
    if isinstance(value, pd.DataFrame):
        payload = {"kind": "table", "value": json.loads(value.to_json(orient="records"))}
    else:
        payload = {"kind": "value", "value": value}
    path = _path(name)
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return str(path)


def has_part(name: str) -> bool:
    return _path(name).is_file()


def load_part(name: str, fallback: Any, made_in: str, verbose: bool = True) -> Any:
    """Your saved part, or `fallback` with a note naming the module (`made_in`) that makes it."""
    path = _path(name)
    if path.is_file():
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            value = payload["value"]
            if verbose:
                print(f"Using your {name} from module {made_in}.")
            return pd.DataFrame(value) if payload.get("kind") == "table" else value
        except (ValueError, KeyError) as exc:
            if verbose:
                print(f"Your saved {name} ({path}) could not be read ({exc}); run module {made_in} again to "
                      "save it. Using the sample learner's for now.")
            return fallback
    if verbose:
        print(f"No saved {name} yet: run module {made_in} first to use your own. "
              "Using the sample learner's for now.")
    return fallback
