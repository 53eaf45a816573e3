"""docs/coverage.md maps the guide to real exercises: every module, grade id and heading it names exists.

Fast: reads the source notebooks as JSON, runs nothing.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

COVERAGE = ROOT / "docs" / "coverage.md"
COLUMNS = ["#", "guide section", "recommendation (paraphrased)", "module", "exercise(s)"]
GAP = "—"
EXERCISE_ID = re.compile(r"\bex\d{2}(?:_[a-z]+)?\b")
SECTIONS = [f"§{n}" for n in range(1, 7)] + [f"FAQ {n}" for n in range(1, 5)]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    lines = COVERAGE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|") and _cells(line) == COLUMNS)
    rows = []
    for line in lines[start + 2 :]:  # skip the header and the |---| line
        if not line.startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == len(COLUMNS), f"row with {len(cells)} cells instead of {len(COLUMNS)}: {line}"
        rows.append(dict(zip(COLUMNS, cells, strict=False)))
    return tuple(rows)


def _gaps_text() -> str:
    text = COVERAGE.read_text(encoding="utf-8")
    match = re.search(r"^## Gaps\s*$(.*)", text, flags=re.M | re.S)
    assert match, "docs/coverage.md needs a '## Gaps' section at the end"
    return match.group(1)


def _modules(row: dict) -> list[str]:
    cell = row["module"]
    return [] if cell == GAP else [m.strip() for m in cell.split(",") if m.strip()]


def _existing(row: dict) -> list[str]:
    """The row's modules that have a source notebook (the others are reported by their own test)."""
    return [m for m in _modules(row) if (ROOT / "solutions" / m / f"{m}.ipynb").is_file()]


def _items(row: dict) -> list[str]:
    return [item.strip() for item in row["exercise(s)"].split(";") if item.strip()]


@cache
def _notebook(module: str) -> dict:
    return json.loads((ROOT / "solutions" / module / f"{module}.ipynb").read_text(encoding="utf-8"))


@cache
def _grade_ids(module: str) -> frozenset[str]:
    cells = _notebook(module)["cells"]
    return frozenset(c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "") for c in cells) - {""}


def _plain(text: str) -> str:
    return " ".join(text.replace("*", "").replace("`", "").lower().split())


@cache
def _headings(module: str) -> tuple[str, ...]:
    """Every markdown heading of the module's source notebook, in plain lower case."""
    cells = [c for c in _notebook(module)["cells"] if c["cell_type"] == "markdown"]
    lines = [line for c in cells for line in "".join(c["source"]).splitlines()]
    return tuple(_plain(line.lstrip("#")) for line in lines if line.startswith("#"))


def _cites_heading(heading: str, module: str) -> bool:
    return bool(heading) and any(heading in h for h in _headings(module))


def _exercise_exists(ex_id: str, module: str) -> bool:
    ids = _grade_ids(module)
    return ex_id in ids or any(g.startswith(ex_id + "_") for g in ids)


def test_table_has_numbered_rows():
    numbers = [row["#"] for row in _rows()]
    assert numbers, "the coverage table is empty"
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)], "number the rows 1, 2, 3, ... in order"


def test_every_named_module_exists():
    missing = sorted(
        {m for row in _rows() for m in _modules(row) if not (ROOT / "solutions" / m / f"{m}.ipynb").is_file()}
    )
    assert not missing, f"modules named in docs/coverage.md with no source notebook: {missing}"


def test_every_row_names_a_module_or_is_a_gap():
    bad = [row["#"] for row in _rows() if not _modules(row) and row["module"] != GAP]
    assert not bad, f"rows with an empty module column (use {GAP} for a gap): {bad}"


EXPLAINED_ONLY = "explained only"
ADVERT_WORDS = ("smartpick", "advert", " ad:", "residency selection made smarter")


def test_every_exercise_id_is_a_grade_id_of_its_module():
    problems = []
    for row in _rows():
        modules = _existing(row)
        for item in _items(row):
            if item.startswith("prose:") or item == EXPLAINED_ONLY or row["module"] == GAP:
                continue
            ids = EXERCISE_ID.findall(item)
            rest = EXERCISE_ID.sub("", re.sub(r"\([^)]*\)", "", item)).replace(",", "").strip()
            if not ids or rest:
                problems.append(f"row {row['#']}: cannot read {item!r} (exercise ids, optional note in brackets)")
            for ex_id in ids:
                if not any(_exercise_exists(ex_id, m) for m in modules):
                    where = ", ".join(modules) or "any named module"
                    problems.append(f"row {row['#']}: {ex_id} is not a grade id in {where}")
    assert not problems, "\n".join(problems)


def test_every_prose_reference_is_a_heading_in_its_module():
    problems = []
    for row in _rows():
        for item in _items(row):
            if item.startswith("prose:"):
                heading = _plain(item.removeprefix("prose:"))
                if not any(_cites_heading(heading, m) for m in _existing(row)):
                    problems.append(f"row {row['#']}: {item!r} not found in {row['module']}")
    assert not problems, "\n".join(problems)


def test_every_named_module_is_backed_by_an_exercise_or_prose():
    problems = []
    for row in _rows():
        for module in _existing(row):
            ids = [ex for item in _items(row) if not item.startswith("prose:") for ex in EXERCISE_ID.findall(item)]
            prose = [_plain(i.removeprefix("prose:")) for i in _items(row) if i.startswith("prose:")]
            backed = any(_exercise_exists(ex, module) for ex in ids) or any(_cites_heading(p, module) for p in prose)
            if not backed:
                problems.append(f"row {row['#']}: nothing cited comes from {module}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("section", SECTIONS)
def test_every_guide_section_has_a_row(section):
    pattern = re.compile(re.escape(section).replace(r"\ ", r"\s*") + r"(?!\d)")
    assert any(pattern.search(row["guide section"]) for row in _rows()), f"no row for guide {section}"


def test_gap_rows_are_explained_under_gaps():
    gaps = _gaps_text()
    unexplained = [
        row["#"]
        for row in _rows()
        if row["module"] == GAP and not re.search(rf"\brows? {row['#']}\b", gaps, flags=re.I)
    ]
    assert not unexplained, f"rows marked {GAP} but not named in the Gaps section: {unexplained}"
    for row in _rows():
        if row["module"] == GAP:
            assert "gap" in row["exercise(s)"].lower(), f"row {row['#']}: say 'none (see Gaps)'"


def test_a_row_either_cites_an_exercise_that_exists_or_says_explained_only():
    problems = []
    for row in _rows():
        if row["module"] == GAP:
            continue
        items = _items(row)
        ids = [ex for item in items if not item.startswith("prose:") for ex in EXERCISE_ID.findall(item)]
        real = [ex for ex in ids if any(_exercise_exists(ex, m) for m in _existing(row))]
        marked = items[:1] == [EXPLAINED_ONLY]
        if marked and ids:
            problems.append(f"row {row['#']}: marked {EXPLAINED_ONLY!r} but cites {ids}")
        if not marked and not real:
            problems.append(f"row {row['#']}: cites no existing exercise; start its list with {EXPLAINED_ONLY!r}")
        if marked and not any(i.startswith("prose:") for i in items):
            problems.append(f"row {row['#']}: {EXPLAINED_ONLY!r} needs the prose heading that explains it")
    assert not problems, "\n".join(problems)


def test_explained_only_rows_are_listed_under_gaps():
    gaps = _gaps_text()
    listed = set()
    for first, last in re.findall(r"(\d+)(?:-(\d+))?", gaps.split("### Explained only", 1)[-1].split("###", 1)[0]):
        listed.update(range(int(first), int(last or first) + 1))
    marked = {int(row["#"]) for row in _rows() if _items(row)[:1] == [EXPLAINED_ONLY]}
    assert marked <= listed, f"explained-only rows not listed under Gaps: {sorted(marked - listed)}"


def test_the_advertisement_is_not_counted_as_guide_content():
    counted = [row["#"] for row in _rows() if any(word in " ".join(row.values()).lower() for word in ADVERT_WORDS)]
    assert not counted, f"rows that count the guide's closing advertisement as guide content: {counted}"
    text = COVERAGE.read_text(encoding="utf-8")
    assert re.search(r"^## The advertisement at the end of the guide \(not guide content\)$", text, flags=re.M)


def test_the_guide_text_still_ends_with_the_advertisement_this_file_sets_apart():
    guide = ROOT.parent / "shared" / "guide" / "source-guide.txt"
    if not guide.is_file():
        pytest.skip("the guide is kept beside the repo, in ../shared/guide/")
    assert "SmartPick" in guide.read_text(encoding="utf-8").split("Frequently Asked Questions", 1)[-1]
