"""`rotation-kit handout`: one zip for a workshop room, with everything a learner needs and no answers.

Inside (one top folder, so unzipping never scatters files):

- `notebooks/`: every module's learner notebook, main path and code lab, built fresh from solutions/
  with nbgrader generate_assignment (so nothing anyone typed into the kit's notebooks/ goes out);
- `data/` (the fictional datasets, their dictionary, the examples and the program-list template);
- `src/rotation_kit/`, the package the notebooks import, without the parts that are the instructor's
  or the authors' (EXCLUDED_SOURCE says which and why);
- what installs it from the unzipped folder, as the learner sheet says (`make lab`, or pip on
  Windows): pyproject.toml, constraints.txt, LICENSE, the Makefile, nbgrader_config.py and the
  learner's JupyterLab settings (hub/jupyter/learner/);
- `LEARNER-SHEET.html`, the one-page printable sheet (docs/learner-sheet.md), which is also the
  handout's README.md, and docs/learner-guide.md.

Never inside: solutions/, grading/ (gradebook, submissions, feedback), tests/ (near misses are
partial solutions), anyone's my_work/. `solution_material` scans a folder for all of that and for
nbgrader's solution, hidden-test and mark-scheme regions; the build refuses to write a zip it flags.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from .. import __version__
from ..course import build_learner_notebooks, code_labs, root

#: Files at the top of the kit that the install and the run command need.
TOP_FILES = ("pyproject.toml", "constraints.txt", "LICENSE", "Makefile", "nbgrader_config.py")
#: Folders copied whole (the learner's JupyterLab settings are what `rotation-kit lab` runs with).
TREES = ("data", "hub/jupyter/learner")
DOCS = ("docs/learner-guide.md",)
SHEET_SOURCE = Path("docs") / "learner-sheet.md"
SHEET = "LEARNER-SHEET.html"

#: Parts of src/rotation_kit/ left out of a handout, with the reason (nothing a learner's notebook imports).
EXCLUDED_SOURCE = {
    "commands/grade": "the instructor's grading: the sandbox, the tamper and integrity rules (how cheating is "
    "spotted), and feedback that knows where hidden tests are; learners need none of it",
    "course/submissions.py": "builds solved submissions from solutions/ for the tests and the demo class",
    "datasets": "the authors' seeded generators behind data/; the handout ships the data they made",
}
#: Folder names that never belong in a handout, wherever they appear.
FORBIDDEN_FOLDERS = {
    "solutions": "nbgrader's source notebooks: solutions, hidden tests and mark schemes",
    "grading": "the gradebook, submissions, autograded copies and feedback",
    "tests": "the test suite (its near misses are partial solutions)",
    "my_work": "a learner's own work",
    "my_plan": "a learner's saved plan (personal data)",
    "hand_in": "a learner's handed-in files",
    "source_with_tests": "nbgrader's notebooks with the hidden tests filled in",
    "release": "the grading cache's copies",
    ".kit": "the grading commands' bookkeeping",
}
FORBIDDEN_SUFFIXES = {".db": "a gradebook", ".sqlite": "a database"}
MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")
#: A marker as it stands in a source notebook or a pasted copy: at the start of a line, after # or ===.
_MARKER_LINE = re.compile(r"^\s*(#+|=+)?\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)\b", re.M)
_TEXT_SUFFIXES = {".py", ".md", ".txt", ".csv", ".json", ".j2", ".html", ".toml", ".cfg", ".yml", ".yaml", ".ipynb"}


def solution_material(folder: Path) -> list[str]:
    """Everything in `folder` that must not reach a learner, one line each with the reason ([] = clean)."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        bad = [FORBIDDEN_FOLDERS[p] for p in relative.parts if p in FORBIDDEN_FOLDERS]
        if bad:
            found.append(f"{relative}: {bad[0]}")
            continue
        if not path.is_file():
            continue
        if path.suffix in FORBIDDEN_SUFFIXES:
            found.append(f"{relative}: {FORBIDDEN_SUFFIXES[path.suffix]}")
            continue
        if path.suffix not in _TEXT_SUFFIXES and path.name != "Makefile":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            found += _notebook_problems(relative, text)
        elif _MARKER_LINE.search(text):
            found.append(
                f"{relative}: a solution, hidden-test or mark-scheme region ({_MARKER_LINE.search(text)[0]!r})"
            )
    for part, why in EXCLUDED_SOURCE.items():
        for candidate in folder.rglob(f"rotation_kit/{part}"):
            found.append(f"{candidate.relative_to(folder)}: {why}")
    return found


def _notebook_problems(relative: Path, text: str) -> list[str]:
    try:
        nb = json.loads(text)
    except ValueError:
        return [f"{relative}: not a readable notebook"]
    problems = []
    for index, cell in enumerate(nb.get("cells", [])):
        source = "".join(cell.get("source", ""))
        hit = next((m for m in MARKERS if m in source), None)
        if hit:
            problems.append(f"{relative}: cell {index} holds {hit!r}")
        if cell.get("outputs"):
            problems.append(f"{relative}: cell {index} has outputs (a learner notebook goes out clean)")
    return problems


def lab_reference_in_lessons(kit: Path) -> list[str]:
    """Functions a code lab asks learners to write that lessons/ still defines (reference code in the handout).

    The notebooks import lessons/, so it ships; issue 10 moves lab-only functions out of it. Until then this
    says which ones a learner could read.
    """
    asked = set()
    for lab in code_labs(kit):
        nb = json.loads((kit / "solutions" / lab / f"{lab}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
                source = "".join(cell["source"])
                asked |= set(re.findall(r"^def (\w+)\(", source, re.M))
    found = []
    for path in sorted((kit / "src" / "rotation_kit" / "lessons").glob("*.py")):
        defined = {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef)}
        names = sorted(defined & asked)
        if names:
            found.append(f"lessons/{path.name}: {', '.join(names)}")
    return found


def render_sheet(markdown_text: str) -> str:
    """The learner sheet as one printable HTML page (nbconvert's own Markdown renderer)."""
    from nbconvert.filters.markdown import markdown2html

    body = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", markdown2html(markdown_text))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Learner sheet: away rotations course kit</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 48em; margin: 1em auto;
       color: #111; }}
h1 {{ font-size: 15pt; margin: 0 0 .3em; }} h2 {{ font-size: 11.5pt; margin: .8em 0 .2em; }}
p, ul {{ margin: .25em 0; }} code {{ font-size: 9.5pt; background: #f2f2f2; padding: 0 .2em; }}
table {{ border-collapse: collapse; margin: .3em 0; }} td, th {{ border: 1px solid #bbb; padding: .15em .5em;
       text-align: left; vertical-align: top; }}
</style></head><body>
{body}
</body></html>
"""


def _copy_source(kit: Path, dest: Path) -> None:
    package = kit / "src" / "rotation_kit"
    skip = {package / part for part in EXCLUDED_SOURCE}

    def ignore(folder: str, names: list[str]) -> list[str]:
        here = Path(folder)
        return [
            n for n in names if here / n in skip or n in ("__pycache__", ".ipynb_checkpoints") or n.endswith(".pyc")
        ]

    shutil.copytree(package, dest / "src" / "rotation_kit", ignore=ignore)


def stage_handout(kit: Path, dest: Path) -> Path:
    """Lay out the handout's files in `dest` (its top folder) and return it."""
    dest.mkdir(parents=True)
    for name in TOP_FILES:
        shutil.copy2(kit / name, dest / name)
    for tree in TREES:
        shutil.copytree(kit / tree, dest / tree, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for doc in DOCS:
        (dest / doc).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(kit / doc, dest / doc)
    _copy_source(kit, dest)
    build_learner_notebooks(dest / "notebooks", base=kit)  # fresh from solutions/: nothing typed into notebooks/
    shutil.copy2(kit / "notebooks" / "nbgrader_config.py", dest / "notebooks" / "nbgrader_config.py")
    sheet = (kit / SHEET_SOURCE).read_text(encoding="utf-8")
    (dest / "README.md").write_text(sheet, encoding="utf-8")  # pyproject.toml's readme; the sheet, as text
    (dest / SHEET).write_text(render_sheet(sheet), encoding="utf-8")
    return dest


class HandoutError(RuntimeError):
    """The handout would carry something that must not reach learners."""


def build_handout(out: Path | None = None, kit: Path | None = None) -> Path:
    """Build the room's zip; refuses (HandoutError, nothing written) when the scan finds solution material."""
    kit = (kit or root()).resolve()
    name = f"rotation-kit-handout-{__version__}"
    out = Path(out) if out else kit / "build" / "handout" / f"{name}.zip"
    with tempfile.TemporaryDirectory(prefix="rk-handout-") as scratch:
        top = stage_handout(kit, Path(scratch) / name)
        problems = solution_material(top)
        if problems:
            raise HandoutError("The handout would hold material learners must not get:\n  " + "\n  ".join(problems))
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in top.rglob("*") if p.is_file()):
                archive.write(path, f"{name}/{path.relative_to(top).as_posix()}")
        partial.replace(out)
    return out


def main(args: argparse.Namespace) -> int:
    kit = root()
    try:
        out = build_handout(Path(args.out) if args.out else None, kit)
    except HandoutError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {out}")
    print(f"Print {SHEET} from it for the room. Left out of src/: " + "; ".join(EXCLUDED_SOURCE))
    gap = lab_reference_in_lessons(kit)
    if gap:
        print(
            "Note: the notebooks import lessons/, which still holds reference versions of functions the code "
            "labs ask for (a learner could read them):\n  " + "\n  ".join(gap)
        )
    return 0
