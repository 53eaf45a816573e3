"""During the rotation (module 05): plan the day, time your questions, tidy EHR lists, keep informatics small.

The kit computes here what the learner's decisions in module 05 lead to (their day drawn as a
timetable, their medication and problem-list drafts, the balance of their day); the code lab
asks learners to write some of these functions themselves and compares with these references.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..runtime.answers import blanks_in, typed_ids, waiting_for
from ..runtime.checks import expect, passed
from ..runtime.state import save_part

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


# ---------------------------------------------------------------- the day as the learner's decisions
CARE_KINDS = ("patient_care", "team")


def plan_from_choices(choices: Any, tasks: pd.DataFrame) -> pd.DataFrame:
    """The learner's plan (task -> window) as a plan table like plan_day's; a task not chosen is "not today"."""
    chosen = choices if isinstance(choices, dict) else {}
    where = [str(chosen.get(t, NOT_TODAY)).strip() for t in tasks["task_id"]]
    plan = tasks.assign(window=where)
    return plan[["task_id", "task", "kind", "minutes", "window"]].reset_index(drop=True)


def care_problems(plan: pd.DataFrame, tasks: pd.DataFrame, windows: pd.DataFrame) -> list[str]:
    """Exercise 5.1's first rule: every patient-care and team task is placed, in a real window, on time, with room."""
    problems = []
    known = set(windows["window_id"])
    start = dict(zip(windows["window_id"], windows["start"], strict=True))
    room = dict(zip(windows["window_id"], windows["minutes"], strict=True))
    not_before = dict(zip(tasks["task_id"], tasks["not_before"], strict=True))
    for _, task in plan.iterrows():
        window = task["window"]
        if window == NOT_TODAY:
            if task["kind"] in CARE_KINDS:
                problems.append(
                    f"{task['task_id']} ({task['kind']}) is 'not today': your patients and team come first."
                )
            continue
        if window not in known:
            problems.append(f"{task['task_id']}: {window!r} is not a window id ({', '.join(known)} or 'not today').")
        elif start[window] < not_before[task["task_id"]]:
            problems.append(
                f"{task['task_id']} cannot start before {not_before[task['task_id']]}, "
                f"but {window} starts at {start[window]}."
            )
    used = plan[plan["window"].isin(known)].groupby("window")["minutes"].sum()
    for window, minutes in used.items():
        if minutes > room[window]:
            problems.append(f"{window} has {room[window]} minutes, but you put {int(minutes)} minutes of tasks in it.")
    return problems


def informatics_problems(plan: pd.DataFrame, windows: pd.DataFrame) -> list[str]:
    """Exercise 5.1's second rule: informatics only in calm windows, and it gives way when care does not fit."""
    calm = set(windows.loc[windows["calm"].astype(bool), "window_id"])
    placed = plan[(plan["kind"] == "informatics") & (plan["window"] != NOT_TODAY)]
    problems = [
        f"{t['task_id']} is informatics in {t['window']}, which is not a calm window."
        for _, t in placed.iterrows()
        if t["window"] not in calm
    ]
    left_out = plan[(plan["kind"].isin(CARE_KINDS)) & (plan["window"] == NOT_TODAY)]
    if len(placed) and len(left_out):
        problems.append(
            f"Informatics is planned while {', '.join(left_out['task_id'])} (patients or team) is 'not today'."
        )
    return problems


def show_day(choices: Any, tasks: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame | None:
    """Your day as clock times, with what to fix printed above it."""
    if waiting_for(choices, "my_plan", "Exercise 5.1"):
        return None
    plan = plan_from_choices(choices, tasks)
    for problem in care_problems(plan, tasks, windows) + informatics_problems(plan, windows):
        print("To fix:", problem)
    waiting = list(plan.loc[plan["window"] == NOT_TODAY, "task_id"])
    print("Not today:", ", ".join(waiting) or "nothing")
    known = plan[plan["window"].isin(set(windows["window_id"]))]
    return timetable(known, windows)


def plan_or_example(choices: Any, tasks: pd.DataFrame, windows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Your plan once every task has a window, else the kit's example plan; and which one it is."""
    if isinstance(choices, dict) and not blanks_in(choices):
        return plan_from_choices(choices, tasks), "yours"
    return plan_day(tasks, windows), "example"


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


def duplicate_groups(meds: pd.DataFrame) -> list[list[str]]:
    """Entries that say the same thing (same drug, dose in mg and frequency once tidied): groups of 2 or more ids."""
    key = meds.assign(
        _drug=meds["drug"].map(normalise_drug),
        _dose=meds["dose"].map(parse_dose),
        _freq=meds["frequency"].map(normalise_frequency),
    )
    groups = key.groupby(["_drug", "_dose", "_freq"], sort=True)["entry_id"].apply(list)
    return [list(g) for g in groups if len(g) > 1]


def conflict_ids(meds: pd.DataFrame) -> list[str]:
    """Entries of a drug that is listed with more than one dose or frequency: for the resident to settle."""
    drugs = meds["drug"].map(normalise_drug)
    tidy = meds.assign(
        _drug=drugs, _dose=meds["dose"].map(parse_dose), _freq=meds["frequency"].map(normalise_frequency)
    )
    versions = tidy.groupby("_drug")[["_dose", "_freq"]].apply(lambda g: len(g.drop_duplicates()))
    return list(tidy.loc[tidy["_drug"].map(versions) > 1, "entry_id"])


def flag_ids(meds: pd.DataFrame) -> list[str]:
    """Entries whose frequency is an abbreviation in DO_NOT_CONVERT: kept as written, flagged for the pharmacist."""
    return list(meds.loc[meds["frequency"].map(_squash).isin(list(DO_NOT_CONVERT)), "entry_id"])


def duplicate_problems(picked: Any, meds: pd.DataFrame) -> list[str]:
    """What to fix in the learner's list of copies: every group keeps exactly one entry, nothing else is removed."""
    chosen = set(typed_ids(picked))
    groups = duplicate_groups(meds)
    problems = []
    for group in groups:
        removed = [i for i in group if i in chosen]
        if len(removed) < len(group) - 1:
            problems.append(f"{' and '.join(group)} say the same thing: list all but one of them as copies.")
        elif len(removed) == len(group):
            problems.append(f"You listed every entry of {', '.join(group)}: keep one of them.")
    in_groups = {i for g in groups for i in g}
    extra = sorted(chosen - in_groups)
    if extra:
        problems.append(f"{', '.join(extra)} repeat(s) no other entry exactly: not a copy to merge.")
    return problems


def med_draft(meds: pd.DataFrame, copies: Any, conflicts: Any, flags: Any = ()) -> pd.DataFrame:
    """The draft you would show the resident: each entry with what your decisions do to it."""

    copies, conflicts, flags = set(typed_ids(copies)), set(typed_ids(conflicts)), set(typed_ids(flags))
    actions = []
    for _, row in meds.iterrows():
        steps = []
        if row["entry_id"] in copies:
            steps.append("merge: a copy of another entry")
        if row["entry_id"] in conflicts:
            steps.append("ask the resident: conflicting entries")
        if row["entry_id"] in flags:
            steps.append("flag for the pharmacist/prescriber, kept as written")
        actions.append("; ".join(steps) or "keep")
    return meds[["entry_id", "drug", "dose", "frequency"]].assign(your_draft=actions)


def show_med_draft(meds: pd.DataFrame, copies: Any, conflicts: Any, flags: Any = ()) -> pd.DataFrame | None:
    """Your draft of the medication list, once the answers it uses are filled in."""
    if waiting_for(copies, "my_copies", "Exercise 5.3") or waiting_for(conflicts, "my_conflicts", "Exercise 5.3"):
        return None
    if flags is Ellipsis or blanks_in(flags):
        flags = ()
        print("(Flags from Exercise 5.4 are not in yet.)")
    return med_draft(meds, copies, conflicts, flags)


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


def problem_groups(problems: pd.DataFrame) -> dict[str, tuple[list[str], str]]:
    """Each real problem (written out) -> (its entry ids, the status of its latest entry)."""
    rows = problems.assign(_problem=problems["problem"].map(normalise_problem), _row=range(len(problems)))
    rows = rows.sort_values(["noted_on", "_row"], kind="mergesort")
    return {
        name: (sorted(group["entry_id"]), str(group["status"].iloc[-1])) for name, group in rows.groupby("_problem")
    }


def problem_list_problems(picked: Any, problems: pd.DataFrame, status: str) -> list[str]:
    """What to fix in a pick of entries for one status ("active" or "resolved"): one entry per problem with that
    status as its latest entry, and none of other problems."""
    chosen = set(typed_ids(picked))
    issues = []
    for name, (ids, latest) in problem_groups(problems).items():
        hit = [i for i in ids if i in chosen]
        if latest == status and len(hit) != 1:
            issues.append(f"{name} ({', '.join(ids)}): pick exactly one of its entries, you picked {len(hit)}.")
        if latest != status and hit:
            issues.append(f"{name}: its latest entry says {latest}, so {', '.join(hit)} does not belong here.")
    return issues


def show_problem_draft(problems: pd.DataFrame, active: Any, resolved: Any) -> None:
    """Your clean problem list: active problems, then past history, from the entries you picked."""
    if waiting_for(active, "my_active", "Exercise 5.5") or waiting_for(resolved, "my_resolved", "Exercise 5.5"):
        return
    names = dict(zip(problems["entry_id"], problems["problem"].map(normalise_problem), strict=True))
    for label, picked in (("Active", active), ("Past history", resolved)):
        shown = [f"{names.get(str(i).strip().upper(), '?')} ({i})" for i in picked]
        print(f"{label}: {'; '.join(shown) or 'nothing'}")


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


def show_balance(plan: pd.DataFrame, windows: pd.DataFrame, source: str) -> dict[str, Any]:
    """The balance check of a plan in one sentence (and its numbers); `source` is "yours", "example" or a label."""
    result = balance_check(plan, windows)
    labels = {"yours": "Your plan", "example": "The kit's example plan (yours is not complete yet)"}
    whose = labels.get(source, source)
    verdict = "within" if result["ok"] else "outside"
    print(
        f"{whose}: {result['informatics_minutes']} of {result['scheduled_minutes']} planned minutes are informatics "
        f"({result['share']:.0%}); calm windows only: {'yes' if result['calm_only'] else 'no'}. "
        f"That is {verdict} the kit's rule (at most {INFORMATICS_LIMIT:.0%}, calm windows only)."
    )
    return result


# --------------------------------------------------------------------------- the main path's visible checks
# Each check cell of module 05 calls one of these after `expect.defined(...)`: the guide's rules applied
# to the learner's decision, with what was expected, what came back and a hint.
def check_plan(choices: Any, tasks: pd.DataFrame, windows: pd.DataFrame, part: str) -> None:
    """Exercise 5.1: part a patients and team placed, on time, with room; part b informatics only when calm."""
    expect.type(choices, dict, what="my_plan", hint='Keep the curly brackets: {"T01": "pre-rounds", ...}.')
    expect.items(list(choices), list(tasks["task_id"]), what="the tasks in my_plan", hint="Keep the task ids.")
    plan = plan_from_choices(choices, tasks)
    if part == "a":
        issues = care_problems(plan, tasks, windows)
        expected, message = "every care and team task placed, on time, with room", "Your patients and team come first."
        hint = "Add up the minutes per window; a task goes in a window that starts at or after its not_before time."
    else:
        issues = informatics_problems(plan, windows)
        expected, message = "informatics in calm windows only (or not today)", "Informatics waits for calm moments."
        hint = 'Informatics waits for lunch, the quiet spell or the end of the day; no room means "not today".'
    expect.true(not issues, what=f"my_plan, part {part}", expected=expected, got=" ".join(issues), hint=hint)
    passed(message)


def check_moments(moments: Any, part: str) -> None:
    """Exercise 5.2: part a rounds and calm questions in place; part b exactly the skips skipped."""
    expect.type(moments, dict, what="my_moments", hint='Keep the curly brackets: {"Q01": "rounds", ...}.')
    key = moment_key()
    given = {q: str(m).strip().lower() for q, m in moments.items()}
    if part == "a":
        placed = [q for q, m in key.items() if m != "skip"]
        right = sum(given.get(q) == key[q] for q in placed)
        expect.equal(
            right,
            len(placed),
            what="questions placed on rounds or in a calm moment",
            hint="About this patient today: rounds. About the ward, dashboards or how order sets are made: calm.",
        )
        passed("Rounds questions and calm-moment questions are in their place.")
        return
    skipped = sorted(q for q, m in given.items() if m == "skip")
    expect.true(
        skipped == sorted(q for q, m in key.items() if m == "skip"),
        what="the questions you skip",
        expected="the two that trade patient care for informatics",
        got=", ".join(skipped) or "none",
        hint="Skip what would take you from pre-rounding or interrupt a presentation; keep curious questions.",
    )
    passed("You skip exactly the questions that would worry a program director.")


def check_meds(picked: Any, meds: pd.DataFrame, kind: str) -> None:
    """Exercises 5.3 and 5.4: "copies" (all but one of each true copy), "conflicts" or "flags" (exact sets)."""
    name = {"copies": "my_copies", "conflicts": "my_conflicts", "flags": "my_flags"}[kind]
    expect.type(picked, list, what=name, hint='A list in square brackets: ["M01", ...].')
    if kind == "copies":
        issues = duplicate_problems(picked, meds)
        expect.true(
            not issues,
            what="the copies you listed",
            expected="all but one entry of each group of true copies",
            got=" ".join(issues),
            hint="A copy has the same drug, dose in mg and frequency once names are tidied.",
        )
        passed("Each true copy is merged, and one entry of each is kept.")
        return
    chosen = sorted(set(typed_ids(picked)))
    should = sorted(conflict_ids(meds) if kind == "conflicts" else flag_ids(meds))
    hint = (
        "Look for a drug listed with two doses or two frequencies; both entries go to the resident."
        if kind == "conflicts"
        else "Read the frequency column: capitals (QD, OD) count too."
    )
    expect.true(
        chosen == should,
        what=f"the entries in {name}",
        expected=f"{len(should)} entries",
        got=f"{len(chosen)} entries, {len(set(chosen) & set(should))} of them right",
        hint=hint,
    )
    passed("Conflicts go to the resident, both sides." if kind == "conflicts" else "Every risky abbreviation flagged.")


def check_choice(answer: Any, name: str, options: str, right: str, hint: str, message: str) -> None:
    """A lettered choice: one of `options`, and the one the guide's rule gives."""
    got = expect.choice(answer, options, what=name, hint="Type it in quotes.")
    expect.equal(got, right, what=name, hint=hint)
    passed(message)


def check_problem_pick(picked: Any, problems: pd.DataFrame, status: str) -> None:
    """Exercise 5.5: one entry per problem whose latest entry has `status`, none of the others."""
    name = "my_active" if status == "active" else "my_resolved"
    expect.type(picked, list, what=name, hint='A list in square brackets: ["P01", ...].')
    issues = problem_list_problems(picked, problems, status)
    expect.true(
        not issues,
        what=name,
        expected=f"one entry for each {status} problem",
        got=" ".join(issues),
        hint="HTN is hypertension, T2DM type 2 diabetes; judge each problem by its latest entry (look at the dates).",
    )
    passed("Active problems, each once." if status == "active" else "Resolved problems move to past history.")


def check_verdict(answer: Any, choices: Any, tasks: pd.DataFrame, windows: pd.DataFrame) -> None:
    """Exercise 5.6 part a: "yes"/"no" matches the balance check of the plan the kit checked first."""
    plan, source = plan_or_example(choices, tasks, windows)
    right = "yes" if balance_check(plan, windows)["ok"] else "no"
    check_choice(
        answer,
        "answer_5_6a",
        ("yes", "no"),
        right,
        hint=f"Read the first line the kit printed for {'your' if source == 'yours' else 'the example'} plan.",
        message="You read the balance check right.",
    )


def save_calm_questions(moments: Any, bank: pd.DataFrame) -> None:
    """Save the questions kept for calm moments (yours once Exercise 5.2 is filled in, else the kit's)."""
    answered = isinstance(moments, dict) and not blanks_in(moments)
    chosen = moments if answered else moment_key()
    questions = list(bank.loc[bank["question_id"].map(chosen) == "calm", "question"])
    print("Saved:", save_part("calm_questions", questions, source="yours" if answered else "example"))


def show_final_draft(meds: pd.DataFrame, copies: Any, conflicts: Any, flags: Any) -> pd.DataFrame | None:
    """Exercise 5.4's draft: your flags, with your copies and conflicts from 5.3 (the kit's while those are blank),
    and the size of the merged list the kit would hand the resident."""
    if waiting_for(flags, "my_flags", "Exercise 5.4"):
        return None
    if blanks_in(copies) or blanks_in(conflicts):
        print("(Copies and conflicts: the kit's, until Exercise 5.3 is answered.)")
        copies = [i for group in duplicate_groups(meds) for i in group[1:]]
        conflicts = conflict_ids(meds)
    merged = clean_med_list(meds)
    print(
        f"The kit's merged list: {len(meds)} entries -> {len(merged)} rows, "
        f"{int(merged['needs_review'].sum())} for the resident or pharmacist to review."
    )
    return med_draft(meds, copies, conflicts, flags)
