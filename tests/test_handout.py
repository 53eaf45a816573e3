"""`rotation-kit handout`: the room's zip holds what learners need and nothing that gives answers away.

Built once per session (nbgrader generate_assignment for every module), unzipped, scanned; the scan itself
is shown to catch each kind of material it must keep out; and the unzipped folder installs with `make lab`'s
own install step into a fresh environment, and runs an untouched module top to bottom with nbclient there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from support import ROOT

from rotation_kit.commands.handout import EXCLUDED_SOURCE, SHEET, build_handout, solution_material
from rotation_kit.course import code_labs, main_modules

pytestmark = pytest.mark.xdist_group("handout")
UNTOUCHED = "00_start_here"  # the module run from the unzipped folder (see the report if it changes)


def _unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as zipped:
        tops = {name.split("/", 1)[0] for name in zipped.namelist()}
        assert len(tops) == 1, f"one top folder, so unzipping never scatters files; got {sorted(tops)}"
        zipped.extractall(into)
    return into / tops.pop()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return build_handout(tmp_path_factory.mktemp("handout") / "handout.zip", ROOT)


@pytest.fixture
def unzipped(archive, tmp_path) -> Path:
    """The handout as a learner unzips it, a fresh copy for each test."""
    return _unzip(archive, tmp_path / "room")


def test_it_holds_the_learner_notebooks_data_runtime_sheet_and_install_files(unzipped):
    for module in [*main_modules(ROOT), *code_labs(ROOT)]:
        assert (unzipped / "notebooks" / module / f"{module}.ipynb").is_file(), module
    assert (unzipped / "data" / "programs.csv").is_file() and (unzipped / "data" / "README.md").is_file()
    for name in ("pyproject.toml", "constraints.txt", "Makefile", "nbgrader_config.py", "README.md", "LICENSE"):
        assert (unzipped / name).is_file(), name
    for runtime in ("runtime/checks.py", "runtime/hand_in.py", "lessons/where_to_rotate.py", "commands/lab.py"):
        assert (unzipped / "src" / "rotation_kit" / runtime).is_file(), runtime
    sheet = (unzipped / SHEET).read_text(encoding="utf-8")
    for step in ("Install", "Shift+Enter", "Where to type", "Hand in", "hand_in(", "make lab", "pip install"):
        assert step in sheet, f"the learner sheet should cover {step!r}"
    assert len(sheet.split()) < 700, "the sheet must fit one printed page"


def test_nothing_holding_solutions_hidden_tests_or_mark_schemes_is_inside(unzipped):
    assert solution_material(unzipped) == []
    assert not any((unzipped / name).exists() for name in ("solutions", "grading", "tests", "my_work"))
    for part in EXCLUDED_SOURCE:
        assert not (unzipped / "src" / "rotation_kit" / part).exists(), part
    for path in unzipped.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".md", ".csv", ".json", ".html"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
                assert marker not in text, f"{path.relative_to(unzipped)} holds {marker!r}"


def test_the_scan_finds_each_kind_of_material_it_keeps_out(unzipped, tmp_path):
    planted = tmp_path / "planted"
    shutil.copytree(unzipped, planted)
    (planted / "solutions" / "03_where_to_rotate").mkdir(parents=True)
    shutil.copy(
        ROOT / "solutions" / "03_where_to_rotate" / "03_where_to_rotate.ipynb",
        planted / "solutions" / "03_where_to_rotate",
    )
    nb = nbformat.read(planted / "notebooks" / "03_where_to_rotate" / "03_where_to_rotate.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS"))
    nbformat.write(nb, planted / "notebooks" / "03_where_to_rotate" / "03_where_to_rotate.ipynb")
    lesson = planted / "src" / "rotation_kit" / "lessons" / "start_here.py"
    lesson.write_text(lesson.read_text() + "\n\ndef f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n")
    (planted / "data" / "gradebook.db").write_bytes(b"SQLite")
    (planted / "src" / "rotation_kit" / "datasets").mkdir()
    found = "\n".join(solution_material(planted))
    for expected in (
        "solutions/03_where_to_rotate",
        "03_where_to_rotate.ipynb: cell",
        "lessons/start_here.py: a solution",
        "data/gradebook.db",
        "rotation_kit/datasets",
    ):
        assert expected in found, f"the scan missed {expected}:\n{found}"


def _clean_env() -> dict[str, str]:
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("ROTATION_KIT_")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


RUN_UNTOUCHED = """
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(
    nb, timeout=300, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": sys.argv[2]}}
).execute()
errors = [
    [c.id, "raises-exception" in c.metadata.get("tags", []), o.get("ename", ""), o.get("evalue", "")[:300]]
    for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
]
code = [c for c in nb.cells if c.cell_type == "code"]
print(json.dumps({"errors": errors, "all_ran": all(c.execution_count for c in code)}))
"""
#: What a handout missing a piece of the kit would raise (its package, data, settings or templates not found).
HANDOUT_FAILURES = ("ModuleNotFoundError", "ImportError", "KitNotFound", "FileNotFoundError", "TemplateNotFound")


def _run_untouched(python: str, notebook: Path, folder: Path, env: dict[str, str]) -> dict:
    ran = subprocess.run(
        [python, "-c", RUN_UNTOUCHED, str(notebook), str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert ran.returncode == 0, f"{notebook.name} could not be run:\n{ran.stderr[-4000:]}"
    return json.loads(ran.stdout.strip().splitlines()[-1])


@pytest.mark.install
def test_installs_with_make_labs_own_step_and_runs_an_untouched_module(unzipped):
    env = _clean_env()
    # `make lab` = this install step, then `rotation-kit lab` (workspace + JupyterLab); the JupyterLab part is
    # left out here (it would take over the process), its two preparation steps are run below.
    install = subprocess.run(
        ["make", ".venv/.installed-lab", f"PYTHON={sys.executable}"],
        cwd=unzipped,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    bin_dir = unzipped / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    kit = str(bin_dir / "rotation-kit")

    commands = subprocess.run([kit, "--help"], cwd=unzipped, env=env, capture_output=True, text=True, timeout=120)
    verbs = set(re.search(r"\{([^}]*)\}", commands.stdout)[1].split(","))
    assert "hand-in" in verbs and "check" in verbs, commands.stdout
    assert not verbs & {"grade", "data"}, f"the instructor's and authors' commands are not in a handout: {verbs}"

    workspace = subprocess.run(
        [kit, "workspace", "--kit", str(unzipped)], cwd=unzipped, env=env, capture_output=True, text=True, timeout=300
    )
    assert workspace.returncode == 0, workspace.stdout[-2000:] + workspace.stderr[-2000:]
    mine = unzipped / "my_work" / UNTOUCHED / f"{UNTOUCHED}.ipynb"
    assert mine.is_file(), workspace.stdout
    listed = subprocess.run(  # `rotation-kit lab`'s other step: the modules in JupyterLab's Assignment List
        [str(bin_dir / "python"), "-c", "from rotation_kit.commands.lab import prepare_lab; print(prepare_lab())"],
        cwd=unzipped,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0 and UNTOUCHED in listed.stdout, listed.stdout[-2000:] + listed.stderr[-2000:]

    # Run All on the untouched copy, in the handout's own environment, as `make lab` starts it ...
    run_env = {**env, "ROTATION_KIT_WORK": str(unzipped / "my_work"), "MPLBACKEND": "Agg"}
    handout_run = _run_untouched(str(bin_dir / "python"), mine, mine.parent, run_env)
    assert handout_run["all_ran"], "Run All reached the last cell"
    missing = [e for e in handout_run["errors"] if e[2] in HANDOUT_FAILURES]
    assert not missing, f"the handout lacks something the notebook needs: {missing}"
    # ... raises exactly what the same untouched notebook raises in the kit's checkout (the handout adds
    # nothing), and that is only check cells saying there is no answer yet (the main path's promise).
    reference = ROOT / "notebooks" / UNTOUCHED / f"{UNTOUCHED}.ipynb"
    assert (
        nbformat.read(reference, as_version=4).cells
        == nbformat.read(unzipped / "notebooks" / UNTOUCHED / f"{UNTOUCHED}.ipynb", as_version=4).cells
    ), "the handout's notebook is the kit's learner notebook"
    scratch = unzipped.parent / "kit-run"
    scratch.mkdir()
    kit_env = {**_clean_env(), "ROTATION_KIT_HOME": str(scratch / "my_plan"), "MPLBACKEND": "Agg"}
    kit_run = _run_untouched(sys.executable, reference, scratch, kit_env)
    assert [e[:3] for e in handout_run["errors"]] == [e[:3] for e in kit_run["errors"]]
    stops = [e for e in handout_run["errors"] if not (e[1] and "no answer yet" in e[3])]
    assert not stops, f"only check cells may stop an untouched notebook, saying there is no answer yet: {stops}"

    # nbgrader's Validate button (notebook toolbar, Assignment List) on the same copy, with the handout's config.
    validate = subprocess.run(
        [str(bin_dir / "python"), "-m", "nbgrader", "validate", str(mine)],
        cwd=unzipped,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    said = validate.stdout + validate.stderr
    assert not [name for name in HANDOUT_FAILURES if name in said], said[-3000:]
    assert "VALIDATION FAILED" in said and "no answer yet" in said, said[-3000:]  # untouched: checks say why

    handed = subprocess.run(
        [kit, "hand-in", UNTOUCHED, "--learner-id", "l07"],
        cwd=unzipped,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert handed.returncode == 0, handed.stdout + handed.stderr
    assert (unzipped / "my_work" / "hand_in" / f"l07__{UNTOUCHED}.ipynb").is_file()
