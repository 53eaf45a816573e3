"""Start nbgrader's formgrader for the course: manual grading, with the mark schemes in view.

The formgrader shows each autograded notebook. nbgrader puts the full source of
every locked cell back while autograding, and task cells are locked, so the task
cells there contain their mark schemes (cut from the learners' copies). The
command runs JupyterLab from the course folder (so nbgrader reads the course's
`nbgrader_config.py`) and opens the formgrader page.
"""

from __future__ import annotations

import subprocess

from ...course import Course, jupyterlab_command


def formgrader_command(
    course: Course, port: int | None = None, browser: bool = True, extra: list[str] | None = None
) -> list[str]:
    options = ["--LabApp.default_url=/formgrader", f"--ServerApp.open_browser={browser}"]
    if port:
        options.append(f"--ServerApp.port={port}")
    return jupyterlab_command(course.root, *options, *(extra or []))


def start_formgrader(
    course: Course, port: int | None = None, browser: bool = True, extra: list[str] | None = None
) -> subprocess.Popen:
    """Start JupyterLab on the formgrader page (runs until stopped)."""
    from ...course import tool_env

    env = tool_env()
    env.pop("MPLBACKEND", None)  # plots in the notebooks opened from formgrader show inline
    return subprocess.Popen(formgrader_command(course, port, browser, extra), cwd=course.root, env=env)
