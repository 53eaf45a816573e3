"""programs.csv: fictional residency programs with the informatics and IMG indicators the course scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import EHR_VENDORS, IMG_STATES, SPECIALTIES
from ..runtime.schemas import PROGRAM_SETTINGS as SETTINGS
from ..runtime.schemas import PROGRAMS as SCHEMA

# Share of first-year positions filled by IMGs (percent), with source and year.
# Pediatrics, Psychiatry and EM are estimates of positions offered (facts.md marks them uncertain).
IMG_SHARE_FACTS = {
    "Internal Medicine": (43.0, "Intealth 2024"),
    "Pathology": (37.4, "Intealth 2024"),
    "Family Medicine": (31.8, "Intealth 2024"),
    "Pediatrics": (24.0, "secondary source 2024, estimate"),
    "Psychiatry": (16.0, "secondary source 2024, estimate"),
    "Emergency Medicine": (15.0, "secondary source 2024, estimate"),
}

STATE_WEIGHTS = {
    "NY": 16,
    "NJ": 8,
    "MI": 8,
    "IL": 8,
    "TX": 10,
    "FL": 10,
    "PA": 7,
    "OH": 6,
    "CA": 7,
    "MA": 4,
    "GA": 4,
    "MD": 4,
    "NC": 3,
    "AZ": 3,
    "MN": 2,
}
EXPENSIVE_STATES = {"NY", "CA", "MA", "NJ", "MD"}
INFORMATICS_TITLES = (
    "Chief Medical Information Officer",
    "Associate CMIO",
    "Director of Clinical Informatics",
    "Medical Director of EHR",
    "Medical Director of Clinical Decision Support",
)

_PLACE_START = (
    "Brindle",
    "Quell",
    "Oster",
    "Halver",
    "Ambry",
    "Corvin",
    "Elsin",
    "Grenn",
    "Thessal",
    "Marrow",
    "Vellin",
    "Kestal",
    "Dunmer",
    "Farrow",
    "Lorrin",
    "Pellam",
    "Sorrel",
    "Tamsin",
    "Wexley",
    "Yarrow",
)
_PLACE_END = ("wick", "mont", "vane", "gate", "dale", "moor", "ford", "holt", "crest", "mere")
_KINDS = {
    "academic": ("University Hospital", "Academic Medical Center"),
    "community_affiliated": ("Medical Center", "Regional Medical Center"),
    "community": ("Community Hospital", "General Hospital"),
}
_POSITIONS = {
    "Internal Medicine": (10, 50),
    "Family Medicine": (6, 14),
    "Pediatrics": (8, 30),
    "Psychiatry": (6, 16),
    "Pathology": (3, 8),
    "Emergency Medicine": (8, 18),
}


def _names(rng: np.random.Generator, count: int) -> list[str]:
    places = [a + b for a in _PLACE_START for b in _PLACE_END]
    rng.shuffle(places)
    return places[:count]


def generate(rng: np.random.Generator, count: int = 120) -> pd.DataFrame:
    """Fictional programs whose IMG shares average out to the sourced specialty shares."""
    shares = np.array([0.28, 0.20, 0.15, 0.13, 0.10, 0.14])
    counts = np.floor(shares * count).astype(int)
    counts[0] += count - counts.sum()
    specialties = rng.permutation(np.repeat(SPECIALTIES, counts))
    states = list(STATE_WEIGHTS)
    weights = np.array(list(STATE_WEIGHTS.values()), dtype=float)
    rows = []
    places = _names(rng, count)
    for i in range(count):
        specialty = str(specialties[i])
        state = str(rng.choice(states, p=weights / weights.sum()))
        setting = str(rng.choice(SETTINGS, p=[0.35, 0.35, 0.30]))
        tier = {
            "academic": int(rng.choice([1, 2], p=[0.35, 0.65])),
            "community_affiliated": int(rng.choice([2, 3], p=[0.4, 0.6])),
            "community": 3,
        }[setting]
        lo, hi = _POSITIONS[specialty]
        positions = int(rng.integers(lo, hi + 1)) + (6 if tier == 1 and specialty == "Internal Medicine" else 0)
        openness = {1: 0.35, 2: 1.0, 3: 1.45}[tier] * (1.15 if state in IMG_STATES else 0.9)
        ci_p = {1: 0.65, 2: 0.25, 3: 0.03}[tier] * (1.0 if setting == "academic" else 0.4)
        ci = bool(rng.random() < ci_p)
        track = bool(rng.random() < (0.55 if ci else 0.12 if tier < 3 else 0.05))
        webpage = bool(track or rng.random() < (0.35 if tier < 3 else 0.15))
        n_titles = int(min(len(INFORMATICS_TITLES), rng.poisson({1: 2.2, 2: 1.0, 3: 0.3}[tier] + (1 if ci else 0))))
        titles = list(rng.choice(INFORMATICS_TITLES, size=n_titles, replace=False)) if n_titles else []
        route = "VSLO" if (setting == "academic" or rng.random() < 0.3) else "direct"
        fee = 0.0 if rng.random() < 0.3 else float(min(5000, round(rng.lognormal(np.log(1500), 0.6), -2)))
        housing = float(round(rng.uniform(450, 900) if state in EXPENSIVE_STATES else rng.uniform(250, 500), -1))
        rows.append(
            {
                "program_id": f"P{i + 1:03d}",
                "program_name": f"{places[i]} {rng.choice(_KINDS[setting])} {specialty} Residency",
                "specialty": specialty,
                "state": state,
                "setting": setting,
                "prestige_tier": tier,
                "positions": positions,
                "_openness": openness,
                "ci_fellowship": ci,
                "health_it_track": track,
                "informatics_on_webpage": webpage,
                "informatics_faculty": ";".join(str(t) for t in titles),
                "ehr_vendor": str(rng.choice(EHR_VENDORS, p=[0.55, 0.25, 0.12, 0.08])),
                "ehr_optimization": bool(rng.random() < {1: 0.7, 2: 0.45, 3: 0.2}[tier]),
                "digital_health": bool(rng.random() < {1: 0.6, 2: 0.35, 3: 0.15}[tier]),
                "telemedicine": bool(rng.random() < 0.5),
                "application_route": route,
                "host_fee_usd": fee,
                "housing_per_week_usd": housing,
                "rotation_weeks": int(rng.choice([4, 4, 4, 4, 3, 2])),
            }
        )
    frame = pd.DataFrame(rows)
    frame["img_share_pct"] = 0.0
    for specialty, (target, _source) in IMG_SHARE_FACTS.items():
        mask = frame["specialty"] == specialty
        raw = frame.loc[mask, "_openness"] * rng.beta(8, 8, size=int(mask.sum())) * 2
        # Scale so the positions-weighted mean equals the sourced specialty share.
        scaled = raw * target / np.average(raw, weights=frame.loc[mask, "positions"])
        frame.loc[mask, "img_share_pct"] = scaled.clip(0, 95).round(1)
    share = frame["img_share_pct"]
    frame["visa_sponsorship"] = np.where(
        share < 8, "none", np.where(rng.random(count) < 0.35 + share / 200, "J-1 and H-1B", "J-1")
    )
    frame["accepts_visiting_imgs"] = rng.random(count) < (0.25 + share / 100)
    frame["requires_usce"] = rng.random(count) < 0.55
    return frame[SCHEMA.names]
