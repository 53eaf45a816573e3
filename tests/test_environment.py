"""The kit's packaging: what each audience installs, that it is complete and pinned, and the test tools work.

The pip path (pyproject.toml) and the conda path (environment.yml, environment-test.yml) install the same
packages; every library src/ imports is declared (deptry); constraints.txt pins all of them; learners get no
test tools; pytest-xdist's grouping, which the suite relies on, still works with the pytest we allow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement
from support import ROOT

TESTS = ROOT / "tests"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _conda_packages(file: str) -> set[str]:
    packages, section = set(), None
    for line in (ROOT / file).read_text().splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.\-]+)", line)
        if section == "dependencies" and match and match.group(1) not in ("python", "pip"):
            packages.add(_name(match.group(1)))
    return packages


def test_environment_files_list_the_same_packages_as_pyproject():
    """environment.yml is the learner's environment (the dependencies), environment-test.yml adds the test extra.
    The hub extra is installed only by `make hub-setup` (pip), so neither file has it."""
    project = _project()
    learner = {_name(r) for r in project["dependencies"]}
    tests = {_name(r) for r in project["optional-dependencies"]["test"]}
    for file, pip_side in (("environment.yml", learner), ("environment-test.yml", tests)):
        conda_side = _conda_packages(file)
        assert pip_side == conda_side, (
            f"{file}: only in pyproject: {sorted(pip_side - conda_side)}; only in {file}: {sorted(conda_side - pip_side)}"
        )


def test_every_library_the_kit_imports_is_declared():
    """deptry: nothing src/ imports is missing from pyproject's dependencies or only there by way of another package,
    and nothing listed is unused (known exceptions, with the reason, under [tool.deptry] in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "deptry", "src"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, f"deptry found dependency problems:\n{result.stdout}{result.stderr}"


def _pins() -> dict[str, list[tuple[str, str]]]:
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(?:;\s*(.*))?$", line)
        if match:
            pins.setdefault(_name(match.group(1)), []).append((match.group(2), match.group(3) or ""))
    return pins


def test_constraints_pin_every_requirement_within_its_range():
    """`make lab` and `make test` install from constraints.txt; after a change to pyproject.toml, `make lock` refreshes it."""
    pins = _pins()
    project = _project()
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        versions = pins.get(_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name} is not pinned")
        for version, _marker in versions or []:
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    assert not problems, "constraints.txt is out of date with pyproject.toml; run `make lock`:\n" + "\n".join(problems)


def test_learners_install_no_test_tools_and_make_test_adds_them(tmp_path):
    """What `make lab` and `make test` would run for a new environment (make -n: nothing is run)."""
    venv = tmp_path / "venv"

    def plan(target: str) -> str:
        result = subprocess.run(
            ["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    lab, test = plan("lab"), plan("test")
    lab_installs = [line for line in lab.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert lab_installs and all("-c constraints.txt" in line and "[test]" not in line for line in lab_installs), lab
    assert re.search(r"pip install .*-c constraints\.txt -e \"?\.\[test\]", test), test


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)


def test_readme_reports_each_modules_points_and_the_total():
    """One table for the main path and one for the optional code labs, each with its own total (never summed)."""
    from rotation_kit.course import code_labs, main_modules, module_points

    readme = (ROOT / "README.md").read_text()
    for assignments, total_label in ((main_modules(ROOT), "total"), (code_labs(ROOT), "code lab total")):
        total_auto = total_manual = 0
        for module in assignments:
            auto, manual = module_points(module, ROOT)
            total_auto, total_manual = total_auto + auto, total_manual + manual
            assert re.search(rf"^\| {module} \|.*\| {auto:g} \| {manual:g} \|$", readme, re.M), (
                f"README points for {module}"
            )
        assert f"| **{total_label}** | | **{total_auto:g}** | **{total_manual:g}** |" in readme


XDIST_PROBE = """
import os, pathlib, sys, time
import pytest

sys.path.insert(0, {tests!r})
from shared import build_once

RECORD = pathlib.Path({record!r})

def _note(name):
    time.sleep(0.2)
    with open(RECORD / (name + "-" + os.environ["PYTEST_XDIST_WORKER"]), "w"):
        pass

@pytest.mark.xdist_group("one_group")
@pytest.mark.parametrize("n", range(4))
def test_grouped(n):
    _note(f"grouped{{n}}-{{{module!r}}}")

@pytest.mark.parametrize("n", range(6))
def test_free(n, tmp_path_factory):
    _note(f"free{{n}}-{{{module!r}}}")
    built = build_once(tmp_path_factory, "probe", lambda folder: (RECORD / ("built-" + os.environ["PYTEST_XDIST_WORKER"])).touch() or 42)
    assert built == 42
"""


def test_xdist_loadgroup_keeps_a_group_on_one_worker(tmp_path):
    """The suite starts each JupyterHub and JupyterLab once because `--dist loadgroup` keeps an xdist_group on
    one worker. pytest 9.2 broke that (pytest-xdist#1386), hence pytest<9.2 in pyproject.toml; this fails
    the day grouping stops working, and passing with a newer pytest means the cap can go. It also checks that
    tests/shared.py's build_once builds once for all workers."""
    record = tmp_path / "record"
    record.mkdir()
    project = tmp_path / "probe"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n")
    for module in ("a", "b"):
        (project / f"test_{module}.py").write_text(
            XDIST_PROBE.format(tests=str(TESTS), record=str(record), module=module)
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "--no-loadscope-reorder",
            str(project),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = [path.name.rsplit("-", 1) for path in record.iterdir() if not path.name.startswith("built-")]
    grouped = {worker for name, worker in ran if name.startswith("grouped")}
    assert len(ran) == 20, f"expected 20 tests recorded; got {sorted(ran)}"
    assert len({worker for _, worker in ran}) == 2, f"expected both workers to run tests; got {sorted(ran)}"
    assert len(grouped) == 1, (
        f"the 8 tests of one xdist_group ran on workers {sorted(grouped)}: --dist loadgroup no longer groups "
        f"(pytest-xdist#1386?). Keep the pytest cap in pyproject.toml until this passes."
    )
    built = [path.name for path in record.iterdir() if path.name.startswith("built-")]
    assert len(built) == 1, f"build_once should build once for the whole run; built on {built}"
