"""The mini workflow-observation project (module 06): step durations, the bottleneck, run-chart rules, a four-week plan and a PDSA plan.

The guide's advice for a four-week rotation: spot one small workflow or safety
issue, raise it with your senior resident or attending, collect brief observational
data, read what others have tried, and leave a short proposal. These are the kit's
reference versions of the module's exercises.

The run chart (the second half of this module): shift, trend, number of runs and
astronomical points. The rules follow Perla, Provost & Murray, "The run chart: a simple
analytical tool for learning from variation in healthcare processes", BMJ Qual Saf
2011;20:46-51. Positions are 0-based indexes into the sequence of values, in time order.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Mapping, Sequence
from functools import cache
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
PLAN_STEPS = ("spot_issue", "discuss_with_senior", "agree_observation", "collect_data", "literature", "draft_proposal")
ROTATION_WEEKS = 4
# Words that mean pulling data out of the record instead of observing: a visiting student rarely has
# that access, and it needs the institution's approval.
EXTRACTION_WORDS = ("audit trail", "extract", "download", "export from the ehr", "data pull")

# What the observation records: times and steps, never who the patient is.
OBSERVATION_COLUMNS = ("observation_id", "date", "step", "start_time", "end_time", "observer", "note")
IDENTIFIER_WORDS = (
    "name",
    "mrn",
    "record_number",
    "birth",
    "dob",
    "address",
    "phone",
    "email",
    "ssn",
    "patient_id",
    "bed",
    "room",
    "insurance",
)


def observation_template() -> pd.DataFrame:
    """An empty observation sheet: only what the question needs, no patient identifiers."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in OBSERVATION_COLUMNS})


def identifier_columns(columns: Sequence[str]) -> list[str]:
    """Columns whose names suggest a patient identifier (to remove before any data is collected)."""
    return [c for c in columns if any(word in str(c).lower() for word in IDENTIFIER_WORDS)]


def plan_problems(plan: Any, weeks: int = ROTATION_WEEKS) -> list[str]:
    """What is wrong with a four-week project plan (a list of {"week": n, "step": name, "detail": text}).

    Rules: every step of the guide appears; weeks run from 1 to `weeks`; you spot the
    issue in week 1; you talk to your senior or attending, then agree the observation
    with them (and the unit's QI lead where needed) before you collect data; you observe,
    never extract from the record (no audit-trail pulls);
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
        elif any(word in detail.lower() for word in EXTRACTION_WORDS):
            problems.append(
                f"week {week}: observe rather than extract; a visiting student does not pull data "
                "from the EHR (audit trails, exports) without the institution's approval"
            )
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
    if {"discuss_with_senior", "agree_observation"} <= set(first) and first["agree_observation"] < first[
        "discuss_with_senior"
    ]:
        problems.append("raise the issue with your senior first, then agree what you will observe")
    if {"agree_observation", "collect_data"} <= set(first) and first["collect_data"] < first["agree_observation"]:
        problems.append(
            "agree the observation (with your senior or attending, and the QI lead where needed) "
            "before you collect anything"
        )
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


# -- the run chart ----------------------------------------------------------------------

SHIFT_MIN = 6  # run-chart shift: 6 or more points on one side of the median (Perla et al. 2011)
TREND_MIN = 5  # run-chart trend: 5 or more points going the same way (Perla et al. 2011)
MIN_USEFUL = 10  # fewer useful points than this: the runs table does not apply (it starts at 10)
MODIFIED_Z = 3.5  # astronomical-point aid: modified z-score above 3.5 (Iglewicz & Hoaglin 1993)

# Control charts use different rules (e.g. shift 8, trend 6): never mix the two sets.
CONTROL_CHART_SHIFT, CONTROL_CHART_TREND = 8, 6


def _values(values: Sequence[float] | pd.Series) -> list[float]:
    return [float(v) for v in (values.tolist() if isinstance(values, pd.Series) else values)]


def median(values: Sequence[float] | pd.Series) -> float:
    """The centre line of a run chart: the median of the values."""
    data = _values(values)
    if not data:
        raise ValueError("A run chart needs at least one value.")
    return float(statistics.median(data))


def sides(values: Sequence[float] | pd.Series, center: float | None = None) -> list[int]:
    """+1 above the centre line, -1 below it, 0 exactly on it."""
    data = _values(values)
    line = median(data) if center is None else float(center)
    return [(v > line) - (v < line) for v in data]


def shifts(
    values: Sequence[float] | pd.Series, center: float | None = None, min_length: int = SHIFT_MIN
) -> list[tuple[int, int]]:
    """Each shift as (first, last) position of the points that count.

    A shift is `min_length` or more points in a row on the same side of the median.
    Points exactly on the median are skipped: they neither add to a shift nor break it.
    """
    spans: list[tuple[int, int]] = []
    counted: list[int] = []
    side = 0
    for position, s in enumerate(sides(values, center)):
        if s == 0:
            continue
        if s != side:
            if len(counted) >= min_length:
                spans.append((counted[0], counted[-1]))
            counted, side = [], s
        counted.append(position)
    if len(counted) >= min_length:
        spans.append((counted[0], counted[-1]))
    return spans


def _tie_groups(data: list[float]) -> list[tuple[float, int, int]]:
    """Consecutive equal values merged: (value, first position, last position)."""
    groups: list[tuple[float, int, int]] = []
    for position, value in enumerate(data):
        if groups and groups[-1][0] == value:
            groups[-1] = (value, groups[-1][1], position)
        else:
            groups.append((value, position, position))
    return groups


def trends(values: Sequence[float] | pd.Series, min_length: int = TREND_MIN) -> list[tuple[int, int]]:
    """Each trend as (first, last) position: `min_length` or more points all going up or all going down.

    Repeated equal values count once: they neither add to a trend nor break it. All
    copies of a repeated value at either end of a trend are inside its span. Two
    trends that meet (up then down) share their turning point.
    """
    groups = _tie_groups(_values(values))
    spans: list[tuple[int, int]] = []
    start = 0  # index into groups where the current direction began
    direction = 0
    for i in range(1, len(groups)):
        step = 1 if groups[i][0] > groups[i - 1][0] else -1
        if step != direction:
            if direction != 0 and i - start >= min_length:
                spans.append((groups[start][1], groups[i - 1][2]))
            start, direction = i - 1, step
    if direction != 0 and len(groups) - start >= min_length:
        spans.append((groups[start][1], groups[-1][2]))
    return spans


def count_runs(values: Sequence[float] | pd.Series, center: float | None = None) -> tuple[int, int]:
    """(number of runs, number of useful points). A run is one or more points in a row on one side
    of the median; points on the median are ignored and are not useful."""
    useful = [s for s in sides(values, center) if s != 0]
    runs = sum(1 for i, s in enumerate(useful) if i == 0 or s != useful[i - 1])
    return runs, len(useful)


def _runs_distribution(n_above: int, n_below: int) -> dict[int, float]:
    """Exact probabilities of each number of runs for a random order (Swed & Eisenhart 1943)."""
    total = math.comb(n_above + n_below, n_above)
    probs = {}
    for runs in range(2, n_above + n_below + 1):
        k = runs // 2
        if runs % 2 == 0:
            ways = 2 * math.comb(n_above - 1, k - 1) * math.comb(n_below - 1, k - 1)
        else:
            ways = math.comb(n_above - 1, k) * math.comb(n_below - 1, k - 1) + math.comb(
                n_above - 1, k - 1
            ) * math.comb(n_below - 1, k)
        probs[runs] = ways / total
    return probs


@cache
def runs_limits(useful: int) -> tuple[int, int] | None:
    """(lower, upper) number of runs expected by chance for this many useful points; None below 10.

    Fewer runs than `lower` or more than `upper` is a signal. This is the table of Perla,
    Provost & Murray (2011, Table 1), which comes from Swed & Eisenhart (1943); the kit
    recomputes each row from the exact distribution of runs with half the points above
    the median: `lower` is the largest number of runs with at most a 5% chance of so few,
    `upper` the largest number of runs with more than a 5% chance of so many, so a false
    signal in either direction has a chance of 5% or less. 16 useful points give 5 to 12.
    """
    if useful < MIN_USEFUL:
        return None
    probs = _runs_distribution(useful // 2, useful - useful // 2)
    below = 0.0
    lower = 1
    for runs in sorted(probs):
        below += probs[runs]
        if below <= 0.05:
            lower = runs
    above = 0.0
    upper = useful
    for runs in sorted(probs, reverse=True):
        above += probs[runs]
        if above > 0.05:
            upper = runs
            break
    return lower, upper


RUNS_TABLE = pd.DataFrame(
    [(n, *runs_limits(n)) for n in range(MIN_USEFUL, 61)],
    columns=["useful_points", "lower", "upper"],
).set_index("useful_points")


def runs_analysis(values: Sequence[float] | pd.Series, center: float | None = None) -> dict:
    """The number-of-runs rule: useful points, runs, the expected range and the verdict."""
    runs, useful = count_runs(values, center)
    limits = runs_limits(useful)
    if limits is None:
        signal = "too few points"
    elif runs < limits[0]:
        signal = "too few runs"
    elif runs > limits[1]:
        signal = "too many runs"
    else:
        signal = "no signal"
    return {"useful": useful, "runs": runs, "expected": limits, "signal": signal}


def astronomical_points(values: Sequence[float] | pd.Series, threshold: float = MODIFIED_Z) -> list[int]:
    """Positions of points far from the rest: a judgement aid, not one of the formal run-chart rules.

    Operational rule: the modified z-score 0.6745 * (value - median) / MAD is above
    `threshold` in size (Iglewicz & Hoaglin 1993), where MAD is the median of the absolute
    distances from the median. When MAD is 0 nothing is flagged: there is too little
    spread to judge. Always look at the chart and ask what happened that day.
    """
    data = _values(values)
    if not data:
        return []
    centre = median(data)
    mad = statistics.median([abs(v - centre) for v in data])
    if mad == 0:
        return []
    return [i for i, v in enumerate(data) if abs(0.6745 * (v - centre) / mad) > threshold]


def anhoej_shift_limit(n_useful: int) -> int:
    """Anhøj & Olesen (PLoS ONE 2014): a run longer than this signals a shift."""
    return round(math.log2(n_useful) + 3)


def signals(values: Sequence[float] | pd.Series, center: float | None = None) -> dict:
    """All four checks at once, for the run chart and its text summary."""
    line = median(values) if center is None else float(center)
    return {
        "median": line,
        "shifts": shifts(values, line),
        "trends": trends(values),
        "runs": runs_analysis(values, line),
        "astronomical": astronomical_points(values),
    }


def describe(found: dict) -> str:
    """One plain-English line for what the run chart shows."""
    parts = [f"median {found['median']:.0f}"]
    parts.append(f"{len(found['shifts'])} shift(s)" if found["shifts"] else "no shift")
    parts.append(f"{len(found['trends'])} trend(s)" if found["trends"] else "no trend")
    runs = found["runs"]
    if runs["expected"] is None:
        parts.append(f"{runs['runs']} runs (too few useful points to judge)")
    else:
        low, high = runs["expected"]
        parts.append(
            f"{runs['runs']} runs among {runs['useful']} useful points (expected {low}-{high}: {runs['signal']})"
        )
    n_astro = len(found["astronomical"])
    parts.append(f"{n_astro} possible astronomical point(s)" if n_astro else "no astronomical point")
    return "; ".join(parts)


def run_chart(
    series: pd.Series,
    center: float | None = None,
    found: dict | None = None,
    title: str | None = None,
    ylabel: str = "Minutes",
    change_at=None,
):
    """A run chart: the values in time order, the median, and each signal marked. Returns (fig, summary)."""
    import matplotlib.pyplot as plt

    from ..runtime.plots import PALETTE

    values = _values(series)
    found = found or signals(values, center)
    x = list(series.index) if isinstance(series, pd.Series) else list(range(len(values)))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(x, values, color=PALETTE["grey"], linewidth=1, zorder=1)
    ax.scatter(x, values, color=PALETTE["blue"], s=22, zorder=2, label="Daily value")
    ax.axhline(
        found["median"], color=PALETTE["orange"], linewidth=1.5, linestyle="--", label=f"Median ({found['median']:.0f})"
    )
    for k, (a, b) in enumerate(found["shifts"]):
        idx = [i for i in range(a, b + 1) if values[i] != found["median"]]
        ax.scatter(
            [x[i] for i in idx],
            [values[i] for i in idx],
            s=70,
            facecolor="none",
            edgecolor=PALETTE["vermillion"],
            linewidth=1.5,
            zorder=3,
            label="Shift (6+ on one side)" if k == 0 else None,
        )
    for k, (a, b) in enumerate(found["trends"]):
        ax.plot(
            x[a : b + 1],
            values[a : b + 1],
            color=PALETTE["green"],
            linewidth=3,
            alpha=0.8,
            zorder=1,
            label="Trend (5+ up or down)" if k == 0 else None,
        )
    if found["astronomical"]:
        idx = found["astronomical"]
        ax.scatter(
            [x[i] for i in idx],
            [values[i] for i in idx],
            marker="*",
            s=220,
            color=PALETTE["purple"],
            edgecolor="black",
            zorder=4,
            label="Possible astronomical point",
        )
    if change_at is not None:
        ax.axvline(change_at, color=PALETTE["sky"], linewidth=1.2, label="Process change")
    ax.set_title(title or "Run chart")
    ax.set_xlabel("Day" if isinstance(series, pd.Series) else "Point (time order)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", framealpha=0.9)
    fig.autofmt_xdate()
    fig.tight_layout()
    summary = f"Run chart of {len(values)} points: " + describe(found) + "."
    return fig, summary
