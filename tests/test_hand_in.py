"""Handing in without a hub: the last cell's file is collected under the right learner and graded by nbgrader.

The unit tests cover the file itself (named by the learner id from the profile, the saved notebook only,
the plan only when asked, a clear message without an id); the pipeline test runs a learner's copy with
the integrator's last cell appended in a real kernel (nbclient), collects what it wrote with
`rotation-kit grade collect --folder`, and grades it with `rotation-kit grade autograde` (real nbgrader).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from support import ROOT, grade_cli

from rotation_kit.course import module_points
from rotation_kit.course.submissions import build_submission
from rotation_kit.runtime.hand_in import HandInError, hand_in, write_hand_in
from rotation_kit.runtime.paths import HOME_ENV, WORK_ENV, temporary_env
from rotation_kit.runtime.profile import SAMPLE_PROFILE, saved_learner_id
from rotation_kit.runtime.state import save_part

M = "00_start_here"


def last_cell(module: str) -> str:
    """The cell the integrator appends to every notebook."""
    return f'from rotation_kit.runtime.hand_in import hand_in\nhand_in("{module}")'


def _laptop(tmp_path: Path, module: str = M) -> Path:
    """A learner's my_work/ with an untouched copy of `module` and a saved plan."""
    work = tmp_path / "my_work"
    (work / module).mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / module / f"{module}.ipynb", work / module / f"{module}.ipynb")
    return work


def _env(work: Path):
    return temporary_env(**{WORK_ENV: str(work), HOME_ENV: str(work / "my_plan")})


def test_without_an_id_nothing_is_written_and_the_message_asks_for_it(tmp_path):
    work = _laptop(tmp_path)
    with _env(work):
        with pytest.raises(HandInError, match='learner_id="your-id"'):
            write_hand_in(M, work=work)
        with pytest.raises(HandInError, match="cannot be used in a file name"):
            write_hand_in(M, learner_id="Amara Osei", work=work)
    assert not (work / "hand_in").exists()


def test_the_file_is_the_saved_notebook_named_by_the_id_and_the_plan_only_on_request(tmp_path):
    work = _laptop(tmp_path)
    with _env(work):
        save_part("profile", {**SAMPLE_PROFILE, "name": "Amara"})
        save_part("budget", {"usd": 9000})
        done = write_hand_in(M, learner_id="amara", work=work)
        assert saved_learner_id() == "amara"  # remembered in the profile...
        profile = json.loads((work / "my_plan" / "profile.json").read_text())
        assert profile["value"]["name"] == "Amara" and profile["source"] == "yours"  # ...and nothing else changed
        assert done.path == work / "hand_in" / f"amara__{M}.ipynb" and not done.plan_files
        assert done.path.read_bytes() == (work / M / f"{M}.ipynb").read_bytes()

        shared = write_hand_in(M, include_plan=True, work=work)  # the id now comes from the profile
        assert shared.path.name == f"amara__{M}.zip" and not done.path.exists()
        with zipfile.ZipFile(shared.path) as archive:
            names = set(archive.namelist())
            manifest = json.loads(archive.read("hand_in.json"))
        assert names == {f"{M}.ipynb", "hand_in.json", "my_plan/profile.json", "my_plan/budget.json"}
        assert manifest["learner_id"] == "amara" and manifest["plan_included"] is True

        again = write_hand_in(M, work=work)  # changed their mind: the zip with the plan does not stay behind
        assert again.path.suffix == ".ipynb" and not shared.path.exists()


def test_the_last_cell_hands_in_nothing_outside_the_learners_own_copy(tmp_path, capsys, monkeypatch):
    work = _laptop(tmp_path)
    monkeypatch.chdir(tmp_path)
    with temporary_env(**{WORK_ENV: str(work)}):
        os.environ.pop(HOME_ENV, None)
        assert hand_in(M, learner_id="amara") is None
    assert "not your copy" in capsys.readouterr().out and not (work / "hand_in").exists()


def test_the_command_hands_in_every_module_copy_and_asks_for_the_id_once(tmp_path, capsys):
    from rotation_kit.cli import main

    kit = tmp_path / "kit"
    for module in (M, "03_where_to_rotate"):
        _laptop(kit, module)
    assert main(["hand-in", "--kit", str(kit)]) == 1
    assert "--learner-id" in capsys.readouterr().err and not (kit / "my_work" / "hand_in").exists()
    assert main(["hand-in", "--kit", str(kit), "--learner-id", "l07"]) == 0
    made = sorted(p.name for p in (kit / "my_work" / "hand_in").iterdir())
    assert made == [f"l07__{M}.ipynb", "l07__03_where_to_rotate.ipynb"], made
    assert main(["hand-in", "03_where_to_rotate", "--kit", str(kit), "--include-plan"]) == 0  # the id is kept
    assert (kit / "my_work" / "hand_in" / "l07__03_where_to_rotate.zip").is_file()


def _run(nb, folder: Path, work: Path):
    """Run the notebook as JupyterLab would from my_work/<module>/ (kernel in that folder, make lab's variables)."""
    saved = os.environ.pop(HOME_ENV, None)
    try:
        with temporary_env(**{WORK_ENV: str(work), "MPLBACKEND": "Agg"}):
            NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
            ).execute()
    finally:
        if saved is not None:
            os.environ[HOME_ENV] = saved
    return nb.cells[-1]


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


def _learner_copy(work: Path, module: str, solved: bool) -> Path:
    learner = ROOT / "notebooks" / module / f"{module}.ipynb"
    nb = (
        build_submission(learner, ROOT / "solutions" / module / f"{module}.ipynb")
        if solved
        else nbformat.read(learner, as_version=4)
    )
    nb.cells.append(nbformat.v4.new_code_cell(last_cell(module)))
    path = work / module / f"{module}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)  # what Ctrl+S leaves on disk
    return path


def _score(course_root: Path, module: str, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_root / 'grading' / 'gradebook.db'}") as gb:
        return gb.find_submission(module, student).score


@pytest.mark.pipeline
def test_the_last_cells_file_is_collected_under_the_learner_and_graded(tmp_path):
    from rotation_kit.commands.grade.demo import new_course

    # Amara's laptop: her solved copy of module 00 with the last cell, run in a kernel as JupyterLab would.
    amara = tmp_path / "amara" / "my_work"
    path = _learner_copy(amara, M, solved=True)
    asked = _run(nbformat.read(path, as_version=4), path.parent, amara)
    assert "id your facilitator gave you" in _text(asked) and not (amara / "hand_in").exists()

    with temporary_env(**{HOME_ENV: str(amara / "my_plan")}):  # what the message asks her to do, once
        write_hand_in(M, learner_id="amara", work=amara)
    (amara / "hand_in" / f"amara__{M}.ipynb").unlink()
    last = _run(nbformat.read(path, as_version=4), path.parent, amara)  # module 00 saves her profile again...
    handed = amara / "hand_in" / f"amara__{M}.ipynb"
    assert f"Handed in {M} for amara" in _text(last), _text(last)  # ...and the id it holds is kept
    assert handed.read_bytes() == path.read_bytes()

    # Lin's laptop: an untouched copy, handed in with the plan; and a code-lab hand-in in the same inbox.
    lin = tmp_path / "lin" / "my_work"
    _learner_copy(lin, M, solved=False)
    with temporary_env(**{HOME_ENV: str(lin / "my_plan")}):
        save_part("profile", {**SAMPLE_PROFILE, "name": "Lin"})
        lin_file = write_hand_in(M, learner_id="l07", include_plan=True, work=lin).path
    lab = f"{M}_code"
    shutil.copy(ROOT / "notebooks" / lab / f"{lab}.ipynb", tmp_path / f"amara__{lab}.ipynb")

    inbox = tmp_path / "inbox"  # the facilitator's USB stick
    inbox.mkdir()
    for file in (handed, lin_file, tmp_path / f"amara__{lab}.ipynb"):
        shutil.copy(file, inbox / file.name)

    course = new_course(tmp_path / "course", [M, lab], log=lambda *a: None, templates=False)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\namara,Amara,Osei,\nl07,Lin,Wei,\n")
    grade_cli("roster", str(roster), "--course", str(course.root))
    said = grade_cli("collect", M, "--folder", str(inbox), "--course", str(course.root))
    assert "collected submissions from 2 learner(s)" in said, said
    assert f"skipped amara__{lab}.ipynb" in said, said  # the lab's hand-in is not module 00's

    submitted = course.submitted
    assert (submitted / "amara" / M / f"{M}.ipynb").read_bytes() == handed.read_bytes()
    assert sorted(p.name for p in (submitted / "l07" / M).iterdir()) == [f"{M}.ipynb"]  # no plan in the submission
    assert (course.grading / "shared_plans" / "l07" / "profile.json").is_file()  # kept apart, as she chose
    assert not (course.grading / "shared_plans" / "amara").exists()

    # The same files uploaded to a learning platform and downloaded as one zip: nbgrader's zip_collect unpacks
    # Lin's hand-in zip inside it; the kit takes her notebook for grading and her plan apart.
    shutil.rmtree(submitted)
    shutil.rmtree(course.grading / "shared_plans")
    lms = tmp_path / "lms-download.zip"
    with zipfile.ZipFile(lms, "w") as download:
        for file in sorted(inbox.iterdir()):
            download.write(file, f"submissions/{file.name}")
    said = grade_cli("collect", M, "--zip", str(lms), "--course", str(course.root))
    assert "collected submissions from 2 learner(s)" in said, said
    assert (submitted / "amara" / M / f"{M}.ipynb").read_bytes() == handed.read_bytes()
    assert sorted(p.name for p in (submitted / "l07" / M).iterdir()) == [f"{M}.ipynb"]
    assert (course.grading / "shared_plans" / "l07" / "profile.json").is_file()

    grade_cli("autograde", M, "--course", str(course.root), "--no-progress")
    auto, _manual = module_points(M)
    assert _score(course.root, M, "amara") == pytest.approx(auto)
    assert _score(course.root, M, "l07") == 0
