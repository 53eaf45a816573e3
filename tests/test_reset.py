"""`rotation-kit reset`: everything graded or typed is archived first, then the kit is clean for the next group."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime

import nbformat
import pytest

from rotation_kit.commands import reset
from rotation_kit.course import build_learner_notebooks
from rotation_kit.course.cells import is_answer
from rotation_kit.course.submissions import build_submission
from support import ROOT

MODULE = "03_where_to_rotate"
pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("reset")]  # builds notebooks with nbgrader
WHEN = datetime(2026, 3, 14, 9, 30, 0)


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    """One real build of the learner notebooks, reused where a test is not about the build itself."""
    out = tmp_path_factory.mktemp("fresh")
    build_learner_notebooks(out, only=[MODULE], base=ROOT)
    return out


@pytest.fixture
def cached_build(monkeypatch, fresh_build):
    def copy_build(out_dir, only=None, base=None):
        shutil.copytree(fresh_build, out_dir, dirs_exist_ok=True)
    monkeypatch.setattr(reset, "build_learner_notebooks", copy_build)


@pytest.fixture
def used_kit(tmp_path):
    """A kit after a workshop: a gradebook, submissions, feedback, saved plans and answers typed in."""
    kit = tmp_path / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    shutil.copytree(ROOT / "solutions" / MODULE, kit / "solutions" / MODULE)
    shutil.copytree(ROOT / "notebooks" / MODULE, kit / "notebooks" / MODULE,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (kit / "grading").mkdir()
    (kit / "grading" / "README.md").write_text("how to grade (committed, stays)\n")
    (kit / "grading" / "gradebook.db").write_bytes(b"SQLite format 3\x00 grades")
    (kit / "grading" / "export").mkdir()
    (kit / "grading" / "export" / "grades.csv").write_text("assignment,student_id,score\n")
    submitted = kit / "grading" / "submitted" / "amara" / MODULE
    submitted.mkdir(parents=True)
    (submitted / f"{MODULE}.ipynb").write_text("{}")
    (kit / "grading" / "feedback" / "amara" / MODULE).mkdir(parents=True)
    (kit / "grading" / "feedback" / "amara" / MODULE / f"{MODULE}.html").write_text("<p>well done</p>")
    inbound = kit / "grading" / "exchange" / "away-rotations-informatics" / "inbound"
    inbound.mkdir(parents=True)
    (inbound / f"amara+{MODULE}+2026-03-13 17:00:00.000000 UTC").mkdir()
    lms = kit / "grading" / "downloaded" / MODULE / "archive"
    lms.mkdir(parents=True)
    (lms / f"amara_{MODULE}.ipynb").write_text("{}")
    (kit / "my_plan").mkdir()
    (kit / "my_plan" / "shortlist.json").write_text('{"kind": "value", "value": []}')
    learner = kit / "notebooks" / MODULE / f"{MODULE}.ipynb"
    nbformat.write(build_submission(learner, kit / "solutions" / MODULE / f"{MODULE}.ipynb", {"ex31_answer"}), learner)
    (kit / "notebooks" / MODULE / "Untitled.ipynb").write_text("{}")
    return kit


def test_reset_archives_graded_work_plans_and_answers_then_clears_them(used_kit, capsys):
    assert reset.reset_kit(used_kit, assume_yes=True, when=WHEN) == 0
    archive = used_kit / "grading" / "archive" / "20260314-093000.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        assert zipped.read("grading/gradebook.db").startswith(b"SQLite format 3")
        typed = zipped.read(f"notebooks/{MODULE}/{MODULE}.ipynb").decode()
    assert {"MANIFEST.txt", "grading/gradebook.db", "grading/export/grades.csv",
            f"grading/submitted/amara/{MODULE}/{MODULE}.ipynb",
            f"grading/feedback/amara/{MODULE}/{MODULE}.html", "my_plan/shortlist.json",
            f"grading/downloaded/{MODULE}/archive/amara_{MODULE}.ipynb",
            f"notebooks/{MODULE}/Untitled.ipynb"} <= names
    assert "def summarise_by" in typed and "### BEGIN SOLUTION" not in typed

    for gone in ("grading/gradebook.db", "grading/export", "grading/submitted", "grading/feedback",
                 "grading/exchange", "grading/downloaded", "my_plan/shortlist.json", f"notebooks/{MODULE}/Untitled.ipynb"):
        assert not (used_kit / gone).exists(), gone
    assert (used_kit / "grading" / "README.md").exists(), "committed files in grading/ stay"
    assert (used_kit / "my_plan").is_dir()
    fresh = nbformat.read(used_kit / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    answers = [c.source for c in fresh.cells if is_answer(c)]
    assert answers and all("raise NotImplementedError()" in a for a in answers)
    assert "Archived to grading/archive/20260314-093000.zip" in capsys.readouterr().out


def test_a_second_reset_finds_nothing_and_writes_no_archive(used_kit, cached_build, capsys):
    reset.reset_kit(used_kit, assume_yes=True, when=WHEN)
    capsys.readouterr()
    assert reset.reset_kit(used_kit, assume_yes=True, when=datetime(2026, 3, 15)) == 0
    assert "already clean" in capsys.readouterr().out
    assert [p.name for p in (used_kit / "grading" / "archive").iterdir()] == ["20260314-093000.zip"]


def test_a_dry_run_or_a_no_changes_nothing(used_kit, cached_build, capsys):
    before = sorted(str(p.relative_to(used_kit)) for p in used_kit.rglob("*"))
    assert reset.reset_kit(used_kit, dry_run=True) == 0
    assert "Dry run" in capsys.readouterr().out
    assert reset.reset_kit(used_kit, ask=lambda prompt: "n") == 1
    assert sorted(str(p.relative_to(used_kit)) for p in used_kit.rglob("*")) == before
