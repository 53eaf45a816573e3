"""Into the application (module 08): ERAS entries, follow-up calendar, training gaps, talking points.

The kit's reference versions. Learners write their own in module 08; the capstone
(module 09) uses these so that one unfinished exercise never blocks the plan.
Dates are whole days and periods include both their first and last day, the way
a CV writes them ("2023-09-01 to 2024-04-30").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from ..runtime.answers import unfilled
from ..runtime.plots import PALETTE
from ..runtime.state import save_part

# --------------------------------------------------------------------------- ERAS entries
# AAMC, "MyERAS application: Experiences" (guidance for the 2025 ERAS season): up to 10
# experiences, each described in at most 750 characters; up to 3 of them marked "most
# meaningful", with a further 300-character reflection. Limits change between seasons, so
# every function takes the limit as a parameter: check the current season's instructions.
DESCRIPTION_LIMIT = 750
# Same source: clinical training such as clerkships and away rotations is an
# "Education/training" experience.
EXPERIENCE_TYPE = "Education/training"

# What the learner actually did, from least to most. Honesty means naming the real rung.
INVOLVEMENT = ("observed", "discussed", "collected_data", "drafted_proposal", "tested_change", "led")

# The kit's honest name for each rung (the guide's framings: workflow observation,
# data-informed observation, micro quality-improvement work).
HONEST_LABELS = {
    "observed": "Workflow observation",
    "discussed": "Informatics question explored with the team",
    "collected_data": "Data-informed workflow observation",
    "drafted_proposal": "Micro quality-improvement proposal",
    "tested_change": "Small quality-improvement change, tested with the team",
    "led": "Quality-improvement project (led)",
}

# Words that claim more than watching, with the lowest rung that supports each one.
# A flag is a prompt to re-read, not a verdict: "timed" is fine once you really timed something.
CLAIM_WORDS = {
    "project": "collected_data",
    "projects": "collected_data",
    "collected": "collected_data",
    "measured": "collected_data",
    "audited": "collected_data",
    "timed": "collected_data",
    "proposed": "drafted_proposal",
    "designed": "drafted_proposal",
    "implemented": "tested_change",
    "piloted": "tested_change",
    "deployed": "tested_change",
    "reduced": "tested_change",
    "eliminated": "tested_change",
    "led": "led",
    "spearheaded": "led",
    "directed": "led",
    "launched": "led",
    "founded": "led",
    "headed": "led",
}


def _rung(involvement: str) -> int:
    if involvement not in INVOLVEMENT:
        raise ValueError(f"involvement {involvement!r} is not one of: {', '.join(INVOLVEMENT)}")
    return INVOLVEMENT.index(involvement)


def claims_beyond(text: str, involvement: str) -> list[str]:
    """Claim words in `text` that need more involvement than the record shows (sorted, no repeats).

    Programs read "led a project" as leadership; an observation written that way is
    found out at interview. Whole words, case-insensitive.
    """
    level = _rung(involvement)
    words = set(re.findall(r"[a-z]+", text.lower()))
    return sorted(w for w in words if w in CLAIM_WORDS and _rung(CLAIM_WORDS[w]) > level)


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "!", "?")) else text + "."


def fit_to_limit(sentences: Iterable[str], limit: int = DESCRIPTION_LIMIT) -> str:
    """Join sentences and drop whole ones from the end until the text fits `limit` characters.

    The first sentence is the most important (clinical work first), so it is kept; if it
    alone is too long it is cut at a word boundary and ends with an ellipsis.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 characters")
    kept = [_sentence(s) for s in sentences if str(s).strip()]
    while len(kept) > 1 and len(" ".join(kept)) > limit:
        kept.pop()
    text = " ".join(kept)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "\u2026"


def _month(value: Any) -> str:
    return pd.Timestamp(value).strftime("%m/%Y")


# Both fictional learners in rotation_records.csv are graduates, and their rotations were hands-on:
# for a graduate that is an externship (visiting student electives usually need current enrolment).
EXPERIENCE_TITLE = "Externship"


def experience_entry(record: Mapping[str, Any], limit: int = DESCRIPTION_LIMIT) -> dict[str, Any]:
    """One rotation record as an ERAS Experiences entry: clinical work first, informatics named honestly."""
    _rung(record["involvement"])  # an unknown rung is refused with a message naming the rungs
    label = HONEST_LABELS[record["involvement"]]
    sentences = [
        record["clinical_summary"],
        f"{label}: {record['informatics_topic']}",
        f"Learned {record['ehr_lesson']}",
    ]
    return {
        "experience_type": EXPERIENCE_TYPE,
        "title": f"{EXPERIENCE_TITLE}, {record['service']}",
        "organization": record["host"],
        "location": record["state"],
        "dates": f"{_month(record['start_date'])} - {_month(record['end_date'])}",
        "hours_per_week": int(record["hours_per_week"]),
        "description": fit_to_limit(sentences, limit),
    }


# --------------------------------------------------------------------------- follow-up calendar
# Milestones after which mentors hear from you, in the order they happen.
MILESTONES = {
    "eras_submission": "Update: ERAS submitted",
    "interview_invitations": "Update: interview invitations",
    "match_results": "Update: match result",
}
THANK_YOU = "Thank-you note"
CALENDAR_COLUMNS = ["date", "action", "to", "host"]
# Illustrative dates for a fictional season (the sample learner's); look up the current
# ERAS and NRMP calendars for your own.
SAMPLE_KEY_DATES = {
    "eras_submission": "2026-09-02",
    "interview_invitations": "2026-10-14",
    "match_results": "2027-03-19",
}


def followup_calendar(
    rotations: pd.DataFrame, key_dates: Mapping[str, Any], thank_you_after_days: int = 1
) -> pd.DataFrame:
    """Who to write to, when: a thank-you to each contact right after each rotation, then an
    update to every contact at each milestone. Sorted by date; same-day rows keep that order.

    `rotations` needs host, end_date and contacts (a list of names); `key_dates` holds a
    date for each key of MILESTONES.
    """
    missing = [k for k in MILESTONES if k not in key_dates]
    if missing:
        raise KeyError(f"key_dates needs a date for: {', '.join(missing)}")
    rows = []
    people: dict[str, str] = {}
    for _, rotation in rotations.iterrows():
        sent = pd.Timestamp(rotation["end_date"]) + pd.Timedelta(days=thank_you_after_days)
        for person in rotation["contacts"]:
            rows.append({"date": sent, "action": THANK_YOU, "to": person, "host": rotation["host"]})
            people.setdefault(person, rotation["host"])
    for key, action in MILESTONES.items():
        for person, host in people.items():
            rows.append({"date": pd.Timestamp(key_dates[key]), "action": action, "to": person, "host": host})
    calendar = pd.DataFrame(rows, columns=CALENDAR_COLUMNS)
    calendar["date"] = pd.to_datetime(calendar["date"])
    return calendar.sort_values("date", kind="mergesort").reset_index(drop=True)


_LANES = {
    THANK_YOU: ("blue", "o"),
    MILESTONES["eras_submission"]: ("orange", "s"),
    MILESTONES["interview_invitations"]: ("green", "D"),
    MILESTONES["match_results"]: ("vermillion", "^"),
}


def followup_timeline(calendar: pd.DataFrame, title: str | None = None):
    """The follow-up calendar as a timeline, one lane per kind of message; returns (fig, summary)."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    lanes = list(_LANES)
    counts = calendar.groupby(["action", "date"], sort=False).size()
    for (action, date), n in counts.items():
        colour, marker = _LANES.get(action, ("grey", "o"))
        y = lanes.index(action) if action in lanes else len(lanes)
        ax.scatter(
            [date], [y], s=60 + 30 * n, color=PALETTE[colour], marker=marker, edgecolor="black", linewidth=0.6, zorder=3
        )
        ax.annotate(f"{n}", (date, y), textcoords="offset points", xytext=(0, 11), ha="center", fontsize=8)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlabel("Date")
    ax.set_ylabel("Kind of message")
    ax.set_title(title or "Follow-up calendar (numbers: messages on that day)")
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    if len(calendar) == 0:
        return fig, "No follow-up messages planned yet."
    thanks = calendar[calendar["action"] == THANK_YOU]
    updates = calendar[calendar["action"] != THANK_YOU]
    milestones = ", ".join(
        f"{action.split(': ')[-1]} {date:%d %b %Y}"
        for action, date in updates.groupby("action", sort=False)["date"].min().items()
    )
    summary = (
        f"{len(calendar)} messages from {calendar['date'].min():%d %b %Y} to {calendar['date'].max():%d %b %Y}: "
        f"{len(thanks)} thank-you notes right after the rotations, then updates to "
        f"{updates['to'].nunique()} people ({milestones or 'no milestones'})."
    )
    return fig, summary


# --------------------------------------------------------------------------- gaps in training
DAY = pd.Timedelta(days=1)


def merge_periods(periods: pd.DataFrame, as_of: Any) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Periods (start, end; an empty end means ongoing) as sorted, non-overlapping spans up to `as_of`.

    Spans that overlap, nest or touch (one ends the day before the next starts) become one.
    """
    as_of = pd.Timestamp(as_of)
    spans = []
    for start, end in zip(periods["start"], periods["end"], strict=True):
        start = pd.Timestamp(start)
        end = as_of if pd.isna(end) else min(pd.Timestamp(end), as_of)
        if start <= end:
            spans.append((start, end))
    merged: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


GAP_COLUMNS = ["gap_start", "gap_end", "days"]


def find_gaps(periods: pd.DataFrame, as_of: Any, min_days: int = 1) -> pd.DataFrame:
    """Stretches of at least `min_days` days not covered by any period, from the first start to `as_of`.

    Both ends of a gap are days with no period; a gap running up to `as_of` counts
    (it is the "time since your last clinical training" programs ask about).
    """
    spans = merge_periods(periods, as_of)
    rows = []
    for (_, end), (start, _) in pairwise(spans):
        rows.append((end + DAY, start - DAY))
    as_of = pd.Timestamp(as_of)
    if spans and spans[-1][1] < as_of:
        rows.append((spans[-1][1] + DAY, as_of))
    gaps = pd.DataFrame(rows, columns=["gap_start", "gap_end"])
    gaps["days"] = [(e - s).days + 1 for s, e in rows]
    gaps = gaps[gaps["days"] >= min_days].reset_index(drop=True)
    gaps["days"] = gaps["days"].astype(int)
    return gaps[GAP_COLUMNS]


def covered_days(gap_start: Any, gap_end: Any, activities: pd.DataFrame) -> int:
    """Days of the gap (both ends included) on which at least one activity was going on.

    Overlapping activities count each day once; an activity with no end is ongoing.
    """
    gap_start, gap_end = pd.Timestamp(gap_start), pd.Timestamp(gap_end)
    inside = activities[
        (activities["start"] <= gap_end) & (activities["end"].isna() | (activities["end"] >= gap_start))
    ]
    clipped = pd.DataFrame(
        {"start": [max(pd.Timestamp(s), gap_start) for s in inside["start"]], "end": list(inside["end"])}
    )
    return int(sum((end - start).days + 1 for start, end in merge_periods(clipped, gap_end)))


# The kit's reading of a gap, after the guide: informatics training in a non-clinical gap
# can make it read as deliberate development. The 0.5 threshold is the kit's assumption.
INTENTIONAL_SHARE = 0.5
READINGS = {
    "filled": "reads as intentional development: name the informatics work in ERAS",
    "partly": "partly filled: name the informatics work, explain the rest briefly",
    "empty": "not covered by informatics work: explain it plainly and briefly",
}


def gap_report(
    gaps: pd.DataFrame, activities: pd.DataFrame, covered=covered_days, intentional_share: float = INTENTIONAL_SHARE
) -> pd.DataFrame:
    """Each gap with the days informatics work covers, the share covered, and how it reads."""
    report = gaps.copy()
    report["covered_days"] = [
        int(covered(s, e, activities)) for s, e in zip(gaps["gap_start"], gaps["gap_end"], strict=True)
    ]
    report["covered_share"] = (report["covered_days"] / report["days"]).round(3) if len(report) else []
    report["reading"] = [
        READINGS["filled"] if share >= intentional_share else READINGS["partly"] if share > 0 else READINGS["empty"]
        for share in report["covered_share"]
    ]
    return report


# --------------------------------------------------------------------------- interview talking points
def pick_talking_points(records: pd.DataFrame) -> dict[str, Any]:
    """Which records to draw on at interview (record ids), clinician first.

    - clinician_first: the core clinical rotation with most hours a week (earliest if tied;
      any rotation when none is core clinical);
    - workflows_and_ehr: every rotation, in date order;
    - concrete_example: the informatics work that went furthest (latest if tied).
    """
    if len(records) == 0:
        raise ValueError("no rotation records: there is nothing to talk about yet")
    by_date = records.sort_values("start_date", kind="mergesort")
    core = by_date[by_date["kind"] == "core_clinical"]
    pool = core if len(core) else by_date
    clinical = pool.sort_values("hours_per_week", ascending=False, kind="mergesort").iloc[0]
    rungs = by_date["involvement"].map(_rung)
    return {
        "clinician_first": clinical["record_id"],
        "workflows_and_ehr": list(by_date["record_id"]),
        "concrete_example": by_date[rungs == rungs.max()].iloc[-1]["record_id"],
    }


def talking_points(records: pd.DataFrame, picks: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The picked records as sentences to rehearse (picks from pick_talking_points by default)."""
    picks = picks or pick_talking_points(records)
    by_id = records.set_index("record_id")
    clinical, best = by_id.loc[picks["clinician_first"]], by_id.loc[picks["concrete_example"]]
    return {
        "clinician_first": f"{clinical['service']} at {clinical['host']}: {_sentence(clinical['clinical_summary'])}",
        "workflows_and_ehr": [
            f"{by_id.loc[r, 'host']} ({by_id.loc[r, 'ehr_system']}): "
            f"{_sentence('I learned ' + by_id.loc[r, 'ehr_lesson'])}"
            for r in picks["workflows_and_ehr"]
        ],
        "concrete_example": (
            f"{HONEST_LABELS[best['involvement']]} at {best['host']}: "
            f"{_sentence(best['informatics_topic'])} Example: {_sentence(best['example_case'])}"
        ),
    }


# --------------------------------------------------------------------------- personal-statement paragraph
PARAGRAPH_WORDS = (120, 200)
_ELEMENT_WORDS = {
    "specific_case": ("patient", "case"),
    "ehr_or_data": ("ehr", "record", "alert", "order set", "dashboard", "data", "report"),
    "informatics_goal": ("informatics",),
    "clinician_first": ("clinician", "patient care", "bedside"),
}


def paragraph_elements(text: str, involvement: str) -> dict[str, bool]:
    """Which checkable elements a personal-statement paragraph has (the rest is for a human reader)."""
    lowered = " ".join(text.lower().split())
    words = len(text.split())
    found = {name: any(re.search(rf"\b{re.escape(k)}", lowered) for k in keys) for name, keys in _ELEMENT_WORDS.items()}
    found["length"] = PARAGRAPH_WORDS[0] <= words <= PARAGRAPH_WORDS[1]
    found["honest"] = not claims_beyond(text, involvement)
    return found


# --------------------------------------------------------------------------- your own key dates
def key_date_problems(dates: Any) -> list[str]:
    """What to fix in `my_key_dates` (empty list = ready): three real dates, in the season's order."""
    if not isinstance(dates, Mapping):
        return ['my_key_dates should be the dictionary from the template: {"eras_submission": ..., ...}.']
    problems, days = [], {}
    for key in MILESTONES:
        value = dates.get(key)
        if key not in dates:
            problems.append(f"Add the key {key!r} with a date written YYYY-MM-DD.")
        elif isinstance(value, str) and unfilled(value):
            problems.append(f"Replace the '...' of {key!r} with a date written YYYY-MM-DD, e.g. \"2026-09-15\".")
        else:
            try:
                days[key] = pd.Timestamp(value)
            except (ValueError, TypeError):
                problems.append(f"{key!r} should be a date written YYYY-MM-DD; you gave {value!r}.")
    if len(days) == len(MILESTONES):
        order = list(MILESTONES)
        for before, after in pairwise(order):
            if days[after] <= days[before]:
                problems.append(
                    f"{after!r} ({days[after]:%Y-%m-%d}) should come after {before!r} "
                    f"({days[before]:%Y-%m-%d}): check the season's order."
                )
        if days[order[-1]] - days[order[0]] > pd.Timedelta(days=400):
            problems.append("The match result is more than a year after ERAS submission: are the years right?")
    return problems


def save_key_dates(dates: Any) -> str:
    """Save your key dates for the plan (module 09), only once they are complete and in order."""
    problems = key_date_problems(dates)
    if problems:
        return "Not saved yet: " + " ".join(problems)
    save_part("key_dates", {key: pd.Timestamp(dates[key]).date().isoformat() for key in MILESTONES})
    return "Saved your key dates: module 09 builds your plan's calendar from them."
