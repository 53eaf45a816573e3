"""`rotation-kit reset`: a clean kit for the next group, with nothing graded lost.

Between two workshop groups (or two learners on one machine) the kit holds the
last group's work: nbgrader's gradebook, submissions, autograded copies and
feedback, the exported marks, reports and unpacked LMS downloads of `rotation-kit grade` (all under
grading/), the exchange where JupyterLab's Submit button hands work in, the learners' saved plans (my_plan/), and their answers typed into
notebooks/. Reset first writes all of it into one zip file,
grading/archive/<date-time>.zip (kept; never cleared), checks that the zip
reads back complete, and only then clears it: the nbgrader state is deleted,
my_plan/ is emptied, and every module folder in notebooks/ that differs from a
fresh build from solutions/ is replaced by that fresh build.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..course import build_learner_notebooks, modules, nbgrader_config, root

ARCHIVE_DIR = Path("grading") / "archive"


@dataclass
class ResetPlan:
    """What a reset archives and clears, as paths relative to the kit folder."""

    base: Path
    state: list[Path] = field(default_factory=list)        # nbgrader runtime state and my_plan/ contents
    notebooks: list[str] = field(default_factory=list)     # module folders whose learner notebooks changed
    notebook_files: list[Path] = field(default_factory=list)  # the files in them that differ or are extra
    fresh: Path | None = None                               # the fresh build to restore from

    @property
    def empty(self) -> bool:
        return not self.state and not self.notebooks


def _inside(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
        return True
    except ValueError:
        return False


def runtime_state(base: Path) -> list[Path]:
    """nbgrader's runtime files and folders under the kit (from its config) and my_plan/'s contents."""
    config = nbgrader_config(base)
    course = config.CourseDirectory
    candidates = [base / course.get(name, default) for name, default in (
        ("submitted_directory", "grading/submitted"), ("autograded_directory", "grading/autograded"),
        ("feedback_directory", "grading/feedback"))]
    db_url = course.get("db_url", "sqlite:///grading/gradebook.db")
    gradebook = base / (db_url[len("sqlite:///"):] if db_url.startswith("sqlite:///") else "grading/gradebook.db")
    # Beside the gradebook, `rotation-kit grade` keeps exported marks and reports, its cache, and the
    # LMS downloads that `grade collect --zip` unpacked (nbgrader zip_collect's downloaded folder).
    candidates += [gradebook, gradebook.parent / "export", gradebook.parent / ".kit", gradebook.parent / "downloaded"]
    exchange = config.Exchange.get("root")
    if exchange:
        candidates.append(Path(exchange))
    plan = base / "my_plan"
    if plan.is_dir():
        candidates.extend(sorted(plan.iterdir()))
    archive = (base / ARCHIVE_DIR).resolve()
    found = []
    for path in candidates:
        if path.exists() and _inside(path, base) and path.resolve() != archive:
            found.append(path.resolve().relative_to(base.resolve()))
    return sorted(set(found))


def _same_notebook(a: Path, b: Path) -> bool:
    if a.suffix == ".ipynb" and b.suffix == ".ipynb":
        try:
            return json.loads(a.read_text(encoding="utf-8")) == json.loads(b.read_text(encoding="utf-8"))
        except ValueError:
            return False
    return a.read_bytes() == b.read_bytes()


def changed_notebooks(base: Path, fresh: Path) -> tuple[list[str], list[Path]]:
    """Module folders in notebooks/ that differ from the fresh build in `fresh`, and the differing files."""
    folders, files = [], []
    for module in modules(base):
        mine, built = base / "notebooks" / module, fresh / module
        if not mine.is_dir():
            folders.append(module)
            continue
        differing = []
        for path in sorted(p for p in mine.rglob("*") if p.is_file()):
            twin = built / path.relative_to(mine)
            if not twin.is_file() or not _same_notebook(path, twin):
                differing.append(path.relative_to(base))
        missing = [p for p in built.rglob("*") if p.is_file() and not (mine / p.relative_to(built)).exists()]
        if differing or missing:
            folders.append(module)
            files.extend(differing)
    return folders, files


def _files_under(base: Path, relative: list[Path]) -> list[Path]:
    out = []
    for rel in relative:
        path = base / rel
        out.extend(sorted(p.relative_to(base) for p in path.rglob("*") if p.is_file()) if path.is_dir() else [rel])
    return out


def write_archive(plan: ResetPlan, when: datetime) -> Path:
    """Zip everything the reset will clear; returns the archive's path after checking it reads back."""
    folder = plan.base / ARCHIVE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    target, n = folder / f"{stamp}.zip", 1
    while target.exists():
        n += 1
        target = folder / f"{stamp}-{n}.zip"
    members = _files_under(plan.base, plan.state) + plan.notebook_files
    manifest = [f"Archived by `rotation-kit reset` on {when.isoformat(timespec='seconds')} from {plan.base}",
                "Paths are relative to the kit folder; unzip there to put them back.", ""]
    manifest += [str(m) for m in members]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.write(plan.base / member, member.as_posix())
        archive.writestr("MANIFEST.txt", "\n".join(manifest) + "\n")
    with zipfile.ZipFile(target) as archive:  # nothing is cleared unless the archive is complete and readable
        bad = archive.testzip()
        names = set(archive.namelist())
    if bad or not {m.as_posix() for m in members} <= names:
        raise RuntimeError(f"The archive {target} did not read back complete ({bad or 'files missing'}); "
                           "nothing was cleared.")
    return target


def make_plan(base: Path, scratch: Path) -> ResetPlan:
    """Look at the kit (building fresh learner notebooks into `scratch` to compare with)."""
    fresh = scratch / "notebooks"
    build_learner_notebooks(fresh, base=base)
    folders, files = changed_notebooks(base, fresh)
    return ResetPlan(base=base, state=runtime_state(base), notebooks=folders, notebook_files=files, fresh=fresh)


def apply(plan: ResetPlan) -> None:
    """Clear the runtime state and restore changed module folders from the fresh build."""
    for rel in plan.state:
        path = plan.base / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    for module in plan.notebooks:
        dest = plan.base / "notebooks" / module
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(plan.fresh / module, dest)


def describe(plan: ResetPlan) -> str:
    lines = [f"Kit: {plan.base}"]
    if plan.state:
        lines.append("Graded work and saved plans to archive and clear:")
        lines += [f"  {rel}" for rel in plan.state]
    if plan.notebooks:
        lines.append("Learner notebooks to archive and restore to a fresh copy:")
        lines += [f"  notebooks/{module}/ ({sum(1 for f in plan.notebook_files if f.parts[1] == module)} changed "
                  "or extra file(s))" for module in plan.notebooks]
    return "\n".join(lines)


def _ask(prompt: str) -> str:
    """Ask at a terminal; anywhere else (a script, a pipe) the answer is no."""
    if not sys.stdin.isatty():
        print("Not resetting: add --yes to confirm (everything listed is archived first).", file=sys.stderr)
        return "n"
    return input(prompt)


def reset_kit(base: Path | None = None, dry_run: bool = False, assume_yes: bool = False,
              when: datetime | None = None, ask=_ask) -> int:
    """Archive, then clear; returns a process exit status (0 = done or nothing to do)."""
    base = (base or root()).resolve()
    with tempfile.TemporaryDirectory(prefix="rotation-kit-reset-") as scratch:
        plan = make_plan(base, Path(scratch))
        if plan.empty:
            print("The kit is already clean: no graded work, saved plans or changed notebooks. Nothing archived.")
            return 0
        print(describe(plan))
        if dry_run:
            print("Dry run: nothing archived or cleared.")
            return 0
        question = "Archive all of this, then clear it? Close JupyterLab first. [y/N] "
        if not assume_yes and ask(question).strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
        archive = write_archive(plan, when or datetime.now())
        apply(plan)
    print(f"Archived to {archive.relative_to(base)}; the kit is clean for the next group.")
    print(f"To look at the old work: unzip {archive.relative_to(base)} into an empty folder.")
    return 0


def main(args) -> int:
    """`rotation-kit reset`."""
    return reset_kit(dry_run=args.dry_run, assume_yes=args.yes)
