"""The facilitator guide names only cells and exercises that exist on the main path, and its template loads.

The guide cites cells as `` `module` › `cell` `` (the cell's notebook id or its nbgrader grade id) and
exercises as "Exercise N.K" (main path) or "Lab exercise N.K" (code lab). Every citation is looked up in
the source notebooks, so a module rewrite that renames a cell fails here until the guide follows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
from support import ROOT

from rotation_kit.cli import parser
from rotation_kit.course import CODE_LAB_SUFFIX, main_modules
from rotation_kit.runtime.loaders import load_programs

GUIDE = ROOT / "docs" / "facilitator-guide.md"
TEMPLATE = ROOT / "data" / "templates" / "my_programs_template.csv"
CELL_REF = re.compile(r"`(\d\d_[a-z_]+)` › `([A-Za-z0-9_.-]+)`")
EXERCISE_REF = re.compile(r"(Lab exercise|Exercise) (\d+)\.(\d+)\b")


def _notebook(module: str):
    return nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)


def _names(nb) -> set[str]:
    return {c.get("id") for c in nb.cells} | {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}


def missing_references(text: str) -> list[str]:
    """Every cell or exercise `text` cites that the course's notebooks do not have, with where it was looked for."""
    mains = main_modules(ROOT)
    missing = []
    for module, cell in CELL_REF.findall(text):
        if module not in mains:
            missing.append(f"{module} › {cell}: {module} is not a main-path module ({', '.join(mains)})")
        elif cell not in _names(_notebook(module)):
            missing.append(f"{module} › {cell}: no cell with that id or grade id in solutions/{module}/")
    for kind, number, part in EXERCISE_REF.findall(text):
        module = next((m for m in mains if m.startswith(f"{int(number):02d}_")), None)
        if module is None:
            missing.append(f"{kind} {number}.{part}: no module {int(number):02d}")
            continue
        notebook = module + CODE_LAB_SUFFIX if kind == "Lab exercise" else module
        prose = "\n".join(c.source for c in _notebook(notebook).cells if c.cell_type == "markdown")
        wanted = f"{kind} {number}.{part}"
        if not re.search(rf"\b{re.escape(wanted)}\b", prose):
            missing.append(f"{wanted}: not in the prose of solutions/{notebook}/")
    return missing


def _taster(text: str) -> str:
    start = text.index("### A 90-minute taster")
    return text[start : text.index("\n### ", start + 1)]


def test_every_cell_and_exercise_the_guide_names_exists_on_the_main_path():
    text = GUIDE.read_text(encoding="utf-8")
    assert missing_references(text) == []


def test_the_taster_walks_through_modules_00_and_03_and_collects_work_inside_its_90_minutes():
    taster = _taster(GUIDE.read_text(encoding="utf-8"))
    cited = {module for module, _ in CELL_REF.findall(taster)}
    assert {"00_start_here", "03_where_to_rotate"} <= cited, cited
    times = [int(h) * 60 + int(m) for h, m in re.findall(r"^\| (\d):(\d\d) \|", taster, re.M)]
    assert times == sorted(times) and times[-1] < 90, times
    hand_in_rows = [line for line in taster.splitlines() if "hand_in(" in line and line.startswith("| ")]
    assert hand_in_rows, "the taster has a hand-in step"
    assert int(hand_in_rows[0][2]) * 60 + int(hand_in_rows[0][4:6]) < 90


def test_the_checker_catches_names_that_do_not_exist():
    made_up = (
        "`03_where_to_rotate` › `no-such-cell` and `00_start_here` › `ex01_answer`; "
        "`03_where_to_rotate_code` › `setup`; Exercise 3.99 and Exercise 0.1; Lab exercise 0.77."
    )
    found = "\n".join(missing_references(made_up))
    assert "no-such-cell" in found and "Exercise 3.99" in found and "Lab exercise 0.77" in found
    assert "03_where_to_rotate_code › setup: 03_where_to_rotate_code is not a main-path module" in found
    assert "ex01_answer" not in found and "Exercise 0.1:" not in found


def test_the_program_list_template_loads_as_given_and_filled_in(tmp_path):
    assert "data/templates/my_programs_template.csv" in GUIDE.read_text(encoding="utf-8")
    given = load_programs(TEMPLATE)
    assert len(given) == 1 and "fictional" in given.loc[0, "program_name"]
    # A learner types over the example row and adds a program, leaving cells they do not know empty.
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    filled = tmp_path / "my_programs.csv"
    filled.write_text(
        "\n".join(
            [
                lines[0],
                'St. Rowan Hospital Internal Medicine,Internal Medicine,New Jersey,45%,J-1,Yes,No,No,CMIO,Epic,Yes,"$2,000"',
                "Lakeside Community Family Medicine,Family Medicine,TX,,,No,,,,,,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    mine = load_programs(filled)
    assert list(mine["state"]) == ["NJ", "TX"] and mine.loc[0, "img_share_pct"] == 45
    assert mine.loc[0, "host_fee_usd"] == 2000 and not mine.loc[1, "accepts_visiting_imgs"]
    shutil.copy(TEMPLATE, tmp_path / "copy.csv")  # the handout's copy is the same file
    assert load_programs(tmp_path / "copy.csv").equals(given)


def test_the_commands_the_guide_gives_for_handing_out_and_in_exist():
    text = GUIDE.read_text(encoding="utf-8")
    verbs = set(parser()._subparsers._group_actions[0].choices)
    for verb in ("handout", "hand-in"):
        assert f"rotation-kit {verb}" in text and verb in verbs, verb
    assert Path(ROOT / "docs" / "learner-sheet.md").is_file()
