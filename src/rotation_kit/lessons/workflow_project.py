"""The mini workflow-observation project (module 06): step durations, the bottleneck, a four-week plan and a PDSA plan.

The guide's advice for a four-week rotation: spot one small workflow or safety
issue, raise it with your senior resident or attending, collect brief observational
data, read what others have tried, and leave a short proposal. These are the kit's
reference versions of the module's exercises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..runtime.schemas import CHANGE_DAY, DISCHARGE_START, STEPS

STEP_COLUMNS = tuple(f"{name}_min" for name, _a, _b in STEPS)
TOTAL_COLUMN = "total_min"
CHANGE_DATE = pd.Timestamp(DISCHARGE_START) + pd.Timedelta(days=CHANGE_DAY - 1)


def step_durations(log: pd.DataFrame) -> pd.DataFrame:
    """Minutes spent in each step of each discharge, plus the total from order to departure."""
    out = log[["discharge_id", "date"]].copy()
    for name, start, end in STEPS:
        out[f"{name}_min"] = (log[end] - log[start]).dt.total_seconds() / 60
    out[TOTAL_COLUMN] = (log[STEPS[-1][2]] - log[STEPS[0][1]]).dt.total_seconds() / 60
    return out


def bottleneck(durations: pd.DataFrame, steps: Sequence[str] = STEP_COLUMNS) -> str:
    """The step with the longest median duration (the first one listed wins a tie)."""
    medians = durations[list(steps)].median()
    return str(medians.idxmax())


def daily_medians(durations: pd.DataFrame, column: str = TOTAL_COLUMN) -> pd.Series:
    """One point per day for the run chart: the median of `column` that day, days in order."""
    return durations.groupby("date")[column].median().sort_index().rename(column)


# ---------------------------------------------------------------- the four-week plan
PLAN_STEPS = ("spot_issue", "discuss_with_senior", "collect_data", "literature", "draft_proposal")
ROTATION_WEEKS = 4


def plan_problems(plan: Any, weeks: int = ROTATION_WEEKS) -> list[str]:
    """What is wrong with a four-week project plan (a list of {"week": n, "step": name, "detail": text}).

    Rules: every step of the guide appears; weeks run from 1 to `weeks`; you spot the
    issue in week 1; you talk to your senior or attending before you collect data;
    data collection spans at least two weeks (a run chart needs 10-15 points or more);
    the proposal comes last, in the final week. Empty list = a sound plan.
    """
    if not isinstance(plan, (list, tuple)) or not plan:
        return ["the plan must be a non-empty list of {'week': ..., 'step': ..., 'detail': ...} items"]
    problems = []
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    collect_weeks = set()
    for item in plan:
        if not isinstance(item, Mapping) or not {"week", "step", "detail"} <= set(item):
            problems.append(f"every item needs 'week', 'step' and 'detail': {item!r}")
            continue
        week, step, detail = item["week"], item["step"], item["detail"]
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= weeks:
            problems.append(f"week {week!r} is not a whole number from 1 to {weeks}")
            continue
        if step not in PLAN_STEPS:
            problems.append(f"unknown step {step!r}: use one of {', '.join(PLAN_STEPS)}")
            continue
        if not isinstance(detail, str) or len(detail.split()) < 3:
            problems.append(f"the detail for {step!r} in week {week} should say what you will do (3+ words)")
        first[step] = min(first.get(step, week), week)
        last[step] = max(last.get(step, week), week)
        if step == "collect_data":
            collect_weeks.add(week)
    missing = [s for s in PLAN_STEPS if s not in first]
    if missing:
        problems.append("missing step(s): " + ", ".join(missing))
    if "spot_issue" in first and first["spot_issue"] != 1:
        problems.append("spot the issue in week 1, so there is time for the rest")
    if {"discuss_with_senior", "collect_data"} <= set(first) and first["collect_data"] < first["discuss_with_senior"]:
        problems.append("talk to your senior resident or attending before you start collecting data")
    if collect_weeks and len(collect_weeks) < 2:
        problems.append("collect data in at least two weeks: a run chart needs 10-15 points or more")
    if "draft_proposal" in first:
        if first["draft_proposal"] != weeks:
            problems.append(f"draft the proposal in the final week (week {weeks}), once you have data")
        others = [last[s] for s in PLAN_STEPS if s != "draft_proposal" and s in last]
        if others and max(others) > first["draft_proposal"]:
            problems.append("the proposal comes last: no other step after it")
    return problems


# ---------------------------------------------------------------- the PDSA plan
PDSA_KEYS = ("aim", "measure", "change", "plan", "do", "study", "act")
ACT_WORDS = ("adopt", "adapt", "abandon")


def pdsa_problems(pdsa: Any) -> list[str]:
    """What is missing from a PDSA plan: the three Model for Improvement questions, then Plan-Do-Study-Act.

    aim (what are we trying to accomplish?) needs a number; measure (how will we know a
    change is an improvement?) and change (what change can we make?) need a few words;
    study names the run chart; act says adopt, adapt or abandon. Empty list = complete.
    """
    if not isinstance(pdsa, Mapping):
        return ["the PDSA plan must be a dictionary with keys " + ", ".join(PDSA_KEYS)]
    problems = []
    for key in PDSA_KEYS:
        value = pdsa.get(key)
        if not isinstance(value, str) or len(value.split()) < 4:
            problems.append(f"{key!r} needs a sentence (4+ words)")
    if isinstance(pdsa.get("aim"), str) and not re.search(r"\d", pdsa["aim"]):
        problems.append("'aim' needs a number: how much, by when")
    if isinstance(pdsa.get("study"), str) and "run chart" not in pdsa["study"].lower():
        problems.append("'study' should say you will read the run chart")
    if isinstance(pdsa.get("act"), str) and not any(w in pdsa["act"].lower() for w in ACT_WORDS):
        problems.append("'act' should say whether you adopt, adapt or abandon the change")
    return problems
