"""Honest time: each notebook's stated time holds by the model in rotation_kit.course.timing."""

from __future__ import annotations

import nbformat
import pytest
from support import ROOT

from rotation_kit.course import is_code_lab, modules
from rotation_kit.course.timing import MAIN_PATH_RANGE, honest_statement, modelled_minutes, stated_minutes

MODULES = modules(ROOT)


@pytest.mark.parametrize("module", MODULES)
def test_stated_time_covers_reading_deciding_and_writing(module):
    nb = nbformat.read(ROOT / "notebooks" / module / f"{module}.ipynb", as_version=4)
    stated = stated_minutes(nb)
    assert stated is not None, f"{module}: the header states no estimated time in minutes"
    model = modelled_minutes(nb, module)
    assert stated >= model, (
        f"{module}: states {stated} minutes, but reading at 130 words a minute, deciding and writing take "
        f"{model:.0f}; say at least {honest_statement(nb, module)}, or cut prose or exercises"
    )


@pytest.mark.parametrize("module", [m for m in MODULES if not is_code_lab(m)])
def test_main_path_modules_fit_one_sitting(module):
    nb = nbformat.read(ROOT / "notebooks" / module / f"{module}.ipynb", as_version=4)
    low, high = MAIN_PATH_RANGE
    assert low <= stated_minutes(nb) <= high, f"{module}: a main-path module should take {low}-{high} minutes"
