"""The capstone plan (module 09): gather the parts saved by modules 00-08, check them, print them as HTML.

Each part comes from the module that makes it (`state.save_part`). A missing or
unreadable part falls back to the kit's reference (worked out from the learner's
profile) or to the sample learner's, and the plan says so section by section: a
learner who skipped a module still gets a complete document that does not pretend
the sample is theirs. Learner text goes into the HTML escaped, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, StrictUndefined

from . import application, how_many, where_to_rotate
from ..runtime import state
from ..runtime.loaders import load_programs
from ..runtime.paths import learner_home
from ..runtime.plots import PALETTE
from ..runtime.profile import SAMPLE_PROFILE, load_profile


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
    Section("project", "Your workflow-observation project", "06_workflow_project", "workflow_project"),
    Section("letters", "Your letters plan", "07_letters", "letter_plan"),
    Section("calendar", "Follow-up calendar", "08_application", "key_dates"),
)
SECTION = {s.key: s for s in SECTIONS}
MADE_IN = {s.key: s.made_in for s in SECTIONS}
# yours: you saved it; kit: the kit's reference applied to your profile; sample: the sample learner's.
STATUSES = ("yours", "kit", "sample")

# The kinds of rotation (module 02), in the words the plan uses, and module 02's category for each.
CORE, EXPOSURE, ELECTIVE = "core clinical", "clinical with informatics exposure", "informatics elective"
OTHER = "clinical, another specialty"
KINDS = (CORE, EXPOSURE, OTHER, ELECTIVE)
_CATEGORY_KIND = {"core": CORE, "clinical_informatics": EXPOSURE, "off_target": OTHER,
                  "informatics_elective": ELECTIVE}
TO_BE_CHOSEN = "to be chosen"
SAMPLE_FIRST_START = "2026-02-02"  # illustrative, like the sample key dates
THANK_YOU_WITHIN_DAYS = 3
BLOCK_COLUMNS = ["slot", "kind", "host", "start", "end"]
PROBLEM_COLUMNS = ["section", "problem"]
SHORTLIST_COLUMNS = ["program_name", "state", "role", "informatics", "img_friendly"]

# Sample parts, written for the fictional sample learner (Internal Medicine).
SAMPLE_PITCH = (
    "Hello, I'm a visiting student from abroad, a physician aiming for internal medicine residency. "
    "I care most about being a safe, reliable member of the team, and I'm also curious about how "
    "the record and its data shape care and the team's day. In the long run I'd like to train in "
    "clinical informatics, so while I'm here I'd love to see how your team works with the EHR."
)
SAMPLE_PROJECT = {
    "title": "Discharge delays on one medical ward (sample project)",
    "question": "Where does the time go between the discharge order and the patient leaving the ward?",
    "weeks": [
        "Week 1: notice the delay; ask the senior resident whether anyone has looked at it",
        "Week 2: time each step for the discharges you see (order, reconciliation, pharmacy check, transport)",
        "Week 3: read what other hospitals tried; chart the daily medians",
        "Week 4: leave a one-page proposal with the ward team",
    ],
    "cv_framing": "Data-informed workflow observation with a micro quality-improvement proposal",
}
SAMPLE_LETTERS = [
    {"week": 1, "action": "Learn the team; note who sees your work most closely and in which settings"},
    {"week": 2, "action": "Name two likely letter writers; ask one of them for specific feedback"},
    {"week": 3, "action": "Act on the feedback where they can see it"},
    {"week": 4, "action": "Brief goals conversation, then ask for a strong letter; send CV, statement draft "
                          "and bullet points on shared patients and informatics observations"},
]


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
            {"kind": CORE, "label": f"{specialty}: hands-on externship or paid clinical program at a program "
                                    "where you would like to match"},
            {"kind": CORE, "label": f"{specialty}: second hands-on experience, ideally where informatics work goes on"},
            {"kind": ELECTIVE, "label": "Quality-improvement or informatics work, e.g. a research position "
                                        "(only if time and money allow)"},
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


def gather_parts(verbose: bool = True) -> dict[str, Any]:
    """Every part of the plan, yours where saved, with `sources[section]` in STATUSES.

    Prints one line per section saying where it came from and, for a fallback, which
    module to run; an unreadable saved part is reported and replaced, never fatal.
    """
    profile = load_profile(verbose=False)
    own = profile != SAMPLE_PROFILE
    derived = "kit" if own else "sample"
    parts: dict[str, Any] = {"profile": profile}
    sources = {"profile": "yours" if own else "sample"}
    notes: dict[str, str] = {}
    weights = state.load_part("weights", None, made_in="03_where_to_rotate", verbose=False)
    fallbacks = {
        "count": (lambda: normalise_count(how_many.recommend_rotation_count(profile)), normalise_count, derived),
        "order": (lambda: sample_order(profile), normalise_order, derived),
        "shortlist": (lambda: where_to_rotate.kit_shortlist(
                          load_programs(), profile, weights if isinstance(weights, Mapping) else None)[SHORTLIST_COLUMNS],
                      _shortlist, derived),
        "pitch": (lambda: SAMPLE_PITCH, _text, "sample"),
        "project": (lambda: SAMPLE_PROJECT, _something, "sample"),
        "letters": (lambda: SAMPLE_LETTERS, _something, "sample"),
        "calendar": (lambda: dict(application.SAMPLE_KEY_DATES), _key_dates, "sample"),
    }
    for key, (fallback, read, status) in fallbacks.items():
        section = SECTION[key]
        saved = state.load_part(section.part, None, made_in=section.made_in, verbose=False)
        value = read(saved) if saved is not None else None
        if value is not None:
            sources[key] = "yours"
        else:
            value, sources[key] = fallback(), status
            if state.has_part(section.part):
                notes[key] = f"your saved {section.part} could not be used; run module {section.made_in} again"
        parts["key_dates" if key == "calendar" else key] = value
    parts["sources"], parts["notes"] = sources, notes
    if verbose:
        for key, status in sources.items():
            print(f"{SECTION[key].title}: {status_text(key, status)}" + (f" ({notes[key]})" if key in notes else ""))
    return parts


def status_text(key: str, status: str) -> str:
    """Where a section came from, in words (used in the printout and the HTML)."""
    if status == "yours":
        return "your own work"
    if status == "kit":
        return f"the kit's reference for your profile; module {MADE_IN[key]} saves your own"
    return f"the sample learner's (fictional); run module {MADE_IN[key]} to use yours"


# --------------------------------------------------------------------------- assembling
def plan_progress(sources: Mapping[str, str]) -> dict[str, Any]:
    """How much of the plan is your own work, and which modules to revisit (course order, no repeats)."""
    for key, status in sources.items():
        if key not in MADE_IN:
            raise KeyError(f"unknown section {key!r}; the sections are {list(MADE_IN)}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} for {key}; use one of {STATUSES}")
    revisit = sorted({MADE_IN[k] for k, s in sources.items() if s != "yours"})
    return {"done": sum(s == "yours" for s in sources.values()), "total": len(sources), "revisit": revisit}


def choose_count(count: Mapping[str, int], order: Sequence[Any]) -> int:
    """How many rotations to lay out: the length of your order, kept inside the recommended range (at least one)."""
    return max(1, min(max(len(order), count["low"]), count["high"]))


def slot_kinds(order: Sequence[Mapping[str, Any]], n: int) -> list[str]:
    """The kind of each of `n` slots: your order first, then core clinical rotations."""
    kinds = [kind_of(item["kind"]) for item in order][:n]
    return kinds + [CORE] * (n - len(kinds))


def rotation_blocks(kinds: Sequence[str], hosts: Sequence[str], first_start: Any,
                    weeks: int = 4, break_weeks: int = 1) -> pd.DataFrame:
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
        rows.append({"slot": i + 1, "kind": kind, "host": hosts[i] if i < len(hosts) else TO_BE_CHOSEN,
                     "start": start, "end": start + pd.Timedelta(days=7 * weeks - 1)})
    return pd.DataFrame(rows, columns=BLOCK_COLUMNS)


def plan_calendar(blocks: pd.DataFrame, key_dates: Mapping[str, Any]) -> pd.DataFrame:
    """Module 08's follow-up calendar for planned rotations: the attending and senior resident of each."""
    planned = pd.DataFrame({
        "host": blocks["host"],
        "end_date": blocks["end"],
        "contacts": [[f"Attending, rotation {s}", f"Senior resident, rotation {s}"] for s in blocks["slot"]],
    })
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
        problems.append(("count", f"{len(blocks)} rotations planned; the recommended range is "
                                  f"{count['low']}-{count['high']}"))
    for _, b in blocks.iterrows():
        if b["slot"] == 1 and b["kind"] == ELECTIVE:
            problems.append(("order", "rotation 1 is an informatics elective: keep the first rotation clinical"))
    shortlist = plan["shortlist"]
    roles = list(shortlist["role"]) if "role" in shortlist.columns else []
    if roles.count("reach") > 2:
        problems.append(("shortlist", "more than two reach programs: one or two reach picks, balanced by realistic ones"))
    if "realistic" not in roles:
        problems.append(("shortlist", "no realistic program: add an IMG-welcoming program where you could match"))
    eras = pd.Timestamp(plan["key_dates"]["eras_submission"])
    for _, b in blocks.iterrows():
        if b["end"] > eras:
            problems.append(("dates", f"rotation {b['slot']} ends after your ERAS submission ({eras:%Y-%m-%d}): "
                                      "a letter from it reaches programs only after you submit"))
    calendar = plan["calendar"]
    thanks = calendar[calendar["action"] == application.THANK_YOU]
    for _, b in blocks.iterrows():
        window = ((thanks["date"] > b["end"]) & (thanks["date"] <= b["end"] + pd.Timedelta(days=THANK_YOU_WITHIN_DAYS))
                  & (thanks["host"] == b["host"]))
        if not window.any():
            problems.append(("calendar", f"no thank-you note within {THANK_YOU_WITHIN_DAYS} days after "
                                         f"rotation {b['slot']} ends"))
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def assemble(parts: Mapping[str, Any], blocks: pd.DataFrame, calendar: pd.DataFrame, notes: str = "",
             problems: pd.DataFrame | None = None) -> dict[str, Any]:
    """The whole plan as one dictionary (what render_html prints); problems are checked if not given."""
    profile = parts["profile"]
    plan = {
        "title": f"Away-rotation plan: {profile['name']}",
        "made": dt.date.today().isoformat(),
        "profile": profile,
        **{k: parts[k] for k in ("count", "order", "shortlist", "pitch", "project", "letters", "key_dates")},
        "blocks": blocks,
        "calendar": calendar,
        "notes": notes,
        "sources": dict(parts["sources"]),
        "source_notes": dict(parts.get("notes", {})),
    }
    plan["problems"] = plan_problems(plan) if problems is None else problems
    return plan


def build_plan(first_start: Any = SAMPLE_FIRST_START, notes: str = "", verbose: bool = False) -> dict[str, Any]:
    """The plan from saved parts and the kit's reference functions, in one call."""
    parts = gather_parts(verbose=verbose)
    n = choose_count(parts["count"], parts["order"])
    hosts = list(parts["shortlist"]["program_name"])
    blocks = rotation_blocks(slot_kinds(parts["order"], n), hosts, first_start)
    return assemble(parts, blocks, plan_calendar(blocks, parts["key_dates"]), notes)


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
    return {"type": "table", "columns": [str(c).replace("_", " ") for c in frame.columns],
            "rows": [[_cell(v) for v in row] for row in frame.itertuples(index=False)],
            "nowrap": [pd.api.types.is_datetime64_any_dtype(frame[c]) for c in frame.columns]}


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
        status = sources.get(k, "sample")
        return {"key": key, "title": title, "status": status, "status_text": status_text(k, status),
                "note": notes.get(k, ""), "blocks": list(content)}

    profile_view = {k: profile.get(k) for k in ("target_specialty", "training_status", "years_since_graduation",
                                                "tie_states", "has_usce", "training_gap_months",
                                                "budget_usd", "needs_visa", "informatics_experience") if k in profile}
    count_view = {"recommended range": f"{count.get('low', '?')}-{count.get('high', '?')}",
                  "planned here": len(blocks), "why": count.get("rationale", "")}
    shortlist, calendar = plan.get("shortlist"), plan.get("calendar")
    return [
        section("profile", "Your profile", block(profile_view)),
        section("count", "How many away rotations", block(count_view)),
        section("order", "Which rotations, when", _table(blocks),
                block([f"{o.get('label', '')} ({o.get('kind', '')})" for o in order if isinstance(o, Mapping)])),
        section("shortlist", "Where to rotate: your shortlist",
                _table(shortlist, SHORTLIST_COLUMNS) if isinstance(shortlist, pd.DataFrame) else block(shortlist)),
        section("pitch", "Your pitch", block(plan.get("pitch"))),
        section("project", "Your workflow-observation project", block(plan.get("project"))),
        section("letters", "Your letters plan", block(plan.get("letters"))),
        section("calendar", "Follow-up calendar", block(compact_calendar(calendar))
                if isinstance(calendar, pd.DataFrame) else block(calendar)),
    ]


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
:root { --accent: {{ colours.blue }}; --warn: {{ colours.vermillion }}; --ok: {{ colours.green }}; --muted: #4a4a4a; }
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.45; max-width: 48rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; border-bottom: 2px solid var(--accent); padding-bottom: .15rem; margin-top: 1.6rem; }
.meta, .note { color: var(--muted); }
.note { font-size: .9rem; }
.badge { font: .72rem/1.5 system-ui, sans-serif; padding: 0 .45rem; border-radius: .6rem;
         border: 1px solid currentColor; margin-left: .4rem; vertical-align: middle; white-space: nowrap; }
.badge.yours { color: var(--ok); } .badge.kit { color: var(--accent); } .badge.sample { color: var(--warn); }
.summary { border: 1px solid #bbb; padding: .5rem 1rem; background: #f7f7f7; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; } .nowrap { white-space: nowrap; }
dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .3rem 1rem; margin: .6rem 0; }
dt { font-weight: bold; } dd { margin: 0; }
dd > p, dd > ul, dd > table, dd > dl { margin-top: 0; margin-bottom: 0; } dd > ul { padding-left: 1.1rem; }
.problems li { color: var(--warn); }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
@page { size: A4; margin: 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  section, tr, li { break-inside: avoid; }
  .summary, th { background: none; }
}
</style>
</head>
<body>
{% macro show(b) -%}
{% if b.type == "table" %}
{% if b.rows %}<table><thead><tr>{% for c in b.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in b.rows %}<tr>{% for v in row %}<td{% if b.nowrap[loop.index0] %} class="nowrap"{% endif %}>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% else %}<p class="note">(empty)</p>{% endif %}
{% elif b.type == "list" %}<ul>{% for e in b.entries %}<li>{{ e }}</li>{% endfor %}</ul>
{% elif b.type == "pairs" %}<dl>{% for k, v in b.entries %}<dt>{{ k }}</dt><dd>{{ show(v) }}</dd>{% endfor %}</dl>
{% else %}{% for p in b.paragraphs %}<p>{{ p }}</p>{% endfor %}{% endif %}
{%- endmacro %}
<header>
<h1>{{ title }}</h1>
<p class="meta">{{ specialty }} &middot; made {{ made }} with the away-rotation course kit</p>
{% if sample_profile %}<p class="note">No profile of yours was found, so this plan is built for the kit's
fictional sample learner. Run module 00, then module 09 again.</p>{% endif %}
</header>
<section class="summary">
<p><strong>{{ n_rotations }} away rotation{{ "s" if n_rotations != 1 }}</strong>{% if first %}, from {{ first }} to {{ last }}{% endif %}.
{{ n_yours }} of {{ n_sections }} parts are your own work; the kit's checks found {{ problems|length }} thing{{ "s" if problems|length != 1 }} to fix.</p>
</section>
{% for s in sections %}
<section id="{{ s.key }}">
<h2>{{ s.title }} <span class="badge {{ s.status }}">{{ s.status_text }}</span></h2>
{% if s.note %}<p class="note">{{ s.note }}</p>{% endif %}
{% for b in s.blocks %}{{ show(b) }}{% endfor %}
</section>
{% endfor %}
<section id="checks">
<h2>What the kit's checks found</h2>
{% if problems %}<ul class="problems">{% for section, problem in problems %}<li><strong>{{ section }}</strong>: {{ problem }}</li>{% endfor %}</ul>
{% else %}<p>Nothing to fix: the count, order, shortlist, dates and follow-up calendar agree with one another.</p>{% endif %}
</section>
{% if notes %}
<section id="notes">
<h2>Your notes</h2>
{{ show(notes) }}
</section>
{% endif %}
<footer>Programs, people and sample parts in this kit are fictional. Check every date, fee and policy on the
program's own website and in the current ERAS and NRMP calendars before you act on it.</footer>
</body>
</html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(plan: Mapping[str, Any]) -> str:
    """The plan as one self-contained, printable HTML page; every piece of learner text is escaped."""
    blocks = plan.get("blocks")
    blocks = blocks if isinstance(blocks, pd.DataFrame) else pd.DataFrame(columns=BLOCK_COLUMNS)
    problems = plan.get("problems")
    problems = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame(columns=PROBLEM_COLUMNS)
    sources = plan.get("sources", {})
    profile = plan.get("profile", {})
    notes = plan.get("notes") or ""
    return _ENV.from_string(TEMPLATE).render(
        title=plan.get("title", "Away-rotation plan"),
        specialty=profile.get("target_specialty", ""),
        made=plan.get("made", dt.date.today().isoformat()),
        sample_profile=sources.get("profile") != "yours",
        colours=PALETTE,
        n_rotations=len(blocks),
        first=_cell(blocks["start"].min()) if len(blocks) else "",
        last=_cell(blocks["end"].max()) if len(blocks) else "",
        n_yours=sum(s == "yours" for s in sources.values()),
        n_sections=len(SECTIONS),
        problems=[(str(s), str(p)) for s, p in problems[PROBLEM_COLUMNS].itertuples(index=False)],
        sections=_sections(plan),
        notes=block(notes) if str(notes).strip() else None,
    )


PLAN_FILE = "away_rotation_plan.html"


def save_html(plan: Mapping[str, Any], path: str | Path | None = None) -> Path:
    """Write the plan's HTML into your my_plan folder (or `path`); returns where it went."""
    target = Path(path) if path is not None else learner_home() / PLAN_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(plan), encoding="utf-8")
    return target
