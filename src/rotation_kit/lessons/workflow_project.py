"""The mini workflow-observation project (module 06): step durations, the bottleneck, run-chart rules, a four-week plan and a PDSA plan.

The guide's advice for a four-week rotation: spot one small workflow or safety
issue, raise it with your senior resident or attending, collect brief observational
data, read what others have tried, and leave a short proposal. On the main path the
learner decides (the observation sheet, the bottleneck, the run-chart readings, the four
weeks, the PDSA plan) and these functions compute, show and check what follows; the code
lab asks learners to write the computing functions themselves.

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
# Natural phrasing the checks accept as well: "keep it / drop it", "the chart of daily medians", "halve".
ACT_PHRASES = (*ACT_WORDS, "keep", "drop", "stop", "scale", "spread", "roll out", "change it", "modify", "tweak")
STUDY_PHRASES = ("run chart", "chart", "graph", "plot", "median")
NUMBER_WORDS = re.compile(
    r"\d|\b(half|halve|third|quarter|double|one|two|three|four|five|six|ten|twenty|fifty)\b", re.I
)


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
    if isinstance(pdsa.get("aim"), str) and not NUMBER_WORDS.search(pdsa["aim"]):
        problems.append("'aim' needs a number: how much, by when")
    if isinstance(pdsa.get("study"), str) and not any(w in pdsa["study"].lower() for w in STUDY_PHRASES):
        problems.append("'study' should say you will read the run chart")
    if isinstance(pdsa.get("act"), str) and not any(w in pdsa["act"].lower() for w in ACT_PHRASES):
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
    if isinstance(series, pd.Series) and pd.api.types.is_datetime64_any_dtype(series.index):
        fig.autofmt_xdate()  # slanted dates; day numbers stay level (and their ticks are made only when drawn)
    summary = f"Run chart of {len(values)} points: " + describe(found) + "."
    return fig, summary


# -- the main path: the learner decides, the kit computes and shows ----------------------------

# The steps a learner names, and the duration column each one is.
STEP_IDS = {name: f"{name}_min" for name, _a, _b in STEPS}
STEP_LABELS = {
    "med_rec": "medication reconciliation (order -> meds reconciled)",
    "pharmacy": "pharmacist verifies discharge meds",
    "transport": "waiting for transport",
    "departure": "transport arrives -> patient leaves",
}
SETTLE_DAYS = 2  # days the kit leaves out after the change, for it to settle in


def periods(durations: pd.DataFrame, change_at: Any = CHANGE_DATE) -> dict[str, pd.DataFrame]:
    """The discharges before the change and after it has settled in (SETTLE_DAYS later)."""
    change = pd.Timestamp(change_at)
    return {
        "before": durations[durations["date"] < change],
        "after": durations[durations["date"] >= change + pd.Timedelta(days=SETTLE_DAYS)],
    }


def step_medians(durations: pd.DataFrame, change_at: Any = CHANGE_DATE) -> pd.DataFrame:
    """Median minutes of each step, before and after the change: the table the learner reads the bottleneck from."""
    table = pd.DataFrame(
        {
            name: part[list(STEP_IDS.values())].median().to_numpy()
            for name, part in periods(durations, change_at).items()
        },
        index=list(STEP_IDS),
    )
    table.insert(0, "what happens", [STEP_LABELS.get(s, s) for s in STEP_IDS])
    table.index.name = "step"
    return table.round(0)


def bottleneck_step(durations: pd.DataFrame) -> str:
    """The bottleneck as the step id a learner types ("pharmacy"), not the column name."""
    return bottleneck(durations).removesuffix("_min")


def show_bottleneck(answer: Any, durations: pd.DataFrame, change_at: Any = CHANGE_DATE) -> None:
    """What the learner's pick means: the median of the step they named, next to the slowest one."""
    from ..runtime.answers import waiting_for

    if waiting_for(answer, "my_bottleneck", "Exercise 6.2"):
        return
    for name, part in periods(durations, change_at).items():
        picked = answer.get(name) if isinstance(answer, Mapping) else None
        column = STEP_IDS.get(str(picked))
        if column is None:
            print(f"{name}: {picked!r} is not one of the steps {list(STEP_IDS)}")
            continue
        print(f"{name} the change: you named {picked} (median {part[column].median():.0f} min).")


# The observation sheet: which columns a learner may put on it.
SHEET_CHOICES = {
    "observation_id": "your running number (D001...), linked to nothing in the record",
    "date": "the day of the discharge",
    "step": "which step you timed",
    "start_time": "when the step started",
    "end_time": "when the step ended",
    "observer": "who noted the time (you, the charge nurse...)",
    "note": "what happened (a short staff note, no patient details)",
    "patient_name": "the patient's name",
    "mrn": "the medical record number",
    "bed": "the bed or room number",
    "birth_date": "the patient's date of birth",
    "diagnosis": "the patient's main diagnosis",
}
SHEET_NEEDED = ("date", "step", "start_time", "end_time")


def sheet_table() -> pd.DataFrame:
    """The columns a learner can choose from for the observation sheet."""
    return pd.DataFrame({"column": list(SHEET_CHOICES), "holds": list(SHEET_CHOICES.values())}).set_index("column")


def sheet_problems(columns: Any) -> list[str]:
    """What is wrong with a chosen observation sheet: identifiers, things the question does not need, gaps."""
    if not isinstance(columns, (list, tuple)) or not columns:
        return ["the sheet must be a non-empty list of column names from the table"]
    problems = [f"{c!r} is not one of the columns in the table" for c in columns if c not in SHEET_CHOICES]
    ids = identifier_columns([c for c in columns if c in SHEET_CHOICES])
    if ids:
        problems.append("patient identifiers on the sheet: " + ", ".join(ids) + " (record times and steps only)")
    extra = [c for c in columns if c in SHEET_CHOICES and c not in OBSERVATION_COLUMNS and c not in ids]
    if extra:
        problems.append("not needed to time the steps: " + ", ".join(extra) + " (collect only what the question needs)")
    missing = [c for c in SHEET_NEEDED if c not in columns]
    if missing:
        problems.append("the sheet cannot time the steps without: " + ", ".join(missing))
    return problems


def show_sheet(columns: Any) -> None:
    """The empty observation sheet the learner's columns make, and what to fix in it."""
    from ..runtime.answers import waiting_for

    if waiting_for(columns, "my_sheet", "Exercise 6.1"):
        return
    if isinstance(columns, (list, tuple)):
        print("Your sheet:", " | ".join(str(c) for c in columns))
    problems = sheet_problems(columns)
    print("Nothing to fix." if not problems else "To fix: " + "; ".join(problems))


# Practice run charts (fictional points): each one has a trap the fine print of the rules decides.
PRACTICE = {
    "A": [14, 16, 15, 13, 22, 20, 23, 24, 21, 25, 22, 12, 17],  # a point on the median inside a run
    "B": [14, 16, 15, 20, 22, 23, 20, 21, 24, 25, 13, 12, 17],  # points on the median do not add
    "C": [30, 28, 31, 31, 34, 36, 36, 39, 42, 35, 33, 34, 32],  # a repeated value inside a rise
    "D": [40, 41, 41, 43, 43, 45, 39, 38, 40, 38, 41, 37],  # repeats make it look longer than it is
    "E": [12, 19, 11, 18, 13, 20, 12, 17, 14, 19, 11, 18, 13, 20, 12, 17],  # a zig-zag
}


def practice_series(key: str) -> pd.Series:
    """One practice chart as a series indexed by point number (1, 2, ...)."""
    values = PRACTICE[key]
    return pd.Series(values, index=range(1, len(values) + 1), name=f"practice {key}", dtype=float)


def readings(values: Sequence[float] | pd.Series) -> dict[str, Any]:
    """The right readings of one chart by the rules: counts of shifts and trends, runs, the verdict, outliers."""
    found = signals(values)
    return {
        "shifts": len(found["shifts"]),
        "trends": len(found["trends"]),
        "runs": found["runs"]["runs"],
        "signal": found["runs"]["signal"],
        "astronomical": found["astronomical"],
    }


def show_chart(series: pd.Series, title: str, ylabel: str = "Minutes", change_at=None, marks: bool = False):
    """A run chart with its median line; the signals are marked only when `marks` (after the learner has read it)."""
    values = _values(series)
    line = median(values)
    found = signals(values, line) if marks else {"median": line, "shifts": [], "trends": [], "astronomical": []}
    found.setdefault("runs", runs_analysis(values, line))
    fig, summary = run_chart(series, found=found, title=title, ylabel=ylabel, change_at=change_at)
    return fig


def sides_strip(series: pd.Series) -> pd.DataFrame:
    """Each point's side of the median (above, below, on): what the learner counts runs from."""
    words = {1: "above", -1: "below", 0: "on"}
    return pd.DataFrame(
        {"point": list(series.index), "value": _values(series), "side": [words[s] for s in sides(series)]}
    ).set_index("point")


def by_day(daily: pd.Series) -> pd.Series:
    """The daily medians indexed by day number (1, 2, ...), so a learner can name a day."""
    return pd.Series(_values(daily), index=range(1, len(daily) + 1), name=daily.name, dtype=float)


def chart_summary(series: pd.Series) -> str:
    """One line for the plan: what the run chart of `series` shows by the four rules."""
    return f"Run chart of {len(series)} points: " + describe(signals(series)) + "."


RULE_WORDS = {"shifts": "shift(s)", "trends": "trend(s)", "runs": "runs"}


def show_reading(answer: Any, name: str, exercise: str, ward: pd.Series, rule: str) -> None:
    """The learner's readings, then the ward chart with that rule's signals marked: what the rule sees.

    The practice charts are not marked here: the check cell (and, at grading, the further checks) say
    whether those readings follow the rule.
    """
    from ..runtime.answers import waiting_for

    if waiting_for(answer, name, exercise):
        return
    if not isinstance(answer, Mapping):
        print(f"`{name}` should be a dictionary, as in the template.")
        return
    print("Your readings: " + "; ".join(f"{k}: {v!r}" for k, v in answer.items()))
    values = _values(ward)
    found = signals(values)
    marked = {"median": found["median"], "shifts": [], "trends": [], "runs": found["runs"], "astronomical": []}
    if rule in ("shifts", "trends"):
        marked[rule] = found[rule]
        spans = ", ".join(f"days {ward.index[a]}-{ward.index[b]}" for a, b in found[rule]) or "none"
        print(f"On the ward chart the rule finds {len(found[rule])} {RULE_WORDS[rule]}: {spans}.")
    else:
        print(
            f"On the ward chart: {found['runs']['useful']} useful points; the table expects {found['runs']['expected']} runs."
        )
    run_chart(ward, found=marked, title=f"Ward chart: {rule} marked", ylabel="Minutes (daily median)")


SIGNALS = ("too few runs", "no signal", "too many runs", "too few points")


# -- the four-week plan as a filled template (weeks -> step ids) --------------------------------
STEP_DETAILS = {
    "spot_issue": "notice one step where ready patients wait after the discharge order",
    "discuss_with_senior": "ask the senior resident or attending whether anyone has looked at it",
    "agree_observation": "agree with them (and the QI lead) what I will time, with no patient identifiers",
    "collect_data": "note the step times I see on the ward in calm moments",
    "literature": "search for what other hospitals tried for this step",
    "draft_proposal": "leave a one-page proposal with the run chart for the team",
}


def plan_from_weeks(weeks: Any) -> list[dict[str, Any]]:
    """The learner's {week: [step ids]} as the plan's list of {"week", "step", "detail"} (the saved shape)."""
    if not isinstance(weeks, Mapping):
        return []
    plan = []
    for week in sorted(weeks, key=lambda w: (not isinstance(w, int), str(w))):
        steps = weeks[week]
        for step in steps if isinstance(steps, (list, tuple)) else [steps]:
            detail = STEP_DETAILS.get(step, "do this step")
            if step == "collect_data":
                detail = f"{detail} (week {week})"
            plan.append({"week": week, "step": step, "detail": detail})
    return plan


def week_plan_problems(weeks: Any) -> list[str]:
    """What is wrong with a {week: [step ids]} plan, by the same rules as plan_problems."""
    if not isinstance(weeks, Mapping) or not weeks:
        return ["the plan must be a dictionary {1: [...], 2: [...], 3: [...], 4: [...]} of step ids"]
    return plan_problems(plan_from_weeks(weeks))


def show_week_plan(weeks: Any) -> None:
    """The learner's four weeks as a small calendar, and what the rules say about it."""
    from ..runtime.answers import waiting_for

    if waiting_for(weeks, "my_weeks", "Exercise 6.5"):
        return
    for item in plan_from_weeks(weeks):
        print(f"week {item['week']}: {item['step']:<20} {item['detail']}")
    problems = week_plan_problems(weeks)
    print("\nNothing to fix." if not problems else "\nTo fix: " + "; ".join(problems))


def show_pdsa(pdsa: Any) -> None:
    """What is still missing from the learner's PDSA plan."""
    from ..runtime.answers import waiting_for

    if waiting_for(pdsa, "my_pdsa", "Exercise 6.5"):
        return
    problems = pdsa_problems(pdsa)
    print("Your PDSA plan is complete." if not problems else "To fix: " + "; ".join(problems))


EXAMPLE_WEEKS = {
    1: ["spot_issue", "discuss_with_senior", "agree_observation"],
    2: ["collect_data"],
    3: ["collect_data", "literature"],
    4: ["draft_proposal"],
}
EXAMPLE_PDSA = {
    "aim": "Cut the median time from discharge order to departure from 220 to 170 minutes within four weeks",
    "measure": "Daily median minutes from discharge order to the patient leaving the ward",
    "change": "The pharmacist checks planned discharge medications at the morning huddle",
    "plan": "Test the huddle check on one team for one week with the charge nurse",
    "do": "Run the huddle check and note the step times for the discharges observed",
    "study": "Compare the run chart before and after with the four rules",
    "act": "Adopt, adapt or abandon the huddle check after talking with the team",
}


def save_project(weeks: Any, pdsa: Any, summary: str) -> str:
    """Save the project for the capstone: yours when both your plan and your PDSA are answered, else the kit's example."""
    from ..runtime.answers import blanks_in
    from ..runtime.state import EXAMPLE, YOURS, save_part

    mine = not blanks_in(weeks) and not blanks_in(pdsa) and isinstance(weeks, Mapping) and isinstance(pdsa, Mapping)
    save_part(
        "workflow_project",
        {
            "four_week_plan": plan_from_weeks(weeks if mine else EXAMPLE_WEEKS),
            "pdsa_plan": dict(pdsa if mine else EXAMPLE_PDSA),
            "run_chart_summary": summary,
        },
        source=YOURS if mine else EXAMPLE,
    )
    if mine:
        return "Saved your workflow project for the capstone plan."
    return (
        "Saved the kit's example project (Exercise 6.5 is not answered yet); your plan will label it as "
        "an example. Answer it and run this cell again."
    )


# -- the checks behind the main path's check cells (kind feedback: what, expected, got, hint) -----
def _expect():
    from ..runtime.checks import expect

    return expect


def check_sheet(columns: Any) -> None:
    """The observation sheet times the steps and holds no patient identifier."""
    expect = _expect()
    expect.type(columns, list, what="my_sheet", hint='A list of column names in quotes, e.g. ["date", "step"].')
    found = identifier_columns([str(c) for c in columns])
    expect.true(
        not found,
        what="patient identifiers on your sheet",
        expected="none",
        got=found,
        hint="Record times and steps only; your own running number (observation_id) links to nothing in the record.",
    )
    missing = [c for c in SHEET_NEEDED if c not in columns]
    expect.true(
        not missing,
        what="the columns needed to time a step",
        expected=list(SHEET_NEEDED),
        got=f"missing {missing}",
        hint="To time a step you need the day, which step, and when it started and ended.",
    )


def step_id(value: Any) -> Any:
    """A step id as typed ("Pharmacy", "pharmacy_min ") in the kit's spelling ("pharmacy")."""
    return value.strip().lower().removesuffix("_min") if isinstance(value, str) else value


def plain_choice(value: Any) -> Any:
    """A typed choice ("B ", "Too few runs") in the kit's spelling ("b", "too few runs")."""
    return " ".join(value.split()).lower() if isinstance(value, str) else value


def check_bottleneck(answer: Any, durations: pd.DataFrame, period: str, hint: str) -> None:
    """The step the learner named for `period` is the one with the longest median in the data they see."""
    expect = _expect()
    expect.type(answer, dict, what="my_bottleneck", hint="Keep the template's braces and keys.")
    answer = {k: step_id(v) for k, v in answer.items()}
    expect.true(
        answer.get(period) in STEP_IDS,
        what=f"my_bottleneck[{period!r}]",
        expected=f"one of {list(STEP_IDS)}",
        got=answer.get(period),
        hint="Use a step id from the table, in quotes.",
    )
    expect.equal(
        answer[period], bottleneck_step(periods(durations)[period]), what=f"my_bottleneck[{period!r}]", hint=hint
    )


def check_reading(answer: Any, name: str, key: str, series: Sequence[float] | pd.Series, rule: str, hint: str) -> None:
    """One reading of one chart (a count of shifts or trends, the runs, or the verdict) agrees with the rule."""
    expect = _expect()
    expect.type(answer, dict, what=name, hint="Keep the template's braces and keys.")
    value, what = answer.get(key), f"{name}[{key!r}]"
    if rule == "signal":
        value = plain_choice(value)
        expect.true(
            value in SIGNALS,
            what=what,
            expected=f"one of {list(SIGNALS)}",
            got=value,
            hint="Copy one verdict, in quotes.",
        )
    else:
        expect.type(value, int, what=what, hint="A whole number, e.g. 0, 1 or 2.")
    expect.equal(value, readings(series)[rule], what=what, hint=hint)


def check_astronomical(answer: Any, ward: pd.Series) -> None:
    """The day named as astronomical is one the judgement aid flags (None when it flags none)."""
    expect = _expect()
    expect.type(answer, dict, what="my_runs", hint="Keep the template's braces and keys.")
    flagged = [int(ward.index[i]) for i in astronomical_points(ward)]
    day = answer.get("astronomical_day")
    expect.true(
        day is None
        or (isinstance(day, int) and not isinstance(day, bool) and int(ward.index[0]) <= day <= int(ward.index[-1])),
        what='my_runs["astronomical_day"]',
        expected=f"a day number from {int(ward.index[0])} to {int(ward.index[-1])}, or None",
        got=day,
        hint="Type the day's number as it appears on the chart's axis.",
    )
    expect.true(
        (day in flagged) if flagged else day is None,
        what='my_runs["astronomical_day"]',
        expected="the one point far from all the others" if flagged else "None",
        got=day,
        hint="Look for the point everyone would agree is different.",
    )


def check_nothing_to_fix(problems: list[str], what: str) -> None:
    """A list of problems from the kit is empty."""
    _expect().true(
        problems == [],
        what=what,
        expected="[] (nothing to fix)",
        got="; ".join(problems),
        hint="Fix each problem listed, run your answer cell, then this check again.",
    )


def show_practice(keys: Sequence[str] = tuple(PRACTICE)):
    """The practice charts side by side, each with its median line and numbered points (no signals marked)."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator

    from ..runtime.plots import PALETTE

    fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 2.8), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        series = practice_series(key)
        ax.plot(series.index, series.to_numpy(), color=PALETTE["grey"], linewidth=1)
        ax.scatter(series.index, series.to_numpy(), color=PALETTE["blue"], s=18, zorder=2)
        ax.axhline(median(series), color=PALETTE["orange"], linestyle="--", linewidth=1.2)
        for x, y in series.items():
            ax.annotate(f"{y:g}", (x, y), xytext=(0, 4), textcoords="offset points", fontsize=6, ha="center")
        ax.set_title(f"Practice chart {key} (median {median(series):g})", fontsize=9)
        ax.xaxis.set_major_locator(MultipleLocator(1))  # every point numbered, its tick made when drawn
        ax.tick_params(labelsize=6)
    return fig


def check_scenario(answer: Any) -> None:
    """Exercise 6.1's scenario: a visitor agrees the observation first, and observes rather than extracts."""
    expect = _expect()
    answer = expect.choice(answer, "abc", what="answer_6_1", hint='Type one letter in quotes, e.g. "a".')
    why = {
        "a": "A visitor observes on the ward; an audit-trail export needs access and approval, and brings identifiers.",
        "c": "Agree what you will observe with your senior or attending before you collect anything.",
    }
    for wrong, hint in why.items():
        expect.true(answer != wrong, what="answer_6_1", expected=f"not {wrong}", got=answer, hint=hint)


# The worked example of Exercise 6.5: another issue (duplicate orders from an admission order set).
ORDER_SET_WEEKS = {
    1: ["spot_issue", "discuss_with_senior"],
    2: ["agree_observation", "collect_data"],
    3: ["collect_data"],
    4: ["literature", "draft_proposal"],
}
ORDER_SET_PDSA = {
    "aim": "Halve duplicate analgesic orders on admission within 6 weeks",
    "measure": "Percent of admissions with a duplicate analgesic order, per day",
    "change": "Remove the second analgesic line from the admission order set",
    "plan": "Test the edited order set on one team for one week",
    "do": "Use the edited order set and keep counting duplicates daily",
    "study": "Read the run chart with the four rules before and after",
    "act": "Adopt, adapt or abandon the edit with the order-set owner",
}
