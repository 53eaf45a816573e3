"""Letters and relationships (module 07): likely writers, the relationship plan, the request packet, ERAS assignment.

The guide's goal for each away rotation: at least one strong letter from a faculty
member who can vouch for your clinical work and also mentions your promise in
clinical informatics. What the kit computes and checks for module 07's decisions (the code
lab asks learners to write the ranking, the packet check and the assignment themselves).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..runtime.answers import among, blanks_in, same_person, unfilled, waiting_for
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
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Natural phrasings count: "grateful" thanks, "résumé" is a CV, "health IT" or "the EHR" is informatics.
_ELEMENTS = {
    "thanks": re.compile(r"\bthank|\bgrateful|\bappreciat|\bgratitude", re.I),
    "strong_letter": re.compile(
        r"\bstrong(?:ly)?\b[^.?!]{0,40}\b(?:letter|recommendation|reference|LoR|support)"
        r"|\b(?:letter|recommendation|reference|LoR)\b[^.?!]{0,40}\bstrong",
        re.I,
    ),
    "specialty": re.compile("|".join(re.escape(s) for s in SPECIALTIES) + r"|\bIM\b|\bFM\b|\bEM\b|paediatric", re.I),
    "informatics": re.compile(
        r"\binformatics\b|\bhealth IT\b|health information technology|digital health|\bEHR\b"
        r"|electronic (?:health|medical) record|\bclinical data\b",
        re.I,
    ),
    "cv": re.compile(r"\bCV\b|curriculum vitae|\br[eé]sum[eé]\b", re.I),
    "personal_statement": re.compile(
        r"personal statement|\bstatement\b[^.?!]{0,20}\bdraft|draft[^.?!]{0,20}statement", re.I
    ),
    "deadline": re.compile(
        rf"\bdeadline\b|\bdue\b|\b(?:by|before|until)\s+(?:the\s+)?(?:end of\s+)?(?:{_MONTHS}|\d{{1,2}}(?:st|nd|rd|th)?\b)"
        rf"|\b(?:{_MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b",
        re.I,
    ),
    "easy_out": re.compile(
        r"\b(?:understand|no problem|completely fine|perfectly fine|okay|ok)\b[^.?!]{0,80}\bif\b"
        r"|\bif\b[^.?!]{0,80}(?:\bnot\b|n't\b|\bunable\b|\btoo busy\b|\bcannot\b)"
        r"|\bno pressure\b|\bfeel free to (?:say no|decline)\b|\bentirely up to you\b",
        re.I,
    ),
}
#: The two halves of a request the main path checks apart: the ask itself, and what makes it easy to answer.
MESSAGE_GROUPS = {
    "ask": ("thanks", "strong_letter", "specialty", "informatics"),
    "practical": ("cv", "personal_statement", "deadline", "easy_out", "length"),
}
MESSAGE_HINTS = {
    "thanks": "thank them for something specific they supervised",
    "strong_letter": "ask whether they could write a *strong* letter (it lets a lukewarm writer decline)",
    "specialty": "name the specialty you are applying to, spelt out",
    "informatics": "ask whether they might also mention your interest in clinical informatics",
    "cv": "offer your CV",
    "personal_statement": "offer your personal statement draft",
    "deadline": "give the deadline (a date, or 'by September 1')",
    "easy_out": "make it easy to say no: 'I will understand if ...'",
    "length": f"keep it between {MESSAGE_WORDS[0]} and {MESSAGE_WORDS[1]} words",
}


def message_elements(text: Any) -> dict[str, bool]:
    """Which required elements a letter-request message has (plus its length in words)."""
    if not isinstance(text, str):
        text = ""
    found = {name: bool(pattern.search(text)) for name, pattern in _ELEMENTS.items()}
    words = len(text.split())
    found["length"] = MESSAGE_WORDS[0] <= words <= MESSAGE_WORDS[1]
    return found


def message_group_problems(text: Any, group: str, specialty: str | None = None) -> list[str]:
    """The missing elements of one MESSAGE_GROUPS group, as hints; with `specialty`, it must be that one."""
    found = message_elements(text)
    problems = [f"{name}: {MESSAGE_HINTS[name]}." for name in MESSAGE_GROUPS[group] if not found[name]]
    if group == "ask" and specialty and found["specialty"] and isinstance(text, str):
        aliases = {specialty.lower(), *(a for a in _SPECIALTY_ALIASES.get(specialty, ()))}
        if not any(a in text.lower() for a in aliases):
            problems.append(f"specialty: name your own target specialty ({specialty}).")
    return problems


_SPECIALTY_ALIASES = {"Pediatrics": ("paediatrics",), "Internal Medicine": (" im ",)}


def show_message(text: Any) -> None:
    """Which elements the message has, and a hint for each missing one (runs before you answer)."""
    if waiting_for(text, "request_message", "Exercise 7.5"):
        return
    found = message_elements(text)
    print(f"{len(text.split()) if isinstance(text, str) else 0} words")
    for name, ok in found.items():
        print(f"  {'yes' if ok else 'NO '}  {name}" + ("" if ok else f": {MESSAGE_HINTS[name]}"))


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
    if isinstance(relationship_plan, Mapping):  # the main path's {week: [actions]} plan
        problems = week_plan_problems(relationship_plan)
        if not blanks_in(relationship_plan) and not problems["early"] + problems["end"]:
            plan["relationship_plan"] = plan_steps(relationship_plan)
    elif isinstance(relationship_plan, list) and relationship_plan and not relationship_problems(relationship_plan):
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


# =========================================================================== the main path's decisions
# The learner decides (who to ask, what to do each week, which letters go where); the kit shows
# what each decision does and checks it against the guide's rules. Problems are plain sentences.
def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


# ---------------------------------------------------------------- picking writers from the log
def writer_table(log: pd.DataFrame, by_week: int = 2) -> pd.DataFrame:
    """Everyone you worked with up to `by_week`, with an id to pick by: attendings first, ranked by score.

    Residents, nurses and pharmacists are listed (they may have spent the most time with you)
    but get no score: programs expect letters from the faculty who supervised you.
    """
    seen = log[log["week"] <= by_week]
    ranked = writer_scores(log, by_week).assign(role="attending")
    others = (
        seen[~seen["role"].isin(ELIGIBLE_ROLES)]
        .groupby(["person", "role"], as_index=False)
        .agg(minutes=("minutes", "sum"), settings=("setting", "nunique"))
        .sort_values(["minutes", "person"], ascending=[False, True], kind="mergesort")
    )
    table = pd.concat([ranked, others], ignore_index=True)
    table.insert(0, "id", [f"W{i}" for i in range(1, len(table) + 1)])
    table["score"] = table["score"].astype(float).round(2)
    table["informatics"] = table["informatics"].astype(float)
    return table[["id", "person", "role", "minutes", "settings", "informatics", "score"]]


def resolve_pick(pick: Any, table: pd.DataFrame) -> pd.Series | None:
    """The row of `table` a pick names: its id ("W1") or the person's name ("Dr. Ostrand")."""
    text = _text(pick)
    if not text:
        return None
    by_id = table[table["id"].str.upper() == text.upper()]
    if len(by_id):
        return by_id.iloc[0]
    by_name = [i for i, person in enumerate(table["person"]) if same_person(text, person)]
    return table.iloc[by_name[0]] if len(by_name) == 1 else None


PICKS_RANGE = (2, 3)  # a short list of two or three people to work closely with from week 2
TOP_MARGIN = 0.05  # the first pick may trail the top score by this much (the kit's allowance for near ties)


def pick_problems(picks: Any, table: pd.DataFrame) -> dict[str, list[str]]:
    """What to fix in the learner's likely writers, in two groups.

    - "who": two or three people from the table, each once, each an attending (a supervisor who
      saw your clinical work), none met only after the table's week;
    - "best": the first pick is the best-scoring attending (or within TOP_MARGIN of it), and at
      least one pick responded with interest when informatics came up.
    """
    if not isinstance(picks, (list, tuple)):
        problem = 'Write your picks as a list of ids from the table, e.g. ["W3", "W2"].'
        return {"who": [problem], "best": [problem]}
    rows = [(pick, resolve_pick(pick, table)) for pick in picks]
    who: list[str] = []
    unknown = [str(pick) for pick, row in rows if row is None]
    if unknown:
        who.append(f"{', '.join(unknown)}: not an id or a name in the table (use W1, W2 ...).")
    found = [row for _, row in rows if row is not None]
    ids = [row["id"] for row in found]
    if len(set(ids)) < len(ids):
        who.append("The same person is picked twice: pick each person once.")
    low, high = PICKS_RANGE
    if not low <= len(set(ids)) <= high:
        who.append(f"Pick {low} or {high} people (you picked {len(set(ids))}).")
    for row in found:
        if row["role"] not in ELIGIBLE_ROLES:
            who.append(
                f"{row['person']} is a {row['role']}: programs expect letters from faculty (attendings) who "
                "supervised your clinical work. Thank them, and keep them as allies."
            )
    best: list[str] = []
    attendings = table[table["role"].isin(ELIGIBLE_ROLES)]
    if not found:
        best.append("Pick people from the table first.")
        return {"who": who, "best": best}
    if len(attendings):
        top = float(attendings["score"].max())
        first = found[0]
        if first["role"] not in ELIGIBLE_ROLES or float(first["score"]) < top - TOP_MARGIN:
            leader = attendings.iloc[0]
            best.append(
                f"Your first pick ({first['person']}) is not the strongest bet: {leader['person']} scores "
                f"{top:.2f} on time together, settings and informatics interest. Put your strongest writer first."
            )
        if (attendings["settings"] >= 2).any() and not any(
            row["role"] in ELIGIBLE_ROLES and int(row["settings"]) >= 2 for row in found
        ):
            best.append(
                "None of your picks has seen you in more than one setting: include one who saw you on rounds "
                "and elsewhere (admissions, calls, clinic), so the letter has breadth."
            )
        if (attendings["informatics"] >= 1.0).any() and not any(
            row["role"] in ELIGIBLE_ROLES and float(row["informatics"]) >= 1.0 for row in found
        ):
            best.append(
                "None of your picks showed interest when informatics came up (informatics 1.0): include one "
                "who did, so a letter can speak to that side of your story."
            )
    return {"who": who, "best": best}


def show_picks(picks: Any, table: pd.DataFrame) -> pd.DataFrame | None:
    """Your picks as rows of the table, best first, and what to fix (runs before you answer)."""
    if waiting_for(picks, "my_writer_picks", "Exercise 7.1"):
        return None
    rows = [r for r in (resolve_pick(p, table) for p in picks if isinstance(picks, (list, tuple))) if r is not None]
    problems = pick_problems(picks, table)
    issues = problems["who"] + problems["best"]
    print("Nothing to fix: a sound short list." if not issues else "To look at:\n- " + "\n- ".join(issues))
    return pd.DataFrame(rows).reset_index(drop=True) if rows else None


# ---------------------------------------------------------------- the week-by-week plan
ACTION_TEXT = {
    "identify_writers": "note who works with you most, in which settings, and who likes informatics talk",
    "ask_feedback": "ask a likely writer explicitly what to improve over the coming week",
    "show_progress": "act on that feedback where they can see it",
    "goals_conversation": "a short meeting: thanks, your specialty and informatics goals, advice on programs",
    "ask_letter": "ask whether they could write a strong letter, ideally mentioning informatics",
    "send_packet": "send the CV, the personal statement draft and your bullet points",
    "thank_you": "a thank-you note to the team as you leave",
}
EARLY_FEEDBACK_WEEK = 2  # ask by week 2, so two weeks remain to show progress (the kit's reading of the guide)
AFTER = "after"  # the plan's key for the follow-up moves after the rotation (ids of NETWORK_MOVES)


def plan_steps(week_plan: Any) -> list[dict[str, Any]] | Any:
    """A {week: [actions]} plan as the list of {"week", "action", "note"} steps relationship_problems reads."""
    if not isinstance(week_plan, Mapping):
        return week_plan
    steps = []
    weeks = [w for w in week_plan if w != AFTER]
    for week in sorted(weeks, key=lambda w: (not isinstance(w, int), str(w) if not isinstance(w, int) else w)):
        actions = week_plan[week]
        for action in actions if isinstance(actions, (list, tuple)) else [actions]:
            steps.append({"week": week, "action": action, "note": ACTION_TEXT.get(action, "")})
    return steps


_EARLY = {
    "missing_identify_writers": "Add identify_writers in week 1 or 2.",
    "late_identify": "identify_writers comes by the end of week 2, while there is time to work with them.",
    "missing_ask_feedback": "Add ask_feedback: an explicit request for what to improve.",
    "late_feedback": f"ask_feedback by week {EARLY_FEEDBACK_WEEK}, so they see you improve before they write.",
    "missing_show_progress": "Add show_progress in a week after the feedback.",
    "progress_before_feedback": "show_progress goes in a later week than ask_feedback.",
}
_END = {
    "missing_goals_conversation": "Add the goals_conversation near the end.",
    "early_goals": "The goals_conversation belongs near the end: the last week or the one before.",
    "missing_ask_letter": "Add ask_letter before you leave.",
    "letter_before_goals": "ask_letter comes after the goals_conversation (in the list, in the same week or later).",
    "missing_send_packet": "Add send_packet once they say yes.",
    "packet_before_letter": "send_packet comes after ask_letter.",
    "missing_thank_you": "Add thank_you in the last week.",
    "early_thank_you": "thank_you goes in the last week, as you leave.",
}
_ANY = {
    "bad_item": "Each week holds a list of actions from the table.",
    "bad_week": "Use the weeks 1 to 4 of the template.",
    "unknown_action": f"Use only these actions: {', '.join(ACTIONS)}.",
    "weeks_go_backwards": "Keep the weeks in order.",
}


def week_plan_problems(week_plan: Any, weeks: int = ROTATION_WEEKS) -> dict[str, list[str]]:
    """What to fix in a {week: [actions]} plan, in two groups: "early" (weeks 1-2) and "end" (the last weeks)."""
    steps = plan_steps(week_plan)
    codes = relationship_problems(steps, weeks)
    if isinstance(week_plan, Mapping) and any(
        not isinstance(a, (list, tuple)) for w, a in week_plan.items() if w != AFTER
    ):
        codes = sorted({*codes, "bad_item"})
    feedback = [s["week"] for s in steps if isinstance(s, Mapping) and s.get("action") == "ask_feedback"]
    if feedback and isinstance(feedback[0], int) and feedback[0] > EARLY_FEEDBACK_WEEK:
        codes = sorted({*codes, "late_feedback"})
    general = [_ANY[c] for c in codes if c in _ANY]
    return {
        "early": general + [_EARLY[c] for c in codes if c in _EARLY],
        "end": general + [_END[c] for c in codes if c in _END],
    }


def network_problems(week_plan: Any) -> list[str]:
    """What to fix in the plan's follow-up moves (its "after" list of NETWORK_MOVES ids)."""
    moves = week_plan.get(AFTER) if isinstance(week_plan, Mapping) else None
    if not isinstance(moves, (list, tuple)):
        return ['Under "after", list the ids of your follow-up moves, e.g. ["N1", "N5"].']
    picked = {_text(m).upper() for m in moves}
    problems = []
    unknown = sorted(picked - set(NETWORK_MOVES))
    if unknown:
        problems.append(f"Not a move: {', '.join(unknown)} (use N1 to N7).")
    for key, (text, good) in NETWORK_MOVES.items():
        if good and key not in picked:
            problems.append(f"Missing {key}: {text.lower()}.")
        if not good and key in picked:
            problems.append(f"{key} is premature, pushy or overpromises: {text.lower()}.")
    return problems


def show_week_plan(week_plan: Any) -> pd.DataFrame | None:
    """Your plan week by week, with what each step is for and what to fix (runs before you answer)."""
    if waiting_for(week_plan, "my_week_plan", "Exercise 7.2"):
        return None
    problems = week_plan_problems(week_plan)
    issues = list(dict.fromkeys(problems["early"] + problems["end"] + network_problems(week_plan)))
    print("Nothing to fix: the right steps at the right time." if not issues else "To fix:\n- " + "\n- ".join(issues))
    steps = plan_steps(week_plan)
    rows = [s for s in steps if isinstance(s, Mapping)] if isinstance(steps, list) else []
    return pd.DataFrame(rows, columns=["week", "action", "note"]) if rows else None


# ---------------------------------------------------------------- reviewing a packet
PACKET_PROBLEMS = {
    "missing_cv": "the CV is missing",
    "missing_personal_statement": "the personal statement draft is missing",
    "few_cases": "fewer than two bullets about specific patients or cases",
    "no_informatics": "no bullet about an informatics observation or mini-project",
    "vague_bullet": "a bullet too vague to help (under 8 words)",
    "identifier": "a bullet that identifies a patient (a name or a record number)",
}
PACKET_GROUPS = {
    "parts": ("missing_cv", "missing_personal_statement", "few_cases", "no_informatics"),
    "bullets": ("vague_bullet", "identifier"),
}
DRAFT_PACKET = {  # fictional: a first draft for Dr. Ostrand
    "cv": "cv_2026.pdf",
    "personal_statement": "",
    "case_bullets": [
        "Presented Mr. Adeyemi (MRN 4481902) with sepsis on rounds every morning for a week",
        "hard-working and punctual",
    ],
    "informatics_bullets": [],
}


def show_packet(packet: Mapping[str, Any]) -> None:
    """A packet as the writer would receive it."""
    print(f"CV:                 {packet.get('cv') or '(none)'}")
    print(f"Personal statement: {packet.get('personal_statement') or '(none)'}")
    for key, label in (("case_bullets", "Case bullets"), ("informatics_bullets", "Informatics bullets")):
        bullets = packet.get(key) or []
        print(f"{label}:" + ("".join(f"\n  - {b}" for b in bullets) if bullets else " (none)"))


def packet_pick_problems(picked: Any, packet: Mapping[str, Any], group: str) -> list[str]:
    """Compare the problems a learner found in `packet` with the rules, for one group of PACKET_GROUPS."""
    if not isinstance(picked, (list, tuple, set)):
        return ['Write the problems as a list of codes, e.g. ["missing_cv"].']
    chosen = {_text(p).lower() for p in picked}
    unknown = sorted(chosen - set(PACKET_PROBLEMS))
    problems = [f"Not a problem code: {', '.join(unknown)}."] if unknown else []
    real = set(packet_problems(packet)) & set(PACKET_GROUPS[group])
    mine = chosen & set(PACKET_GROUPS[group])
    for code in sorted(real - mine):
        problems.append(f"Missed: {PACKET_PROBLEMS[code]} ({code}).")
    for code in sorted(mine - real):
        problems.append(f"Not a problem in this packet: {code} ({PACKET_PROBLEMS[code]}).")
    return problems


# ---------------------------------------------------------------- assigning letters by hand
def applications_for(shortlist: pd.DataFrame, specialty: str, request: int = USUAL_REQUEST) -> pd.DataFrame:
    """The first three shortlisted programs as applications A1-A3, each asking for `request` letters."""
    first = shortlist.head(3).reset_index(drop=True)
    return pd.DataFrame(
        {
            "app": [f"A{i}" for i in range(1, len(first) + 1)],
            "program_id": first["program_id"].astype(str),
            "program_name": first["program_name"],
            "specialty": specialty,
            "letters_requested": request,
        }
    )


def assignment_problems(assignment: Any, letters: pd.DataFrame, apps: pd.DataFrame) -> dict[str, list[str]]:
    """What to fix in {app: [letter ids]}, in two groups.

    - "eras": every application gets at least the letters it asks for and at most ERAS_MAX_LETTERS,
      known letter ids, none twice, none written for another specialty;
    - "fit": a program where you rotated gets its own faculty's letter, every program gets a
      U.S. clinical letter and, where one fits, a letter that mentions informatics.
    """
    if not isinstance(assignment, Mapping):
        problem = 'Write the assignment as a dictionary: {"A1": ["L1", "L2", "L3"], ...}.'
        return {"eras": [problem], "fit": [problem]}
    by_id = letters.set_index("letter_id")
    eras: list[str] = []
    fit: list[str] = []
    for _, app in apps.iterrows():
        key = app["app"]
        given = assignment.get(key)
        if not isinstance(given, (list, tuple)):
            eras.append(f"{key}: give a list of letter ids.")
            fit.append(f"{key}: give a list of letter ids.")
            continue
        ids = [_text(x).upper() for x in given]
        unknown = [x for x in ids if x not in by_id.index]
        if unknown:
            eras.append(f"{key}: {', '.join(unknown)} is not a letter in the table.")
        known = [x for x in dict.fromkeys(ids) if x in by_id.index]
        if len(set(ids)) < len(ids):
            eras.append(f"{key}: a letter appears twice.")
        if len(ids) > ERAS_MAX_LETTERS:
            eras.append(f"{key}: {len(ids)} letters; ERAS allows at most {ERAS_MAX_LETTERS} per program.")
        if len(ids) < int(app["letters_requested"]):
            eras.append(f"{key}: the program asks for {app['letters_requested']} letters; you gave {len(ids)}.")
        for x in known:
            if by_id.loc[x, "specialty"] not in (app["specialty"], "any"):
                eras.append(f"{key}: {x} was written for {by_id.loc[x, 'specialty']}, not {app['specialty']}.")
        fitting = letters[letters["specialty"].isin([app["specialty"], "any"])]
        own = fitting[fitting["site_program_id"] == app["program_id"]]["letter_id"].tolist()
        if own and not set(own) & set(known):
            fit.append(f"{key}: you rotated there: send {own[0]}, the letter from its own faculty.")
        if fitting["us_clinical"].any() and not any(bool(by_id.loc[x, "us_clinical"]) for x in known):
            fit.append(f"{key}: no U.S. clinical letter; programs want one.")
        if fitting["mentions_informatics"].any() and not any(bool(by_id.loc[x, "mentions_informatics"]) for x in known):
            fit.append(f"{key}: no letter that mentions informatics, though you have one.")
    extra = sorted(set(map(str, assignment)) - set(apps["app"]))
    if extra:
        eras.append(f"Not an application here: {', '.join(extra)} (use {', '.join(apps['app'])}).")
    return {"eras": eras, "fit": fit}


def show_assignment(assignment: Any, letters: pd.DataFrame, apps: pd.DataFrame) -> pd.DataFrame | None:
    """What each program would receive, slot by slot, and what to fix (runs before you answer)."""
    if waiting_for(assignment, "my_assignment", "Exercise 7.4"):
        return None
    problems = assignment_problems(assignment, letters, apps)
    issues = problems["eras"] + problems["fit"]
    print(
        "Nothing to fix: within the ERAS rules and a good fit." if not issues else "To fix:\n- " + "\n- ".join(issues)
    )
    writers = dict(zip(letters["letter_id"], letters["writer"], strict=True))
    rows = []
    if isinstance(assignment, Mapping):
        for _, app in apps.iterrows():
            given = assignment.get(app["app"])
            for slot, x in enumerate(given if isinstance(given, (list, tuple)) else [], start=1):
                rows.append(
                    {
                        "app": app["app"],
                        "program_id": app["program_id"],
                        "slot": slot,
                        "letter_id": x,
                        "writer": writers.get(_text(x).upper(), "?"),
                    }
                )
    return pd.DataFrame(rows, columns=["app", "program_id", "slot", "letter_id", "writer"])
