"""Scoring programs for away rotations (module 03): the kit's reference versions.

Learners write their own versions in module 03; later modules, the capstone and
the own-list section use these so that one unfinished exercise never blocks the
rest of the course.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..runtime.paths import data_dir
from ..runtime.profile import has_own_profile
from ..runtime.schemas import IMG_STATES
from ..runtime.state import EXAMPLE, YOURS, save_part

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
SCORE_COLUMNS = ("informatics", "img_friendly", "geo_fit")
DEFAULT_WEIGHTS = {"informatics": 1.0, "img_friendly": 1.0, "geo_fit": 1.0}


def _titles(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t for t in (p.strip() for p in value.split(";")) if t]
    if isinstance(value, (list, tuple)):
        return [str(t) for t in value if str(t).strip()]
    return []


def informatics_presence(program: Mapping[str, Any]) -> float:
    """0-1: how visible clinical informatics is at a program, from the guide's indicators."""
    points = sum(INFORMATICS_POINTS[k] for k in
                 ("ci_fellowship", "health_it_track", "informatics_on_webpage",
                  "ehr_optimization", "digital_health", "telemedicine") if bool(program[k]))
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
    if learner is None:
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


def realistic_candidates(scored: pd.DataFrame, match_min: float = 0.5, informatics_min: float = 0.3) -> pd.DataFrame:
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
    reach = ordered[(ordered["prestige_tier"] == 1) & (ordered["setting"] == "academic")
                    & (ordered["informatics"] >= 0.5)].head(1)
    solid = ordered[(ordered["prestige_tier"] > 1) & (ordered["img_friendly"] >= match_min)
                    & (ordered["informatics"] >= 0.3)].head(realistic)
    shortlist = pd.concat([reach.assign(role="reach"), solid.assign(role="realistic")])
    return shortlist.reset_index(drop=True)


def kit_shortlist(programs: pd.DataFrame, profile: Mapping[str, Any],
                  weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The kit's balanced shortlist for this learner's target specialty: what later modules use until
    the learner saves their own in this module."""
    mine = programs[programs["specialty"] == profile["target_specialty"]]
    return balanced_shortlist(rank_programs(score_table(mine, profile), weights or DEFAULT_WEIGHTS))


def rank_stability(scored: pd.DataFrame, weights: Mapping[str, float], top: int = 5, change: float = 0.2) -> pd.DataFrame:
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
        "program_id": "X001", "program_name": "Example Program (fictional)", "specialty": "Internal Medicine",
        "state": "OH", "setting": "community", "prestige_tier": 3, "positions": 10, "img_share_pct": 0.0,
        "visa_sponsorship": "none", "accepts_visiting_imgs": False, "requires_usce": False,
        "ci_fellowship": False, "health_it_track": False, "informatics_on_webpage": False,
        "informatics_faculty": [], "ehr_vendor": "Other", "ehr_optimization": False, "digital_health": False,
        "telemedicine": False, "application_route": "direct", "host_fee_usd": 0.0,
        "housing_per_week_usd": 300.0, "rotation_weeks": 4,
    }
    unknown = set(fields) - set(program)
    if unknown:
        raise KeyError(f"blank_program has no field(s) {sorted(unknown)}")
    program.update(fields)
    return program


SHORTLIST_SAVED = ["program_id", "program_name", "specialty", "state", "role", "informatics", "img_friendly"]


def save_shortlist(picks: pd.DataFrame, weights: Mapping[str, float], answered: bool) -> str:
    """Save the shortlist and weights for later modules, marked as yours only when your own work made them.

    `answered` is whether your Exercise 3.7 made `picks`; with no profile of your own from
    module 00 the shortlist was made for the sample learner, so it is saved as the kit's example.
    """
    mine = answered and has_own_profile()
    source = YOURS if mine else EXAMPLE
    save_part("shortlist", picks[[c for c in SHORTLIST_SAVED if c in picks.columns]], source=source)
    save_part("weights", dict(weights), source=source)
    if mine:
        return "Saved your shortlist and weights."
    why = "Exercise 3.7 is not answered yet" if not answered else "there is no profile of yours from module 00"
    return (f"Saved the kit's example shortlist ({why}); your plan will label it as an example, not as yours. "
            "Answer it and run this cell again.")


def own_list_shortlist(ranked: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The shortlist from your own list: your `top` best-ranked programs, a tier-1 program marked as the reach.

    Your own list may leave out prestige or setting, so the reach and realistic rules of
    Exercise 3.7 cannot always apply; the order of your own ranking decides instead.
    """
    best = ranked.sort_values("rank").head(top)
    tier = best["prestige_tier"] if "prestige_tier" in best.columns else pd.Series(index=best.index, dtype=float)
    role = ["reach" if t == 1 else "realistic" for t in tier]
    return best.assign(role=role).reset_index(drop=True)


def save_own_list(ranked: pd.DataFrame, path: Any) -> str:
    """Save the ranking and shortlist of your own program list (section 10), unless it is the kit's example file.

    The capstone plan then takes its hosts from your list.
    """
    try:
        example = Path(path).resolve().is_relative_to((data_dir() / "examples").resolve())
    except (OSError, TypeError, ValueError):
        example = False
    if example:
        return ("This is the kit's example list, so nothing was saved: put your own file's path in "
                "my_list_path and run the cell again to use your list in your plan.")
    columns = [c for c in ["rank", "score", *SHORTLIST_SAVED] if c in ranked.columns]
    save_part("own_ranking", ranked[columns])
    picks = own_list_shortlist(ranked)
    save_part("own_shortlist", picks[[c for c in SHORTLIST_SAVED if c in picks.columns]])
    return (f"Saved the ranking of your own list ({len(ranked)} programs) and its top {len(picks)} as your "
            "shortlist: the capstone plan takes its hosts from it.")
