"""A learner in a real browser: `make lab`, open module 03, run every cell, see the plot, click Validate;
and Run All on an untouched main-path notebook (module 00) reaches its last cell.

JupyterLab is started by the Makefile's own `lab` target (the README's run command), in a
scratch copy of the kit on a free port with a token, so the test leaves no learner files
behind. The learner's notebook is their copy of module 03 in my_work/ with every answer filled
in, as a learner who finished it would have it; `make lab` makes the copies of the other modules. Headless Chromium is Debian's `chromium`, driven by the
`playwright` package (no browser download). Screenshots go to test-artifacts/browser/.

Without chromium or playwright the tests skip, except under CI (CI=true), where they fail:
CI must run them (`.ci/run` installs chromium).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from support import ROOT, free_port, jupyter_env, launched_chromium, stop_server, unavailable, wait_until_up

from rotation_kit.course.submissions import build_submission

# `pipeline` too: it starts JupyterLab and runs nbgrader, so `make test-fast` leaves it out; `make test` runs it.
pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.xdist_group("browser")]

MODULE = "03_where_to_rotate"
NOTEBOOK_URL_PATH = f"my_work/{MODULE}/{MODULE}.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
KERNEL_READY = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return !!bar && bar.innerText.includes('| Idle') && !bar.innerText.includes('No Kernel');
}"""
STDERR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
RUN_STATE = """(errorSelector) => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
        .map(e => e.textContent.trim());
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return {
        total: prompts.length,
        done: prompts.filter(t => /^\\[\\d+\\]:$/.test(t)).length,
        queued: prompts.filter(t => t === '[*]:').length,
        status: indicator ? indicator.dataset.status : null,
        errors: [...document.querySelectorAll(errorSelector)].map(e => e.textContent.slice(0, 800)),
    };
}"""


def test_without_a_browser_ci_fails_while_a_laptop_skips(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Under CI"):
        unavailable("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        unavailable("no chromium")


def _scratch_kit(base: Path) -> Path:
    """The kit's course files in a scratch folder, with module 03 finished as a learner would have it."""
    kit = base / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", kit)
    shutil.copy2(ROOT / "pyproject.toml", kit)  # make's view of the kit; the venv is never rebuilt (-o)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "solutions", kit / "solutions", ignore=ignore)
    shutil.copytree(ROOT / "notebooks", kit / "notebooks", ignore=ignore)
    (kit / "grading").mkdir()
    finished = build_submission(
        ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", ROOT / "solutions" / MODULE / f"{MODULE}.ipynb"
    )
    (kit / NOTEBOOK_URL_PATH).parent.mkdir(parents=True)
    nbformat.write(finished, kit / NOTEBOOK_URL_PATH)
    return kit


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started by `make lab` in a scratch kit; yields (base URL, token, kit folder)."""
    if not shutil.which("make"):
        unavailable("`make` is not installed, so the README's run command cannot start JupyterLab")
    base = tmp_path_factory.mktemp("browser")
    kit = _scratch_kit(base)
    port, token = free_port(), secrets.token_hex(16)
    venv = Path(sys.executable).parent.parent
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "jupyterlab.log"
    command = ["make", "-f", str(ROOT / "Makefile"), "lab", f"VENV={venv}", "-o", f"{venv}/.installed-lab"]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command,
            cwd=kit,
            env=jupyter_env(base, port, token),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/status?token={token}", proc, log, "`make lab`")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            said = log.read_text()
            assert (
                "Warning: JupyterLab is running as root" in said and "Running as root is not recommended" not in said
            ), f"as root, `make lab` should start JupyterLab with its one-line warning; the log says:\n{said[-3000:]}"
        yield url, token, kit
    finally:
        stop_server(url, token, proc)


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.screenshot(path=ARTIFACTS / f"last-{request.node.name}.png")  # what the page showed at the end
    context.close()


def _open_module(page, lab, path: str = NOTEBOOK_URL_PATH):
    url, token, _ = lab
    # `reset`: a fresh workspace, so the tabs an earlier test left open are not restored beside this one.
    page.goto(f"{url}/lab/tree/{path}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # The kernel is ready when the status bar names it and says Idle ("No Kernel | Initializing" before).
    # Running cells earlier makes JupyterLab ask which kernel to start, as it would ask a hasty learner.
    page.wait_for_function(KERNEL_READY, timeout=120_000)


def _menu(page, menu: str, item: str):
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(".lm-Menu-item", has_text=item).first.click()


def _run_state(page) -> dict:
    return page.evaluate(RUN_STATE, STDERR_OUTPUT)


def _run_all_cells(page, timeout: float = 300) -> None:
    """Run All Cells, then wait until every code cell has run; fail early, saying why, when it stops short.

    A run that stops short (a cell raised, so JupyterLab ran nothing after it) or a menu click that never
    reached the notebook would otherwise look like a slow machine: the state is read every second and the
    failure names the cells run, the kernel's status and the errors shown.
    """
    _menu(page, "Run", "Run All Cells")
    deadline, started, stalled_since, clicks = time.monotonic() + timeout, time.monotonic(), None, 1
    while time.monotonic() < deadline:
        kernel_dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if kernel_dialog.count():  # as a learner would: accept the preselected Python 3 kernel
            kernel_dialog.locator(".jp-mod-accept").click()
            page.screenshot(path=ARTIFACTS / "01a-module-03-kernel-dialog-accepted.png")
        state = _run_state(page)
        if state["total"] and state["done"] == state["total"]:
            return
        busy = state["queued"] or state["status"] not in ("idle", None)
        if busy:
            stalled_since = None
        else:
            stalled_since = stalled_since or time.monotonic()
            if state["done"] == 0 and clicks == 1 and time.monotonic() - started > 20:
                _menu(page, "Run", "Run All Cells")  # the first click never reached the notebook
                clicks, stalled_since = 2, None
            elif time.monotonic() - stalled_since > 20:
                break
        time.sleep(1)
    page.screenshot(path=ARTIFACTS / "01b-module-03-run-all-stopped.png")
    errors = "\n---\n".join(state["errors"]) or "(no error output on the page)"
    pytest.fail(
        f"Run All Cells stopped after {state['done']} of {state['total']} code cells "
        f"(kernel {state['status']}, {state['queued']} queued, {clicks} click(s), "
        f"{time.monotonic() - started:.0f} s). Errors shown:\n{errors}"
    )


def test_module_03_runs_every_cell_and_draws_its_plot_without_errors(page, lab):
    _open_module(page, lab)
    page.screenshot(path=ARTIFACTS / "01-module-03-open.png")
    _run_all_cells(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)

    plot = page.locator(".jp-OutputArea-output img").first
    plot.scroll_into_view_if_needed()
    plot.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=plot.element_handle())
    plot.screenshot(path=ARTIFACTS / "02-module-03-plot.png")
    page.screenshot(path=ARTIFACTS / "03-module-03-after-run-all.png")

    errors = page.locator(STDERR_OUTPUT).all_text_contents()
    assert not errors, "cells show errors or warnings:\n" + "\n---\n".join(e[:500] for e in errors)


UNTOUCHED = "00_start_here"
UNTOUCHED_URL_PATH = f"my_work/{UNTOUCHED}/{UNTOUCHED}.ipynb"
LAST_CODE_CELL = """() => {
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
    const last = cells[cells.length - 1];
    if (!last) return null;
    return {
        index: cells.length,
        prompt: last.querySelector('.jp-InputPrompt').textContent.trim(),
        outputs: last.querySelectorAll('.jp-OutputArea-output').length,
        source: last.querySelector('.jp-InputArea-editor').textContent.slice(0, 200),
    };
}"""


def test_run_all_on_an_untouched_main_notebook_reaches_the_last_cell(page, lab):
    """Issue 10: an untouched main-path notebook runs top to bottom with JupyterLab's Run All. Its check
    cells fail ("no answer yet") but carry the raises-exception tag, so JupyterLab goes on past them; any
    other error (a NameError from an exercise not touched) stops Run All and the last cell never runs.

    The notebook is the learner's copy that `make lab` made from notebooks/ and nobody typed into.
    """
    _, _, kit = lab
    mine = nbformat.read(kit / UNTOUCHED_URL_PATH, as_version=4)
    release = nbformat.read(ROOT / "notebooks" / UNTOUCHED / f"{UNTOUCHED}.ipynb", as_version=4)
    assert [c.source for c in mine.cells] == [c.source for c in release.cells], "the copy must be untouched"
    code_cells = [c for c in release.cells if c.cell_type == "code"]
    assert code_cells, f"{UNTOUCHED} has no code cells"

    _open_module(page, lab, UNTOUCHED_URL_PATH)
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-Notebook .jp-CodeCell').length === n",
        arg=len(code_cells),
        timeout=180_000,
    )
    _menu(page, "Run", "Run All Cells")
    deadline, idle_since, state = time.monotonic() + 300, None, {}
    while time.monotonic() < deadline:
        kernel_dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if kernel_dialog.count():
            kernel_dialog.locator(".jp-mod-accept").click()
        state = _run_state(page)
        if state["queued"] or state["status"] not in ("idle", None) or not state["done"]:
            idle_since = None
        else:  # idle, nothing queued: Run All has finished or stopped
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 5:
                break
        time.sleep(1)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.screenshot(path=ARTIFACTS / "05-untouched-00-after-run-all.png")
    last = page.evaluate(LAST_CODE_CELL)
    errors = "\n---\n".join(e[:300] for e in state.get("errors", [])) or "(none)"
    assert last and re.fullmatch(r"\[\d+\]:", last["prompt"]), (
        f"Run All stopped before the last code cell ({last and last['prompt']!r} on cell {last and last['index']}; "
        f"{state.get('done')} of {state.get('total')} code cells ran). Errors shown, in order:\n{errors}"
    )
    source = code_cells[-1].source
    if any(word in source for word in ("print(", "display(", "show")):
        assert last["outputs"] > 0, "the last cell ran but its output did not appear"
    assert state["done"] == state["total"] == len(code_cells)


def test_validate_button_reports_the_finished_module_passes(page, lab):
    _open_module(page, lab)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    page.screenshot(path=ARTIFACTS / "04-validate-result.png")
    text = dialog.inner_text()
    assert "Validation Results" in text
    assert "Success! Your notebook passes all the tests." in text, text


def test_assignment_list_shows_the_kits_modules_and_validates_from_there(page, lab):
    url, token, kit = lab
    page.goto(f"{url}/lab?token={token}")
    page.wait_for_selector(".jp-LabShell")
    _menu(page, "Nbgrader", "Assignment List")
    downloaded = page.locator("#fetched_assignments_list")
    downloaded.get_by_text(MODULE).first.wait_for()
    page.screenshot(path=ARTIFACTS / "05-assignment-list.png")
    text = downloaded.inner_text()
    modules = sorted(p.name for p in (kit / "notebooks").iterdir() if p.is_dir())
    for module in modules:
        assert (kit / "my_work" / module / f"{module}.ipynb").is_file(), f"`make lab` made no copy of {module}"
        assert module in text, f"{module} is missing from the Assignment List's downloaded assignments"
    # The learner's lab has no instructor tools: the Nbgrader menu lists no Formgrader.
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    items = page.locator(".lm-Menu-item").all_inner_texts()
    page.keyboard.press("Escape")
    assert any("Assignment List" in item for item in items) and not any("Formgrader" in item for item in items), items

    downloaded.get_by_text(MODULE, exact=True).first.click()  # unfold the module: its notebook, with Validate
    validate = downloaded.locator("button:visible", has_text="Validate").first
    validate.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    page.screenshot(path=ARTIFACTS / "06-assignment-list-validate.png")
    assert "Success! Your notebook passes all the tests." in dialog.inner_text()
