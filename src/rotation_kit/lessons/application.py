"""Into the application (module 08): ERAS entries, follow-up calendar, training gaps, talking points.

What the kit computes for module 08's decisions (and the capstone's calendar); the code lab
asks learners to write some of these themselves.
Dates are whole days and periods include both their first and last day, the way
a CV writes them ("2023-09-01 to 2024-04-30").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

from ..runtime.answers import unfilled, waiting_for
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


def _by_date(row: tuple) -> tuple[bool, Any]:
    """Sort key for calendar rows (stable: same-day rows keep their order); no date (a rotation not ended) last."""
    undated = pd.isna(row[0])
    return undated, 0 if undated else row[0]


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
    rows: list[tuple[pd.Timestamp, str, str, str]] = []
    people: dict[str, str] = {}
    after = pd.Timedelta(days=thank_you_after_days)
    # plain values, one column at a time: a Series per row (iterrows, to_dict) costs more than the plan itself
    for end, contacts, host in zip(rotations["end_date"], rotations["contacts"], rotations["host"], strict=True):
        sent = pd.Timestamp(end) + after
        for person in contacts:
            rows.append((sent, THANK_YOU, person, host))
            people.setdefault(person, host)
    for key, action in MILESTONES.items():
        when = pd.Timestamp(key_dates[key])
        rows.extend((when, action, person, host) for person, host in people.items())
    rows.sort(key=_by_date)
    dates, actions, to, hosts = (list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [], [])
    text = None if rows else object  # an empty plan keeps text columns, not numbers
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "action": pd.Series(actions, dtype=text),
            "to": pd.Series(to, dtype=text),
            "host": pd.Series(hosts, dtype=text),
        },
        columns=CALENDAR_COLUMNS,
    )


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
    for action, per_day in counts.groupby(level="action", sort=False):  # one set of points per lane
        colour, marker = _LANES.get(action, ("grey", "o"))
        y = lanes.index(action) if action in lanes else len(lanes)
        days = list(per_day.index.get_level_values("date"))
        ax.scatter(
            days,
            [y] * len(days),
            s=[60 + 30 * n for n in per_day],
            color=PALETTE[colour],
            marker=marker,
            edgecolor="black",
            linewidth=0.6,
            zorder=3,
        )
        for date, n in zip(days, per_day, strict=True):
            ax.annotate(f"{n}", (date, y), textcoords="offset points", xytext=(0, 11), ha="center", fontsize=8)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlabel("Date")
    ax.set_ylabel("Kind of message")
    ax.set_title(title or "Follow-up calendar (numbers: messages on that day)")
    ax.grid(axis="x", alpha=0.3)
    if len(calendar) == 0:
        return fig, "No follow-up messages planned yet."
    locator = AutoDateLocator()  # level, short labels ("Mar", "May", "2027"): slanting makes every tick at once
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
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


def merge_periods(
    periods: pd.DataFrame | Mapping[str, Sequence[Any]], as_of: Any
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
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
    gaps = [(end + DAY, start - DAY) for (_, end), (start, _) in pairwise(spans)]
    as_of = pd.Timestamp(as_of)
    if spans and spans[-1][1] < as_of:
        gaps.append((spans[-1][1] + DAY, as_of))
    counted = [(start, end, (end - start).days + 1) for start, end in gaps]
    kept = [gap for gap in counted if gap[2] >= min_days]
    return pd.DataFrame(
        {
            "gap_start": pd.to_datetime([start for start, _, _ in kept]),
            "gap_end": pd.to_datetime([end for _, end, _ in kept]),
            "days": pd.Series([days for _, _, days in kept], dtype=int),
        },
        columns=GAP_COLUMNS,
    )


def covered_days(gap_start: Any, gap_end: Any, activities: pd.DataFrame) -> int:
    """Days of the gap (both ends included) on which at least one activity was going on.

    Overlapping activities count each day once; an activity with no end is ongoing.
    """
    gap_start, gap_end = pd.Timestamp(gap_start), pd.Timestamp(gap_end)
    clipped = {"start": [], "end": []}  # the activities that reach into the gap, starting no earlier than it
    for start, end in zip(activities["start"], activities["end"], strict=True):
        start = pd.Timestamp(start)
        if start <= gap_end and (pd.isna(end) or pd.Timestamp(end) >= gap_start):
            clipped["start"].append(max(start, gap_start))
            clipped["end"].append(end)
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
def talking_points(records: pd.DataFrame, picks: Mapping[str, Any]) -> dict[str, Any]:
    """The picked records (record ids under clinician_first, workflows_and_ehr, concrete_example) as
    sentences to rehearse."""
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
    "specific_case": ("patient", "case", "man ", "woman", "child", "boy", "girl", "admission"),
    "ehr_or_data": (
        "ehr",
        "record",
        "alert",
        "order set",
        "order",
        "dashboard",
        "data",
        "report",
        "epic",
        "cerner",
        "chart",
        "screen",
        "reminder",
        "decision support",
    ),
    "informatics_goal": ("informatics", "health it", "digital health", "health information"),
    "clinician_first": (
        "clinician",
        "patient care",
        "bedside",
        "physician first",
        "doctor first",
        "internist",
        "caring for patients",
        "clinical work",
        "clinical training",
    ),
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
        elif value is Ellipsis or (isinstance(value, str) and unfilled(value)):
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


# =========================================================================== the main path's decisions
# The learner writes or picks; the kit shows the result (the entry as ERAS shows it, the calendar,
# the gaps, the talking points) and checks the decision against the guide. Problems are sentences.
def _words(value: Any) -> list[str]:
    return str(value).split() if isinstance(value, str) else []


# --------------------------------------------------------------------------- your ERAS entry
ENTRY_PARTS = ("clinical", "informatics", "learned")
_INFORMATICS_WORDS = re.compile(
    r"\b(?:informatics|ehr|record|records|alert|alerts|order|orders|dashboard|data|referral|referrals|workflow|"
    r"workflows|quality|qi|discharge|reconciliation|queue|screen|reminder|epic|cerner|report|reports)\b",
    re.I,
)


def draft_entry(record: Mapping[str, Any]) -> dict[str, str]:
    """The kit's first draft of an entry's three sentences for one record: a starting point to edit."""
    return {
        "record_id": str(record["record_id"]),
        "clinical": _sentence(record["clinical_summary"]),
        "informatics": _sentence(f"{HONEST_LABELS[record['involvement']]}: {record['informatics_topic']}"),
        "learned": _sentence(f"Learned {record['ehr_lesson']}"),
    }


def entry_description(parts: Mapping[str, Any]) -> str:
    """The description ERAS would show: the three sentences in order, clinical work first."""
    return " ".join(_sentence(parts[k]) for k in ENTRY_PARTS if isinstance(parts.get(k), str) and parts[k].strip())


def _record(records: pd.DataFrame, record_id: Any) -> pd.Series | None:
    found = records[records["record_id"].astype(str).str.upper() == str(record_id).strip().upper()]
    return found.iloc[0] if len(found) else None


def entry_problems(parts: Any, records: pd.DataFrame, limit: int = DESCRIPTION_LIMIT) -> dict[str, list[str]]:
    """What to fix in an entry, in two groups: "fit" (a record, three sentences, the limit) and "honest"."""
    if not isinstance(parts, Mapping):
        problem = 'Keep the template: {"record_id": "R01", "clinical": "...", ...}.'
        return {"fit": [problem], "honest": [problem]}
    fit: list[str] = []
    record = _record(records, parts.get("record_id"))
    if record is None:
        fit.append(f"record_id: use one of {', '.join(records['record_id'])}.")
    for key in ENTRY_PARTS:
        if len(_words(parts.get(key))) < 4:
            fit.append(f"{key}: write a sentence of at least four words.")
    text = entry_description(parts)
    if len(text) > limit:
        fit.append(
            f"The description has {len(text)} characters; the limit is {limit}. Cut words, keep the clinical sentence."
        )
    honest: list[str] = []
    if record is not None:
        inflated = claims_beyond(text, record["involvement"])
        if inflated:
            honest.append(
                f"{', '.join(inflated)}: claims more than the record shows ({record['involvement']}); "
                f"the honest label is '{HONEST_LABELS[record['involvement']]}'."
            )
    if isinstance(parts.get("informatics"), str) and not _INFORMATICS_WORDS.search(parts["informatics"]):
        honest.append("informatics: name the informatics work itself (the record, an alert, the data, the workflow).")
    return {"fit": fit, "honest": honest}


def show_entry(parts: Any, records: pd.DataFrame, limit: int = DESCRIPTION_LIMIT) -> None:
    """The entry as the ERAS Experiences section would show it, with its length and what to fix."""
    if waiting_for(parts, "my_entry", "Exercise 8.1"):
        return
    record = _record(records, parts.get("record_id")) if isinstance(parts, Mapping) else None
    if record is not None:
        print(f"Experience type: {EXPERIENCE_TYPE}")
        print(f"Title:           {EXPERIENCE_TITLE}, {record['service']}")
        print(f"Organization:    {record['host']} ({record['state']})")
        print(f"Dates:           {_month(record['start_date'])} - {_month(record['end_date'])}")
        print(f"Hours per week:  {int(record['hours_per_week'])}")
    text = entry_description(parts) if isinstance(parts, Mapping) else ""
    print(f"Description ({len(text)} of {limit} characters):\n  {text}")
    problems = entry_problems(parts, records, limit)
    issues = problems["fit"] + problems["honest"]
    print("Nothing to fix." if not issues else "To fix:\n- " + "\n- ".join(issues))


# --------------------------------------------------------------------------- your follow-up calendar
THANK_YOU_WITHIN_DAYS = 3  # "right after the rotation": the kit's reading, within three days


def thank_you_problems(days: Any) -> list[str]:
    """Whether the thank-you delay is a whole number of days, right after the rotation."""
    if isinstance(days, bool) or not isinstance(days, int):
        return [f"thank_you_after_days should be a whole number of days, like 1; you gave {days!r}."]
    if not 0 <= days <= THANK_YOU_WITHIN_DAYS:
        return [f"Send thanks right after the rotation: 0 to {THANK_YOU_WITHIN_DAYS} days, not {days}."]
    return []


def eras_timing_problems(dates: Any, records: pd.DataFrame) -> list[str]:
    """ERAS submission should come after your rotations end, so their letters can be part of it."""
    if key_date_problems(dates):
        return ["Fix the dates first (see the check above)."]
    last = pd.to_datetime(records["end_date"]).max()
    eras = pd.Timestamp(dates["eras_submission"])
    if eras <= last:
        return [f"ERAS submission ({eras:%Y-%m-%d}) comes before your last rotation ends ({last:%Y-%m-%d})."]
    return []


def show_calendar(records: pd.DataFrame, dates: Any, days: Any, title: str | None = None):
    """Build the follow-up calendar from your dates and show its timeline (runs before you answer)."""
    if waiting_for(dates, "my_key_dates", "Exercise 8.2") or waiting_for(days, "thank_you_after_days", "Exercise 8.2"):
        return None
    problems = key_date_problems(dates) + thank_you_problems(days)
    if problems:
        print("Not yet: " + " ".join(problems))
        return None
    calendar = followup_calendar(records, dates, days)
    fig, summary = followup_timeline(calendar, title=title)
    print(summary)
    return calendar


# --------------------------------------------------------------------------- explaining gaps
LONG_GAP_DAYS = 90  # the kit's rule of thumb: a gap of three months or more needs a line of explanation
GAP_CHOICES = {
    "a": "name the informatics work done in it (reads as deliberate development)",
    "b": "a short, plain explanation (exam preparation, family, visa wait)",
    "c": "leave it unexplained (a short gap between rotations)",
}
LINE_WORDS = (4, 40)


def gap_table(timeline: pd.DataFrame, learner: str, as_of: Any, min_days: int = 30) -> pd.DataFrame:
    """A learner's clinical gaps with ids G1, G2 ..., the informatics days inside each, and the kit's reading."""
    rows = timeline[timeline["learner"] == learner]
    gaps = find_gaps(rows[rows["kind"] == "clinical"], as_of, min_days)
    report = gap_report(gaps, rows[rows["kind"] == "informatics"])
    report.insert(0, "id", [f"G{i}" for i in range(1, len(report) + 1)])
    others = rows[rows["kind"] != "clinical"]
    report["what_happened"] = [
        "; ".join(
            others[(others["start"] <= e) & (others["end"].isna() | (others["end"] >= s))]["activity"].astype(str)
        )
        or "(nothing recorded)"
        for s, e in zip(report["gap_start"], report["gap_end"], strict=True)
    ]
    return report


def gap_plan_problems(plan: Any, gaps: pd.DataFrame) -> dict[str, list[str]]:
    """What to fix in {gap id: {"choice": "a"/"b"/"c", "line": text}}, in two groups: "choices" and "lines"."""
    if not isinstance(plan, Mapping):
        problem = 'Keep the template: {"G1": {"choice": "b", "line": "..."}, ...}.'
        return {"choices": [problem], "lines": [problem]}
    choices: list[str] = []
    lines: list[str] = []
    for _, gap in gaps.iterrows():
        entry = plan.get(gap["id"])
        if not isinstance(entry, Mapping):
            choices.append(f"{gap['id']}: give a choice and a line.")
            lines.append(f"{gap['id']}: give a choice and a line.")
            continue
        choice = str(entry.get("choice", "")).strip().lower()
        line = entry.get("line", "")
        share = float(gap["covered_share"])
        if choice not in GAP_CHOICES:
            choices.append(f"{gap['id']}: choose a, b or c.")
            continue
        if choice == "c" and gap["days"] >= LONG_GAP_DAYS:
            choices.append(f"{gap['id']}: {gap['days']} days is long enough that programs will ask: explain it.")
        if choice == "a" and gap["covered_days"] == 0:
            choices.append(f"{gap['id']}: no informatics work falls in this gap, so do not present it as informatics.")
        if choice != "a" and share >= INTENTIONAL_SHARE:
            choices.append(
                f"{gap['id']}: informatics work covers {share:.0%} of it: name that work, it is your strongest line."
            )
        words = len(_words(line))
        if choice in ("a", "b") and not LINE_WORDS[0] <= words <= LINE_WORDS[1]:
            lines.append(f"{gap['id']}: write one plain line of {LINE_WORDS[0]}-{LINE_WORDS[1]} words ({words} now).")
        elif (
            choice == "a"
            and not _INFORMATICS_WORDS.search(str(line))
            and not re.search(r"\b(?:course|certificate|audit|python|excel|statistics|analysis)\b", str(line), re.I)
        ):
            lines.append(f"{gap['id']}: say what the informatics work was (the course, the audit, the data).")
        if choice in ("a", "b") and re.search(r"\b(?:sorry|apologi[sz]e|unfortunately)\b", str(line), re.I):
            lines.append(f"{gap['id']}: no apology needed; say plainly what you did.")
    return {"choices": choices, "lines": lines}


def show_gap_plan(plan: Any, gaps: pd.DataFrame) -> pd.DataFrame | None:
    """Each gap with your choice and line, and what to fix (runs before you answer)."""
    if waiting_for(plan, "my_gap_plan", "Exercise 8.3"):
        return None
    problems = gap_plan_problems(plan, gaps)
    issues = problems["choices"] + problems["lines"]
    print("Nothing to fix." if not issues else "To fix:\n- " + "\n- ".join(issues))
    shown = gaps[["id", "gap_start", "gap_end", "days", "covered_share"]].copy()
    shown["choice"] = [str((plan.get(g) or {}).get("choice", "")) for g in shown["id"]]
    shown["line"] = [str((plan.get(g) or {}).get("line", "")) for g in shown["id"]]
    return shown


# --------------------------------------------------------------------------- picking talking points
TALKING_KEYS = ("clinician_first", "workflows_and_ehr", "concrete_example")


def talking_point_problems(picks: Any, records: pd.DataFrame) -> dict[str, list[str]]:
    """What to fix in the learner's talking-point picks, in two groups: "picks" and "workflows".

    - clinician_first: a core clinical rotation (any rotation when none is core clinical);
    - concrete_example: informatics work that went beyond watching (above "observed") when there is one;
    - workflows_and_ehr: two or more different rotations (all of them when there are fewer).
    """
    if not isinstance(picks, Mapping):
        problem = 'Keep the template: {"clinician_first": "R01", ...}.'
        return {"picks": [problem], "workflows": [problem]}
    ids = set(records["record_id"].astype(str))
    first: list[str] = []
    clinical = _record(records, picks.get("clinician_first"))
    core = records[records["kind"] == "core_clinical"]
    if clinical is None:
        first.append(f"clinician_first: use one of {', '.join(sorted(ids))}.")
    elif len(core) and clinical["kind"] != "core_clinical":
        first.append(
            f"clinician_first: {clinical['record_id']} is not a core clinical rotation; lead with one that is."
        )
    example = _record(records, picks.get("concrete_example"))
    went_further = records[records["involvement"].map(_rung) > _rung("observed")]
    if example is None:
        first.append(f"concrete_example: use one of {', '.join(sorted(ids))}.")
    elif len(went_further) and _rung(example["involvement"]) <= _rung("observed"):
        first.append(
            f"concrete_example: in {example['record_id']} you only observed; pick work you explored further "
            f"({', '.join(went_further['record_id'])})."
        )
    flow: list[str] = []
    chosen = picks.get("workflows_and_ehr")
    if not isinstance(chosen, (list, tuple)):
        flow.append("workflows_and_ehr: a list of record ids.")
    else:
        known = {str(c).strip().upper() for c in chosen} & {i.upper() for i in ids}
        unknown = [str(c) for c in chosen if str(c).strip().upper() not in {i.upper() for i in ids}]
        if unknown:
            flow.append(f"workflows_and_ehr: {', '.join(unknown)} is not one of your records.")
        if len(known) < min(2, len(ids)):
            flow.append("workflows_and_ehr: draw on at least two different rotations.")
    return {"picks": first, "workflows": flow}


def show_talking_points(records: pd.DataFrame, picks: Any) -> None:
    """Your picks as lines to rehearse, and what to fix (runs before you answer)."""
    if waiting_for(picks, "my_talking_points", "Exercise 8.4"):
        return
    problems = talking_point_problems(picks, records)
    issues = problems["picks"] + problems["workflows"]
    if issues:
        print("To fix:\n- " + "\n- ".join(issues))
        return
    clean = {
        "clinician_first": _record(records, picks["clinician_first"])["record_id"],
        "concrete_example": _record(records, picks["concrete_example"])["record_id"],
        "workflows_and_ehr": [_record(records, r)["record_id"] for r in picks["workflows_and_ehr"]],
    }
    points = talking_points(records, clean)
    print("1. Clinician first:\n   " + points["clinician_first"])
    print("2. Workflows and the EHR:\n   " + "\n   ".join(points["workflows_and_ehr"]))
    print("3. One concrete example:\n   " + points["concrete_example"])


def paragraph_problems(text: Any, involvement: Any) -> list[str]:
    """Length and honesty of a personal-statement paragraph, as sentences to act on."""
    if involvement not in INVOLVEMENT:
        return [f"my_involvement should be one of {', '.join(INVOLVEMENT)}; you gave {involvement!r}."]
    if not isinstance(text, str):
        return ['Write the paragraph between triple quotes: """..."""']
    problems = []
    words = len(text.split())
    if not PARAGRAPH_WORDS[0] <= words <= PARAGRAPH_WORDS[1]:
        problems.append(f"Aim for {PARAGRAPH_WORDS[0]}-{PARAGRAPH_WORDS[1]} words; you have {words}.")
    inflated = claims_beyond(text, involvement)
    if inflated:
        problems.append(f"These words claim more than {involvement}: {', '.join(inflated)}.")
    return problems
