"""Shared by the tests: the real nbgrader on a scratch copy of the course; JupyterLab and Chromium for browser tests."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from rotation_kit.course import run_nbgrader, tool_env

ROOT = Path(__file__).resolve().parents[1]


def grade_cli(*args: str, timeout: float = 1200) -> str:
    """`rotation-kit grade ARGS` as an instructor types it; its output, or a failure showing what it said."""
    result = subprocess.run(
        [sys.executable, "-m", "rotation_kit.cli", "grade", *args],
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def read_csv_rows(path) -> list[dict[str, str]]:
    """A CSV file the kit wrote, read back the way a spreadsheet or an LMS reads it."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def scratch_course(tmp: Path, module: str) -> Path:
    """A course folder with the kit's config, one module's source, and its own gradebook."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / module, tmp / "solutions" / module)
    (tmp / "grading").mkdir()
    result = run_nbgrader(["generate_assignment", module, "--force"], cwd=tmp, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp


def submit(course: Path, module: str, student: str, nb) -> None:
    folder = course / "grading" / "submitted" / student / module
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{module}.ipynb")


def autograde(course: Path, module: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Autograde every submission; scores[student][grade_id] = (score, max_score)."""
    result = run_nbgrader(["autograde", module, "--create", "--force"], cwd=course, check=False, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    scores: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(f"sqlite:///{course / 'grading' / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(module):
            notebook = gb.find_submission_notebook(module, module, submission.student_id)
            scores[submission.student_id] = {g.name: (g.score, g.max_score) for g in notebook.grades}
    return scores


# -- JupyterLab and Chromium for the browser tests (tests/test_browser*.py) --------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str):
    """Skip on a laptop; fail under CI (CI=true), which must run the browser tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}. Under CI the browser test must run, not skip.")
    pytest.skip(reason)


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        unavailable("Debian's chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return found


@contextmanager
def launched_chromium():
    """Headless Debian chromium driven by playwright (no browser download)."""
    path = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (it is in the kit's test extra)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jupyter_env(base: Path, port: int, token: str) -> dict[str, str]:
    """This environment plus: a port and token, no browser window, and Jupyter's own state in scratch."""
    config, settings = base / "jupyter-config", base / "lab-settings"
    config.mkdir()
    server = {"ServerApp": {"open_browser": False}}  # as root (CI), the kit's own command must allow that
    (config / "jupyter_server_config.json").write_text(json.dumps(server))
    news = settings / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ)
    env.update(
        {
            "JUPYTER_PORT": str(port),
            "JUPYTER_TOKEN": token,
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_RUNTIME_DIR": str(base / "jupyter-runtime"),
            "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(base / "lab-workspaces"),
            "ROTATION_KIT_HOME": str(base / "my_plan"),
        }
    )
    return env


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, what: str, timeout: float = 180) -> None:
    """Wait until `url` answers 200; fail with the end of `log` if `what` (the command) exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"{what} did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop_server(url: str, token: str, proc: subprocess.Popen) -> None:
    """A clean shutdown (it stops the kernels too), then the process group if anything is left."""
    import signal

    try:
        request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
        urllib.request.urlopen(request, timeout=10)
        proc.wait(timeout=30)
    except Exception:
        pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
