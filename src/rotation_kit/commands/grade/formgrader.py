"""Start nbgrader's formgrader for the course: manual grading, with the mark schemes in view.

The formgrader shows each autograded notebook. nbgrader puts the full source of
every locked cell back while autograding, and task cells are locked, so the task
cells there contain their mark schemes (cut from the learners' copies). The
command runs JupyterLab from the course folder (so nbgrader reads the course's
`nbgrader_config.py`) and opens the formgrader page.
"""

from __future__ import annotations

import os
import subprocess
import sys

from ...course import Course


def formgrader_command(
    course: Course, port: int | None = None, browser: bool = True, extra: list[str] | None = None
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={course.root}",
        "--LabApp.default_url=/formgrader",
        f"--ServerApp.open_browser={browser}",
        # encrypted kernel sockets, as for every kernel the kit starts (nbgrader_config.py; Makefile's lab)
        "--MappingKernelManager.transport_encryption=auto",
    ]
    if port:
        command.append(f"--ServerApp.port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # containers and CI run as root
    return command + list(extra or [])


def start_formgrader(
    course: Course, port: int | None = None, browser: bool = True, extra: list[str] | None = None
) -> subprocess.Popen:
    """Start JupyterLab on the formgrader page (runs until stopped)."""
    from ...course import tool_env

    env = tool_env()
    env.pop("MPLBACKEND", None)  # plots in the notebooks opened from formgrader show inline
    return subprocess.Popen(formgrader_command(course, port, browser, extra), cwd=course.root, env=env)
