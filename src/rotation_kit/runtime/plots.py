"""Plots for the notebooks: labelled axes, a colour-blind-safe palette, and a one-line text summary.

Every plot function returns (figure, summary); the notebook prints the summary so a
screen-reader user gets the picture's message in words.

The kit's charts use no layout engine (no constrained or tight layout): JupyterLab's inline backend
saves every figure with bbox_inches="tight", which already crops it to what was drawn, labels outside
the axes included, so a layout engine only adds a measuring pass to each drawing (a quarter to a
third of the time a learner waits for a chart). Anything the kit saves itself passes bbox_inches="tight" too.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

# Okabe & Ito (2008) palette: distinguishable with the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}


def program_map(scored: pd.DataFrame, shortlist: pd.DataFrame | None = None, title: str | None = None):
    """IMG-friendliness against informatics presence, with the shortlist highlighted."""
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.scatter(
        scored["informatics"],
        scored["img_friendly"],
        s=28,
        color=PALETTE["grey"],
        alpha=0.7,
        label="Programs in your specialty",
        marker="o",
    )
    picked = 0
    if shortlist is not None and len(shortlist):
        styles = {
            "reach": (PALETTE["vermillion"], "^", "Reach pick"),
            "realistic": (PALETTE["blue"], "s", "Realistic pick"),
        }
        for role, (colour, marker, label) in styles.items():
            rows = shortlist[shortlist.get("role", pd.Series("realistic", index=shortlist.index)) == role]
            if len(rows):
                ax.scatter(
                    rows["informatics"],
                    rows["img_friendly"],
                    s=110,
                    color=colour,
                    marker=marker,
                    edgecolor="black",
                    linewidth=0.8,
                    label=label,
                    zorder=3,
                )
                for _, row in rows.iterrows():
                    ax.annotate(
                        str(row["program_name"]).split(" ")[0],
                        (row["informatics"], row["img_friendly"]),
                        textcoords="offset points",
                        xytext=(6, 6),
                        fontsize=8,
                    )
                picked += len(rows)
    ax.set_xlabel("Informatics presence (0 = none of the indicators, 1 = all)")
    ax.set_ylabel("IMG-friendliness for you (0-1)")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(title or "Where informatics and IMG-friendliness meet")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    both = int(((scored["informatics"] >= 0.3) & (scored["img_friendly"] >= 0.5)).sum())
    summary = (
        f"Scatter of {len(scored)} programs: {both} sit in the upper right (informatics at least 0.3 "
        f"and IMG-friendliness at least 0.5); {picked} shortlisted programs are highlighted."
    )
    return fig, summary
