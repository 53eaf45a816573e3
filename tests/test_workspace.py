"""The learner's work in my_work/ survives rebuilds, kit updates and `git pull`; solutions notebooks never write it.

Real files and real commands: `rotation-kit workspace` as a process, nbgrader's generate_assignment
for `make notebooks`, git for the pull, a Jupyter kernel (nbclient) for the solutions notebook.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support import ROOT

from rotation_kit.commands.workspace import (
    EARLIER,
    META_KEY,
    cell_key,
    merge,
    release_digest,
    stamp,
    untouched_answer,
    with_new_stubs,
)
from rotation_kit.course import build_learner_notebooks, tool_env
from rotation_kit.course.cells import answer_ids, is_solution, nbgrader_meta
from rotation_kit.course.submissions import build_submission, solution_source
from rotation_kit.runtime.paths import HOME_ENV, WORK_ENV, running_solutions_notebook

MODULE = "03_where_to_rotate"
# The module's first two answers, whatever its exercises are now (modules get rewritten).
ANSWER, SECOND_ANSWER = answer_ids(nbformat.read(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4))[:2]
pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("workspace")]  # runs nbgrader and kernels


def _kit(folder: Path, module: str = MODULE) -> Path:
    """The course files a learner's checkout has, for one module."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (".gitignore", "nbgrader_config.py"):
        shutil.copy(ROOT / name, folder / name)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "solutions" / module, folder / "solutions" / module, ignore=ignore)
    shutil.copytree(ROOT / "notebooks" / module, folder / "notebooks" / module, ignore=ignore)
    shutil.copy(ROOT / "notebooks" / "nbgrader_config.py", folder / "notebooks" / "nbgrader_config.py")
    return folder


def _workspace(kit: Path) -> str:
    """`rotation-kit workspace` as the learner (or `make lab`) runs it; returns what it printed."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rotation-kit"), "workspace", "--kit", str(kit)],
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _answer(kit: Path, module: str = MODULE, grade_id: str = ANSWER) -> Path:
    """Type the answer to one exercise into the learner's copy, as JupyterLab would save it."""
    mine = kit / "my_work" / module / f"{module}.ipynb"
    nb = build_submission(mine, kit / "solutions" / module / f"{module}.ipynb", {grade_id})
    nbformat.write(nb, mine)
    return mine


def _source(nb, key: str) -> str:
    return next(c.source for c in nb.cells if cell_key(c) == key)


def _solution(kit: Path, key: str, module: str = MODULE) -> str:
    """An answer as a learner who solved it typed it."""
    return solution_source(_source(nbformat.read(kit / "solutions" / module / f"{module}.ipynb", as_version=4), key))


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["git", "-c", "user.name=Kit author", "-c", "user.email=kit@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def test_first_use_makes_the_copies_and_moves_an_old_my_plan_in(tmp_path):
    kit = _kit(tmp_path / "kit")
    (kit / "my_plan").mkdir()
    (kit / "my_plan" / "profile.json").write_text('{"kind": "value", "value": {"name": "Amara"}}')
    said = _workspace(kit)
    mine = kit / "my_work" / MODULE / f"{MODULE}.ipynb"
    assert f"Made your copy my_work/{MODULE}/{MODULE}.ipynb" in said
    assert "Moved your saved work" in said and not (kit / "my_plan").exists()
    assert "Amara" in (kit / "my_work" / "my_plan" / "profile.json").read_text()
    release = nbformat.read(kit / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    mine_nb = nbformat.read(mine, as_version=4)
    assert mine_nb.metadata[META_KEY]["release"] == release_digest(release)
    assert [c.source for c in mine_nb.cells] == [c.source for c in release.cells]
    # The Assignment List reads nbgrader's settings from the folder holding the copies.
    assert (kit / "my_work" / "nbgrader_config.py").read_text() == (
        ROOT / "notebooks" / "nbgrader_config.py"
    ).read_text()
    assert "up to date" in _workspace(kit)


def test_an_edited_copy_in_my_work_survives_make_notebooks(tmp_path):
    kit = _kit(tmp_path / "kit")
    _workspace(kit)
    mine = _answer(kit)
    before = _snapshot(kit / "my_work")
    assert _source(nbformat.read(mine, as_version=4), ANSWER) == _solution(kit, ANSWER)

    written = build_learner_notebooks(base=kit, only=[MODULE])  # what `make notebooks` runs (nbgrader)
    assert kit / "notebooks" / MODULE / f"{MODULE}.ipynb" in written
    assert _snapshot(kit / "my_work") == before
    assert "up to date" in _workspace(kit)  # the same release again: nothing to bring in
    assert _snapshot(kit / "my_work") == before


def test_a_kit_update_pulled_with_git_leaves_my_work_alone_and_workspace_carries_the_answers_over(tmp_path):
    upstream = _kit(tmp_path / "upstream")
    _git(upstream, "init", "-q", "-b", "main")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "The kit")
    learner = tmp_path / "learner"
    _git(tmp_path, "clone", "-q", str(upstream), str(learner))

    _workspace(learner)
    mine = _answer(learner)
    typed = _source(nbformat.read(mine, as_version=4), ANSWER)
    nb = nbformat.read(mine, as_version=4)  # and a cell of their own, under the setup cell
    at = next(i for i, c in enumerate(nb.cells) if cell_key(c) == "setup") + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell("my_note = 'ask Dr. Reyes about the Tucson elective'"))
    nbformat.write(nb, mine)
    assert _git(learner, "status", "--porcelain").stdout == "", "my_work/ must be ignored by git"
    before = _snapshot(learner / "my_work")
    old_bytes = mine.read_bytes()

    # The kit's authors change the module's instructions and rebuild notebooks/ (a new version).
    source = upstream / "solutions" / MODULE / f"{MODULE}.ipynb"
    src = nbformat.read(source, as_version=4)
    header = next(c for c in src.cells if cell_key(c) == "header")
    header.source += "\n\n**New in this version:** a worked example for a learner with ties in two states."
    nbformat.write(src, source)
    build_learner_notebooks(base=upstream, only=[MODULE])
    _git(upstream, "commit", "-q", "-am", "Module 03: a new worked example")

    pulled = _git(learner, "pull", "--no-rebase", "--no-edit")
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    assert _git(learner, "status", "--porcelain").stdout == ""
    assert _snapshot(learner / "my_work") == before, "git pull changed the learner's work"
    assert "New in this version" in (learner / "notebooks" / MODULE / f"{MODULE}.ipynb").read_text()

    said = _workspace(learner)
    assert "newer version" in said and "previous copy is kept" in said
    earlier = list((learner / "my_work" / MODULE / EARLIER).glob(f"{MODULE}-*.ipynb"))
    assert len(earlier) == 1 and earlier[0].read_bytes() == old_bytes, "the previous copy is kept byte for byte"
    assert str(earlier[0].relative_to(learner)) in said
    updated = nbformat.read(mine, as_version=4)
    assert "New in this version" in _source(updated, "header")
    assert _source(updated, ANSWER) == typed
    keys = [cell_key(c) for c in updated.cells]
    note = next(i for i, c in enumerate(updated.cells) if "Dr. Reyes" in c.source)
    assert keys[note - 1] == "setup", "a cell the learner added stays where they put it"
    # nbgrader sees the new version's locked cells untouched: Validate and grading accept the copy.
    from nbgrader.validator import Validator

    assert Validator()._get_changed_cells(updated) == []
    nbformat.validate(updated)
    assert "up to date" in _workspace(learner)
    assert len(list((learner / "my_work" / MODULE / EARLIER).iterdir())) == 1, "no second copy without a change"


def test_a_learners_edit_to_a_cell_the_kit_also_changed_is_named_and_kept_in_the_earlier_copy():
    release = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    free = next(c for c in release.cells if not nbgrader_meta(c) and c.cell_type == "code")
    mine = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    stamp(mine, release, MODULE)
    next(c for c in mine.cells if c.id == free.id).source += "\n# my tweak"
    answer = next(c for c in mine.cells if cell_key(c) == ANSWER)
    answer.source = "my_answer = 42"
    newer = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    next(c for c in newer.cells if c.id == free.id).source += "\n# the kit's fix"
    result = merge(mine, newer)
    assert free.id in result.left_behind and ANSWER in result.carried
    assert "the kit's fix" in _source(result.nb, free.id) and "my tweak" not in _source(result.nb, free.id)
    assert _source(result.nb, ANSWER) == "my_answer = 42"


def _run_notebook(path: Path) -> list[str]:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]


def test_running_a_solutions_notebook_leaves_the_saved_parts_unchanged(tmp_path, monkeypatch):
    module = "00_start_here"
    kit = _kit(tmp_path / "kit", module)
    plan = kit / "my_work" / "my_plan"
    plan.mkdir(parents=True)
    (plan / "profile.json").write_text(
        '{"kind": "value", "value": {"name": "Amara", "target_specialty": "Pediatrics"}}', encoding="utf-8"
    )
    before = _snapshot(plan)
    monkeypatch.delenv(HOME_ENV, raising=False)  # as on a learner's laptop
    monkeypatch.setenv(WORK_ENV, str(kit / "my_work"))

    outputs = _run_notebook(kit / "solutions" / module / f"{module}.ipynb")
    assert _snapshot(plan) == before, "the solutions notebook wrote the learner's saved parts"
    scratch = kit / "build" / "solutions_state"
    assert (scratch / "profile.json").is_file(), "the solutions notebook's own saves go to its scratch folder"
    assert any("This is a solutions notebook" in text and str(scratch) in text for text in outputs)

    # The same notebook as the learner's own copy does save into my_work/my_plan (the wiring is real).
    mine = kit / "my_work" / module / f"{module}.ipynb"
    mine.parent.mkdir()
    shutil.copy(kit / "solutions" / module / f"{module}.ipynb", mine)
    outputs = _run_notebook(mine)
    assert _snapshot(plan) != before
    assert not any("This is a solutions notebook" in text for text in outputs)


def test_a_solutions_notebook_is_recognised_by_its_folder_or_by_jupyterlabs_session_name(tmp_path, monkeypatch):
    kit = _kit(tmp_path / "kit", "00_start_here")
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(kit / "solutions" / "00_start_here")
    assert running_solutions_notebook() == kit.resolve()
    monkeypatch.chdir(kit / "notebooks" / "00_start_here")
    assert running_solutions_notebook() is None
    monkeypatch.setenv("JPY_SESSION_NAME", str(kit / "solutions" / "00_start_here" / "00_start_here.ipynb"))
    assert running_solutions_notebook() == kit.resolve()


def test_answers_typed_into_notebooks_before_my_work_existed_reach_the_new_version():
    """A learner who typed into notebooks/ (older kits): the first copy records their answers as 'the release'."""
    fresh = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    typed = build_submission(
        ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", {ANSWER}
    )
    mine = copy.deepcopy(typed)
    stamp(mine, typed, MODULE)  # what the first `rotation-kit workspace` did with that notebooks/ copy
    newer = copy.deepcopy(fresh)
    next(c for c in newer.cells if cell_key(c) == "header").source += "\n\nNew."
    stub = next(c for c in newer.cells if cell_key(c) == SECOND_ANSWER)
    stub.source = "# (new hint)\n" + stub.source
    result = merge(mine, newer)
    assert _source(result.nb, ANSWER) == _source(typed, ANSWER) and ANSWER in result.carried
    assert "(new hint)" in _source(result.nb, SECOND_ANSWER), "an untouched stub follows the new version"
    assert result.carried == [ANSWER]


def _with_old_stubs(nb):
    """A copy as nbgrader made it before the kit's `...` stub: `# YOUR CODE HERE` + `raise NotImplementedError()`."""
    old = copy.deepcopy(nb)
    for cell in old.cells:
        if is_solution(cell) and cell.cell_type == "code":
            cell.source = "\n".join(
                f"{line[: len(line) - len(line.lstrip())]}# YOUR CODE HERE\n"
                f"{line[: len(line) - len(line.lstrip())]}raise NotImplementedError()"
                if line.strip() == "..."
                else line
                for line in cell.source.split("\n")
            )
    return old


@pytest.mark.parametrize("recorded", [True, False], ids=["with_record", "copy_before_records"])
def test_copies_made_with_the_old_stub_or_the_new_one_count_as_untouched(recorded):
    release = nbformat.read(ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    old_release = _with_old_stubs(release)
    stubs = [c.source for c in old_release.cells if is_solution(c) and c.cell_type == "code"]
    assert stubs and all("raise NotImplementedError()" in s and "..." not in s.split("\n")[-1] for s in stubs)
    mine = copy.deepcopy(old_release)
    if recorded:
        stamp(mine, old_release, MODULE)
    typed = solution_source(_source(nbformat.read(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", 4), ANSWER))
    next(c for c in mine.cells if cell_key(c) == ANSWER).source = typed
    result = merge(mine, release)
    assert result.carried == [ANSWER], "only the answer the learner typed is carried; old stubs are not"
    for cell in result.nb.cells:
        if is_solution(cell) and cell_key(cell) != ANSWER:
            assert "NotImplementedError" not in cell.source and cell.source == _source(release, cell_key(cell))
    for cell in release.cells:  # the new stubs, and the old ones written alike, are untouched
        if is_solution(cell) and cell.cell_type == "code":
            assert untouched_answer(cell.source, cell.source)
            old = _source(old_release, cell_key(cell))
            assert untouched_answer(old, cell.source) and with_new_stubs(old) == cell.source
    assert not untouched_answer(typed, _source(release, ANSWER))
    assert not untouched_answer("# my note: ask about visas\n...", "..."), "a comment the learner typed is theirs"
    template = 'my_weights = {"informatics": ..., "prestige": ...}\n...'
    assert untouched_answer(template, template)
    assert not untouched_answer('my_weights = {"informatics": 3, "prestige": ...}\n...', template)
    assert not untouched_answer('my_weights = {"informatics": ..., "prestige": ...}\nmy_weights = {"x": 1}', template)
