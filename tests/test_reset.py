"""`rotation-kit reset`: everything graded or typed is archived first, then the kit is clean for the next group."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime

import nbformat
import pytest
from support import ROOT

from rotation_kit.commands import reset
from rotation_kit.course import build_learner_notebooks
from rotation_kit.course.cells import answer_ids, grade_id, is_answer
from rotation_kit.course.submissions import build_submission, solution_source

MODULE = "03_where_to_rotate"
# The module's first two answers, whatever its exercises are now (modules get rewritten).
FIRST, SECOND = answer_ids(nbformat.read(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4))[:2]
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
    shutil.copytree(
        ROOT / "notebooks" / MODULE, kit / "notebooks" / MODULE, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
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
    shared = kit / "grading" / "shared_plans" / "amara"  # a plan she chose to hand in (grade collect puts it here)
    shared.mkdir(parents=True)
    (shared / "profile.json").write_text('{"value": {"needs_visa": true}}')
    # Someone typed into the kit's own notebooks/ (the release folder), as learners did before my_work/.
    release = kit / "notebooks" / MODULE / f"{MODULE}.ipynb"
    nbformat.write(build_submission(release, kit / "solutions" / MODULE / f"{MODULE}.ipynb", {FIRST}), release)
    (kit / "notebooks" / MODULE / "Untitled.ipynb").write_text("{}")
    # The learner's own work: their copy with answers, and their saved plan.
    mine = kit / "my_work" / MODULE / f"{MODULE}.ipynb"
    mine.parent.mkdir(parents=True)
    nbformat.write(
        build_submission(
            kit / "solutions" / MODULE / f"{MODULE}.ipynb",
            kit / "solutions" / MODULE / f"{MODULE}.ipynb",
            {SECOND},
        ),
        mine,
    )
    (kit / "my_work" / "my_plan").mkdir()
    (kit / "my_work" / "my_plan" / "profile.json").write_text('{"kind": "value", "value": {"needs_visa": true}}')
    return kit


def _solution(key: str) -> str:
    source = nbformat.read(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    return solution_source(next(c.source for c in source.cells if grade_id(c) == key))


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


GRADED = {
    "MANIFEST.txt",
    "grading/gradebook.db",
    "grading/export/grades.csv",
    f"grading/submitted/amara/{MODULE}/{MODULE}.ipynb",
    f"grading/feedback/amara/{MODULE}/{MODULE}.html",
    f"grading/downloaded/{MODULE}/archive/amara_{MODULE}.ipynb",
    "grading/shared_plans/amara/profile.json",
    f"notebooks/{MODULE}/Untitled.ipynb",
    f"notebooks/{MODULE}/{MODULE}.ipynb",
}
LEARNERS = {f"my_work/{MODULE}/{MODULE}.ipynb", "my_work/my_plan/profile.json"}


def test_reset_archives_graded_work_and_notebooks_then_clears_them_and_leaves_my_work_alone(used_kit, capsys):
    mine = _files(used_kit / "my_work")
    assert reset.reset_kit(used_kit, assume_yes=True, when=WHEN) == 0  # --yes alone, no one at a terminal
    archive = used_kit / "grading" / "archive" / "20260314-093000.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        assert zipped.read("grading/gradebook.db").startswith(b"SQLite format 3")
        typed = nbformat.reads(zipped.read(f"notebooks/{MODULE}/{MODULE}.ipynb").decode(), as_version=4)
    assert GRADED <= names and not any(n.startswith("my_work/") for n in names)
    assert _solution(FIRST) in [c.source for c in typed.cells if is_answer(c)]

    for gone in (
        "grading/gradebook.db",
        "grading/export",
        "grading/submitted",
        "grading/feedback",
        "grading/exchange",
        "grading/downloaded",
        "grading/shared_plans",
        f"notebooks/{MODULE}/Untitled.ipynb",
    ):
        assert not (used_kit / gone).exists(), gone
    assert (used_kit / "grading" / "README.md").exists(), "committed files in grading/ stay"
    fresh = nbformat.read(used_kit / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    answers = [c.source for c in fresh.cells if is_answer(c)]
    assert answers and all("..." in a.split("\n") or "    ..." in a.split("\n") for a in answers), "the `...` stub"
    assert not any("NotImplementedError" in a for a in answers)
    assert _files(used_kit / "my_work") == mine, "without the learners' consent my_work/ is left exactly as it is"
    out = capsys.readouterr().out
    assert "Archived to grading/archive/20260314-093000.zip" in out
    assert "Learners' own work left as it is: my_work/" in out and "--learner-work" in out


def test_with_consent_the_learners_work_is_archived_then_cleared(used_kit, cached_build, capsys):
    assert reset.reset_kit(used_kit, assume_yes=True, when=WHEN, learner_choice="archive") == 0
    with zipfile.ZipFile(used_kit / "grading" / "archive" / "20260314-093000.zip") as zipped:
        names = set(zipped.namelist())
        theirs = nbformat.reads(zipped.read(f"my_work/{MODULE}/{MODULE}.ipynb").decode(), as_version=4)
        assert _solution(SECOND) in [c.source for c in theirs.cells if is_answer(c)]
    assert GRADED | LEARNERS <= names
    assert not (used_kit / "my_work").exists()
    assert "is in the archive and was cleared" in capsys.readouterr().out


def test_delete_clears_the_learners_work_and_keeps_no_copy(used_kit, cached_build, capsys):
    reset.reset_kit(used_kit, assume_yes=True, when=WHEN, learner_choice="archive")  # an older archive holds it
    (used_kit / "my_work" / "my_plan").mkdir(parents=True)
    (used_kit / "my_work" / "my_plan" / "profile.json").write_text('{"kind": "value", "value": {"budget_usd": 1}}')
    capsys.readouterr()
    assert reset.reset_kit(used_kit, when=datetime(2026, 3, 15), learner_choice="delete") == 0
    assert not (used_kit / "my_work").exists()
    assert sorted(p.name for p in (used_kit / "grading" / "archive").iterdir()) == ["20260314-093000.zip"]
    out = capsys.readouterr().out
    assert "was deleted; no copy was kept" in out
    assert "Older archives still hold learners' work" in out and "20260314-093000.zip" in out


def test_at_a_terminal_reset_asks_about_the_learners_work_and_delete_needs_a_second_yes(used_kit, cached_build):
    answers = iter(["y", "d", "no"])  # yes to the graded work; delete, but not confirmed: kept
    mine = _files(used_kit / "my_work")
    assert reset.reset_kit(used_kit, when=WHEN, ask=lambda prompt: next(answers)) == 0
    assert _files(used_kit / "my_work") == mine
    asked = []
    answers = iter(["d", "yes"])  # only the learners' work is left: one question, then the confirmation
    assert reset.reset_kit(used_kit, when=datetime(2026, 3, 15), ask=lambda p: asked.append(p) or next(answers)) == 0
    assert "k = keep" in asked[0] and "Delete" in asked[1]
    assert not (used_kit / "my_work").exists()


def test_a_second_reset_finds_nothing_and_writes_no_archive(used_kit, cached_build, capsys):
    reset.reset_kit(used_kit, assume_yes=True, when=WHEN)
    capsys.readouterr()
    assert reset.reset_kit(used_kit, assume_yes=True, when=datetime(2026, 3, 15)) == 0
    assert "Learners' own work left as it is" in capsys.readouterr().out  # my_work/ is theirs: kept, not "dirty"
    reset.reset_kit(used_kit, assume_yes=True, when=datetime(2026, 3, 16), learner_choice="archive")
    capsys.readouterr()
    assert reset.reset_kit(used_kit, assume_yes=True, when=datetime(2026, 3, 17)) == 0
    assert "already clean" in capsys.readouterr().out
    assert [p.name for p in sorted((used_kit / "grading" / "archive").iterdir())] == [
        "20260314-093000.zip",
        "20260316-000000.zip",
    ]


def test_an_old_top_level_my_plan_counts_as_the_learners_work(used_kit, cached_build):
    (used_kit / "my_plan").mkdir()
    (used_kit / "my_plan" / "shortlist.json").write_text('{"kind": "value", "value": []}')
    reset.reset_kit(used_kit, assume_yes=True, when=WHEN)
    assert (used_kit / "my_plan" / "shortlist.json").is_file()
    reset.reset_kit(used_kit, when=datetime(2026, 3, 15), learner_choice="archive")
    with zipfile.ZipFile(used_kit / "grading" / "archive" / "20260315-000000.zip") as zipped:
        assert "my_plan/shortlist.json" in zipped.namelist()
    assert not (used_kit / "my_plan").exists()


def test_a_dry_run_or_a_no_changes_nothing(used_kit, cached_build, capsys):
    before = sorted(str(p.relative_to(used_kit)) for p in used_kit.rglob("*"))
    assert reset.reset_kit(used_kit, dry_run=True) == 0
    assert "Dry run" in capsys.readouterr().out
    assert reset.reset_kit(used_kit, ask=lambda prompt: "n") == 1
    assert sorted(str(p.relative_to(used_kit)) for p in used_kit.rglob("*")) == before


def test_an_older_build_with_the_old_stubs_is_restored_and_said_to_hold_no_typed_answers(
    used_kit, cached_build, fresh_build, tmp_path
):
    release = used_kit / "notebooks" / MODULE / f"{MODULE}.ipynb"
    old = nbformat.read(fresh_build / MODULE / f"{MODULE}.ipynb", as_version=4)
    for cell in old.cells:  # as nbgrader built it before the kit's `...` stub
        if is_answer(cell):
            cell.source = re.sub(
                r"^( *)\.\.\.$", r"\1# YOUR CODE HERE\n\1raise NotImplementedError()", cell.source, flags=re.M
            )
    assert any("raise NotImplementedError()" in c.source for c in old.cells if is_answer(c))
    nbformat.write(old, release)
    (used_kit / "notebooks" / MODULE / "Untitled.ipynb").unlink()
    plan = reset.make_plan(used_kit, tmp_path)
    assert plan.notebooks == [MODULE] and plan.typed_into == [], "old stubs are nobody's answers"
    assert "no answers typed in: an older build" in reset.describe(plan)

    nb = nbformat.read(release, as_version=4)  # now someone types one answer into it
    next(c for c in nb.cells if grade_id(c) == FIRST).source = _solution(FIRST)
    nbformat.write(nb, release)
    plan = reset.make_plan(used_kit, tmp_path / "again")
    assert plan.typed_into == [release.relative_to(used_kit)]
    assert "1 with answers typed in" in reset.describe(plan)
