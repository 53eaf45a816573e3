"""Before the rotation (module 04): vocabulary, reading HL7 v2 and FHIR, finding mentors, a checklist, the pitch.

The kit computes here what the learner's decisions in module 04 lead to (their chart banner,
their notes on mentors, their checklist, what their pitch contains); the code lab asks learners
to write some of these functions themselves, and its checks compare with these references.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..runtime.answers import BLANK, blanks_in, typed_ids, unfilled, waiting_for  # noqa: F401 (BLANK: templates use it)
from ..runtime.checks import NO_ANSWER_YET, CheckFailed, expect, passed
from ..runtime.paths import data_file
from ..runtime.state import load_part, save_part
from . import where_to_rotate

# ---------------------------------------------------------------- vocabulary quiz
QUIZ_SEED = 20
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _quiz_order(vocab: pd.DataFrame, seed: int) -> list[int]:
    return [int(i) for i in np.random.default_rng(seed).permutation(len(vocab))]


def vocabulary_quiz(vocab: pd.DataFrame, seed: int = QUIZ_SEED) -> pd.DataFrame:
    """The meanings in a fixed shuffled order, lettered A, B, C...: the quiz a learner answers."""
    shuffled = vocab.iloc[_quiz_order(vocab, seed)].reset_index(drop=True)
    return pd.DataFrame({"letter": list(LETTERS[: len(shuffled)]), "meaning": shuffled["meaning"]})


def quiz_key(vocab: pd.DataFrame, seed: int = QUIZ_SEED) -> dict[str, str]:
    """term -> the letter of its meaning in `vocabulary_quiz(vocab, seed)`."""
    return {str(vocab.iloc[i]["term"]): LETTERS[pos] for pos, i in enumerate(_quiz_order(vocab, seed))}


def quiz_score(answers: Mapping[str, str], vocab: pd.DataFrame, seed: int = QUIZ_SEED) -> int:
    """How many terms in `answers` carry the right letter (letters compared without case or spaces)."""
    key = quiz_key(vocab, seed)
    return sum(1 for term, letter in answers.items() if term in key and str(letter).strip().upper() == key[term])


def show_glossary(matches: Any, vocab: pd.DataFrame, seed: int = QUIZ_SEED) -> pd.DataFrame | None:
    """Each term with the meaning the learner chose for it, where you meet it on the ward, and its source."""
    if waiting_for(matches, "my_matches", "Exercise 4.1"):
        return None
    meaning = dict(zip(vocabulary_quiz(vocab, seed)["letter"], vocabulary_quiz(vocab, seed)["meaning"], strict=True))
    rows = vocab.set_index("term")
    return pd.DataFrame(
        [
            {
                "term": term,
                "the meaning you chose": meaning.get(str(letter).strip().upper(), "?"),
                "on the ward": rows.loc[term, "on_the_ward"] if term in rows.index else "",
                "source": rows.loc[term, "source"] if term in rows.index else "",
            }
            for term, letter in matches.items()
        ]
    )


# ---------------------------------------------------------------- HL7 v2
HL7_REF = re.compile(r"([A-Z][A-Z0-9]{2})-(\d+)(?:\.(\d+))?")


def hl7_segments(message: str) -> list[list[str]]:
    """Each segment split into fields. The standard ends segments with a carriage return; files often use new lines."""
    lines = message.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.split("|") for line in lines if line.strip()]


def hl7_get(message: str, ref: str) -> str:
    """One value by reference, e.g. 'PID-5' (a field) or 'PID-5.2' (a component), from the first such segment.

    MSH counts its own field separator as MSH-1, so after splitting on '|' the
    pieces of MSH sit one place earlier than in every other segment. A field or
    component beyond the end is empty (''), as in HL7 itself; a missing segment is a KeyError.
    """
    match = HL7_REF.fullmatch(str(ref).strip())
    if not match or int(match.group(2)) < 1 or (match.group(3) is not None and int(match.group(3)) < 1):
        raise ValueError(f"{ref!r} is not a reference like 'PID-5' or 'PID-5.2' (numbers start at 1)")
    name, field = match.group(1), int(match.group(2))
    for fields in hl7_segments(message):
        if fields[0] != name:
            continue
        if name == "MSH" and field == 1:
            return "|"
        index = field - 1 if name == "MSH" else field
        value = fields[index] if index < len(fields) else ""
        if match.group(3) is None:
            return value
        components = value.split("^")
        component = int(match.group(3))
        return components[component - 1] if component <= len(components) else ""
    raise KeyError(f"the message has no {name} segment")


def hl7_results(message: str) -> pd.DataFrame:
    """Every OBX (result) segment as a row: test, value, units, reference range, flag."""
    rows = []
    for fields in hl7_segments(message):
        if fields[0] == "OBX":
            segment = "|".join(fields)
            rows.append(
                {
                    "test": hl7_get(segment, "OBX-3.2"),
                    "value": hl7_get(segment, "OBX-5"),
                    "units": hl7_get(segment, "OBX-6"),
                    "range": hl7_get(segment, "OBX-7"),
                    "flag": hl7_get(segment, "OBX-8"),
                }
            )
    return pd.DataFrame(rows, columns=["test", "value", "units", "range", "flag"])


def read_message(name: str) -> str:
    """A fictional message from data/messages/ as text."""
    return data_file(f"messages/{name}").read_text(encoding="utf-8")


def segment_table(message: str) -> pd.DataFrame:
    """The message one segment per row, its pieces (split on |) in numbered columns: what Exercise 4.2 reads.

    The columns are the pieces after splitting, not HL7 field numbers, so the MSH quirk stays
    visible: in MSH, field n is piece n - 1.
    """
    segments = hl7_segments(message)
    width = max(len(fields) for fields in segments)
    rows = [fields + [""] * (width - len(fields)) for fields in segments]
    return pd.DataFrame(rows, columns=[f"piece {i}" for i in range(width)])


# What Exercise 4.2 asks for, as HL7 positions in the results message.
HL7_QUESTIONS = {
    "family_name": "PID-5.1",
    "birth_date": "PID-7",
    "message_type": "MSH-9",
    "first_result": "OBX-5",
    "first_result_units": "OBX-6",
}


def same_value(typed: Any, expected: Any) -> bool:
    """Typed text against the value in the message: spaces around and letter case do not matter."""
    return str(typed).strip().lower() == str(expected).strip().lower()


def show_chart_banner(readings: Any) -> None:
    """The chart banner a clinician would see, built from the values the learner read out of the message."""
    if waiting_for(readings, "my_hl7", "Exercise 4.2"):
        return
    r = {key: str(readings.get(key, "?")).strip() for key in HL7_QUESTIONS}
    print(f"Patient: {r['family_name'].upper()}  | born {r['birth_date']}")
    print(f"Message: {r['message_type']}  | first result: {r['first_result']} {r['first_result_units']}")


FHIR_QUESTIONS = ("mrn", "given", "birth_date", "gender")


def show_patient_card(card: Any) -> None:
    """The patient card an app would show from the values the learner read out of the FHIR Patient."""
    if waiting_for(card, "my_patient", "Exercise 4.3"):
        return
    c = {key: str(card.get(key, "?")).strip() for key in FHIR_QUESTIONS}
    print(f"{c['given']} | MRN {c['mrn']} | born {c['birth_date']} | {c['gender']}")


# ---------------------------------------------------------------- FHIR
def read_fhir(name: str) -> dict[str, Any]:
    """A fictional FHIR resource from data/messages/ as a dictionary."""
    return json.loads(read_message(name))


def patient_summary(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The few fields a clinician reads first from a FHIR Patient; None where the resource has no value.

    The name is the one marked "official" (else the first); the MRN is the
    identifier whose type has the code "MR" (medical record number).
    """
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Patient":
        raise ValueError("patient_summary reads a FHIR resource whose resourceType is 'Patient'")
    names = list(resource.get("name", []))
    official = [n for n in names if n.get("use") == "official"]
    name = official[0] if official else (names[0] if names else {})
    given = list(name.get("given", []))
    mrn = None
    for identifier in resource.get("identifier", []):
        codes = [c.get("code") for c in identifier.get("type", {}).get("coding", [])]
        if "MR" in codes:
            mrn = identifier.get("value")
            break
    return {
        "id": resource.get("id"),
        "mrn": mrn,
        "family": name.get("family"),
        "given": given[0] if given else None,
        "birth_date": resource.get("birthDate"),
        "gender": resource.get("gender"),
    }


# ---------------------------------------------------------------- mentors
# The guide's informatics leadership titles, in the order a learner would note them.
ROLES = (
    "CMIO",
    "Associate CMIO",
    "Director of Clinical Informatics",
    "Medical Director of EHR",
    "Medical Director of CDS",
)
CMIO_WORDS = ("cmio", "chief medical information officer")


def informatics_role(title: Any) -> str | None:
    """The informatics role a faculty title shows, or None. Rules are checked in order; the first match wins.

    Directories spell titles many ways ("CMIO", "Chief Medical Information Officer
    (CMIO)", "Director, Clinical Informatics"), so we look for key words, and a
    "Chief Medical Officer" (no "information") is not a CMIO.
    """
    t = str(title).lower()
    if "associate" in t and any(w in t for w in CMIO_WORDS):
        return "Associate CMIO"
    if any(w in t for w in CMIO_WORDS):
        return "CMIO"
    if "director" in t and "clinical informatics" in t:
        return "Director of Clinical Informatics"
    if "medical director" in t and ("ehr" in t or "electronic health record" in t):
        return "Medical Director of EHR"
    if "medical director" in t and ("clinical decision support" in t or "cds" in t):
        return "Medical Director of CDS"
    return None


def find_mentors(faculty: pd.DataFrame, program_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Faculty with an informatics title (at these programs), with a `role` column: by program, role, then name."""
    found = faculty.assign(role=faculty["title"].map(informatics_role))
    found = found[found["role"].notna()]
    if program_ids is not None:
        found = found[found["program_id"].isin(list(program_ids))]
    found = found.assign(_rank=found["role"].map(ROLES.index))
    found = found.sort_values(["program_id", "_rank", "name"], kind="mergesort")
    return found.drop(columns="_rank").reset_index(drop=True)


def directory(faculty: pd.DataFrame, program_ids: Iterable[str]) -> pd.DataFrame:
    """The faculty directory of these programs, as the learner reads it (no role column: finding roles is theirs)."""
    rows = faculty[faculty["program_id"].isin(list(program_ids))]
    return rows[["faculty_id", "name", "title", "program_id"]].reset_index(drop=True)


def mentor_ids(faculty: pd.DataFrame, program_ids: Iterable[str]) -> list[str]:
    """The faculty ids with an informatics leadership title at these programs."""
    return list(find_mentors(faculty, program_ids)["faculty_id"])


def picked_people(faculty: pd.DataFrame, picked: Any) -> pd.DataFrame:
    """The learner's picks as a notes table (name, title, program); ids not in the directory are left out."""
    ids = [str(i).strip() for i in picked] if isinstance(picked, (list, tuple, set)) else []
    rows = faculty[faculty["faculty_id"].isin(ids)]
    return rows[["faculty_id", "name", "title", "program_id"]].reset_index(drop=True)


def show_mentor_notes(faculty: pd.DataFrame, picked: Any) -> pd.DataFrame | None:
    """Your notebook page of people to note, from the ids you picked."""
    if waiting_for(picked, "my_mentors", "Exercise 4.4"):
        return None
    notes = picked_people(faculty, picked)
    unknown = sorted({str(i).strip() for i in picked} - set(notes["faculty_id"]))
    if unknown:
        print(f"Not in the directory above: {', '.join(unknown)} (check the faculty_id column).")
    print(f"You noted {len(notes)} people.")
    return notes


# ---------------------------------------------------------------- checklist
VOCABULARY_TERMS = (
    "CDS",
    "order sets",
    "care pathways",
    "data governance",
    "data warehouse",
    "quality metrics",
    "interoperability",
    "HL7 v2",
    "FHIR",
)


# What each kind of task must say, so a checklist carries the guide's advice and not just its headings:
# (category, position within the category or None for every row, words that must all appear, any-of groups).
CHECKLIST_WORDING = (
    ("expectations", 0, ("goals", "evaluation"), ()),
    ("expectations", 1, ("team", "schedule"), ()),
    ("vocabulary", 0, ("order set", "hl7", "fhir", "interoperability"), (("cds", "decision support"),)),
    ("pitch", 0, ("pitch",), ()),
)


def checklist_wording_problems(checklist: pd.DataFrame) -> list[str]:
    """Tasks whose wording misses what the guide asks for (empty list = every task says enough)."""
    problems = []
    for category, position, words, any_of in CHECKLIST_WORDING:
        tasks = [str(t).lower() for t in checklist.loc[checklist["category"] == category, "task"]]
        if len(tasks) <= position:
            problems.append(f"no {category} task number {position + 1}")
            continue
        task = tasks[position]
        missing = [w for w in words if w not in task] + [
            " or ".join(g) for g in any_of if not any(w in task for w in g)
        ]
        if missing:
            problems.append(f"{category} task {position + 1} should mention: {', '.join(missing)}")
    return problems


def prerotation_checklist(program: Mapping[str, Any], mentors: pd.DataFrame) -> pd.DataFrame:
    """The to-do list before one rotation, one row per task, in the order of the guide's advice.

    Two expectation tasks, one EHR task naming the site's vendor (or asking which
    system it uses when the vendor is unknown), one vocabulary task, one task per
    mentor to note (or one to search when the directory shows none), one pitch task.
    """
    vendor = str(program.get("ehr_vendor", "Other") or "Other")
    rows = [
        (
            "expectations",
            f"Ask for the rotation goals and the evaluation form of {program['program_name']} and read them",
        ),
        ("expectations", "Find out how the team is organised, the daily schedule and how students are evaluated"),
    ]
    if vendor in ("Other", "", "unknown"):
        rows.append(
            (
                "ehr",
                "Ask the coordinator which EHR the site uses, then learn how to find notes, results and orders in it",
            )
        )
    else:
        rows.append(("ehr", f"Learn the basics of {vendor}: finding notes, results, orders and order sets"))
    rows.append(("vocabulary", "Review " + ", ".join(VOCABULARY_TERMS)))
    if len(mentors):
        for _, person in mentors.iterrows():
            rows.append(("mentors", f"Note {person['name']} ({person['role']}): you may meet them through your team"))
    else:
        rows.append(
            (
                "mentors",
                "No informatics titles in the directory: search the site's web pages for a CMIO or informatics faculty",
            )
        )
    rows.append(("pitch", "Practise your pitch out loud until it takes 20-40 seconds"))
    return pd.DataFrame(rows, columns=["category", "task"])


# ---------------------------------------------------------------- the checklist as choices
# The to-do items a learner picks from in Exercise 4.5: the guide's preparation (True) and
# look-alikes that go too far or miss the point (False). Ids are mixed so their order gives nothing away.
PREP_OPTIONS: dict[str, tuple[str, str, bool]] = {
    "K1": ("expectations", "Read the rotation's goals and its evaluation form", True),
    "K2": ("ehr", "Learn to build HL7 interfaces, so you can fix a lab feed yourself", False),
    "K3": ("vocabulary", "Review the nine informatics terms (CDS, order sets ... HL7, FHIR)", True),
    "K4": ("mentors", "Email the CMIO before you arrive to ask for a research project", False),
    "K5": (
        "expectations",
        "Find out how the team is organised, the daily schedule and how students are assessed",
        True,
    ),
    "K6": ("pitch", "Prepare slides on your informatics ideas for the first morning's rounds", False),
    "K7": ("ehr", "Learn the basics of the site's EHR: finding notes, results, orders and order sets", True),
    "K8": ("mentors", "Note the informatics leaders you found and their roles", True),
    "K9": ("pitch", "Practise your pitch aloud until it takes 20-40 seconds", True),
    "K10": ("expectations", "Skip the evaluation form: the attending will explain it on day one", False),
}
ESSENTIAL_PREP = tuple(key for key, (_c, _t, good) in PREP_OPTIONS.items() if good)
UNKNOWN_VENDORS = ("Other", "", "unknown")


def prep_options() -> pd.DataFrame:
    """The items to choose from (id and task only)."""
    return pd.DataFrame([(k, task) for k, (_c, task, _g) in PREP_OPTIONS.items()], columns=["id", "task"])


def site_ehr_ok(typed: Any, program: Mapping[str, Any]) -> bool:
    """The EHR the learner noted for the site: its vendor, or 'ask' when the directory does not name one."""
    vendor = str(program.get("ehr_vendor", "Other") or "Other")
    if vendor in UNKNOWN_VENDORS:
        return str(typed).strip().lower() in ("ask", "unknown", "other")
    return same_value(typed, vendor)


def checklist_from_choices(
    program: Mapping[str, Any], picks: Iterable[str], site_ehr: Any, mentors: pd.DataFrame
) -> pd.DataFrame:
    """The learner's checklist (category, task) from the items they picked, in the guide's order.

    The EHR item names the vendor they noted; the mentors item becomes one row per person noted.
    """
    chosen = {str(p).strip().upper() for p in picks}
    order = ("expectations", "ehr", "vocabulary", "mentors", "pitch")
    rows = []
    for category in order:
        for key, (cat, task, _good) in PREP_OPTIONS.items():
            if cat != category or key not in chosen:
                continue
            if key == "K7":
                task = task.replace("the site's EHR", f"{site_ehr} (the site's EHR)")
            if key == "K8" and len(mentors):
                rows += [("mentors", f"Note {p['name']} ({p['title']})") for _, p in mentors.iterrows()]
                continue
            rows.append((cat, task))
    if "K1" in chosen:
        rows[0] = ("expectations", f"{rows[0][1]} ({program['program_name']})")
    return pd.DataFrame(rows, columns=["category", "task"])


def show_checklist(program: Mapping[str, Any], picks: Any, site_ehr: Any, faculty: pd.DataFrame) -> pd.DataFrame | None:
    """Your checklist for this rotation, from your choices (the mentors are the kit's list for this program)."""
    if waiting_for(picks, "my_prep", "Exercise 4.5") or waiting_for(site_ehr, "my_site_ehr", "Exercise 4.5"):
        return None
    return checklist_from_choices(program, picks, site_ehr, find_mentors(faculty, [program["program_id"]]))


# ---------------------------------------------------------------- the pitch
PITCH_ELEMENTS = (
    "who_you_are",
    "target_specialty",
    "data_and_ehr",
    "fellowship_goal",
    "clinician_first",
    "ask_about_ehr",
    "length_ok",
)

# Key words (lower case) that show each element. Some elements need words from two or
# three lists in the SAME sentence, so that "data" in one sentence and "outcomes" in
# another do not count as a link between them.
PITCH_WORDS: dict[str, tuple[str, ...]] = {
    "who_you_are": (
        "international medical graduate",
        "img",
        "foreign medical graduate",
        "medical graduate",
        "i am a ",
        "i am an ",
        "i'm a ",
        "i'm an ",
        "i am dr",
        "i'm dr",
        "my name is",
        "my name's",
        "i trained",
        "i graduated",
        "i studied medicine",
        "i qualified",
        "visiting student",
        "visiting from",
        "i practised",
        "i practiced",
        "i worked as a",
    ),
    "specialty": (
        "internal medicine",
        "family medicine",
        "family practice",
        "pediatric",
        "paediatric",
        "psychiatr",
        "pathology",
        "emergency medicine",
        "emergency department",
    ),
    # Named vendors and plain words count as the EHR: "Epic", "the records", "the chart".
    "tools": (
        "data",
        "ehr",
        "emr",
        "electronic health record",
        "electronic medical record",
        "health record",
        "records",
        "record system",
        "chart",
        "epic",
        "cerner",
        "oracle health",
        "meditech",
        "decision support",
        "alert",
        "dashboard",
        "order set",
        "informatics",
        "health it",
        "digital",
    ),
    "gains": (
        "outcome",
        "workflow",
        "safety",
        "safer",
        "error",
        "mistake",
        "harm",
        "quality",
        "efficien",
        "readmission",
        "delay",
        "improv",
        "better care",
        "care better",
        "save time",
        "saves time",
        "saved time",
        "time for patients",
    ),
    "fellowship": (
        "fellowship",
        "informatics training",
        "training in informatics",
        "training in clinical informatics",
        "train in informatics",
        "train in clinical informatics",
        "board certification in clinical informatics",
        "board certified in clinical informatics",
        "career in informatics",
        "career in clinical informatics",
        "informatics career",
    ),
    "clinician_first": (
        "clinician first",
        "doctor first",
        "physician first",
        "first a clinician",
        "first a doctor",
        "first a physician",
        "clinician at heart",
        "patients first",
        "patients come first",
        "patients always come first",
        "patient care first",
        "patient care comes first",
        "patient care always comes first",
        "bedside",
        "grounded",
        "first and foremost",
        "stay a clinician",
        "remain a clinician",
        "still a clinician",
        "stay clinical",
    ),
    "learn": (
        "learn",
        "understand",
        "see how",
        "hear how",
        "show me",
        "curious",
        "watch how",
        "observe how",
        "find out how",
        "know how",
    ),
    "team": (
        "team",
        "you use",
        "you all use",
        "your ",
        "ward",
        "unit",
        "service",
        "department",
        "clinic",
        "residents",
        " here",
    ),
    "system": (
        "ehr",
        "emr",
        "electronic health record",
        "electronic medical record",
        "record",
        "chart",
        "epic",
        "cerner",
        "meditech",
        "data",
        "dashboard",
        "order set",
        "decision support",
        "alert",
    ),
}

# Spoken length: about 20-40 seconds. Speaking rate: the kit ASSUMES about 130-150 words
# per minute for calm conversational English and uses the middle, 140. It is a rule of
# thumb for planning, not a measured fact about you: time yourself.
WORDS_PER_MINUTE = 140
PITCH_SECONDS = (20, 40)


def sentences(text: str) -> list[str]:
    """Lower-case sentences (split after . ! or ?), with curly apostrophes made straight."""
    clean = str(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return [s.strip() + " " for s in re.split(r"[.!?]+(?:\s+|$)", clean) if s.strip()]


def speaking_seconds(text: str, words_per_minute: float = WORDS_PER_MINUTE) -> float:
    """Estimated time to say `text` aloud, from its word count and an assumed speaking rate."""
    return len(str(text).split()) * 60 / words_per_minute


def _some(words: Iterable[str], sentence: str) -> bool:
    return any(word in sentence for word in words)


def pitch_checklist(text: str) -> dict[str, bool]:
    """Which of the guide's elements a short spoken introduction has (True/False for each, in PITCH_ELEMENTS order).

    A key-word check, not a judge of quality: it tells you what is missing; a
    person judges tone and specificity.
    """
    parts = sentences(text)
    w = PITCH_WORDS
    seconds = speaking_seconds(text)
    return {
        "who_you_are": any(_some(w["who_you_are"], s) for s in parts),
        "target_specialty": any(_some(w["specialty"], s) for s in parts),
        "data_and_ehr": any(_some(w["tools"], s) and _some(w["gains"], s) for s in parts),
        "fellowship_goal": any(_some(w["fellowship"], s) for s in parts),
        "clinician_first": any(_some(w["clinician_first"], s) for s in parts),
        "ask_about_ehr": any(_some(w["learn"], s) and _some(w["team"], s) and _some(w["system"], s) for s in parts),
        "length_ok": bool(PITCH_SECONDS[0] <= seconds <= PITCH_SECONDS[1]),
    }


def missing_elements(text: str) -> list[str]:
    """The elements `pitch_checklist` does not find, in order."""
    return [name for name, present in pitch_checklist(text).items() if not present]


ELEMENT_NAMES = {
    "who_you_are": "who you are",
    "target_specialty": "your target specialty",
    "data_and_ehr": "how data or EHR tools improve outcomes or workflow (in one sentence)",
    "fellowship_goal": "your long-term goal (a Clinical Informatics fellowship or informatics training)",
    "clinician_first": "that you are a clinician first",
    "ask_about_ehr": "an ask to learn how the team uses its EHR or data (in one sentence)",
    "length_ok": "a spoken length of about 20-40 seconds",
}


def pitch_written(value: Any) -> bool:
    """Whether the pitch template holds the learner's own text (not the blank `...` line)."""
    return isinstance(value, str) and value.strip() not in ("", BLANK)


def pitch_text(value: Any) -> str:
    """The learner's pitch for a check cell: its text, or a 'no answer yet' failure while the template is blank."""
    if value is Ellipsis or (isinstance(value, str) and not pitch_written(value)):
        raise CheckFailed(
            "`my_pitch`",
            "your pitch",
            NO_ANSWER_YET + " (the template still holds the `...` line)",
            "Write your pitch between the triple quotes, in place of the `...` line, then run that cell.",
        )
    if not isinstance(value, str):
        raise CheckFailed("`my_pitch`", "text between triple quotes", type(value).__name__, 'Keep the """ quotes.')
    return " ".join(value.split())


def show_pitch(value: Any) -> None:
    """What the checklist finds in a pitch, in words, and how long it takes to say."""
    if value is Ellipsis or (isinstance(value, str) and not pitch_written(value)):
        print("Waiting for your answer (Exercise 4.6): write your pitch in place of the `...` line, then run it.")
        return
    text = " ".join(str(value).split())
    found = pitch_checklist(text)
    for element, present in found.items():
        print(f"  {'yes' if present else 'MISSING':7}  {ELEMENT_NAMES[element]}")
    words = len(text.split())
    print(f"{words} words: about {round(speaking_seconds(text))} seconds aloud at {WORDS_PER_MINUTE} words a minute.")


# The sample learner's pitch (fictional), written for the kit.
EXAMPLE_PITCH = (
    "Hello, I'm an international medical graduate visiting from abroad, and I hope to match in internal "
    "medicine. Back home, a small audit of readmissions on my ward showed me how good EHR data can prevent "
    "errors and save the team time. Later I plan to apply for a clinical informatics fellowship, but here "
    "patient care comes first. When things are quiet, could you show me how the team relies on the EHR in daily work?"
)


def shared_run(text: str, other: str, length: int = 8) -> str | None:
    """The first run of `length` words that `text` shares with `other` (None if none): a copy detector."""

    def words(s: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", str(s).lower().replace("\u2019", "'"))

    a, b = words(text), words(other)
    runs = {tuple(b[i : i + length]) for i in range(len(b) - length + 1)}
    for i in range(len(a) - length + 1):
        if tuple(a[i : i + length]) in runs:
            return " ".join(a[i : i + length])
    return None


# --------------------------------------------------------------------------- the people on your rotation
PEOPLE_FIELDS = {
    "host": "the program where you will rotate (from your shortlist in module 03)",
    "attending": "the attending who will supervise you (initials are fine, e.g. 'Dr. R. O.')",
    "senior_resident": "the senior resident you will work with (initials are fine)",
    "informatics_mentor": "a CMIO or informatics person you noted (Exercise 4.4), or 'none yet'",
}


def people_problems(people: Any) -> list[str]:
    """What to fix in `my_rotation_people` (empty list = ready); names may be initials."""
    if not isinstance(people, Mapping):
        return ['my_rotation_people should be the dictionary from the template: {"host": ..., ...}.']
    problems = [f"Add the key {key!r}: {meaning}." for key, meaning in PEOPLE_FIELDS.items() if key not in people]
    problems += [
        f"Replace the '...' of {key!r} with {PEOPLE_FIELDS[key]}."
        for key in PEOPLE_FIELDS
        if key in people and unfilled(people[key])
    ]
    names = [people.get("attending"), people.get("senior_resident")]
    if all(isinstance(n, str) and not unfilled(n) for n in names) and names[0].strip() == names[1].strip():
        problems.append("The attending and the senior resident are two different people: give each their own name.")
    return problems


def save_people(people: Any) -> str:
    """Save your rotation's people for the letters (07) and the plan (09), only once they are all filled in."""
    problems = people_problems(people)
    if problems:
        return "Not saved yet: " + " ".join(problems)
    save_part("rotation_people", {key: people[key].strip() for key in PEOPLE_FIELDS})
    return f"Saved the people you will work with at {people['host'].strip()}."


# --------------------------------------------------------------------------- the main path's visible checks
# Each check cell of module 04 calls one of these after `expect.defined(...)`: the rules a learner
# sees applied to their answer, with what was expected, what came back and a hint. The hidden tests
# in the notebook apply the same rules more thoroughly.
CARE_TERMS = ("CDS", "order set", "care pathway", "quality metric")
DATA_TERMS = ("data governance", "data warehouse", "interoperability", "HL7 v2", "FHIR")
HL7_PARTS = {"a": ("family_name", "birth_date"), "b": ("message_type",), "c": ("first_result", "first_result_units")}
HL7_HINTS = {
    "a": "Use the PID row: field n is piece n; the family name is the part before the first ^.",
    "b": "In MSH, field 9 is piece 8: the first | is field 1 itself.",
    "c": "There are four OBX rows: use the first. Piece 5 is the value, piece 6 the units.",
}
FHIR_PARTS = {"a": ("mrn",), "b": ("given", "birth_date", "gender")}


def check_matches(matches: Any, vocab: pd.DataFrame, part: str) -> None:
    """Exercise 4.1: part a the care terms, part b the data and standards terms, matched to their meanings."""
    expect.type(matches, dict, what="my_matches", hint='Keep the curly brackets: {"CDS": "D", ...}.')
    terms = CARE_TERMS if part == "a" else DATA_TERMS
    hint = (
        "Order sets bundle orders; care pathways plan steps over time; a metric is a number you track."
        if part == "a"
        else "HL7 v2 is the older standard with | bars, FHIR the newer one with resources; a warehouse is for reports."
    )
    right = quiz_score({t: matches.get(t, "") for t in terms}, vocab)
    expect.equal(right, len(terms), what=f"terms of part {part} matched to the right meaning", hint=hint)
    passed(f"All {len(terms)} terms of part {part} are matched.")


def check_hl7(readings: Any, message: str, part: str) -> None:
    """Exercise 4.2: the values typed for one part match the message (spaces and case aside)."""
    expect.type(readings, dict, what="my_hl7", hint="Keep the curly brackets of the template.")
    for key in HL7_PARTS[part]:
        ref = HL7_QUESTIONS[key]
        expect.true(
            same_value(readings.get(key), hl7_get(message, ref)),
            what=f'my_hl7["{key}"]',
            expected=f"the value at {ref}",
            got=readings.get(key),
            hint=HL7_HINTS[part],
        )
    passed(f"Part {part}: you read {', '.join(HL7_PARTS[part])} out of the message.")


def check_patient(card: Any, resource: Mapping[str, Any], part: str) -> None:
    """Exercise 4.3: part a the MRN (type code MR), part b the official given name, birth date and gender."""
    expect.type(card, dict, what="my_patient", hint="Keep the curly brackets of the template.")
    summary = patient_summary(resource)
    hint = (
        "The first identifier is the insurer's member number (code MB); take the one with code MR."
        if part == "a"
        else "For the name, use the one whose use is official; birthDate is the birth date."
    )
    for key in FHIR_PARTS[part]:
        expect.true(
            same_value(card.get(key), summary[key]),
            what=f'my_patient["{key}"]',
            expected="the value in the Patient resource",
            got=card.get(key),
            hint=hint,
        )
    passed(f"Part {part}: you read {', '.join(FHIR_PARTS[part])} from the Patient.")


def check_mentors(picked: Any, faculty: pd.DataFrame, program_ids: Iterable[str], part: str) -> None:
    """Exercise 4.4: part a every informatics leader noted; part b nobody whose title only looks alike."""
    expect.type(picked, list, what="my_mentors", hint='A list in square brackets: ["F0001", "F0002"].')
    ids = typed_ids(picked)
    leaders = mentor_ids(faculty, program_ids)
    if part == "a":
        missed = [i for i in leaders if i not in ids]
        expect.true(
            not missed,
            what="informatics leaders you noted",
            expected=f"all {len(leaders)} of them",
            got=f"{len(leaders) - len(missed)} of {len(leaders)}",
            hint="Read every title again: CMIO can be spelt out, and Clinical Decision Support is CDS.",
        )
        passed(f"You noted all {len(leaders)} informatics leaders.")
        return
    shown = directory(faculty, program_ids).set_index("faculty_id")["title"]
    alike = [f"{i} ({shown[i]})" for i in ids if i in shown and informatics_role(shown[i]) is None]
    expect.true(
        not alike and (bool(ids) or not leaders),
        what="people you noted",
        expected="only informatics leadership titles (at least one: the directory has some)",
        got="; ".join(alike) or "an empty list",
        hint="A Chief Medical Officer is not a CMIO; program and quality directors are other roles.",
    )
    passed("Everyone you noted has an informatics leadership title.")


def check_prep(picks: Any, part: str) -> None:
    """Exercise 4.5: part a every item the advice asks for; part b none that goes too far."""
    expect.type(picks, list, what="my_prep", hint='A list in square brackets: ["K1", "K2"].')
    ids = typed_ids(picks)
    if part == "a":
        left_out = [i for i in ESSENTIAL_PREP if i not in ids]
        expect.true(
            not left_out,
            what="items the advice asks for",
            expected=f"all {len(ESSENTIAL_PREP)}",
            got=f"{len(ESSENTIAL_PREP) - len(left_out)} on your list",
            hint="Goals and evaluation, team and schedule, the EHR basics, vocabulary, people to note, the pitch.",
        )
        passed("Your checklist has every step of the preparation.")
        return
    too_far = [i for i in ids if i in PREP_OPTIONS and not PREP_OPTIONS[i][2]]
    expect.true(
        not too_far and bool(ids),
        what="items that go too far or miss the point",
        expected="none",
        got=", ".join(too_far) or "an empty list",
        hint="A basic grasp of HL7 is enough; meet the CMIO through your team; rounds are for patients.",
    )
    passed("Nothing on your list goes too far.")


def check_site_ehr(typed: Any, program: Mapping[str, Any]) -> None:
    """Exercise 4.5 part c: the EHR of the site (or "ask" when the table says Other)."""
    expect.true(
        site_ehr_ok(typed, program),
        what="my_site_ehr",
        expected=f"the EHR of {program['program_name']}",
        got=typed,
        hint='Copy it from the "Preparing for" line at the top, in quotes; write "ask" if it says Other.',
    )
    passed(f"You will learn the basics of {typed} before you go.")


def check_pitch(value: Any, profile: Mapping[str, Any], part: str) -> None:
    """Exercise 4.6: part a the six elements in your own words, naming your specialty; part b 20-40 seconds."""
    text = pitch_text(value)
    if part == "b":
        seconds = speaking_seconds(text)
        expect.true(
            PITCH_SECONDS[0] <= seconds <= PITCH_SECONDS[1],
            what="the spoken length of my_pitch",
            expected="20-40 seconds (about 47-93 words)",
            got=f"about {round(seconds)} seconds ({len(text.split())} words)",
            hint="Cut a clause or add a detail; then read it aloud and time yourself.",
        )
        passed(f"Your pitch takes about {round(seconds)} seconds.")
        return
    missing = [ELEMENT_NAMES[e] for e in missing_elements(text) if e != "length_ok"]
    expect.true(
        not missing,
        what="the elements of my_pitch",
        expected="all six",
        got="missing: " + "; ".join(missing),
        hint="Add what is missing; the ask and the data-and-outcomes link each need one sentence.",
    )
    specialty = str(profile.get("target_specialty", ""))
    expect.true(
        specialty.lower() in text.lower(),
        what="the specialty in my_pitch",
        expected=f"{specialty} (your target specialty, from module 00)",
        got=", ".join(w for w in PITCH_WORDS["specialty"] if w in text.lower()) or "none named",
        hint="Name the specialty you are applying to.",
    )
    copied = shared_run(text, EXAMPLE_PITCH)
    expect.true(
        copied is None,
        what="my_pitch",
        expected="your own words",
        got=f"copied from the sample: '{copied}'",
        hint="Rephrase that part in your own words.",
    )
    passed("Your pitch has every element, in your own words.")


def check_people(people: Any) -> None:
    """Exercise 4.8: the four answers of the template, each typed in."""
    expect.type(people, dict, what="my_rotation_people", hint="Keep the curly brackets of the template.")
    problems = people_problems(people)
    expect.true(
        not problems,
        what="my_rotation_people",
        expected="every ... replaced by your own answer in quotes",
        got="; ".join(problems),
        hint="Type over each ...; keep the four keys; initials are fine.",
    )
    passed(f"You noted {people['attending']} and {people['senior_resident']} at {people['host']}.")


def rotation_to_prepare(programs: pd.DataFrame, profile: Mapping[str, Any]) -> tuple[pd.Series, list[str]]:
    """The program module 04 prepares for (the first on the module-03 shortlist, or the kit's pick) and the
    shortlist's first three program ids (whose faculty Exercise 4.4 reads)."""
    kit = where_to_rotate.kit_shortlist(programs, profile)
    shortlist = load_part("shortlist", kit, made_in="03_where_to_rotate")
    known = shortlist[shortlist["program_id"].isin(programs["program_id"])] if "program_id" in shortlist else kit
    mine = programs[programs["specialty"] == profile["target_specialty"]]
    places = known if len(known) else kit if len(kit) else mine
    ids = [str(i) for i in places["program_id"].iloc[:3]]
    rotation = programs.set_index("program_id", drop=False).loc[ids[0]]
    print(f"Preparing for: {rotation['program_name']} ({rotation['state']}); its EHR: {rotation['ehr_vendor']}")
    return rotation, ids


def save_module_04(
    pitch: Any, people: Any, checklist: pd.DataFrame | None, program: Mapping[str, Any], faculty: pd.DataFrame
) -> None:
    """Save the pitch (once complete), the people (once filled in) and the checklist (the kit's example until
    Exercise 4.5 is answered) for the letters (07) and the capstone (09)."""
    if pitch_written(pitch) and not missing_elements(str(pitch)):
        print("Saved your pitch:", save_part("pitch", " ".join(str(pitch).split())))
    else:
        print("No pitch saved yet: finish Exercise 4.6, then run this cell again.")
    print(save_people(people))
    if checklist is None:
        example = prerotation_checklist(program, find_mentors(faculty, [program["program_id"]]))
        save_part("prerotation_checklist", example, source="example")
        print("Saved the kit's example checklist until you answer Exercise 4.5.")
    else:
        save_part("prerotation_checklist", checklist)
        print("Saved your checklist for", program["program_name"])
