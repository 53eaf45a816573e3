"""discharge_log.csv: four weeks of fictional discharge timestamps on one ward, with a process change in week 3."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import CHANGE_DAY, STEPS
from ..runtime.schemas import DISCHARGE_DAYS as DAYS
from ..runtime.schemas import DISCHARGE_LOG as SCHEMA  # noqa: F401 (datasets.build_all reads it)
from ..runtime.schemas import DISCHARGE_START as START

OUTAGE_DAY = 23  # the transport service was short of staff all day (an astronomical point)


# Invented typical minutes per step (median of a lognormal), before and after the change.
_BEFORE = {"med_rec": 45, "pharmacy": 105, "transport": 55, "departure": 20}
_AFTER = {"med_rec": 45, "pharmacy": 35, "transport": 55, "departure": 20}
_SPREAD = {"med_rec": 0.35, "pharmacy": 0.30, "transport": 0.40, "departure": 0.35}
_ADOPTION = {13: 0.0, 14: 0.25, 15: 0.5, 16: 0.75}  # the new check was phased in over a few days

_NOTES = {
    CHANGE_DAY: "Pharmacist now checks discharge medications at the 09:30 huddle (new process starts).",
    OUTAGE_DAY: "Transport team short-staffed all day; long waits for wheelchairs and stretchers.",
    1: "Observation starts, as agreed with the senior resident and the unit's QI lead: times seen on the ward "
    "and read from the transport log; no patient identifiers recorded.",
}


def _discharges_per_day(day: int, rng: np.random.Generator) -> int:
    weekday = (day - 1) % 7  # 0 = Monday
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
            rows.append(
                {
                    "discharge_id": f"D{number:03d}",
                    "date": date.strftime("%Y-%m-%d"),
                    "order_written": times[0].strftime("%Y-%m-%d %H:%M"),
                    "med_rec_done": times[1].strftime("%Y-%m-%d %H:%M"),
                    "pharmacy_verified": times[2].strftime("%Y-%m-%d %H:%M"),
                    "transport_arrived": times[3].strftime("%Y-%m-%d %H:%M"),
                    "departed": times[4].strftime("%Y-%m-%d %H:%M"),
                    "observer_note": note,
                }
            )
    return pd.DataFrame(rows)
