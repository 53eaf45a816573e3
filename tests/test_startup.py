"""The kit's tools start without jsonschema's unused IRI parsers, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT

from rotation_kit.course import run_nbgrader, tool_env

PROBE = """
import sys
from rotation_kit._startup import skip_unused_iri_checker
skip_unused_iri_checker()
import nbformat, jsonschema
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
print("rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None)
print(sorted({"date", "email", "ipv4", "uri"} - set(checker.checkers)))
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
nbformat.validate(nb)
try:
    nbformat.validate({"nbformat": 4})
except nbformat.ValidationError:
    print("invalid notebooks are still refused")
"""


def test_validation_still_works_without_the_iri_parsers():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=tool_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["False", "[]", "invalid notebooks are still refused"], (
        f"expected the IRI parsers skipped, the usual formats kept and validation working; got {lines}"
    )


def test_nbgrader_runs_through_the_kits_launcher():
    result = run_nbgrader(["--version"], cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 0 and "nbgrader version 0.9" in result.stdout, (
        f"expected nbgrader's version (0.9.x); got exit {result.returncode}: {result.stdout}{result.stderr}"
    )


def test_the_kits_kernels_start_without_the_tcp_warning_and_real_errors_still_show(tmp_path):
    # A learner's notebook whose first cell writes straight to the kernel process's stderr, as a crash would.
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "00_start_here" / "00_start_here.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("import os; os.write(2, b'a real problem the kernel reports\\n')"))
    path = tmp_path / "00_start_here.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run(
        [sys.executable, "-m", "rotation_kit", "check", str(path)],
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=300,
        cwd=tmp_path,
    )
    assert "Exercise 0.1" in result.stdout, f"expected the self-check report; got {result.stdout}{result.stderr}"
    assert "without encryption" not in result.stderr, (
        f"expected no TCP warning from the kernel (KernelManager.transport_encryption in nbgrader_config.py); "
        f"got:\n{result.stderr}"
    )
    assert "a real problem the kernel reports" in result.stderr, (
        f"expected what the kernel wrote to stderr to reach the terminal; got:\n{result.stderr}"
    )
