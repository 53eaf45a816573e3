"""discharge_log.csv: four weeks of fictional discharge timestamps on one ward, with a process change in week 3."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema

START = "2025-03-03"          # a Monday; 28 days of observation
DAYS = 28
CHANGE_DAY = 15               # first day (1-based) of the new process: 2025-03-17
OUTAGE_DAY = 23               # the transport service was short of staff all day (an astronomical point)

# The four steps between the discharge order and the patient leaving, as (name, from column, to column).
STEPS = (
    ("med_rec", "order_written", "med_rec_done"),
    ("pharmacy", "med_rec_done", "pharmacy_verified"),
    ("transport", "pharmacy_verified", "transport_arrived"),
    ("departure", "transport_arrived", "departed"),
)

# Invented typical minutes per step (median of a lognormal), before and after the change.
_BEFORE = {"med_rec": 45, "pharmacy": 105, "transport": 55, "departure": 20}
_AFTER = {"med_rec": 45, "pharmacy": 35, "transport": 55, "departure": 20}
_SPREAD = {"med_rec": 0.35, "pharmacy": 0.30, "transport": 0.40, "departure": 0.35}
_ADOPTION = {13: 0.0, 14: 0.25, 15: 0.5, 16: 0.75}   # the new check was phased in over a few days

_NOTES = {
    CHANGE_DAY: "Pharmacist now checks discharge medications at the 09:30 huddle (new process starts).",
    OUTAGE_DAY: "Transport team short-staffed all day; long waits for wheelchairs and stretchers.",
    1: "Observation starts. Times from the EHR audit trail and the transport log, checked at the bedside.",
}

SCHEMA = Schema(
    file="discharge_log.csv",
    title="Discharge process timestamps on one ward (fictional)",
    description=(
        "One row per discharge observed on a fictional 28-bed medical ward over four weeks "
        f"({START} to day {DAYS}). Each row holds the times of the five events of the discharge "
        "process: the discharge order, medication reconciliation completed, pharmacist verification of "
        "the discharge medications, transport arriving, and the patient leaving the ward. From day "
        f"{CHANGE_DAY} the ward tried a change: the pharmacist checks planned discharge medications at "
        "the morning huddle, so the pharmacy step should shrink. Module 06 turns the timestamps into step "
        "durations, daily medians and a run chart. All times are invented; typical step lengths were "
        "chosen to look plausible, not taken from a study."
    ),
    columns=(
        Column("discharge_id", "str", "Identifier of the discharge (no patient information)", example="D001"),
        Column("date", "date", "Day of the discharge"),
        Column("order_written", "datetime", "Discharge order signed in the EHR", unit="date and time"),
        Column("med_rec_done", "datetime", "Medication reconciliation completed", unit="date and time"),
        Column("pharmacy_verified", "datetime", "Pharmacist verified the discharge medications",
               unit="date and time"),
        Column("transport_arrived", "datetime", "Transport (wheelchair, stretcher or family car) ready at the bedside",
               unit="date and time"),
        Column("departed", "datetime", "Patient left the ward", unit="date and time"),
        Column("observer_note", "str", "What the observer noted that day (empty on most rows)", required=False,
               default=""),
    ),
    sources=(
        "Time-motion observation: durations recorded as the process runs; report what was observed, by whom "
        "and how (STAMP checklist, Zheng et al., JAMIA 2011).",
        "Run-chart practice: aim for at least 10-15 data points (Perla, Provost & Murray, BMJ Qual Saf 2011); "
        "here 28 daily medians.",
        "Step lengths, the size of the change and the transport outage are invented for teaching.",
    ),
)


def _discharges_per_day(day: int, rng: np.random.Generator) -> int:
    weekday = (day - 1) % 7          # 0 = Monday
    if weekday >= 5:
        return int(rng.integers(3, 5))
    return int(rng.integers(5, 9))


def _adoption(day: int) -> float:
    if day >= CHANGE_DAY + 2:
        return 1.0
    return _ADOPTION.get(day, 0.0 if day < CHANGE_DAY else 1.0)


def generate(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    start = pd.Timestamp(START)
    number = 0
    for day in range(1, DAYS + 1):
        date = start + pd.Timedelta(days=day - 1)
        share_new = _adoption(day)
        for _ in range(_discharges_per_day(day, rng)):
            number += 1
            new_process = rng.random() < share_new
            typical = _AFTER if new_process else _BEFORE
            order = date + pd.Timedelta(minutes=int(rng.integers(8 * 60, 13 * 60 + 30)))
            times = [order]
            for name, _src, _dst in STEPS:
                minutes = typical[name] * float(np.exp(rng.normal(0, _SPREAD[name])))
                if name == "transport" and day == OUTAGE_DAY:
                    minutes += 320 + float(rng.normal(0, 25))
                times.append(times[-1] + pd.Timedelta(minutes=max(3, round(minutes))))
            note = _NOTES.get(day, "") if not any(r["date"] == date.strftime("%Y-%m-%d") for r in rows) else ""
            rows.append({
                "discharge_id": f"D{number:03d}",
                "date": date.strftime("%Y-%m-%d"),
                "order_written": times[0].strftime("%Y-%m-%d %H:%M"),
                "med_rec_done": times[1].strftime("%Y-%m-%d %H:%M"),
                "pharmacy_verified": times[2].strftime("%Y-%m-%d %H:%M"),
                "transport_arrived": times[3].strftime("%Y-%m-%d %H:%M"),
                "departed": times[4].strftime("%Y-%m-%d %H:%M"),
                "observer_note": note,
            })
    return pd.DataFrame(rows)
