"""rotation_costs.csv: the cost items of an away-rotation plan that do not depend on the host (module 01)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.schemas import ROTATION_COSTS as SCHEMA

_ROWS = [
    ("vslo_application", 15.0, "per_application", "AAMC VSLO FAQ: $15 per elective applied to", False),
    ("visa_fee", 185.0, "per_plan", "Visa application fee, about $185 (uncertain; check the current fee)", True),
    ("international_flight", 1200.0, "per_plan", "Invented planning figure: one return flight to the U.S.", True),
    ("move_between_hosts", 250.0, "per_rotation", "Invented planning figure: getting to each host city", True),
    ("local_transport", 40.0, "per_week", "Invented planning figure: bus, train or rides to the hospital", True),
]


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The fixed cost items (nothing random here)."""
    return pd.DataFrame(_ROWS, columns=SCHEMA.names)
