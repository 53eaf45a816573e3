"""The kit's tools start without jsonschema's unused IRI parsers, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys

from rotation_kit.course import run_nbgrader, tool_env
from support import ROOT

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
        f"expected the IRI parsers skipped, the usual formats kept and validation working; got {lines}")


def test_nbgrader_runs_through_the_kits_launcher():
    result = run_nbgrader(["--version"], cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 0 and "nbgrader version 0.9" in result.stdout, (
        f"expected nbgrader's version (0.9.x); got exit {result.returncode}: {result.stdout}{result.stderr}")
