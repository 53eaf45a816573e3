"""`rotation-kit slides`: a module's notebook as a reveal.js slide deck a facilitator can present.

nbconvert's slides exporter does the rendering. Before it runs, each cell gets a
slide type and, where code would distract a room, a tag that hides it:

- `#`/`##` headings start a new slide, `###` headings and exercise prompts a sub-slide
  (reveal.js: down arrow), everything else continues the slide it follows;
- answer cells, check cells, "try it" cells and empty answer placeholders are left out;
- the set-up cell is left out; other locked code and any cell that draws a picture show
  their output only;
- worked examples keep their code: they are what the facilitator talks through.

Authors can override per cell with the tags `slides-remove`, `slides-hide-input` and
`slides-show-input`. By default the notebook is run first (with the learner's saved
work kept out of it) so tables and plots appear; error outputs never reach a slide.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import nbformat

from ..course.cells import grade_id, is_grade, is_locked, is_solution, is_task
from ..runtime.paths import HOME_ENV, temporary_env

REMOVE = "slides-remove"
HIDE_INPUT = "slides-hide-input"
SHOW_INPUT = "slides-show-input"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _first_line(cell) -> str:
    return next((line.strip() for line in cell.source.splitlines() if line.strip()), "")


def _is_answer_placeholder(cell) -> bool:
    """The empty cell under a written task ("YOUR ANSWER HERE", "Write your answer here")."""
    text = cell.source.strip().lower()
    return len(text) < 120 and ("your answer here" in text or "write your answer" in text)


def _draws_picture(cell) -> bool:
    return any(
        "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}) for o in cell.get("outputs", [])
    )


def slide_type(cell) -> str:
    """reveal.js slide type for one cell: "slide", "subslide" or "-" (continue)."""
    if cell.cell_type != "markdown":
        return "-"
    first = _first_line(cell)
    if re.match(r"#{1,2} ", first):
        return "slide"
    if first.startswith("### ") or (grade_id(cell) or "").endswith("_prompt") or is_task(cell):
        return "subslide"
    return "-"


def presentation_tag(cell, previous) -> str | None:
    """REMOVE, HIDE_INPUT or None (show as is) for one cell; `previous` is the cell before it."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    for tag in (REMOVE, HIDE_INPUT):
        if tag in tags:
            return tag
    if SHOW_INPUT in tags:
        return None
    if cell.cell_type == "markdown":
        return REMOVE if (_is_answer_placeholder(cell) and not is_task(cell)) else None
    if cell.cell_type != "code":
        return REMOVE
    if is_solution(cell) or is_grade(cell):
        return REMOVE  # the learner's answer stub, or a check cell
    if previous is not None and is_solution(previous):
        return REMOVE  # the "try it" cell right after an answer
    if grade_id(cell) == "setup":
        return REMOVE  # imports and loading: plumbing, not content
    if is_locked(cell) or _draws_picture(cell):
        return HIDE_INPUT
    return None


def prepare(nb):
    """A copy of the notebook with slide types, hiding tags, and no error output."""
    nb = copy.deepcopy(nb)
    previous = None
    for cell in nb.cells:
        cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type(cell)
        tag = presentation_tag(cell, previous)
        if tag:
            cell.metadata["tags"] = sorted(set(cell.metadata.get("tags", [])) | {tag})
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if o.output_type != "error" and not (o.output_type == "stream" and o.name == "stderr")
            ]
        previous = cell
    return nb


def run(nb, folder: Path, timeout: int = 120):
    """Execute the notebook in `folder`; cells that fail (unanswered exercises) just leave no output."""
    from nbclient import NotebookClient

    from ..course import nbgrader_config, root

    # Inline plots, and a throw-away learner folder: presenting must not touch my_plan/.
    # The kit's kernel settings (nbgrader_config.py: encrypted sockets) as for grading.
    with (
        tempfile.TemporaryDirectory(prefix="rotation-kit-slides-") as scratch,
        temporary_env(**{HOME_ENV: scratch, "MPLBACKEND": INLINE_BACKEND}),
    ):
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            config=nbgrader_config(root()),
            resources={"metadata": {"path": str(folder)}},
        ).execute()
    return nb


def render(path: Path, out_dir: Path, execute: bool = True, reveal_prefix: str | None = None) -> Path:
    """Render one notebook to `<out_dir>/<name>.slides.html`."""
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    nb = nbformat.read(path, as_version=4)
    if execute:
        nb = run(nb, path.parent)
    nb = prepare(nb)
    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE}
    config.TagRemovePreprocessor.remove_input_tags = {HIDE_INPUT}
    config.TagRemovePreprocessor.enabled = True
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    if reveal_prefix:
        config.SlidesExporter.reveal_url_prefix = reveal_prefix
    exporter = SlidesExporter(config=config)
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def render_module(
    module: str,
    out_dir: Path | None = None,
    execute: bool = True,
    reveal_prefix: str | None = None,
    base: Path | None = None,
) -> list[Path]:
    """Every notebook of one module (its learner version in notebooks/) as slides in build/slides/."""
    from ..course import modules, root

    base = base or root()
    folder = base / "notebooks" / module
    if not folder.is_dir():
        raise SystemExit(f"No module {module!r} in {base / 'notebooks'}. Modules: {', '.join(modules(base))}.")
    out_dir = out_dir or base / "build" / "slides"
    return [
        render(path, out_dir, execute=execute, reveal_prefix=reveal_prefix) for path in sorted(folder.glob("*.ipynb"))
    ]


def main(args) -> int:
    """`rotation-kit slides MODULE`."""
    for path in render_module(
        args.module, Path(args.out) if args.out else None, execute=not args.no_run, reveal_prefix=args.reveal_prefix
    ):
        print(f"wrote {path}")
    return 0
