"""The pip path (pyproject.toml) and the conda path (environment.yml) install the same packages."""

from __future__ import annotations

import re
import tomllib

from support import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        pip_side |= {_name(r) for r in extra}
    conda_side = set()
    section = None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.\-]+)", line)
        if section == "dependencies" and match and match.group(1) not in ("python", "pip"):
            conda_side.add(_name(match.group(1)))
    assert pip_side == conda_side, f"only in pyproject: {pip_side - conda_side}; only in environment.yml: {conda_side - pip_side}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)


def test_readme_reports_each_modules_points_and_the_total():
    from rotation_kit.course import module_points, modules

    readme = (ROOT / "README.md").read_text()
    total_auto = total_manual = 0
    for module in modules(ROOT):
        auto, manual = module_points(module, ROOT)
        total_auto, total_manual = total_auto + auto, total_manual + manual
        assert re.search(rf"^\| {module} \|.*\| {auto:g} \| {manual:g} \|$", readme, re.M), f"README points for {module}"
    assert f"| **total** | | **{total_auto:g}** | **{total_manual:g}** |" in readme
