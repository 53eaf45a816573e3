"""Scoring programs for away rotations (module 03): the kit computes, the learner decides.

On the main path the learner sets weights, reads the ranking and its stability, and picks a
shortlist; these functions compute and show what each decision does, and check it against the
guide's rules (one reach, one or two realistic picks that pass the two-part test; fit and
IMG-friendliness before prestige). Later modules and the capstone use the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..runtime.answers import blanks_in, is_stub_function, waiting_for
from ..runtime.loaders import load_programs
from ..runtime.paths import data_dir
from ..runtime.profile import has_own_profile
from ..runtime.schemas import IMG_STATES
from ..runtime.state import EXAMPLE, YOURS, save_part
from ..runtime.tables import DataError

# Points per indicator of informatics presence (module 03 explains each one).
INFORMATICS_POINTS = {
    "ci_fellowship": 3,
    "health_it_track": 2,
    "informatics_on_webpage": 1,
    "informatics_faculty": 2,  # one point per informatics title, at most two
    "ehr_optimization": 1,
    "digital_health": 1,
    "telemedicine": 1,
}
INFORMATICS_MAX = sum(INFORMATICS_POINTS.values())
VISA_POINTS = {"none": 0.0, "J-1": 0.7, "J-1 and H-1B": 1.0}
SCORE_COLUMNS = ("informatics", "img_friendly", "geo_fit", "prestige")
DEFAULT_WEIGHTS = {"informatics": 1.0, "img_friendly": 1.0, "geo_fit": 1.0}
# The kit's example weights: what the ranking, stability and own-list cells use until you set yours.
EXAMPLE_WEIGHTS = {"informatics": 2, "img_friendly": 3, "geo_fit": 2, "prestige": 1}
WEIGHT_MAX = 5
# The kit's rule of thumb for a brand name, from prestige_tier (1 = top-tier brand, 3 = community).
PRESTIGE_POINTS = {1: 1.0, 2: 0.5, 3: 0.0}
# The two-part test as thresholds on the scores (the kit's rule of thumb): (a) a realistic path to
# match, (b) informatics work you could join. A reach pick needs a strong informatics footprint.
MATCH_MIN, INFORMATICS_MIN, REACH_INFORMATICS_MIN = 0.5, 0.3, 0.5


def _titles(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t for t in (p.strip() for p in value.split(";")) if t]
    if isinstance(value, (list, tuple)):
        return [str(t) for t in value if str(t).strip()]
    return []


def informatics_presence(program: Mapping[str, Any]) -> float:
    """0-1: how visible clinical informatics is at a program, from the guide's indicators."""
    points = sum(
        INFORMATICS_POINTS[k]
        for k in (
            "ci_fellowship",
            "health_it_track",
            "informatics_on_webpage",
            "ehr_optimization",
            "digital_health",
            "telemedicine",
        )
        if bool(program[k])
    )
    points += min(len(_titles(program["informatics_faculty"])), INFORMATICS_POINTS["informatics_faculty"])
    return points / INFORMATICS_MAX


def img_friendliness(program: Mapping[str, Any], needs_visa: bool = True, has_usce: bool = False) -> float:
    """0-1: how realistic a program is for this IMG (IMG share, visa, visiting students, USCE)."""
    share = min(float(program["img_share_pct"]), 60.0) / 60.0
    visa = VISA_POINTS[program["visa_sponsorship"]] if needs_visa else 1.0
    visiting = 1.0 if bool(program["accepts_visiting_imgs"]) else 0.0
    usce = 0.0 if (bool(program["requires_usce"]) and not has_usce) else 1.0
    return 0.4 * share + 0.25 * visa + 0.2 * visiting + 0.15 * usce


def geography_fit(state: str, tie_states: list[str] | tuple[str, ...]) -> float:
    """1 where you have ties, 0.6 in a state with large IMG representation, else 0.2."""
    if state in set(tie_states):
        return 1.0
    if state in IMG_STATES:
        return 0.6
    return 0.2


def _use(learner: Callable | None, reference: Callable, label: str) -> Callable:
    """The learner's function if it is answered, else the kit's, saying so once."""
    if learner is None or is_stub_function(learner):
        return reference
    return _FallbackCall(learner, reference, label)


class _FallbackCall:
    def __init__(self, learner: Callable, reference: Callable, label: str):
        self.learner, self.reference, self.label, self.warned = learner, reference, label, False

    def __call__(self, *args: Any) -> Any:
        try:
            return self.learner(*args)
        except NotImplementedError:
            if not self.warned:
                print(f"Using the kit's {self.label} until you answer that exercise.")
                self.warned = True
            return self.reference(*args)


def score_table(
    programs: pd.DataFrame,
    profile: Mapping[str, Any],
    informatics: Callable | None = None,
    img: Callable | None = None,
    geo: Callable | None = None,
) -> pd.DataFrame:
    """programs plus the three 0-1 scores for this learner (your functions where you have written them)."""
    informatics_fn = _use(informatics, informatics_presence, "informatics_presence")
    img_fn = _use(img, img_friendliness, "img_friendliness")
    geo_fn = _use(geo, geography_fit, "geography_fit")
    scored = programs.copy()
    rows = scored.to_dict("records")
    scored["informatics"] = [float(informatics_fn(r)) for r in rows]
    scored["img_friendly"] = [float(img_fn(r, profile["needs_visa"], profile["has_usce"])) for r in rows]
    scored["geo_fit"] = [float(geo_fn(r["state"], profile["tie_states"])) for r in rows]
    scored["prestige"] = [PRESTIGE_POINTS.get(int(r.get("prestige_tier", 3)), 0.0) for r in rows]
    return scored


def weighted_score(scored: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted mean of the score columns; weights are relative, so they need not sum to 1."""
    unknown = set(weights) - set(SCORE_COLUMNS)
    if unknown:
        raise ValueError(f"Unknown weight(s) {sorted(unknown)}; use {list(SCORE_COLUMNS)}.")
    if any(w < 0 for w in weights.values()):
        raise ValueError("Weights cannot be negative.")
    total = sum(weights.values())
    if total == 0:
        raise ValueError("At least one weight must be above zero.")
    result = sum(scored[col] * w for col, w in weights.items()) / total
    return result.rename("score")


def rank_programs(scored: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Programs with a `score` and a `rank` (1 = best); ties go to the lower program_id."""
    ranked = scored.assign(score=weighted_score(scored, weights))
    ranked = ranked.sort_values(["score", "program_id"], ascending=[False, True], kind="mergesort")
    return ranked.assign(rank=range(1, len(ranked) + 1)).reset_index(drop=True)


def realistic_candidates(
    scored: pd.DataFrame, match_min: float = MATCH_MIN, informatics_min: float = INFORMATICS_MIN
) -> pd.DataFrame:
    """The guide's test question as a filter: a realistic path to match here AND to do informatics work."""
    keep = (scored["img_friendly"] >= match_min) & (scored["informatics"] >= informatics_min)
    return scored[keep]


def balanced_shortlist(ranked: pd.DataFrame, realistic: int = 2, match_min: float = 0.5) -> pd.DataFrame:
    """One reach academic centre with strong informatics, plus 1-2 IMG-welcoming programs you could match at.

    `ranked` is the output of rank_programs. The reach pick is the best-ranked tier-1
    academic program with informatics >= 0.5; the others are the best-ranked programs
    outside tier 1 with img_friendly >= match_min and informatics >= 0.3.
    """
    if realistic not in (1, 2):
        raise ValueError("The guide suggests one or two realistic programs: use realistic=1 or 2.")
    ordered = ranked.sort_values("rank")
    reach = ordered[
        (ordered["prestige_tier"] == 1) & (ordered["setting"] == "academic") & (ordered["informatics"] >= 0.5)
    ].head(1)
    solid = ordered[
        (ordered["prestige_tier"] > 1) & (ordered["img_friendly"] >= match_min) & (ordered["informatics"] >= 0.3)
    ].head(realistic)
    shortlist = pd.concat([reach.assign(role="reach"), solid.assign(role="realistic")])
    return shortlist.reset_index(drop=True)


def kit_shortlist(
    programs: pd.DataFrame, profile: Mapping[str, Any], weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The kit's balanced shortlist for this learner's target specialty: what later modules use until
    the learner saves their own in this module."""
    mine = programs[programs["specialty"] == profile["target_specialty"]]
    return balanced_shortlist(rank_programs(score_table(mine, profile), weights or DEFAULT_WEIGHTS))


def rank_stability(
    scored: pd.DataFrame, weights: Mapping[str, float], top: int = 5, change: float = 0.2
) -> pd.DataFrame:
    """Share of today's top programs still in the top after moving each weight up and down by `change`."""
    base = set(rank_programs(scored, weights).head(top)["program_id"])
    rows = []
    for name in weights:
        for sign in (+1, -1):
            moved = dict(weights)
            moved[name] = weights[name] * (1 + sign * change)
            kept = base & set(rank_programs(scored, moved).head(top)["program_id"])
            rows.append({"weight": name, "change": sign * change, "kept": len(kept) / top})
    return pd.DataFrame(rows)


def summarise_by(programs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Programs per group, their median IMG share and how many host a CI fellowship, biggest group first."""
    table = programs.groupby(by).agg(
        programs=("program_name", "size"),
        median_img_share=("img_share_pct", "median"),
        with_ci_fellowship=("ci_fellowship", "sum"),
    )
    table["with_ci_fellowship"] = table["with_ci_fellowship"].astype(int)
    return table.sort_index().sort_values("programs", ascending=False, kind="mergesort")


def blank_program(**fields: Any) -> dict[str, Any]:
    """A program row with every indicator off: a base for test cases and worked examples."""
    program = {
        "program_id": "X001",
        "program_name": "Example Program (fictional)",
        "specialty": "Internal Medicine",
        "state": "OH",
        "setting": "community",
        "prestige_tier": 3,
        "positions": 10,
        "img_share_pct": 0.0,
        "visa_sponsorship": "none",
        "accepts_visiting_imgs": False,
        "requires_usce": False,
        "ci_fellowship": False,
        "health_it_track": False,
        "informatics_on_webpage": False,
        "informatics_faculty": [],
        "ehr_vendor": "Other",
        "ehr_optimization": False,
        "digital_health": False,
        "telemedicine": False,
        "application_route": "direct",
        "host_fee_usd": 0.0,
        "housing_per_week_usd": 300.0,
        "rotation_weeks": 4,
    }
    unknown = set(fields) - set(program)
    if unknown:
        raise KeyError(f"blank_program has no field(s) {sorted(unknown)}")
    program.update(fields)
    return program


SHORTLIST_SAVED = ["program_id", "program_name", "specialty", "state", "role", "informatics", "img_friendly"]


def save_shortlist(
    picks: pd.DataFrame, weights: Mapping[str, float], answered: bool, weights_answered: bool | None = None
) -> str:
    """Save the shortlist and weights for later modules, marked as yours only when your own work made them.

    `answered` is whether your Exercise 3.6 made `picks` (`weights_answered` the same for Exercise 3.3,
    by default the same as `answered`); with no profile of your own from module 00 both were made for
    the sample learner, so they are saved as the kit's example.
    """
    own = has_own_profile()
    mine = answered and own
    weights_mine = (answered if weights_answered is None else weights_answered) and own
    save_part("shortlist", picks[[c for c in SHORTLIST_SAVED if c in picks.columns]], source=YOURS if mine else EXAMPLE)
    save_part("weights", dict(weights), source=YOURS if weights_mine else EXAMPLE)
    if mine:
        return (
            "Saved your shortlist and weights."
            if weights_mine
            else "Saved your shortlist (and the kit's example weights)."
        )
    why = "Exercise 3.6 is not answered yet" if not answered else "there is no profile of yours from module 00"
    return (
        f"Saved the kit's example shortlist ({why}); your plan will label it as an example, not as yours. "
        "Answer it and run this cell again."
    )


OWN_LIST_TOP = 5  # how many of your own list's best-ranked programs the kit keeps as your shortlist


def own_list_shortlist(ranked: pd.DataFrame, top: int = OWN_LIST_TOP) -> pd.DataFrame:
    """The shortlist from your own list: your `top` best-ranked programs, a tier-1 program marked as the reach.

    Your own list may leave out prestige or setting, so the reach and realistic rules of
    Exercise 3.6 cannot always apply; the order of your own ranking decides instead.
    """
    best = ranked.sort_values("rank").head(top)
    tier = best["prestige_tier"] if "prestige_tier" in best.columns else pd.Series(index=best.index, dtype=float)
    role = ["reach" if t == 1 else "realistic" for t in tier]
    return best.assign(role=role).reset_index(drop=True)


def save_own_list(ranked: pd.DataFrame, path: Any) -> str:
    """Save the ranking and top five of your own program list (the own-list section), unless it is the kit's example file.

    The capstone plan then takes its hosts from your list.
    """
    try:
        example = Path(path).resolve().is_relative_to((data_dir() / "examples").resolve())
    except (OSError, TypeError, ValueError):
        example = False
    if example:
        return (
            "This is the kit's example list (fictional), so nothing was saved: put your own file's path in "
            "my_list_path and run the cell again to use your list in your plan."
        )
    columns = [c for c in ["rank", "score", *SHORTLIST_SAVED] if c in ranked.columns]
    save_part("own_ranking", ranked[columns])
    picks = own_list_shortlist(ranked)
    save_part("own_shortlist", picks[[c for c in SHORTLIST_SAVED if c in picks.columns]])
    return (
        f"Saved the ranking of your own list ({len(ranked)} programs) and its top {len(picks)} as your "
        "shortlist: the capstone plan takes its hosts from it."
    )


# ------------------------------------------------------------------ the main path: what a decision does
# Exercise 3.1: public signs, True where the guide names it as a sign of informatics culture.
INFORMATICS_SIGNS = {
    "S1": ("The hospital hosts a Clinical Informatics fellowship", True),
    "S2": ("The residency web page describes informatics, data or health IT training", True),
    "S3": ("Faculty titled CMIO, Associate CMIO, Director of Clinical Informatics or Medical Director of EHR", True),
    "S4": ("The hospital publicises EHR optimisation or telemedicine work", True),
    "S5": ("Residents can join a formal health IT track", True),
    "S6": ("The hospital is a famous brand name", False),
    "S7": ("The hospital uses Epic as its EHR", False),
    "S8": ("The residency is large, with many positions", False),
}
SIGN_COLUMNS = {
    "S1": "ci_fellowship",
    "S2": "informatics_on_webpage",
    "S3": "informatics_faculty",
    "S5": "health_it_track",
}
SIGN_WHY_NOT = {
    "S6": "a brand name says nothing about informatics culture (the score keeps prestige apart)",
    "S7": "almost every hospital runs an EHR; the vendor alone shows no informatics work",
    "S8": "size is not a sign of informatics culture",
}

# Exercise 3.2: two pairs of fictional programs; which one is more realistic depends on your profile.
PAIRS = {
    "pair_1": (
        blank_program(program_id="A", img_share_pct=45.0, visa_sponsorship="none", accepts_visiting_imgs=True),
        blank_program(program_id="B", img_share_pct=25.0, visa_sponsorship="J-1 and H-1B", accepts_visiting_imgs=True),
    ),
    "pair_2": (
        blank_program(
            program_id="A",
            img_share_pct=50.0,
            visa_sponsorship="J-1 and H-1B",
            accepts_visiting_imgs=True,
            requires_usce=True,
        ),
        blank_program(program_id="B", img_share_pct=30.0, visa_sponsorship="J-1 and H-1B", accepts_visiting_imgs=True),
    ),
}
GEOGRAPHY_QUESTIONS = {"illinois": "IL", "oregon": "OR"}
PAIR_COLUMNS = ["program_id", "img_share_pct", "visa_sponsorship", "accepts_visiting_imgs", "requires_usce"]


def show_pairs() -> pd.DataFrame:
    """The two pairs of Exercise 3.2 side by side, with the facts the IMG-friendliness score reads."""
    rows = [dict(pair=name, **{c: p[c] for c in PAIR_COLUMNS}) for name, pair in PAIRS.items() for p in pair]
    return pd.DataFrame(rows)


def more_realistic(pair: str, profile: Mapping[str, Any]) -> str:
    """'A' or 'B': the program of a pair with the higher IMG-friendliness for this profile (ties to 'A')."""
    a, b = PAIRS[pair]
    score = [img_friendliness(p, bool(profile["needs_visa"]), bool(profile["has_usce"])) for p in (a, b)]
    return "A" if score[0] >= score[1] else "B"


def geography_answer(question: str, profile: Mapping[str, Any]) -> float:
    """The kit's geography fit for a program in the state a question names, for this profile."""
    return geography_fit(GEOGRAPHY_QUESTIONS[question], list(profile["tie_states"]))


def biggest_states(programs: pd.DataFrame) -> list[str]:
    """The state(s) with the most programs in this table (ties all count)."""
    counts = programs["state"].value_counts()
    return sorted(counts[counts == counts.max()].index) if len(counts) else []


def show_signs(signs: Any) -> None:
    """What each sign you picked does in the kit's informatics score."""
    if waiting_for(signs, "informatics_signs", "Exercise 3.1"):
        return
    for key in [str(k).strip().upper() for k in signs]:
        if key not in INFORMATICS_SIGNS:
            print(f"{key}: not one of S1 to S8.")
        elif INFORMATICS_SIGNS[key][1]:
            print(f"{key}: counts in the kit's informatics presence score.")
        else:
            print(f"{key}: the kit does not count it: {SIGN_WHY_NOT[key]}.")


def weight_shape_problems(weights: Any) -> list[str]:
    """Why a weights answer is not complete and valid yet (empty when it is)."""
    if not isinstance(weights, Mapping):
        return [f"my_weights should be a dictionary with the keys {list(SCORE_COLUMNS)}"]
    problems = []
    missing = [k for k in SCORE_COLUMNS if k not in weights]
    unknown = sorted(str(k) for k in set(weights) - set(SCORE_COLUMNS))
    if missing:
        problems.append(f"missing weight(s) {missing}")
    if unknown:
        problems.append(f"unknown weight(s) {unknown}: use {list(SCORE_COLUMNS)}")
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= float(value) <= WEIGHT_MAX:
            problems.append(f"{key} is {value!r}: give a number from 0 to {WEIGHT_MAX}")
    if not problems and sum(float(v) for v in weights.values()) == 0:
        problems.append("every weight is 0: give at least one a weight above 0")
    return problems


def weight_priority_problems(weights: Mapping[str, float]) -> list[str]:
    """Where complete weights go against the guide: fit and IMG-friendliness count more than prestige."""
    w = {k: float(weights.get(k, 0)) for k in SCORE_COLUMNS}
    problems = []
    if w["img_friendly"] <= w["prestige"]:
        problems.append("img_friendly should weigh more than prestige")
    for fit in ("informatics", "geo_fit"):
        if w[fit] < w["prestige"]:
            problems.append(f"{fit} (part of fit) should weigh at least as much as prestige")
    if w["informatics"] == 0:
        problems.append("informatics should count (above 0): it is half of the two-part test")
    return problems


def ranking_weights(weights: Any) -> dict[str, float]:
    """Your weights when they are complete and valid, else the kit's example weights."""
    if blanks_in(weights) or weight_shape_problems(weights):
        return dict(EXAMPLE_WEIGHTS)
    return {k: float(v) for k, v in weights.items()}


def two_part_test(scored: pd.DataFrame) -> pd.DataFrame:
    """The scored table with the two-part test's answers: could_match (a), informatics_work (b), passes (both)."""
    could = scored["img_friendly"] >= MATCH_MIN
    work = scored["informatics"] >= INFORMATICS_MIN
    return scored.assign(could_match=could, informatics_work=work, passes_test=could & work)


SHOWN = ["program_id", "program_name", "state", "setting", "prestige_tier", *SCORE_COLUMNS]


def show_ranking(scored: pd.DataFrame, weights: Any, top: int = 10) -> pd.DataFrame | None:
    """Your ranking with your weights (the kit's example weights until yours are filled in), and one line on it."""
    if waiting_for(weights, "my_weights", "Exercise 3.3"):
        print("Meanwhile, the ranking with the kit's example weights:", EXAMPLE_WEIGHTS)
    elif weight_shape_problems(weights):
        print("Your weights need a fix first:", "; ".join(weight_shape_problems(weights)))
        return None
    used = ranking_weights(weights)
    ranked = two_part_test(rank_programs(scored, used))
    best = ranked.head(5)
    print(
        f"Top 5: {', '.join(best['program_id'])}. {int(best['passes_test'].sum())} of them pass the two-part test; "
        f"{int((best['prestige_tier'] == 1).sum())} are top-tier brands."
    )
    return ranked[["rank", *SHOWN, "score", "passes_test"]].head(top).round(2)


def stability_verdict(table: pd.DataFrame) -> str:
    """'stable' when every move kept at least 4 of 5 (80%) of the top, else 'fragile' (the kit's rule of thumb)."""
    return "stable" if float(table["kept"].min()) >= 0.8 else "fragile"


def show_stability(scored: pd.DataFrame, weights: Any) -> pd.DataFrame:
    """How much of your top five survives each weight moving up and down by 20%, and the kit's verdict."""
    if blanks_in(weights) or weight_shape_problems(weights):
        print("Using the kit's example weights until Exercise 3.3 is answered:", EXAMPLE_WEIGHTS)
    table = rank_stability(scored, ranking_weights(weights))
    worst = table.loc[table["kept"].idxmin()]
    print(
        f"On average {table['kept'].mean() * 5:.1f} of your top 5 stay; the biggest change: {worst['weight']} "
        f"{worst['change']:+.0%} keeps {worst['kept'] * 5:.0f} of 5. Verdict: {stability_verdict(table)}."
    )
    return table


def _shortlist_ids(shortlist: Any) -> tuple[str, list[str]]:
    reach = str(shortlist.get("reach", "")).strip().upper() if isinstance(shortlist, Mapping) else ""
    realistic = shortlist.get("realistic", []) if isinstance(shortlist, Mapping) else []
    if isinstance(realistic, str):
        realistic = [realistic]
    return reach, [str(r).strip().upper() for r in realistic] if isinstance(realistic, (list, tuple)) else []


def shortlist_table(scored: pd.DataFrame, shortlist: Mapping[str, Any]) -> pd.DataFrame:
    """The rows of your scored table you picked, with their role (reach or realistic)."""
    reach, realistic = _shortlist_ids(shortlist)
    table = two_part_test(scored).set_index("program_id", drop=False)
    rows = [table.loc[[i]].assign(role="reach") for i in [reach] if i in table.index]
    rows += [table.loc[[i]].assign(role="realistic") for i in realistic if i in table.index]
    if not rows:
        return table.head(0).assign(role=pd.Series(dtype=str)).reset_index(drop=True)
    return pd.concat(rows).reset_index(drop=True)


def reach_problems(scored: pd.DataFrame, shortlist: Any) -> list[str]:
    """Why the reach pick is not a higher-reach academic centre with a strong informatics footprint."""
    reach, _ = _shortlist_ids(shortlist)
    table = scored.set_index("program_id")
    if reach not in table.index:
        return [f"the reach pick {reach!r} is not a program_id in your table"]
    row = table.loc[reach]
    problems = []
    if int(row["prestige_tier"]) != 1:
        problems.append(f"{reach} is tier {int(row['prestige_tier'])}: a reach pick is a tier-1 centre")
    if row["setting"] != "academic":
        problems.append(f"{reach} is {row['setting']}: a reach pick is an academic centre")
    if float(row["informatics"]) < REACH_INFORMATICS_MIN:
        problems.append(
            f"{reach} has informatics {float(row['informatics']):.2f}: a reach pick needs a strong footprint "
            f"(at least {REACH_INFORMATICS_MIN})"
        )
    return problems


def realistic_problems(scored: pd.DataFrame, shortlist: Any) -> list[str]:
    """Why the realistic picks are not one or two places outside tier 1 that pass the two-part test."""
    reach, realistic = _shortlist_ids(shortlist)
    if not 1 <= len(realistic) <= 2:
        return [f"pick one or two realistic programs (you picked {len(realistic)})"]
    if len(set(realistic)) != len(realistic) or reach in realistic:
        return ["each pick once: the realistic picks differ from each other and from the reach"]
    table = two_part_test(scored).set_index("program_id")
    problems = []
    for pick in realistic:
        if pick not in table.index:
            problems.append(f"{pick!r} is not a program_id in your table")
            continue
        row = table.loc[pick]
        if int(row["prestige_tier"]) == 1:
            problems.append(f"{pick} is a tier-1 brand: a realistic pick is a solid place outside tier 1")
        if not row["could_match"]:
            problems.append(f"{pick} fails part (a): img_friendly {row['img_friendly']:.2f} is below {MATCH_MIN}")
        if not row["informatics_work"]:
            problems.append(f"{pick} fails part (b): informatics {row['informatics']:.2f} is below {INFORMATICS_MIN}")
    return problems


def show_shortlist(scored: pd.DataFrame, shortlist: Any) -> pd.DataFrame | None:
    """Your picks with their scores and the two-part test, and what the guide's balance says about them."""
    if waiting_for(shortlist, "my_shortlist", "Exercise 3.6"):
        return None
    problems = reach_problems(scored, shortlist) + realistic_problems(scored, shortlist)
    print("Balanced as the guide advises." if not problems else "To reconsider: " + "; ".join(problems) + ".")
    columns = ["role", *SHOWN, "could_match", "informatics_work", "passes_test"]
    return shortlist_table(scored, shortlist)[columns].round(2)


def shortlist_picks(scored: pd.DataFrame, shortlist: Any, weights: Any) -> tuple[pd.DataFrame, bool]:
    """(picks, answered): your picks once Exercise 3.6 is answered, else the kit's balanced shortlist."""
    if not blanks_in(shortlist) and isinstance(shortlist, Mapping):
        return shortlist_table(scored, shortlist), True
    return balanced_shortlist(rank_programs(scored, ranking_weights(weights))), False


def keep_shortlist(scored: pd.DataFrame, shortlist: Any, weights: Any) -> str:
    """Save the shortlist and weights for the capstone: yours where you answered, the kit's example otherwise."""
    picks, answered = shortlist_picks(scored, shortlist, weights)
    weights_answered = not blanks_in(weights) and not weight_shape_problems(weights)
    return save_shortlist(picks, ranking_weights(weights), answered=answered, weights_answered=weights_answered)


def rank_own_list(path: Any, profile: Mapping[str, Any], weights: Any) -> pd.DataFrame | None:
    """Score and rank your own program list with your weights and save its top five; a bad file gets one clear message."""
    if blanks_in(weights) or weight_shape_problems(weights):
        print("Using the kit's example weights until Exercise 3.3 is answered:", EXAMPLE_WEIGHTS)
    kit_example = data_dir() / str(path)
    if not Path(str(path)).exists() and kit_example.is_file():  # "examples/my_programs_broken.csv" and the like
        path = kit_example
    try:
        programs = load_programs(path)
    except DataError as problem:
        print("Your file needs a fix:\n" + str(problem))
        return None
    ranked = two_part_test(rank_programs(score_table(programs, profile), ranking_weights(weights)))
    print(save_own_list(ranked, path))
    return ranked[["rank", "program_name", "state", *SCORE_COLUMNS, "score", "passes_test"]].head(10).round(2)


def sign_ids(signs: Any) -> list[str]:
    """The ids in an informatics_signs answer, upper case; a clear message if it is not a list of S1-S8."""
    from ..runtime.checks import CheckFailed

    if not isinstance(signs, (list, tuple, set)):
        raise CheckFailed("informatics_signs", 'a list of ids, e.g. ["S1", "S7"]', repr(signs), "Keep the brackets.")
    ids = sorted({str(s).strip().upper() for s in signs})
    unknown = [i for i in ids if i not in INFORMATICS_SIGNS]
    if unknown:
        raise CheckFailed("informatics_signs", "ids S1 to S8", str(unknown), "Copy ids from the printed list.")
    return ids


def realistic_ids(shortlist: Any) -> list[str]:
    """The realistic picks of a my_shortlist answer, as upper-case ids."""
    return _shortlist_ids(shortlist)[1]


def pick_row(scored: pd.DataFrame, shortlist: Any, role: str = "reach") -> pd.Series:
    """The scored row of your reach pick; a clear message when it is not an id in your table."""
    from ..runtime.checks import CheckFailed

    if not isinstance(shortlist, Mapping):
        raise CheckFailed("my_shortlist", '{"reach": ..., "realistic": [...]}', repr(shortlist), "Keep the braces.")
    reach = _shortlist_ids(shortlist)[0]
    table = scored.set_index("program_id", drop=False)
    if reach not in table.index:
        raise CheckFailed(
            f'my_shortlist["{role}"]', "a program_id from your table", repr(reach), 'Copy an id such as "P001".'
        )
    return table.loc[reach]
