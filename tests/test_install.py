"""A plain `pip install .` from a clean copy of the kit works: the command, its version, and a self-check.

What a workshop laptop without `make` does (README, Windows): a real virtual environment and a real install
from the package index, with constraints.txt, so it takes a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

import rotation_kit

pytestmark = pytest.mark.install


def _clean_copy(dest: Path) -> Path:
    """The kit's tracked files as they are now (a fresh clone, with uncommitted edits): no .venv, no build/."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def test_pip_install_dot_gives_a_working_command_without_test_tools(tmp_path):
    kit = _clean_copy(tmp_path / "kit")
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "."],
        cwd=kit,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    warnings = [line for line in (install.stdout + install.stderr).splitlines() if "deprecat" in line.lower()]
    assert not warnings, "the build warns about something deprecated:\n" + "\n".join(warnings)

    command = str(bin_dir / "rotation-kit")
    version = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=120, env=env)
    assert version.stdout.strip() == f"rotation-kit {rotation_kit.__version__}", version.stdout + version.stderr

    for tool in ("pytest", "playwright", "deptry"):
        found = subprocess.run([str(bin_dir / "python"), "-c", f"import {tool}"], capture_output=True, timeout=60)
        assert found.returncode != 0, f"a learner's install should not include the test tool {tool}"

    # Run from the kit's folder, the installed (not editable) package finds its data and modules there.
    notebook = Path("notebooks") / "03_where_to_rotate" / "03_where_to_rotate.ipynb"
    check = subprocess.run(
        [command, "check", str(notebook)], cwd=kit, capture_output=True, text=True, timeout=600, env=env
    )
    assert check.returncode == 1 and "Module 03_where_to_rotate" in check.stdout and "no answer yet" in check.stdout, (
        f"expected a self-check report of the untouched notebook (exit 1, no answers yet); "
        f"got exit {check.returncode}:\n{check.stdout[-2000:]}{check.stderr[-2000:]}"
    )
    assert "Traceback" not in check.stderr, check.stderr
