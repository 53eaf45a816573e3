"""rotation_costs.csv: the cost items of an away-rotation plan that do not depend on the host (module 01)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runtime.tables import Column, Schema

CHARGED = ("per_application", "per_rotation", "per_week", "per_plan")

SCHEMA = Schema(
    file="rotation_costs.csv",
    title="Cost items for an away-rotation plan",
    description=(
        "Costs that come on top of each host's own fee and housing (those are in `programs.csv`: "
        "`host_fee_usd`, `housing_per_week_usd`, `rotation_weeks`). `charged` says how often an item is "
        "paid: for each application, each rotation, each week, or once for the whole plan (rotations "
        "done back to back in one stay). Rows marked `uncertain` are estimates or invented planning "
        "figures: replace them with your own quotes."
    ),
    sources=(
        "VSLO: $15 per elective applied to (AAMC VSLO FAQ); hosts set their own fees on top.",
        "Visa: visiting foreign medical students rotate as business visitors (B-1, or the Visa Waiver "
        "Program), not tourists (Vanderbilt ISSS); fee about $185 (uncertain).",
        "Published totals for comparison (not IMG-specific): mean $958 per rotation in a 2015 survey "
        "(Winterton et al., BMC Med Educ 2016); about $2,000 per rotation (Ayala & Ukeje, Acad Med 2020).",
        "Flight, moving between hosts and local transport: invented planning figures.",
    ),
    columns=(
        Column("item", "str", "Name of the cost item."),
        Column("amount_usd", "float", "What the item costs each time it is charged.", minimum=0, unit="USD"),
        Column("charged", "str", "How often the item is paid.", allowed=CHARGED),
        Column("source", "str", "Where the amount comes from (or 'invented planning figure')."),
        Column("uncertain", "bool", "True for estimates and invented figures."),
    ),
)

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
