"""`make lab`: the learner's JupyterLab on their copies in my_work/, with nbgrader's panels working on them
and the instructor's tools (formgrader, create-assignment) off."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from support import ROOT

from rotation_kit.commands.lab import lab_command, lab_env, missing_releases, prepare_lab
from rotation_kit.commands.workspace import update_workspace
from rotation_kit.course import modules, nbgrader_config
from rotation_kit.course.submissions import build_submission
from rotation_kit.runtime.paths import temporary_env


def test_the_assignment_list_reads_the_same_settings_from_the_kit_and_from_my_work(monkeypatch, tmp_path):
    monkeypatch.delenv("ROTATION_KIT_EXCHANGE", raising=False)
    # The panel loads nbgrader settings from the server's folder, then from the folder of the downloaded
    # assignments (the learner's my_work/, where `rotation-kit workspace` puts notebooks/nbgrader_config.py):
    # both must name the same exchange, course and folder of copies.
    kit = tmp_path / "kit"
    (kit / "my_work").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    shutil.copy(ROOT / "notebooks" / "nbgrader_config.py", kit / "my_work")
    top, inner = nbgrader_config(kit), nbgrader_config(kit / "my_work")
    assert top.Exchange.root == inner.Exchange.root == str(kit / "grading" / "exchange")
    assert top.Exchange.assignment_dir == inner.Exchange.assignment_dir == str(kit / "my_work")
    assert top.CourseDirectory.course_id == inner.CourseDirectory.course_id
    assert "earlier_versions" in top.CourseDirectory.ignore  # copies kept by an update are not handed in


def test_a_shared_server_can_point_the_kit_at_its_own_exchange(tmp_path):
    with temporary_env(ROTATION_KIT_EXCHANGE=str(tmp_path)):
        assert nbgrader_config(ROOT).Exchange.root == str(tmp_path)


def test_only_modules_missing_from_the_exchange_are_released(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTATION_KIT_EXCHANGE", raising=False)
    kit = tmp_path / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    for module in modules(ROOT)[:2]:
        shutil.copytree(ROOT / "solutions" / module, kit / "solutions" / module)
        shutil.copytree(ROOT / "notebooks" / module, kit / "notebooks" / module)
    first, second = modules(kit)
    assert missing_releases(kit) == [first, second]
    course = nbgrader_config(kit).CourseDirectory.course_id
    Path(kit / "grading" / "exchange" / course / "outbound" / first).mkdir(parents=True)
    assert missing_releases(kit) == [second]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.pipeline
@pytest.mark.xdist_group("lab")
def test_the_learners_lab_lists_my_work_submits_from_it_and_has_no_formgrader(tmp_path, monkeypatch):
    """JupyterLab started as `make lab` starts it (its command and environment), on a scratch kit."""
    monkeypatch.delenv("ROTATION_KIT_EXCHANGE", raising=False)
    module = "00_start_here"
    kit = tmp_path / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    shutil.copytree(ROOT / "solutions" / module, kit / "solutions" / module)
    shutil.copytree(ROOT / "notebooks" / module, kit / "notebooks" / module)
    shutil.copy(ROOT / "notebooks" / "nbgrader_config.py", kit / "notebooks")
    assert prepare_lab(kit) == [module]  # nbgrader release_assignment, into grading/exchange
    update_workspace(kit)
    mine = kit / "my_work" / module / f"{module}.ipynb"
    nbformat.write(build_submission(mine, kit / "solutions" / module / f"{module}.ipynb"), mine)
    (kit / "my_work" / module / "earlier_versions").mkdir()
    (kit / "my_work" / module / "earlier_versions" / f"{module}-20260101-000000.ipynb").write_text("{}")

    port, token = _free_port(), secrets.token_hex(16)
    env = lab_env(kit, dict(os.environ))
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTER_DATA_DIR": str(tmp_path / "data"),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws"),
        }
    )
    command = lab_command(kit) + [
        f"--ServerApp.port={port}",
        "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
    ]
    assert command[-5:][0].startswith("my_work"), "make lab opens the learner's copy"
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(command, cwd=kit, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            try:
                if _get(f"{url}/api/status", token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        course = nbgrader_config(kit).CourseDirectory.course_id

        # The instructor's tools are off: no formgrader server extension, both lab plugins disabled.
        assert _get(f"{url}/formgrader/api/status", token)[0] == 404
        status, page = _get(f"{url}/lab", token)
        config = json.loads(
            re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S).group(1)
        )
        disabled = config.get("disabledExtensions")
        disabled = set(disabled) if isinstance(disabled, list) else {k for k, v in (disabled or {}).items() if v}
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled
        assert "@jupyter/nbgrader:assignment-list" not in disabled

        # The Assignment List shows the learner's copy in my_work/ as the downloaded module...
        status, body = _get(f"{url}/assignments?course_id={course}", token)
        listed = {a["assignment_id"]: a for a in json.loads(body)["value"] if a["status"] == "fetched"}
        assert status == 200 and listed[module]["path"] == f"my_work/{module}", body
        # ...and its Submit button hands in that copy, without the earlier versions an update kept.
        status, body = _get(f"{url}/assignments/submit", token, {"assignment_id": module, "course_id": course})
        assert status == 200 and "submitted" in body, body
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    inbound = kit / "grading" / "exchange" / course / "inbound"
    (handed_in,) = [p for p in inbound.iterdir() if f"+{module}+" in p.name]
    files = sorted(str(p.relative_to(handed_in)) for p in handed_in.rglob("*") if p.is_file())
    assert f"{module}.ipynb" in files and not any("earlier_versions" in f for f in files), files
    assert (handed_in / f"{module}.ipynb").read_text() == mine.read_text()
