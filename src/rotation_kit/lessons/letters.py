"""Letters and relationships (module 07): likely writers, the relationship plan, the request packet, ERAS assignment.

The guide's goal for each away rotation: at least one strong letter from a faculty
member who can vouch for your clinical work and also mentions your promise in
clinical informatics. These are the kit's reference versions of the module's exercises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..runtime.answers import among, unfilled
from ..runtime.schemas import SPECIALTIES
from ..runtime.state import save_part

# ---------------------------------------------------------------- likely writers by week 2
ELIGIBLE_ROLES = ("attending",)  # residency programs expect letters from faculty physicians
INFORMATICS_POINTS = {"interested": 1.0, "neutral": 0.5, "dismissive": 0.0}
WEIGHTS = {"time": 0.5, "settings": 0.3, "informatics": 0.2}
SETTINGS_FOR_FULL_MARKS = 4


def writer_scores(log: pd.DataFrame, by_week: int = 2) -> pd.DataFrame:
    """Attendings seen up to `by_week`, scored 0-1 and ranked (best first; ties by name).

    score = 0.5 * minutes / most minutes with any attending
          + 0.3 * min(different settings, 4) / 4
          + 0.2 * mean informatics reaction when it came up (interested 1, neutral 0.5,
                  dismissive 0; 0 if it never came up)
    """
    seen = log[(log["week"] <= by_week) & log["role"].isin(ELIGIBLE_ROLES)]
    columns = ["person", "minutes", "settings", "informatics", "score"]
    if seen.empty:
        return pd.DataFrame(columns=columns)
    per = seen.groupby("person").agg(minutes=("minutes", "sum"), settings=("setting", "nunique"))
    talked = seen[seen["informatics_talk"].isin(list(INFORMATICS_POINTS))]
    reaction = talked["informatics_talk"].map(INFORMATICS_POINTS).astype(float).groupby(talked["person"]).mean()
    per["informatics"] = reaction.reindex(per.index).fillna(0.0).astype(float)
    per["score"] = (
        WEIGHTS["time"] * per["minutes"] / per["minutes"].max()
        + WEIGHTS["settings"] * per["settings"].clip(upper=SETTINGS_FOR_FULL_MARKS) / SETTINGS_FOR_FULL_MARKS
        + WEIGHTS["informatics"] * per["informatics"]
    )
    per = per.reset_index().sort_values(["score", "person"], ascending=[False, True], kind="mergesort")
    return per[columns].reset_index(drop=True)


# ---------------------------------------------------------------- the relationship plan
ACTIONS = (
    "identify_writers",
    "ask_feedback",
    "show_progress",
    "goals_conversation",
    "ask_letter",
    "send_packet",
    "thank_you",
)
REQUIRED_ACTIONS = ACTIONS  # showing progress and the thank-you are part of the guide's advice, not extras
ROTATION_WEEKS = 4


def relationship_problems(plan: Any, weeks: int = ROTATION_WEEKS) -> list[str]:
    """Problem codes for a week-by-week relationship plan (a list of {"week": n, "action": name}, in time order).

    Codes: bad_item, bad_week, unknown_action, missing_<action>, late_identify (after week 2),
    late_feedback (in the last week: no time left to show progress), early_goals (before the
    second-to-last week), letter_before_goals, packet_before_letter, progress_before_feedback
    (progress shown in the same week as the feedback or earlier), early_thank_you (before the
    last week), weeks_go_backwards.
    Returns the codes found, sorted; an empty list means the plan is sound.
    """
    if not isinstance(plan, (list, tuple)):
        return ["bad_item"]
    codes: set[str] = set()
    first: dict[str, tuple[int, int]] = {}  # action -> (position, week) of its first appearance
    previous_week = 0
    for position, item in enumerate(plan):
        if not isinstance(item, Mapping) or "week" not in item or "action" not in item:
            codes.add("bad_item")
            continue
        week, action = item["week"], item["action"]
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= weeks:
            codes.add("bad_week")
            continue
        if action not in ACTIONS:
            codes.add("unknown_action")
            continue
        if week < previous_week:
            codes.add("weeks_go_backwards")
        previous_week = max(previous_week, week)
        first.setdefault(action, (position, week))
    for action in REQUIRED_ACTIONS:
        if action not in first:
            codes.add(f"missing_{action}")
    if "identify_writers" in first and first["identify_writers"][1] > 2:
        codes.add("late_identify")
    if "ask_feedback" in first and first["ask_feedback"][1] >= weeks:
        codes.add("late_feedback")
    if "goals_conversation" in first and first["goals_conversation"][1] < weeks - 1:
        codes.add("early_goals")
    if {"goals_conversation", "ask_letter"} <= set(first) and first["ask_letter"][0] < first["goals_conversation"][0]:
        codes.add("letter_before_goals")
    if {"ask_letter", "send_packet"} <= set(first) and first["send_packet"][0] < first["ask_letter"][0]:
        codes.add("packet_before_letter")
    if {"ask_feedback", "show_progress"} <= set(first) and first["show_progress"][1] <= first["ask_feedback"][1]:
        codes.add("progress_before_feedback")
    if "thank_you" in first and first["thank_you"][1] < weeks:
        codes.add("early_thank_you")
    return sorted(codes)


# ---------------------------------------------------------------- the letter-request packet
MIN_BULLET_WORDS = 8
_IDENTIFIER = re.compile(r"\d{6,}|\b(?:Mr|Mrs|Ms|Mx|Miss)\.?\s+[A-Z]")


def packet_problems(packet: Any) -> list[str]:
    """Problem codes for the packet you send a writer who said yes.

    Codes: missing_cv, missing_personal_statement, few_cases (fewer than 2 case bullets),
    no_informatics (no informatics bullet), vague_bullet (a bullet under 8 words),
    identifier (a bullet with a patient name after Mr/Mrs/Ms/Mx/Miss or a 6+ digit number
    such as a record number). Sorted; empty means ready to send.
    """
    if not isinstance(packet, Mapping):
        packet = {}
    codes: set[str] = set()

    def filled(key: str) -> bool:
        return isinstance(packet.get(key), str) and packet[key].strip() != ""

    def bullets(key: str) -> list[str]:
        value = packet.get(key, [])
        if not isinstance(value, (list, tuple)):
            return []
        return [b for b in value if isinstance(b, str) and b.strip()]

    if not filled("cv"):
        codes.add("missing_cv")
    if not filled("personal_statement"):
        codes.add("missing_personal_statement")
    cases, informatics = bullets("case_bullets"), bullets("informatics_bullets")
    if len(cases) < 2:
        codes.add("few_cases")
    if len(informatics) < 1:
        codes.add("no_informatics")
    for bullet in cases + informatics:
        if len(bullet.split()) < MIN_BULLET_WORDS:
            codes.add("vague_bullet")
        if _IDENTIFIER.search(bullet):
            codes.add("identifier")
    return sorted(codes)


# ---------------------------------------------------------------- letters to applications (ERAS)
ERAS_MAX_LETTERS = 4  # AAMC ERAS letter writers FAQ: up to four letters per program
USUAL_REQUEST = 3  # most programs ask for three


def assign_letters(
    letters: pd.DataFrame, applications: pd.DataFrame, max_per_program: int = ERAS_MAX_LETTERS
) -> pd.DataFrame:
    """Which letters go to which program: one row per (program_id, slot, letter_id).

    A letter fits a program when its specialty matches or is "any". Best first: a letter
    from that program's own faculty (your away rotation there), then U.S. clinical letters,
    then letters that mention informatics, then by letter_id. Each program gets as many
    as it requests; asking for more than ERAS allows raises ValueError.
    """
    too_many = applications[applications["letters_requested"] > max_per_program]
    if len(too_many):
        raise ValueError(
            f"ERAS allows at most {max_per_program} letters per program; {list(too_many['program_id'])} ask for more"
        )
    rows = []
    for _, app in applications.iterrows():
        fits = letters[letters["specialty"].isin([app["specialty"], "any"])].copy()
        fits["_site"] = fits["site_program_id"] == app["program_id"]
        fits = fits.sort_values(
            ["_site", "us_clinical", "mentions_informatics", "letter_id"],
            ascending=[False, False, False, True],
            kind="mergesort",
        )
        for slot, letter_id in enumerate(fits["letter_id"].head(int(app["letters_requested"])), start=1):
            rows.append({"program_id": app["program_id"], "slot": slot, "letter_id": letter_id})
    return pd.DataFrame(rows, columns=["program_id", "slot", "letter_id"])


def example_letters(shortlist: pd.DataFrame, specialty: str) -> pd.DataFrame:
    """A fictional set of letters for a learner whose away rotations were at the first two shortlisted programs."""
    sites = list(shortlist["program_id"].astype(str))[:2] + ["", ""]
    return pd.DataFrame(
        [
            {
                "letter_id": "L1",
                "writer": "Away-rotation attending (1st site)",
                "specialty": specialty,
                "site_program_id": sites[0],
                "us_clinical": True,
                "mentions_informatics": True,
            },
            {
                "letter_id": "L2",
                "writer": "Away-rotation attending (2nd site)",
                "specialty": specialty,
                "site_program_id": sites[1],
                "us_clinical": True,
                "mentions_informatics": False,
            },
            {
                "letter_id": "L3",
                "writer": "Informatics research mentor (remote project)",
                "specialty": "any",
                "site_program_id": "",
                "us_clinical": False,
                "mentions_informatics": True,
            },
            {
                "letter_id": "L4",
                "writer": "Head of medicine, home hospital",
                "specialty": specialty,
                "site_program_id": "",
                "us_clinical": False,
                "mentions_informatics": False,
            },
            {
                "letter_id": "L5",
                "writer": "Observership attending, other specialty",
                "specialty": next(s for s in SPECIALTIES if s != specialty),
                "site_program_id": "",
                "us_clinical": True,
                "mentions_informatics": False,
            },
        ]
    )


# ---------------------------------------------------------------- the request message
MESSAGE_WORDS = (80, 250)
_ELEMENTS = {
    "thanks": re.compile(r"\bthank", re.I),
    "strong_letter": re.compile(r"\bstrong\s+(?:letter|recommendation|LoR)", re.I),
    "specialty": re.compile("|".join(re.escape(s) for s in SPECIALTIES), re.I),
    "informatics": re.compile(r"\binformatics\b", re.I),
    "cv": re.compile(r"\bCV\b|curriculum vitae", re.I),
    "personal_statement": re.compile(r"personal statement", re.I),
    "deadline": re.compile(
        r"\bdeadline\b|\bby\s+(?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December|\d{1,2}[/.-]\d{1,2})",
        re.I,
    ),
    "easy_out": re.compile(
        r"\b(?:understand|no problem|completely fine|perfectly fine|okay|ok)\b[^.?!]{0,80}\bif\b"
        r"|\bif\b[^.?!]{0,80}(?:\bnot\b|n't\b|\bunable\b|\btoo busy\b)",
        re.I,
    ),
}


def message_elements(text: Any) -> dict[str, bool]:
    """Which required elements a letter-request message has (plus its length in words)."""
    if not isinstance(text, str):
        text = ""
    found = {name: bool(pattern.search(text)) for name, pattern in _ELEMENTS.items()}
    words = len(text.split())
    found["length"] = MESSAGE_WORDS[0] <= words <= MESSAGE_WORDS[1]
    return found


def message_problems(text: Any) -> list[str]:
    """The names of the elements a letter-request message is missing (empty = all there)."""
    return [name for name, ok in message_elements(text).items() if not ok]


# ---------------------------------------------------------------- the long-term network (guide §6 C)
# Follow-up moves; True = the kind that builds a small network of informatics-minded clinicians who
# know your work and may later support a fellowship application.
NETWORK_MOVES = {
    "N1": ("Within days, thank the attending and residents, naming what you learned about their EHR or QI work", True),
    "N2": ("Tell your mentors when you have submitted ERAS", True),
    "N3": ("Tell them about interview invitations and, later, your Match result", True),
    "N4": ("Offer the informatics faculty remote help with a literature review, only if you can really do it", True),
    "N5": ("On day one, ask the CMIO to recommend you for a fellowship in five years", False),
    "N6": ("Email every faculty member each week, with or without news", False),
    "N7": ("Promise to build their data warehouse from abroad", False),
}


def network_moves() -> list[str]:
    """Ids of the follow-up moves that build a lasting informatics network."""
    return [key for key, (_, good) in NETWORK_MOVES.items() if good]


# --------------------------------------------------------------------------- your letter writers
WRITERS_RANGE = (1, ERAS_MAX_LETTERS)


def writer_problems(writers: Any, people: Mapping[str, str] | None = None) -> list[str]:
    """What to fix in `my_letter_writers` (empty list = ready): one to four names, none left as '...'.

    With `people` (module 04's `rotation_people`), a writer who is not among them is named:
    a letter comes from someone who saw your work on the rotation.
    """
    if not isinstance(writers, (list, tuple)):
        return ['my_letter_writers should be a list of names in square brackets: ["Dr. R. O.", "Dr. L. V."].']
    low, high = WRITERS_RANGE
    problems = []
    if any(unfilled(w) for w in writers):
        problems.append("Replace every '...' with a writer's name (initials are fine).")
    named = [w.strip() for w in writers if not unfilled(w)]
    if not low <= len(named) <= high:
        problems.append(
            f"Name {low} to {high} writers (ERAS accepts up to {ERAS_MAX_LETTERS} letters per "
            f"program, most programs ask for {USUAL_REQUEST}); you named {len(named)}."
        )
    if len({w.lower() for w in named}) < len(named):
        problems.append("A writer appears twice: name each person once.")
    if people:
        known = [v for k, v in people.items() if k != "host" and isinstance(v, str)]
        for writer in named:
            if not among(writer, known):
                problems.append(
                    f"{writer} is not among the people you noted in module 04 "
                    f"({', '.join(v for k, v in people.items() if k != 'host')}): add them there, "
                    "or choose someone who saw your work."
                )
    return problems


def save_letter_plan(
    writers: Any, relationship_plan: Any, request_message: Any, people: Mapping[str, str] | None = None
) -> str:
    """Save the parts of your letters plan that you wrote and that pass their checks (writers, plan, message).

    Nothing of the kit's (its ranking of the sample log, the worked examples) is saved as yours;
    with nothing of your own yet, nothing is saved and the capstone says the part is to do.
    """
    plan: dict[str, Any] = {}
    if not writer_problems(writers):
        plan["writers"] = [w.strip() for w in writers]
    if isinstance(relationship_plan, list) and relationship_plan and not relationship_problems(relationship_plan):
        plan["relationship_plan"] = relationship_plan
    if isinstance(request_message, str) and not message_problems(request_message):
        plan["request_message"] = request_message
    if not plan:
        return "Nothing saved yet: answer Exercises 7.2, 7.5 and 7.7 (your writers), then run this cell again."
    save_part("letter_plan", plan)
    note = ""
    if people and "writers" in plan:
        strangers = [w for w in plan["writers"] if writer_problems([w], people)]
        if strangers:
            note = (
                f" Note: {', '.join(strangers)} is not among the people you noted in module 04; "
                "your plan (module 09) will ask you about it."
            )
    return f"Saved your letters plan ({', '.join(plan)}).{note}"
