"""`rotation-kit slides`: a module becomes a reveal.js deck without answer stubs, check code or errors."""

from __future__ import annotations

import os

import nbformat
import pytest
from support import ROOT

from rotation_kit import cli
from rotation_kit.commands.slides import HIDE_INPUT, REMOVE, prepare, render, render_module

MODULE = "03_where_to_rotate"
LEARNER = ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb"


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


@pytest.fixture(scope="module")
def planned():
    return prepare(nbformat.read(LEARNER, as_version=4))


def _tags(cell):
    return set(cell.metadata.get("tags", []))


def test_headings_start_slides_and_exercise_prompts_get_their_own(planned):
    types = {c.source.splitlines()[0]: c.metadata["slideshow"]["slide_type"] for c in planned.cells if c.source}
    assert types["# Module 03 · Where to rotate: scoring programs"] == "slide"
    assert types["## 1. How visible is informatics here? (Exercise 3.1, 3 points)"] == "slide"
    assert types["## 9. Now with your own list"] == "slide"
    prompts = [c for c in planned.cells if _grade_id(c).endswith("_prompt")]
    assert prompts and all(c.metadata["slideshow"]["slide_type"] == "subslide" for c in prompts)


def test_answers_checks_and_try_it_cells_are_left_out(planned):
    for index, cell in enumerate(planned.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
            assert REMOVE in _tags(cell), _grade_id(cell)
        if index and planned.cells[index - 1].metadata.get("nbgrader", {}).get("solution"):
            assert REMOVE in _tags(cell), f"the try-it cell {cell.source[:40]!r}"


def test_set_up_code_is_hidden_and_worked_examples_keep_their_code(planned):
    setup = next(c for c in planned.cells if _grade_id(c) == "setup")
    assert HIDE_INPUT in _tags(setup) or REMOVE in _tags(setup)
    example = next(
        c for c in planned.cells if c.source.startswith("for key, (text, _) in where_to_rotate.INFORMATICS_SIGNS")
    )
    assert not _tags(example) & {HIDE_INPUT, REMOVE}


def test_an_authors_tag_wins(planned):
    nb = nbformat.read(LEARNER, as_version=4)
    example = next(
        c for c in nb.cells if c.source.startswith("for key, (text, _) in where_to_rotate.INFORMATICS_SIGNS")
    )
    example.metadata["tags"] = ["slides-hide-input"]
    assert HIDE_INPUT in _tags(next(c for c in prepare(nb).cells if c.source == example.source))


def test_the_deck_is_reveal_html_without_check_code(tmp_path):
    (deck,) = render_module(MODULE, tmp_path, execute=False, base=ROOT)
    html = deck.read_text(encoding="utf-8")
    assert deck.name == f"{MODULE}.slides.html"
    assert "reveal.js" in html and html.count("<section") > 10
    assert "Where to rotate" in html
    assert "expect.defined" not in html, "check cells must not reach the slides"
    assert "INFORMATICS_SIGNS" in html, "the worked example's code stays"


def test_an_unknown_module_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="No module"):
        render_module("99_nothing", tmp_path, base=ROOT)


def test_a_local_reveal_js_can_replace_the_cdn_for_offline_rooms(tmp_path):
    deck = render(LEARNER, tmp_path, execute=False, reveal_prefix="reveal.js")
    html = deck.read_text(encoding="utf-8")
    assert '"reveal.js/dist/reveal.js"' in html
    assert "unpkg.com" not in html


@pytest.mark.pipeline
def test_a_run_deck_shows_tables_and_the_plot_but_no_errors(tmp_path):
    home = os.environ["ROTATION_KIT_HOME"]
    before = sorted(os.listdir(home))
    assert cli.main(["slides", MODULE, "--out", str(tmp_path)]) == 0
    html = (tmp_path / f"{MODULE}.slides.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in html, "the program map is drawn"
    assert "<table" in html
    for error in ("Traceback", "CheckFailed", 'data-mime-type="application/vnd.jupyter.stderr"'):
        assert error not in html
    assert sorted(os.listdir(home)) == before, "presenting must not save anything to the learner's plan"
