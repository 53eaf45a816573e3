"""The package's layout (README, "For contributors"): who each part is for, and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import ROOT

import rotation_kit
from rotation_kit.course import main_module_of, modules

PACKAGE = Path(rotation_kit.__file__).parent
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "_startup.py"}


def _imports(path: Path) -> set[str]:
    """Absolute names of the rotation_kit modules a file imports."""
    here = ["rotation_kit", *path.relative_to(PACKAGE).with_suffix("").parts]
    package = here[:-1]  # the package a relative import starts from (for __init__ too)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {n for n in found if n.startswith("rotation_kit")}


def test_the_top_level_holds_only_the_entry_points():
    assert {p.name for p in PACKAGE.glob("*.py")} <= TOP_LEVEL
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "runtime",
        "lessons",
        "course",
        "commands",
        "datasets",
    }


def test_each_notebook_has_a_lesson_named_after_it():
    lessons = {p.stem for p in (PACKAGE / "lessons").glob("*.py")} - {"__init__"}
    assert {main_module_of(m).split("_", 1)[1] for m in modules(ROOT)} <= lessons


@pytest.mark.parametrize("folder", ["runtime", "lessons"])
def test_what_learners_run_never_imports_a_data_generator_or_a_command(folder):
    for path in (PACKAGE / folder).glob("*.py"):
        bad = {n for n in _imports(path) if n.startswith(("rotation_kit.datasets", "rotation_kit.commands"))}
        assert not bad, f"{path.name} imports {sorted(bad)}"
