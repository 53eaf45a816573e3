"""During the rotation (module 05): plan the day, time your questions, tidy EHR lists, keep informatics small.

The kit's reference versions. Learners write their own in module 05; test cells
and later modules use these so that one unfinished exercise never blocks the rest.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# ---------------------------------------------------------------- planning the day
# Patient care first, then what the team needs, then your own learning; informatics last,
# and only in calm windows (the guide: clinical excellence first, informatics second).
KIND_ORDER = ("patient_care", "team", "learning", "informatics")
NOT_TODAY = "not today"

# Fixed events of the fictional ward day (not planned: everyone is there).
FIXED_EVENTS = (
    ("07:30", 150, "Rounds with the whole team"),
    ("12:00", 30, "Noon conference"),
    ("16:00", 30, "Sign-out to the evening team"),
)


def plan_day(tasks: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """Place each task in the earliest window that has room, in priority order; informatics only in calm windows.

    Tasks are taken kind by kind (KIND_ORDER; file order within a kind). A task
    fits a window when the window starts no earlier than the task's `not_before`
    time and has enough minutes left. Tasks that fit nowhere are "not today".
    """
    unknown = set(tasks["kind"]) - set(KIND_ORDER)
    if unknown:
        raise ValueError(f"unknown task kind(s) {sorted(unknown)}; use {list(KIND_ORDER)}")
    ordered = tasks.assign(_rank=tasks["kind"].map(KIND_ORDER.index)).sort_values("_rank", kind="mergesort")
    slots = windows.sort_values("start", kind="mergesort")
    left = dict(zip(slots["window_id"], slots["minutes"], strict=True))
    placed = []
    for _, task in ordered.iterrows():
        where = NOT_TODAY
        for _, window in slots.iterrows():
            if window["start"] < task["not_before"] or left[window["window_id"]] < task["minutes"]:
                continue
            if task["kind"] == "informatics" and not window["calm"]:
                continue
            where = window["window_id"]
            left[where] -= task["minutes"]
            break
        placed.append(where)
    plan = ordered.drop(columns="_rank").assign(window=placed)
    return plan[["task_id", "task", "kind", "minutes", "window"]].reset_index(drop=True)


def _clock(start: str, minutes: float) -> str:
    hours, mins = map(int, start.split(":"))
    total = hours * 60 + mins + int(minutes)
    return f"{total // 60:02d}:{total % 60:02d}"


def timetable(plan: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """The plan as clock times, with the fixed events, sorted by start: what the day will look like."""
    rows = [{"start": s, "end": _clock(s, m), "what": what, "kind": "fixed"} for s, m, what in FIXED_EVENTS]
    starts = dict(zip(windows["window_id"], windows["start"], strict=True))
    used: dict[str, int] = {}
    for _, task in plan[plan["window"] != NOT_TODAY].iterrows():
        begin = _clock(starts[task["window"]], used.get(task["window"], 0))
        used[task["window"]] = used.get(task["window"], 0) + int(task["minutes"])
        rows.append({"start": begin, "end": _clock(begin, task["minutes"]), "what": task["task"], "kind": task["kind"]})
    return pd.DataFrame(rows).sort_values("start", kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------- when to ask
MOMENTS = ("rounds", "calm", "skip")

# The kit's key for data/ward_questions.csv (kept out of the data file, so the quiz stays a quiz).
QUESTION_MOMENTS: dict[str, tuple[str, str]] = {
    "Q01": ("rounds", "Short and about the patient you are admitting: the answer changes what you order today."),
    "Q02": (
        "rounds",
        "Tied to the diagnosis the team is managing; one sentence, and it shows you think about quality.",
    ),
    "Q03": ("rounds", "A practical chart question for the patient in front of you; asking it saves errors."),
    "Q04": ("rounds", "Decision support in action for this patient: ask while the decision is being made."),
    "Q05": ("calm", "About the ward as a system, not one patient: it needs a few unhurried minutes."),
    "Q06": ("calm", "Dashboards are a systems topic; ask when nobody is waiting on you."),
    "Q07": ("calm", "How order sets are built and changed is a good conversation, not a rounds interruption."),
    "Q08": ("calm", "A workflow observation: raise it gently in a quiet moment, framed around patients."),
    "Q09": ("skip", "Trades patient care for informatics: exactly what worries program directors."),
    "Q10": ("skip", "Interrupts patient care to show off a tool: informatics overpowering the clinical work."),
}


def moment_key() -> dict[str, str]:
    """question_id -> the moment the kit suggests (rounds, calm or skip)."""
    return {qid: moment for qid, (moment, _why) in QUESTION_MOMENTS.items()}


# ---------------------------------------------------------------- medication list
UNITS_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "ug": 0.001, "\u00b5g": 0.001, "\u03bcg": 0.001}
DOSE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z\u00b5\u03bc]+)\s*")

# International and salt names -> the U.S. generic name used on this (fictional) ward.
MED_SYNONYMS = {
    "paracetamol": "acetaminophen",
    "salbutamol": "albuterol",
    "metformin hcl": "metformin",
    "metformin hydrochloride": "metformin",
    "atorvastatin calcium": "atorvastatin",
    "levothyroxine sodium": "levothyroxine",
}

# Abbreviations a student never converts: they stay as written and are flagged for the pharmacist or
# the prescriber. QD is on The Joint Commission's official "Do Not Use" list (accreditation standard
# IM.02.02.01; Joint Commission standards FAQ, accessed 2026). OD and qhs are on ISMP's List of Error-Prone
# Abbreviations, Symbols, and Dose Designations (2021 edition), which also lists QD.
DO_NOT_CONVERT = {
    "qd": "QD is on The Joint Commission's Do Not Use list: mistaken for QID; the prescriber should write 'daily'",
    "q.d.": "Q.D. is on The Joint Commission's Do Not Use list: mistaken for QID; the prescriber should write 'daily'",
    "od": "OD is on ISMP's error-prone list: meant as once daily, read as 'right eye' (oculus dexter); write 'daily'",
    "o.d.": "O.D. is on ISMP's error-prone list: meant as once daily, read as 'right eye'; write 'daily'",
    "qhs": "qhs is on ISMP's error-prone list: mistaken for 'qhr' (every hour); write 'nightly' or 'at bedtime'",
}

# How often, written many ways -> one plain-English form (never the abbreviations above).
FREQUENCIES = {
    "daily": "once daily",
    "once daily": "once daily",
    "bid": "twice daily",
    "b.i.d.": "twice daily",
    "twice daily": "twice daily",
    "2x daily": "twice daily",
    "tid": "three times daily",
    "t.i.d.": "three times daily",
    "three times daily": "three times daily",
    "at bedtime": "at bedtime",
    "nightly": "at bedtime",
    "prn": "as needed",
    "as needed": "as needed",
}


def parse_dose(text: Any) -> float:
    """A dose such as '500 mg', '0.5 g' or '100mcg' in milligrams, so equal doses compare equal."""
    match = DOSE.fullmatch(str(text).lower())
    if not match or match.group(2) not in UNITS_TO_MG:
        raise ValueError(f"cannot read the dose {text!r}: write a number and one of mg, g, mcg (e.g. '500 mg')")
    return round(float(match.group(1)) * UNITS_TO_MG[match.group(2)], 6)


def _squash(text: Any) -> str:
    return " ".join(str(text).lower().split())


def normalise_drug(name: Any) -> str:
    """Lower case, single spaces, and the U.S. generic name."""
    plain = _squash(name)
    return MED_SYNONYMS.get(plain, plain)


def normalise_frequency(text: Any) -> str:
    """One plain-English form for each way of writing how often (unknown forms kept, lower case)."""
    plain = _squash(text)
    return FREQUENCIES.get(plain, plain)


def clean_med_list(meds: pd.DataFrame) -> pd.DataFrame:
    """One row per drug, dose and frequency, counting the entries merged; a drug listed two ways needs review.

    A student prepares this as a draft for the resident: conflicting entries are
    flagged for a person to resolve, never silently dropped, and an abbreviation in
    DO_NOT_CONVERT stays as written and is flagged for the pharmacist or prescriber.
    """
    rows = meds.assign(
        drug=meds["drug"].map(normalise_drug),
        dose_mg=meds["dose"].map(parse_dose),
        frequency=meds["frequency"].map(normalise_frequency),
    )
    merged = rows.groupby(["drug", "dose_mg", "frequency"]).size().reset_index(name="entries")
    merged["needs_review"] = (merged.groupby("drug")["drug"].transform("size") > 1) | merged["frequency"].isin(
        list(DO_NOT_CONVERT)
    )
    return merged[["drug", "dose_mg", "frequency", "entries", "needs_review"]].reset_index(drop=True)


# ---------------------------------------------------------------- problem list
PROBLEM_SYNONYMS = {
    "t2dm": "type 2 diabetes mellitus",
    "htn": "hypertension",
    "ckd 3a": "chronic kidney disease stage 3a",
    "af": "atrial fibrillation",
    "afib": "atrial fibrillation",
    "uti": "urinary tract infection",
    "aki": "acute kidney injury",
    "cap": "community acquired pneumonia",
}


def normalise_problem(text: Any) -> str:
    """Lower case, hyphens as spaces, single spaces, abbreviations written out."""
    plain = _squash(str(text).replace("-", " "))
    return PROBLEM_SYNONYMS.get(plain, plain)


def clean_problem_list(problems: pd.DataFrame) -> pd.DataFrame:
    """One row per problem, from its latest entry (a later row wins a tie); active problems first, then resolved."""
    rows = problems.assign(problem=problems["problem"].map(normalise_problem), _row=range(len(problems)))
    latest = rows.sort_values(["noted_on", "_row"], kind="mergesort").groupby("problem").tail(1)
    latest = latest.assign(_resolved=latest["status"] != "active")
    latest = latest.sort_values(["_resolved", "problem"], kind="mergesort")
    return latest[["problem", "status", "noted_on"]].reset_index(drop=True)


# ---------------------------------------------------------------- balance
# The kit's rule of thumb (not a sourced figure): informatics at most 10% of the minutes
# you plan in a day, about 40 minutes of a 7-hour plan, and only in calm windows.
INFORMATICS_LIMIT = 0.10


def balance_check(plan: pd.DataFrame, windows: pd.DataFrame, limit: float = INFORMATICS_LIMIT) -> dict[str, Any]:
    """Is informatics a small share of the planned day, and does it sit only in calm windows?"""
    scheduled = plan[plan["window"] != NOT_TODAY]
    informatics = scheduled[scheduled["kind"] == "informatics"]
    total = int(scheduled["minutes"].sum())
    minutes = int(informatics["minutes"].sum())
    share = minutes / total if total else 0.0
    calm = set(windows.loc[windows["calm"].astype(bool), "window_id"])
    calm_only = bool(informatics["window"].isin(calm).all())
    return {
        "informatics_minutes": minutes,
        "scheduled_minutes": total,
        "share": float(share),
        "calm_only": calm_only,
        "ok": bool(share <= limit and calm_only),
    }
