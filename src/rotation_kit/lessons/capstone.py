"""The capstone plan (module 09): gather the parts saved by modules 00-08, check them, print them as HTML.

Each part comes from the module that makes it (`state.save_part`, which records whether
the learner's own answer made it). Every part of the plan has one of three sources:
"yours" (the learner's own answer), "example" (the kit's fictional example stands in,
and the plan names the module that makes the learner's own) or "missing" (nothing to
show: an example about someone else would contradict the learner's own profile). A
fallback or worked example is never reported as the learner's own work. The same
sources go into `plan.json` beside the HTML. Learner text goes into the HTML escaped,
never as markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..runtime import state
from ..runtime.answers import among
from ..runtime.loaders import load_programs
from ..runtime.paths import learner_home
from ..runtime.plots import PALETTE
from ..runtime.profile import SAMPLE_PROFILE, has_own_profile, load_profile
from . import application, how_many, where_to_rotate


@dataclass(frozen=True)
class Section:
    """One part of the plan: where it is saved and which module makes it."""

    key: str
    title: str
    made_in: str
    part: str  # the name it is saved under with state.save_part


SECTIONS = (
    Section("profile", "Your profile", "00_start_here", "profile"),
    Section("count", "How many away rotations", "01_how_many", "rotation_count"),
    Section("order", "Which rotations, in which order", "02_which_rotations", "rotation_order"),
    Section("shortlist", "Where to rotate: your shortlist", "03_where_to_rotate", "shortlist"),
    Section("pitch", "Your pitch", "04_before_rotation", "pitch"),
    Section("people", "The people on your rotation", "04_before_rotation", "rotation_people"),
    Section("project", "Your workflow-observation project", "06_workflow_project", "workflow_project"),
    Section("letters", "Your letters plan", "07_letters", "letter_plan"),
    Section("calendar", "Follow-up calendar", "08_application", "key_dates"),
)
SECTION = {s.key: s for s in SECTIONS}
# Module 03, section 9 saves the shortlist from your own program list under this name; it wins over "shortlist".
OWN_LIST = Section("shortlist", "Where to rotate: your shortlist", "03_where_to_rotate", "own_shortlist")
MADE_IN = {s.key: s.made_in for s in SECTIONS}
# yours: your own answer; example: the kit's fictional example stands in; missing: nothing yet.
YOURS, EXAMPLE, MISSING = "yours", "example", "missing"
STATUSES = (YOURS, EXAMPLE, MISSING)
# Parts about the person: with a profile of your own, the sample learner's would contradict it.
PERSONAL = ("pitch", "people", "letters")

# The kinds of rotation (module 02), in the words the plan uses, and module 02's category for each.
CORE, EXPOSURE, ELECTIVE = "core clinical", "clinical with informatics exposure", "informatics elective"
OTHER = "clinical, another specialty"
KINDS = (CORE, EXPOSURE, OTHER, ELECTIVE)
_CATEGORY_KIND = {"core": CORE, "clinical_informatics": EXPOSURE, "off_target": OTHER, "informatics_elective": ELECTIVE}
TO_BE_CHOSEN = "to be chosen"
SAMPLE_FIRST_START = "2026-02-02"  # illustrative, like the sample key dates
THANK_YOU_WITHIN_DAYS = 3
BLOCK_COLUMNS = ["slot", "kind", "host", "start", "end"]
PROBLEM_COLUMNS = ["section", "problem"]
SHORTLIST_COLUMNS = ["program_name", "state", "role", "informatics", "img_friendly"]

# The sample learner's parts (fictional): the same person as SAMPLE_PROFILE and the kit's solutions,
# Amina, a graduate applying to Internal Medicine.
SAMPLE_PITCH = (
    "Hi, my name is Amina and I am a physician who trained abroad, now applying in internal medicine. "
    "In my last post I audited our ward's readmissions in a spreadsheet, and seeing how better EHR data "
    "could make discharges safer got me hooked. One day I hope to do a clinical informatics fellowship, "
    "though I am a clinician first. If you have a moment later, I would like to see how people on your "
    "team use the EHR for their sickest patients."
)
SAMPLE_PEOPLE = {
    "host": "the first host on your shortlist",
    "attending": "Dr. M. Ostrand",
    "senior_resident": "Dr. P. Linderke",
    "informatics_mentor": "Dr. Zorel Kessude (Associate CMIO)",
}
SAMPLE_PROJECT = {
    "title": "Discharge delays on one medical ward (sample project)",
    "question": "Where does the time go between the discharge order and the patient leaving the ward?",
    "weeks": [
        "Week 1: agree the observation with the senior resident and attending; no patient identifiers",
        "Week 2: time each step for the discharges you see (order, reconciliation, pharmacy check, transport)",
        "Week 3: read what other hospitals tried; chart the daily medians",
        "Week 4: leave a one-page proposal with the ward team",
    ],
    "cv_framing": "Data-informed workflow observation with a micro quality-improvement proposal",
}
SAMPLE_LETTERS = {
    "writers": ["Dr. M. Ostrand", "Dr. Z. Kessude"],
    "relationship_plan": [
        "Week 1: learn the team; note who sees your work most closely and in which settings",
        "Week 2: name two likely letter writers; ask one of them for specific feedback",
        "Week 3: act on the feedback where they can see it",
        "Week 4: brief goals conversation, then ask for a strong letter; send CV, statement draft and bullet points",
    ],
}


# --------------------------------------------------------------------------- reading the parts
def normalise_count(value: Any) -> dict[str, Any] | None:
    """{"low", "high", "rationale"} from ((low, high), why) (module 01's function) or a saved dict; None if unusable."""
    try:
        if isinstance(value, Mapping):
            low, high = value.get("low"), value.get("high")
            if (low is None or high is None) and "range" in value:
                low, high = value["range"]
            why = value.get("rationale", value.get("reason", ""))
        elif isinstance(value, (list, tuple)) and len(value) == 2:
            (low, high), why = value
        else:
            return None
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        return None
    if low < 0 or high < low:
        return None
    return {"low": low, "high": high, "rationale": str(why)}


def kind_of(text: Any) -> str:
    """One of KINDS from module 02's category, a kind, or a title written any way ("QI elective", ...)."""
    if isinstance(text, str) and text in KINDS:
        return text
    if isinstance(text, str) and text in _CATEGORY_KIND:
        return _CATEGORY_KIND[text]
    words = str(text).lower().replace("_", " ").replace("-", " ")
    informatics = any(w in words for w in ("informatics", "quality", "patient safety")) or "qi" in words.split()
    if informatics and "elective" in words:
        return ELECTIVE
    if informatics or "exposure" in words:
        return EXPOSURE
    return CORE


def normalise_order(value: Any) -> list[dict[str, Any]] | None:
    """The rotation order as [{"kind", "label"}], from a list of titles, of dicts, or a table; None if unusable."""
    if isinstance(value, pd.DataFrame):
        value = (value.sort_values("slot", kind="mergesort") if "slot" in value.columns else value).to_dict("records")
    if not isinstance(value, (list, tuple)) or not value:
        return None
    order = []
    for item in value:
        if isinstance(item, Mapping):
            label = next((str(item[k]) for k in ("label", "title", "name", "rotation") if item.get(k)), "")
            kind = next((item[k] for k in ("kind", "category", "type") if item.get(k)), label)
            order.append({"kind": kind_of(kind), "label": label or kind_of(kind)})
        elif isinstance(item, str) and item.strip():
            order.append({"kind": kind_of(item), "label": item.strip()})
        else:
            return None
    return order


def sample_order(profile: Mapping[str, Any]) -> list[dict[str, str]]:
    """The guide's default order for any specialty: two clinical rotations, an informatics elective only third (FAQ 2 would allow it second)."""
    specialty = profile["target_specialty"]
    if profile.get("training_status") == "graduate":
        # Visiting student electives usually need current enrolment: a graduate's clinical slots are
        # hands-on externships or paid clinical programs, chosen by the same rules (module 01).
        return [
            {
                "kind": CORE,
                "label": f"{specialty}: hands-on externship or paid clinical program at a program "
                "where you would like to match",
            },
            {"kind": CORE, "label": f"{specialty}: second hands-on experience, ideally where informatics work goes on"},
            {
                "kind": ELECTIVE,
                "label": "Quality-improvement or informatics work, e.g. a research position "
                "(only if time and money allow)",
            },
        ]
    return [
        {"kind": CORE, "label": f"{specialty}: core rotation at a program where you would like to match"},
        {"kind": CORE, "label": f"{specialty}: second core rotation, ideally where informatics work goes on"},
        {"kind": ELECTIVE, "label": "Quality-improvement or informatics elective (only if time and money allow)"},
    ]


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        return next((v.strip() for k in ("text", "pitch") if isinstance(v := value.get(k), str) and v.strip()), None)
    return None


def _something(value: Any) -> Any:
    """Any saved part that is not empty (module 06's and 07's parts may be text, lists, dicts or tables)."""
    if isinstance(value, pd.DataFrame):
        return None if value.empty else value
    return value if value not in (None, "", [], {}) else None


def _key_dates(value: Any) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    try:
        return {k: pd.Timestamp(value[k]).date().isoformat() for k in application.MILESTONES}
    except (KeyError, ValueError, TypeError):
        return None


def _shortlist(value: Any) -> pd.DataFrame | None:
    frame = value if isinstance(value, pd.DataFrame) else None
    if frame is None and isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        frame = pd.DataFrame(value)
    if frame is None or "program_name" not in frame.columns or frame.empty:
        return None
    return frame


def _people(value: Any) -> dict[str, str] | None:
    """Module 04's people on the rotation: a dictionary of non-empty texts (names may be initials)."""
    if not isinstance(value, Mapping):
        return None
    people = {str(k): str(v).strip() for k, v in value.items() if isinstance(v, str) and v.strip()}
    return people or None


def _letters(value: Any) -> Any:
    """Module 07's letter plan (a dictionary with `writers`), or any non-empty part saved by older kits."""
    return _something(value)


def _saved(section: Section, read) -> tuple[Any, str | None]:
    """A saved part, read, with its source; (None, None) when nothing usable is saved."""
    saved = state.load_part(section.part, None, made_in=section.made_in, verbose=False)
    value = read(saved) if saved is not None else None
    return (value, state.part_source(section.part)) if value is not None else (None, None)


def gather_parts(verbose: bool = True) -> dict[str, Any]:
    """Every part of the plan, with `sources[section]` in STATUSES and `notes[section]` where it matters.

    Your own answer where you saved one. Otherwise the kit's example (fictional) stands in,
    labelled with the module that makes yours; with a profile of your own, the sample
    learner's personal parts (pitch, people, letters) are left "missing" instead, because
    they describe someone else. A part a notebook saved from the kit's fallback (an
    exercise left unanswered) is an example, never yours. Prints one line per section.
    """
    own = has_own_profile()
    profile = load_profile(verbose=False) if own else dict(SAMPLE_PROFILE)
    parts: dict[str, Any] = {"profile": profile}
    sources = {"profile": YOURS if own else EXAMPLE}
    notes: dict[str, str] = {}
    if state.has_part("profile") and not own:
        notes["profile"] = "your saved profile could not be used; run module 00 again"
    weights = state.load_part("weights", None, made_in="03_where_to_rotate", verbose=False)
    fallbacks = {
        "count": (lambda: normalise_count(how_many.recommend_rotation_count(profile)), normalise_count),
        "order": (lambda: sample_order(profile), normalise_order),
        "shortlist": (
            lambda: where_to_rotate.kit_shortlist(
                load_programs(), profile, weights if isinstance(weights, Mapping) else None
            )[SHORTLIST_COLUMNS],
            _shortlist,
        ),
        "pitch": (lambda: SAMPLE_PITCH, _text),
        "people": (lambda: dict(SAMPLE_PEOPLE), _people),
        "project": (lambda: SAMPLE_PROJECT, _something),
        "letters": (lambda: SAMPLE_LETTERS, _letters),
        "calendar": (lambda: dict(application.SAMPLE_KEY_DATES), _key_dates),
    }
    for key, (fallback, read) in fallbacks.items():
        section = SECTION[key]
        value, source = _saved(section, read)
        if key == "shortlist":  # a shortlist from your own program list (module 03, section 9) comes first
            mine, mine_source = _saved(OWN_LIST, _shortlist)
            if mine is not None and mine_source == state.YOURS:
                value, source = mine, mine_source
                notes[key] = "from your own program list (module 03, section 9)"
        if value is not None and source == state.YOURS:
            sources[key] = YOURS
        elif key in PERSONAL and own:
            value, sources[key] = None, MISSING
        else:
            if value is None:
                value = fallback()
            sources[key] = EXAMPLE if _present(value) else MISSING
            if state.has_part(section.part) and source is None:
                notes[key] = f"your saved {section.part} could not be used; run module {section.made_in} again"
            elif source == state.EXAMPLE:
                notes[key] = (
                    f"module {section.made_in} saved the kit's example here: its exercise was not "
                    "answered yet, or there was no profile of yours then"
                )
            if sources[key] == MISSING:
                value = None
        parts["key_dates" if key == "calendar" else key] = value
    people = parts.get("people")
    if sources["people"] == EXAMPLE and isinstance(people, dict) and people.get("host") == SAMPLE_PEOPLE["host"]:
        hosts = plan_hosts(parts)
        parts["people"] = {**people, "host": hosts[0] if hosts else TO_BE_CHOSEN}
    parts["sources"], parts["notes"] = sources, notes
    if verbose:
        for key, status in sources.items():
            print(f"{SECTION[key].title}: {status_text(key, status)}" + (f" ({notes[key]})" if key in notes else ""))
    return parts


def _present(value: Any) -> bool:
    if isinstance(value, pd.DataFrame):
        return not value.empty
    return value not in (None, "", [], {})


def status_text(key: str, status: str) -> str:
    """Where a section came from, in words (used in the printout, the HTML and plan.json)."""
    if status == YOURS:
        return "your own answer"
    if status == EXAMPLE:
        return f"the kit's example (fictional), not yours: module {MADE_IN[key]} makes yours"
    return f"missing: do module {MADE_IN[key]}"


# --------------------------------------------------------------------------- assembling
def plan_progress(sources: Mapping[str, str]) -> dict[str, Any]:
    """How much of the plan is your own work, and which modules to revisit (course order, no repeats)."""
    for key, status in sources.items():
        if key not in MADE_IN:
            raise KeyError(f"unknown section {key!r}; the sections are {list(MADE_IN)}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} for {key}; use one of {STATUSES}")
    revisit = sorted({MADE_IN[k] for k, s in sources.items() if s != YOURS})
    return {"done": sum(s == YOURS for s in sources.values()), "total": len(sources), "revisit": revisit}


def choose_count(count: Mapping[str, int], order: Sequence[Any]) -> int:
    """How many rotations to lay out: the length of your order, kept inside the recommended range (at least one)."""
    return max(1, min(max(len(order), count["low"]), count["high"]))


def slot_kinds(order: Sequence[Mapping[str, Any]], n: int) -> list[str]:
    """The kind of each of `n` slots: your order first, then core clinical rotations."""
    kinds = [kind_of(item["kind"]) for item in order][:n]
    return kinds + [CORE] * (n - len(kinds))


def rotation_blocks(
    kinds: Sequence[str], hosts: Sequence[str], first_start: Any, weeks: int = 4, break_weeks: int = 1
) -> pd.DataFrame:
    """One row per rotation: its slot, kind, host and first and last day (both included).

    Rotations follow one another with `break_weeks` free between them; slots without
    a host yet say "to be chosen".
    """
    if weeks < 1 or break_weeks < 0:
        raise ValueError("weeks must be at least 1 and break_weeks at least 0")
    first = pd.Timestamp(first_start)
    rows = []
    for i, kind in enumerate(kinds):
        start = first + pd.Timedelta(weeks=i * (weeks + break_weeks))
        rows.append(
            {
                "slot": i + 1,
                "kind": kind,
                "host": hosts[i] if i < len(hosts) else TO_BE_CHOSEN,
                "start": start,
                "end": start + pd.Timedelta(days=7 * weeks - 1),
            }
        )
    return pd.DataFrame(rows, columns=BLOCK_COLUMNS)


def plan_calendar(
    blocks: pd.DataFrame, key_dates: Mapping[str, Any], people: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Module 08's follow-up calendar for planned rotations: the attending and senior resident of each.

    The names you typed in module 04 (`people`) go on the first rotation; the others say
    "Attending, rotation 2" until you know who they are.
    """
    people = people or {}

    def contacts(slot):
        if slot == 1 and people.get("attending") and people.get("senior_resident"):
            return [people["attending"], people["senior_resident"]]
        return [f"Attending, rotation {slot}", f"Senior resident, rotation {slot}"]

    planned = pd.DataFrame(
        {"host": blocks["host"], "end_date": blocks["end"], "contacts": [contacts(s) for s in blocks["slot"]]}
    )
    return application.followup_calendar(planned, key_dates)


def plan_problems(plan: Mapping[str, Any]) -> pd.DataFrame:
    """What the kit's checks find wrong with a plan, one row per problem, in a fixed order:

    count (number of rotations outside the range), order (an informatics elective in
    slot 1; FAQ 2 allows one second or third), shortlist (more than two reach picks; no realistic pick), dates (a rotation
    ending after ERAS submission), calendar (no thank-you note within three days after
    a rotation ends, to someone at that host).
    """
    blocks, count = plan["blocks"], plan["count"]
    problems = []
    if not count["low"] <= len(blocks) <= count["high"]:
        problems.append(
            ("count", f"{len(blocks)} rotations planned; the recommended range is {count['low']}-{count['high']}")
        )
    rows = blocks.to_dict("records")  # plain rows: iterrows builds a Series for each
    for b in rows:
        if b["slot"] == 1 and b["kind"] == ELECTIVE:
            problems.append(("order", "rotation 1 is an informatics elective: keep the first rotation clinical"))
    shortlist = plan["shortlist"] if isinstance(plan.get("shortlist"), pd.DataFrame) else pd.DataFrame()
    roles = list(shortlist["role"]) if "role" in shortlist.columns else []
    if roles.count("reach") > 2:
        problems.append(
            ("shortlist", "more than two reach programs: one or two reach picks, balanced by realistic ones")
        )
    if "realistic" not in roles:
        problems.append(("shortlist", "no realistic program: add an IMG-welcoming program where you could match"))
    eras = pd.Timestamp(plan["key_dates"]["eras_submission"])
    for b in rows:
        if b["end"] > eras:
            problems.append(
                (
                    "dates",
                    f"rotation {b['slot']} ({b['host']}) ends on {b['end']:%Y-%m-%d}, after your "
                    f"ERAS submission on {eras:%Y-%m-%d}: a letter from it reaches programs "
                    "only after you submit. Start earlier, or keep it for experience only",
                )
            )
    calendar = plan["calendar"]
    thanks = calendar[calendar["action"] == application.THANK_YOU]
    sent = list(zip(thanks["date"], thanks["host"], strict=True))
    for b in rows:
        last = b["end"] + pd.Timedelta(days=THANK_YOU_WITHIN_DAYS)
        if not any(b["end"] < date <= last and host == b["host"] for date, host in sent):
            problems.append(
                ("calendar", f"no thank-you note within {THANK_YOU_WITHIN_DAYS} days after rotation {b['slot']} ends")
            )
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


# Specialties as people write them, for reading a pitch or a letter (any ACGME specialty the kit knows of).
_SPECIALTY_WORDS = {
    "internal medicine": "Internal Medicine",
    "family medicine": "Family Medicine",
    "pediatric": "Pediatrics",
    "paediatric": "Pediatrics",
    "psychiatr": "Psychiatry",
    "pathology": "Pathology",
    "emergency medicine": "Emergency Medicine",
    "neurology": "Neurology",
    "anesthesiology": "Anesthesiology",
    "anaesthesi": "Anesthesiology",
    "radiology": "Radiology",
    "general surgery": "Surgery",
    "obstetrics": "Obstetrics and Gynecology",
    "ob/gyn": "Obstetrics and Gynecology",
    "dermatology": "Dermatology",
    "neurosurgery": "Neurological Surgery",
}
_NAMED = re.compile(r"\b(?i:my name is|i am|i'm|i’m)\s+(?:(?i:dr)\.?\s+)?([A-Z][a-z]+)\b")


def specialties_named(text: Any) -> list[str]:
    """The specialties a text speaks of, in the kit's spelling, each once ("pediatrics" -> Pediatrics)."""
    words = str(text or "").lower()
    found = [name for word, name in _SPECIALTY_WORDS.items() if word in words]
    return list(dict.fromkeys(found))


def _first_name(name: Any) -> str:
    """The first word of a profile name, without notes in brackets ("Amina (fictional)" -> "amina")."""
    words = re.sub(r"\(.*?\)", " ", str(name or "")).split()
    return words[0].strip(".,").lower() if words else ""


def names_used(text: Any) -> list[str]:
    """Who a text says it is from: "my name is Sam", "I'm Sam", and a one-word signature on the last line."""
    text = str(text or "")
    found = [m.group(1) for m in _NAMED.finditer(text) if m.group(1).lower() not in {"a", "an", "the", "also"}]
    lines = [line.strip().strip(",.") for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and re.fullmatch(r"[A-Z][a-z]+", lines[-1]):
        found.append(lines[-1])
    return list(dict.fromkeys(found))


def letter_writers(letters: Any) -> list[str]:
    """The writers you chose in module 07 (its `writers`; older kits saved `likely_writers`)."""
    if not isinstance(letters, Mapping):
        return []
    writers = letters.get("writers") or letters.get("likely_writers") or []
    return [str(w) for w in writers if str(w).strip()] if isinstance(writers, (list, tuple)) else []


def _request_message(letters: Any) -> str:
    return str(letters.get("request_message") or "") if isinstance(letters, Mapping) else ""


def _host_specialties(shortlist: pd.DataFrame) -> pd.Series:
    """Each shortlisted host's specialty: its own column, or looked up in the kit's programs by name."""
    if "specialty" in shortlist.columns:
        return shortlist["specialty"]
    known = load_programs().drop_duplicates("program_name").set_index("program_name")["specialty"]
    return shortlist["program_name"].map(known)


def cross_part_problems(plan: Mapping[str, Any]) -> pd.DataFrame:
    """Where parts made in different modules contradict each other, one row per problem, kindly worded.

    pitch and letters: another specialty or another person than the profile; shortlist:
    hosts outside the target specialty; people: noted at a host that is not planned;
    letters: writers who are not among the rotation's people (module 04). Only parts that
    are there are compared; a missing part is reported by its label, not here.
    """
    profile = plan.get("profile") or {}
    target, me = profile.get("target_specialty", ""), _first_name(profile.get("name"))
    problems = []

    def about_person(section, what, text, made_in):
        other = [s for s in specialties_named(text) if s != target]
        if other and target not in specialties_named(text):
            problems.append(
                (
                    section,
                    f"your {what} (module {made_in}) speaks of {', '.join(other)}, but your "
                    f"profile (module 00) targets {target}: say the specialty you are applying to",
                )
            )
        strangers = [n for n in names_used(text) if me and n.lower() != me]
        if strangers:
            problems.append(
                (
                    section,
                    f"your {what} (module {made_in}) is from {', '.join(strangers)}, but your "
                    f"profile (module 00) calls you {profile.get('name')}: use your own name",
                )
            )

    if _text(plan.get("pitch")):
        about_person("pitch", "pitch", _text(plan.get("pitch")), "04_before_rotation")
    letters = plan.get("letters")
    if _request_message(letters).strip():
        about_person("letters", "letter request", _request_message(letters), "07_letters")

    shortlist = plan.get("shortlist")
    if isinstance(shortlist, pd.DataFrame) and not shortlist.empty and target:
        for name, specialty in zip(shortlist["program_name"], _host_specialties(shortlist), strict=True):
            if isinstance(specialty, str) and specialty and specialty != target:
                problems.append(
                    (
                        "shortlist",
                        f"{name} is a {specialty} program, but your profile (module 00) "
                        f"targets {target}: choose hosts in your own specialty (module 03)",
                    )
                )

    people = plan.get("people") if isinstance(plan.get("people"), Mapping) else {}
    blocks = plan.get("blocks")
    hosts = list(blocks["host"]) if isinstance(blocks, pd.DataFrame) else []
    host = people.get("host", "")
    if host and hosts and host != SAMPLE_PEOPLE["host"] and host not in hosts:
        problems.append(
            (
                "people",
                f"you noted people at {host} (module 04), which is not one of your planned "
                f"rotations ({'; '.join(map(str, hosts))}): note the people at a planned host",
            )
        )
    known = [v for k, v in people.items() if k != "host"]
    writers = letter_writers(letters)
    if writers and known:
        for writer in writers:
            if not among(writer, known):
                problems.append(
                    (
                        "letters",
                        f"{writer}, a letter writer you chose (module 07), is not among the "
                        "people you noted on your rotation (module 04): a letter comes from "
                        "someone who saw your work there; add them in module 04 or choose again",
                    )
                )
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def all_problems(plan: Mapping[str, Any]) -> pd.DataFrame:
    """The plan's checks (count, order, shortlist, dates, calendar), then the checks across parts."""
    return pd.concat([plan_problems(plan), cross_part_problems(plan)], ignore_index=True)


def assemble(
    parts: Mapping[str, Any],
    blocks: pd.DataFrame,
    calendar: pd.DataFrame,
    notes: str = "",
    problems: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The whole plan as one dictionary (what render_html prints).

    `problems` are the plan's own checks (Exercise 9.3, or the kit's when not given);
    the checks across parts are always added after them.
    """
    profile = parts["profile"]
    plan = {
        "title": f"Away-rotation plan: {profile['name']}",
        "made": dt.date.today().isoformat(),
        "profile": profile,
        **{
            k: parts.get(k)
            for k in ("count", "order", "shortlist", "pitch", "people", "project", "letters", "key_dates")
        },
        "blocks": blocks,
        "calendar": calendar,
        "notes": notes,
        "sources": dict(parts["sources"]),
        "source_notes": dict(parts.get("notes", {})),
    }
    own_checks = plan_problems(plan) if problems is None else problems
    plan["problems"] = pd.concat([own_checks[PROBLEM_COLUMNS], cross_part_problems(plan)], ignore_index=True)
    return plan


def build_plan(first_start: Any = SAMPLE_FIRST_START, notes: str = "", verbose: bool = False) -> dict[str, Any]:
    """The plan from saved parts and the kit's reference functions, in one call."""
    parts = gather_parts(verbose=verbose)
    n = choose_count(parts["count"], parts["order"])
    blocks = rotation_blocks(slot_kinds(parts["order"], n), plan_hosts(parts), first_start)
    return assemble(parts, blocks, plan_calendar(blocks, parts["key_dates"], parts.get("people")), notes)


def plan_hosts(parts: Mapping[str, Any]) -> list[str]:
    """The hosts, in shortlist order (your own list's when you used one); none when the shortlist is missing."""
    shortlist = parts.get("shortlist")
    return list(shortlist["program_name"]) if isinstance(shortlist, pd.DataFrame) and not shortlist.empty else []


# --------------------------------------------------------------------------- printing
def _cell(value: Any) -> str:
    """One value as plain text for a table cell or list item (escaping happens in the template)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> dict[str, Any]:
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]]
    return {
        "type": "table",
        "columns": [str(c).replace("_", " ") for c in frame.columns],
        "rows": [[_cell(v) for v in row] for row in frame.itertuples(index=False)],
        "nowrap": [pd.api.types.is_datetime64_any_dtype(frame[c]) for c in frame.columns],
    }


def block(value: Any) -> dict[str, Any]:
    """Any saved part as a display block: text, list, pairs or table (the template knows these four)."""
    if value is None or (isinstance(value, (str, list, dict, tuple)) and not value):
        return {"type": "text", "paragraphs": ["(nothing saved yet)"]}
    if isinstance(value, pd.DataFrame):
        return _table(value)
    if isinstance(value, str):
        return {"type": "text", "paragraphs": [" ".join(p.split()) for p in value.split("\n\n") if p.strip()]}
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, Mapping) for v in value):
            return _table(pd.DataFrame(list(value)))
        return {"type": "list", "entries": [_cell(v) for v in value]}
    if isinstance(value, Mapping):  # nested parts (module 06's plan and PDSA, module 07's writers...) nest
        return {"type": "pairs", "entries": [(str(k).replace("_", " "), block(v)) for k, v in value.items()]}
    return {"type": "text", "paragraphs": [_cell(value)]}


def compact_calendar(calendar: pd.DataFrame) -> pd.DataFrame:
    """One row per date and kind of message, the people joined: the calendar as it fits on paper."""
    if calendar.empty:
        return calendar[["date", "action", "to"]]
    return calendar.groupby(["date", "action"], sort=False)["to"].agg("; ".join).reset_index()


def _sections(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    sources, notes = plan.get("sources", {}), plan.get("source_notes", {})
    profile = plan.get("profile", {})
    count = plan.get("count") or {}
    blocks = plan.get("blocks")
    blocks = blocks if isinstance(blocks, pd.DataFrame) else pd.DataFrame(columns=BLOCK_COLUMNS)
    order = plan.get("order") or []

    def section(key, title, *content, status_key=None):
        k = status_key or key
        status = sources.get(k, EXAMPLE)
        if status == MISSING:
            content = ({"type": "text", "paragraphs": [f"Nothing here yet: do module {MADE_IN[k]}."]},)
        return {
            "key": key,
            "title": title,
            "status": status,
            "status_text": status_text(k, status),
            "note": notes.get(k, ""),
            "blocks": list(content),
        }

    profile_view = {
        k: profile.get(k)
        for k in (
            "target_specialty",
            "training_status",
            "years_since_graduation",
            "tie_states",
            "has_usce",
            "training_gap_months",
            "budget_usd",
            "needs_visa",
            "informatics_experience",
        )
        if k in profile
    }
    count_view = {
        "recommended range": f"{count.get('low', '?')}-{count.get('high', '?')}",
        "planned here": len(blocks),
        "why": count.get("rationale", ""),
    }
    shortlist, calendar = plan.get("shortlist"), plan.get("calendar")
    return [
        section("profile", "Your profile", block(profile_view)),
        section("count", "How many away rotations", block(count_view)),
        section(
            "order",
            "Which rotations, when",
            _table(blocks),
            block([f"{o.get('label', '')} ({o.get('kind', '')})" for o in order if isinstance(o, Mapping)]),
        ),
        section(
            "shortlist",
            "Where to rotate: your shortlist",
            _table(shortlist, SHORTLIST_COLUMNS) if isinstance(shortlist, pd.DataFrame) else block(shortlist),
        ),
        section("pitch", "Your pitch", block(plan.get("pitch"))),
        section("people", "The people on your rotation", block(plan.get("people"))),
        section("project", "Your workflow-observation project", block(plan.get("project"))),
        section("letters", "Your letters plan", block(plan.get("letters"))),
        section(
            "calendar",
            "Your season and follow-up calendar",
            *([_figure(plan)] if len(blocks) else []),
            block(compact_calendar(calendar)) if isinstance(calendar, pd.DataFrame) else block(calendar),
        ),
    ]


SEASON_COLUMNS = ["what", "start", "end", "source"]


def season_events(plan: Mapping[str, Any]) -> pd.DataFrame:
    """The season as events for the timeline: each rotation, ERAS submission, interviews, Match, follow-ups.

    `source` says whose each date is (for a rotation, its host): your key dates from module 08 or
    the kit's example season (fictional). The shared facts hold no ERAS or Match dates, so none is
    presented as an official date: check the current AAMC and NRMP calendars.
    """
    sources = plan.get("sources", {})
    dates_from = "your key dates (module 08)" if sources.get("calendar") == YOURS else "the kit's example season"
    blocks = plan.get("blocks")
    rows = []
    if isinstance(blocks, pd.DataFrame):
        for _, b in blocks.iterrows():
            rows.append((f"Rotation {b['slot']}", b["start"], b["end"], str(b["host"])))
    key_dates = plan.get("key_dates") or {}
    labels = {
        "eras_submission": "ERAS submission",
        "interview_invitations": "Interviews (invitations from)",
        "match_results": "Match results",
    }
    for key, label in labels.items():
        if key in key_dates:
            day = pd.Timestamp(key_dates[key])
            rows.append((label, day, day, dates_from))
    calendar = plan.get("calendar")
    if isinstance(calendar, pd.DataFrame) and not calendar.empty:
        for day in sorted(set(calendar.loc[calendar["action"] == application.THANK_YOU, "date"])):
            rows.append(("Follow-up: thank-you notes", pd.Timestamp(day), pd.Timestamp(day), "your plan"))
    return pd.DataFrame(rows, columns=SEASON_COLUMNS)


def season_figure(plan: Mapping[str, Any]):
    """The season on one timeline (matplotlib): rotations as bars, milestones and follow-ups as marks.

    Drawn for paper: black text, patterns as well as colours, one label per lane.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    events = season_events(plan)
    lanes = list(dict.fromkeys(events["what"]))[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(lanes) + 1.2))
    for _, e in events.iterrows():
        y = lanes.index(e["what"])
        if e["end"] > e["start"]:
            ax.barh(
                y,
                (e["end"] - e["start"]).days + 1,
                left=e["start"],
                height=0.5,
                color=PALETTE["blue"],
                edgecolor="black",
                hatch="//",
            )
            host = e["source"] if len(e["source"]) <= 44 else e["source"][:41] + "..."
            ax.annotate(
                f"{e['start']:%d %b}-{e['end']:%d %b}  {host}",
                (e["end"], y),
                xytext=(5, -3),
                textcoords="offset points",
                fontsize=7.5,
            )
        else:
            follow = e["what"].startswith("Follow-up")
            ax.scatter(
                [e["start"]],
                [y],
                marker="o" if follow else "D",
                s=45 if follow else 70,
                zorder=3,
                color=PALETTE["green"] if follow else PALETTE["vermillion"],
                edgecolor="black",
            )
            if not follow:
                ax.annotate(
                    f"{e['start']:%d %b %Y}", (e["start"], y), xytext=(6, 4), textcoords="offset points", fontsize=8
                )
    ax.set_yticks(range(len(lanes)), labels=lanes, fontsize=8)
    first, last = events["start"].min(), events["end"].max()
    ax.set_xlim(first - pd.Timedelta(days=14), last + pd.Timedelta(days=max(60, (last - first).days // 3)))
    ax.grid(axis="x", color="#ccc", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title("Your season: rotations, ERAS, interviews, Match and follow-ups", fontsize=10)
    fig.autofmt_xdate()
    return fig


def _figure(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The season timeline as an SVG inside the page (self-contained: the HTML needs no other file).

    Vector, so it prints sharp at any size; its words stay text rather than drawn glyphs, which makes it
    about a quarter of the size of a 150 dpi PNG and quicker to make. The alt text says it in words.
    """
    import matplotlib.pyplot as plt

    fig = season_figure(plan)
    buffer = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})  # see runtime.plots
    plt.close(fig)
    caption = "Rotation bars are your plan; the ERAS, interview and Match marks are " + (
        "your key dates from module 08."
        if plan.get("sources", {}).get("calendar") == YOURS
        else "the kit's example season (fictional): check the current AAMC ERAS and NRMP calendars."
    )
    return {
        "type": "figure",
        "svg": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "caption": caption,
        "alt": "Timeline of the season: "
        + "; ".join(f"{e['what']} {e['start']:%Y-%m-%d}" for _, e in season_events(plan).iterrows()),
    }


@functools.cache
def _plan_template():
    """The printable plan's template, loaded on first use: only that page needs jinja2."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("rotation_kit.lessons", "templates"),  # capstone_plan.html.j2: the printable page
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    ).get_template("capstone_plan.html.j2")


def render_html(plan: Mapping[str, Any]) -> str:
    """The plan as one self-contained, printable HTML page; every piece of learner text is escaped."""
    blocks = plan.get("blocks")
    blocks = blocks if isinstance(blocks, pd.DataFrame) else pd.DataFrame(columns=BLOCK_COLUMNS)
    problems = plan.get("problems")
    problems = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame(columns=PROBLEM_COLUMNS)
    sources = plan.get("sources", {})
    profile = plan.get("profile", {})
    notes = plan.get("notes") or ""
    return _plan_template().render(
        title=plan.get("title", "Away-rotation plan"),
        specialty=profile.get("target_specialty", ""),
        made=plan.get("made", dt.date.today().isoformat()),
        sample_profile=sources.get("profile") != YOURS,
        colours=PALETTE,
        n_rotations=len(blocks),
        first=_cell(blocks["start"].min()) if len(blocks) else "",
        last=_cell(blocks["end"].max()) if len(blocks) else "",
        n_yours=sum(s == YOURS for s in sources.values()),
        n_example=sum(s == EXAMPLE for s in sources.values()),
        n_missing=sum(s == MISSING for s in sources.values()),
        n_sections=len(SECTIONS),
        fictional=[
            f"{SECTION[k].title} (module {MADE_IN[k]} makes yours)"
            for k, v in sources.items()
            if v == EXAMPLE and k in SECTION
        ],
        missing=[
            f"{SECTION[k].title} (do module {MADE_IN[k]})" for k, v in sources.items() if v == MISSING and k in SECTION
        ],
        own_dates=sources.get("calendar") == YOURS,
        problems=[(str(s), str(p)) for s, p in problems[PROBLEM_COLUMNS].itertuples(index=False)],
        sections=_sections(plan),
        notes=block(notes) if str(notes).strip() else None,
    )


PLAN_FILE = "away_rotation_plan.html"
PLAN_JSON = "plan.json"


def plan_record(plan: Mapping[str, Any]) -> dict[str, Any]:
    """What plan.json holds: per part, its source ("yours", "example", "missing"), the module that makes it,
    the same words as the HTML, and the problems found; a program can read it without parsing the page."""
    sources, notes = plan.get("sources", {}), plan.get("source_notes", {})
    problems = plan.get("problems")
    problems = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return {
        "title": plan.get("title", ""),
        "made": plan.get("made", ""),
        "parts": {
            s.key: {
                "title": s.title,
                "source": sources.get(s.key, MISSING),
                "made_in": s.made_in,
                "label": status_text(s.key, sources.get(s.key, MISSING)),
                "note": notes.get(s.key, ""),
            }
            for s in SECTIONS
        },
        "problems": [
            {"section": str(a), "problem": str(b)} for a, b in problems[PROBLEM_COLUMNS].itertuples(index=False)
        ],
        "hosts": [str(h) for h in plan["blocks"]["host"]] if isinstance(plan.get("blocks"), pd.DataFrame) else [],
    }


def save_html(plan: Mapping[str, Any], path: str | Path | None = None) -> Path:
    """Write the plan's HTML into your saved-work folder (or `path`), with plan.json beside it; returns the HTML's path."""
    target = Path(path) if path is not None else learner_home() / PLAN_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(plan), encoding="utf-8")
    (target.parent / PLAN_JSON).write_text(
        json.dumps(plan_record(plan), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return target


# --------------------------------------------------------------------------- the main path (module 09)
# The learner decides (how many, which hosts, when, the risks); the kit lays out, checks and prints.
ROTATION_WEEKS = (2, 4)  # visiting rotations usually last 4 weeks, 2-4 at some hosts (AAMC VSLO FAQ)
MAX_BREAK_WEEKS = 4
LETTER_WINDOW_MONTHS = 12  # the kit's rule of thumb: rotations in the year before ERAS, so letters are recent
MAX_REACH = 2  # one or two reach picks (guide §2 and §3), balanced by realistic ones

# The kit's list of risks to a plan (its own wording) and the fallbacks that answer each.
RISKS = {
    "R1": "the costs (fees, housing, travel) run over my budget",
    "R2": "the visa is late or refused",
    "R3": "a rotation ends too late for its letter to reach programs",
    "R4": "a host says no, or cancels",
    "R5": "without U.S. clinical experience, hosts doubt I am ready",
    "R6": "programs ask about the gap in my training",
}
FALLBACKS = {
    "F1": "plan one fewer rotation, or choose hosts without a fee",
    "F2": "apply early, keep the visa papers ready, and hold a later start date in reserve",
    "F3": "move the rotation earlier, or keep it for experience and ask for letters from earlier ones",
    "F4": "keep another host from my shortlist ready and apply to more than one",
    "F5": "make the first rotation hands-on with the core team and ask for feedback in week 2",
    "F6": "explain the gap in one sentence and show what I did in it (QI, informatics, study)",
}
ANSWERS_RISK = {"R1": {"F1"}, "R2": {"F2", "F4"}, "R3": {"F3"}, "R4": {"F4"}, "R5": {"F5"}, "R6": {"F6"}}
RISK_KEYS = ("risk_1", "fallback_1", "risk_2", "fallback_2")


def risk_table() -> pd.DataFrame:
    """The risks and fallbacks a learner picks from, side by side."""
    rows = [(r, RISKS[r], ", ".join(sorted(ANSWERS_RISK[r]))) for r in RISKS]
    risks = pd.DataFrame(rows, columns=["risk", "what could go wrong", "fallbacks that answer it"]).set_index("risk")
    fallbacks = pd.DataFrame({"fallback": list(FALLBACKS), "what you would do": list(FALLBACKS.values())})
    return risks, fallbacks.set_index("fallback")


def profile_risks(profile: Mapping[str, Any], n_rotations: int) -> list[str]:
    """The risks that follow from this learner's own profile (the kit's reading of modules 00 and 01)."""
    found = []
    if float(profile.get("budget_usd") or 0) <= n_rotations * how_many.PLANNING_COST_PER_ROTATION:
        found.append("R1")
    if profile.get("needs_visa"):
        found.append("R2")
    if not profile.get("has_usce"):
        found.append("R5")
    if float(profile.get("training_gap_months") or 0) >= how_many.GAP_MONTHS:
        found.append("R6")
    return found


def risk_problems(risks: Any, profile: Mapping[str, Any], n_rotations: int) -> dict[str, list[str]]:
    """What is wrong with the learner's two risks ("risks") and with their fallbacks ("fallbacks")."""
    out: dict[str, list[str]] = {"risks": [], "fallbacks": []}
    if not isinstance(risks, Mapping) or not set(RISK_KEYS) <= set(risks):
        out["risks"].append(f"keep the template's keys: {', '.join(RISK_KEYS)}")
        return out
    picked = [risks["risk_1"], risks["risk_2"]]
    unknown = [r for r in picked if r not in RISKS]
    if unknown:
        out["risks"].append(f"not a risk id from the table: {unknown} (use R1-R6)")
    elif picked[0] == picked[1]:
        out["risks"].append("name two different risks")
    else:
        mine = profile_risks(profile, n_rotations)
        if mine and not set(picked) & set(mine):
            out["risks"].append(
                "neither risk follows from your profile; for you the kit sees "
                + ", ".join(f"{r} ({RISKS[r]})" for r in mine)
            )
    for i in (1, 2):
        risk, fallback = risks[f"risk_{i}"], risks[f"fallback_{i}"]
        if fallback not in FALLBACKS:
            out["fallbacks"].append(f"fallback_{i}: {fallback!r} is not a fallback id (use F1-F6)")
        elif risk in ANSWERS_RISK and fallback not in ANSWERS_RISK[risk]:
            out["fallbacks"].append(f"fallback_{i}: {fallback} does not answer {risk} ({RISKS[risk]})")
    return out


def pick_table(shortlist: Any) -> pd.DataFrame:
    """The shortlist with a pick number per row (1, 2, ...): what the learner picks hosts by."""
    if not isinstance(shortlist, pd.DataFrame) or shortlist.empty:
        return pd.DataFrame(columns=["pick", "program_name", "role"]).set_index("pick")
    columns = [c for c in ("program_name", "state", "role") if c in shortlist.columns]
    table = shortlist[columns].reset_index(drop=True)
    table.index = range(1, len(table) + 1)
    table.index.name = "pick"
    return table


def pick_numbers(picks: Any, table: pd.DataFrame) -> Any:
    """Picks as pick numbers: a program's exact name is read as its number too (a list stays a list)."""
    if not isinstance(picks, (list, tuple)):
        return picks
    names = {str(name).strip().lower(): pick for pick, name in table.get("program_name", pd.Series(dtype=str)).items()}
    return [names.get(p.strip().lower(), p) if isinstance(p, str) else p for p in picks]


def list_problems(count: Any, picks: Any, parts: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with the learner's number of rotations ("count") and their list of hosts ("hosts")."""
    out: dict[str, list[str]] = {"count": [], "hosts": []}
    low, high = parts["count"]["low"], parts["count"]["high"]
    if isinstance(count, bool) or not isinstance(count, int):
        out["count"].append(f"my_count should be a whole number, not {count!r}")
    elif not max(1, low) <= count <= high:
        out["count"].append(f"{count} rotations, outside the range {max(1, low)}-{high} your profile gives (module 01)")
    table = pick_table(parts.get("shortlist"))
    picks = pick_numbers(picks, table)
    if not isinstance(picks, (list, tuple)):
        out["hosts"].append("my_picks should be a list of pick numbers, e.g. [1, 3]")
        return out
    bad = [p for p in picks if isinstance(p, bool) or p not in table.index]
    if bad:
        out["hosts"].append(f"not a pick number in the table: {bad}")
        return out
    if len(set(picks)) != len(picks):
        out["hosts"].append("each host once: a pick number appears twice")
    wanted = min(count, len(table)) if isinstance(count, int) and not isinstance(count, bool) else None
    if wanted is not None and len(picks) != wanted:
        out["hosts"].append(f"{len(picks)} host(s) for {count} rotation(s): pick {wanted}")
    roles = list(table.loc[list(picks), "role"]) if "role" in table.columns else []
    if roles and "realistic" not in roles and "realistic" in set(table["role"]):
        out["hosts"].append("no realistic pick: add a place where you could really match")
    if roles.count("reach") > MAX_REACH:
        out["hosts"].append(f"more than {MAX_REACH} reach picks: balance them with realistic ones")
    return out


def timeline_problems(timeline: Any, blocks: pd.DataFrame | None, key_dates: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with the learner's dates ("shape": lengths and first day) and with the season ("season")."""
    out: dict[str, list[str]] = {"shape": [], "season": []}
    if not isinstance(timeline, Mapping) or not {"first_start", "weeks", "break_weeks"} <= set(timeline):
        out["shape"].append("keep the template's keys: first_start, weeks, break_weeks")
        return out
    weeks, gap = timeline["weeks"], timeline["break_weeks"]
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not ROTATION_WEEKS[0] <= weeks <= ROTATION_WEEKS[1]:
        out["shape"].append(f"weeks: {weeks!r}; a visiting rotation lasts 2-4 weeks, usually 4 (AAMC VSLO)")
    if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= MAX_BREAK_WEEKS:
        out["shape"].append(f"break_weeks: {gap!r}; a whole number of weeks from 0 to {MAX_BREAK_WEEKS}")
    try:
        pd.Timestamp(timeline["first_start"])
    except (ValueError, TypeError):
        out["shape"].append(f'first_start: {timeline["first_start"]!r} is not a date like "2026-02-02"')
    if out["shape"] or blocks is None:
        return out
    eras = pd.Timestamp(key_dates["eras_submission"])
    for _, b in blocks.iterrows():
        if b["end"] > eras:
            out["season"].append(
                f"rotation {b['slot']} ends on {b['end']:%Y-%m-%d}, after ERAS submission ({eras:%Y-%m-%d})"
            )
    earliest = eras - pd.DateOffset(months=LETTER_WINDOW_MONTHS)
    if len(blocks) and blocks["start"].min() < earliest:
        out["season"].append(
            f"the first rotation starts more than {LETTER_WINDOW_MONTHS} months before ERAS submission "
            "(the kit's rule of thumb: letters and your U.S. experience should be recent)"
        )
    return out


def decided_blocks(
    parts: Mapping[str, Any], count: Any, picks: Any, timeline: Any, verbose: bool = True
) -> pd.DataFrame:
    """The rotations laid out from the learner's decisions; the kit's own choice stands in for any left `...`."""
    from ..runtime.answers import blanks_in

    found = list_problems(count, picks, parts)
    if not blanks_in(count) and not found["count"]:
        n = count
    else:
        n = choose_count(parts["count"], parts["order"])
        if verbose:
            print(f"Using the kit's number of rotations ({n}) until my_count is answered and in range.")
    hosts = plan_hosts(parts)
    if not blanks_in(picks) and not found["hosts"]:
        table = pick_table(parts.get("shortlist"))
        hosts = [str(table.loc[p, "program_name"]) for p in pick_numbers(picks, table)]
    elif verbose:
        print("Using your shortlist in its order until my_picks is answered and fits the rules.")
    shape = timeline_problems(timeline, None, parts["key_dates"])["shape"] if not blanks_in(timeline) else ["..."]
    if shape:
        timeline = {"first_start": SAMPLE_FIRST_START, "weeks": 4, "break_weeks": 1}
        if verbose:
            print(
                f"Using the kit's example dates (first day {SAMPLE_FIRST_START}, 4 weeks, 1 week between) until my_timeline is answered."
            )
    return rotation_blocks(
        slot_kinds(parts["order"], n), hosts, timeline["first_start"], timeline["weeks"], timeline["break_weeks"]
    )


def risk_notes(risks: Any) -> str:
    """The learner's two risks and fallbacks as lines for the plan's notes (nothing while unanswered)."""
    from ..runtime.answers import blanks_in

    if blanks_in(risks) or not isinstance(risks, Mapping):
        return ""
    lines = []
    for i in (1, 2):
        risk, fallback = risks.get(f"risk_{i}"), risks.get(f"fallback_{i}")
        if risk in RISKS and fallback in FALLBACKS:
            lines.append(f"Risk: {RISKS[risk]}. Fallback: {FALLBACKS[fallback]}.")
    return "\n\n".join(lines)


def show_list(count: Any, picks: Any, parts: Mapping[str, Any]) -> None:
    """The hosts the learner's picks name, in order, and what the rules say about them."""
    from ..runtime.answers import waiting_for

    if waiting_for(count, "my_count", "Exercise 9.1") or waiting_for(picks, "my_picks", "Exercise 9.1"):
        return
    table = pick_table(parts.get("shortlist"))
    for slot, pick in enumerate(pick_numbers(picks, table) if isinstance(picks, (list, tuple)) else [], start=1):
        if pick in table.index:
            print(f"rotation {slot}: {table.loc[pick, 'program_name']} ({table.loc[pick].get('role', '')})")
    problems = sum(list_problems(count, picks, parts).values(), [])
    print("Nothing to fix." if not problems else "To fix: " + "; ".join(problems))


def show_timeline(blocks: pd.DataFrame, timeline: Any, key_dates: Mapping[str, Any]) -> None:
    """The rotations in time, and what the dates rules say about them."""
    from ..runtime.answers import waiting_for

    print(blocks.to_string(index=False))
    if waiting_for(timeline, "my_timeline", "Exercise 9.2"):
        return
    problems = sum(timeline_problems(timeline, blocks, key_dates).values(), [])
    print("Nothing to fix." if not problems else "To fix: " + "; ".join(problems))


def show_risks(risks: Any, profile: Mapping[str, Any], n_rotations: int) -> None:
    """The learner's risks and fallbacks in words, and what the rules say about them."""
    from ..runtime.answers import waiting_for

    if waiting_for(risks, "my_risks", "Exercise 9.3"):
        return
    print(risk_notes(risks) or "(no risk and fallback recognised yet)")
    problems = sum(risk_problems(risks, profile, n_rotations).values(), [])
    print("Nothing to fix." if not problems else "To fix: " + "; ".join(problems))


def check_nothing_to_fix(problems: list[str], what: str) -> None:
    """A check cell's rule: the kit found nothing to fix in this part of the learner's answer."""
    from ..runtime.checks import expect

    expect.true(
        problems == [],
        what=what,
        expected="[] (nothing to fix)",
        got="; ".join(problems),
        hint="Fix each problem listed, run your answer cell, then this check again.",
    )
