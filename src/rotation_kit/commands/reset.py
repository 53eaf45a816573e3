"""`rotation-kit reset`: a clean kit for the next group, with nothing graded lost and nobody's work taken unasked.

Between two workshop groups (or two learners on one machine) the kit holds the
last group's work: nbgrader's gradebook, submissions, autograded copies and
feedback, the exported marks, reports and unpacked LMS downloads of `rotation-kit grade` (all under
grading/), the exchange where JupyterLab's Submit button hands work in, and
module folders in notebooks/ someone changed. Reset first writes all of it into one zip file,
grading/archive/<date-time>.zip (kept; never cleared), checks that the zip
reads back complete, and only then clears it: the nbgrader state is deleted and
every module folder in notebooks/ that differs from a fresh build from solutions/
is replaced by that fresh build.

The learners' own work (my_work/: their notebooks and saved plans, which hold
personal details such as visa status, budget and training gaps; and the older
top-level my_plan/) is separate: reset asks what to do with it, and only with
consent archives it with the rest and clears it (`--learner-work archive`) or
deletes it without keeping a copy (`--learner-work delete`). Without an answer
(a script, `--yes` alone) it is left exactly as it is.
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

import nbformat

from ..course import build_learner_notebooks, modules, nbgrader_config, root
from ..course.cells import is_solution
from ..runtime.paths import PLAN_FOLDER, WORK_FOLDER, legacy_plan_dir, work_dir

ARCHIVE_DIR = Path("grading") / "archive"
KEEP, ARCHIVE, DELETE = "keep", "archive", "delete"
LEARNER_CHOICES = (KEEP, ARCHIVE, DELETE)


@dataclass
class ResetPlan:
    """What a reset archives and clears, as paths relative to the kit folder."""

    base: Path
    state: list[Path] = field(default_factory=list)  # nbgrader runtime state
    learner_work: list[Path] = field(default_factory=list)  # my_work/ (and an old top-level my_plan/)
    notebooks: list[str] = field(default_factory=list)  # module folders whose learner notebooks changed
    notebook_files: list[Path] = field(default_factory=list)  # the files in them that differ or are extra
    typed_into: list[Path] = field(default_factory=list)  # of those, notebooks with answers someone typed
    fresh: Path | None = None  # the fresh build to restore from

    @property
    def empty(self) -> bool:
        return not self.state and not self.notebooks and not self.learner_work

    @property
    def kit_empty(self) -> bool:
        """Nothing of the kit's own to clear (the learners' work aside)."""
        return not self.state and not self.notebooks


def _inside(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
        return True
    except ValueError:
        return False


def runtime_state(base: Path) -> list[Path]:
    """nbgrader's runtime files and folders under the kit (from its config)."""
    config = nbgrader_config(base)
    course = config.CourseDirectory
    candidates = [
        base / course.get(name, default)
        for name, default in (
            ("submitted_directory", "grading/submitted"),
            ("autograded_directory", "grading/autograded"),
            ("feedback_directory", "grading/feedback"),
        )
    ]
    db_url = course.get("db_url", "sqlite:///grading/gradebook.db")
    gradebook = base / (db_url[len("sqlite:///") :] if db_url.startswith("sqlite:///") else "grading/gradebook.db")
    # Beside the gradebook, `rotation-kit grade` keeps exported marks and reports, its cache, and the
    # LMS downloads that `grade collect --zip` unpacked (nbgrader zip_collect's downloaded folder), and the
    # plans learners chose to hand in with a module (`grade collect` puts them in shared_plans/; personal data).
    candidates += [
        gradebook,
        gradebook.parent / "export",
        gradebook.parent / ".kit",
        gradebook.parent / "downloaded",
        gradebook.parent / "shared_plans",
    ]
    exchange = config.Exchange.get("root")
    if exchange:
        candidates.append(Path(exchange))
    archive = (base / ARCHIVE_DIR).resolve()
    found = []
    for path in candidates:
        if path.exists() and _inside(path, base) and path.resolve() != archive:
            found.append(path.resolve().relative_to(base.resolve()))
    return sorted(set(found))


def learner_work(base: Path) -> list[Path]:
    """The learners' own folders that hold anything: my_work/ and the older top-level my_plan/."""
    found = []
    for folder in (work_dir(base), legacy_plan_dir(base)):
        if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
            found.append(folder.resolve().relative_to(base.resolve()))
    return found


def _same_notebook(a: Path, b: Path) -> bool:
    if a.suffix == ".ipynb" and b.suffix == ".ipynb":
        try:
            return json.loads(a.read_text(encoding="utf-8")) == json.loads(b.read_text(encoding="utf-8"))
        except ValueError:
            return False
    return a.read_bytes() == b.read_bytes()


def has_typed_answers(path: Path, twin: Path | None) -> bool:
    """True when a notebook in notebooks/ holds an answer someone typed, not only nbgrader's stubs (the `...`
    now, or `raise NotImplementedError()` in a build from before): an older build nobody typed into is
    only out of date. Anything unreadable counts as typed (it is archived either way)."""
    from .workspace import cell_key, untouched_answer

    if path.suffix != ".ipynb":
        return True
    try:
        nb = nbformat.read(path, as_version=4)
        built = nbformat.read(twin, as_version=4) if twin is not None and twin.is_file() else None
    except Exception:
        return True
    release = {cell_key(c): c.source for c in built.cells} if built is not None else {}
    return any(not untouched_answer(c.source, release.get(cell_key(c))) for c in nb.cells if is_solution(c))


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


def write_archive(plan: ResetPlan, when: datetime, with_learner_work: bool = False) -> Path:
    """Zip everything the reset will clear; returns the archive's path after checking it reads back."""
    folder = plan.base / ARCHIVE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    target, n = folder / f"{stamp}.zip", 1
    while target.exists():
        n += 1
        target = folder / f"{stamp}-{n}.zip"
    members = _files_under(plan.base, plan.state) + plan.notebook_files
    if with_learner_work:
        members += _files_under(plan.base, plan.learner_work)
    manifest = [
        f"Archived by `rotation-kit reset` on {when.isoformat(timespec='seconds')} from {plan.base}",
        "Paths are relative to the kit folder; unzip there to put them back.",
        "",
    ]
    manifest += [str(m) for m in members]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.write(plan.base / member, member.as_posix())
        archive.writestr("MANIFEST.txt", "\n".join(manifest) + "\n")
    with zipfile.ZipFile(target) as archive:  # nothing is cleared unless the archive is complete and readable
        bad = archive.testzip()
        names = set(archive.namelist())
    if bad or not {m.as_posix() for m in members} <= names:
        raise RuntimeError(
            f"The archive {target} did not read back complete ({bad or 'files missing'}); nothing was cleared."
        )
    return target


def make_plan(base: Path, scratch: Path) -> ResetPlan:
    """Look at the kit (building fresh learner notebooks into `scratch` to compare with)."""
    fresh = scratch / "notebooks"
    build_learner_notebooks(fresh, base=base)
    folders, files = changed_notebooks(base, fresh)
    typed = [f for f in files if has_typed_answers(base / f, fresh / f.relative_to("notebooks"))]
    return ResetPlan(
        base=base,
        state=runtime_state(base),
        notebooks=folders,
        notebook_files=files,
        typed_into=typed,
        fresh=fresh,
        learner_work=learner_work(base),
    )


def apply(plan: ResetPlan, clear_learner_work: bool = False) -> None:
    """Clear the runtime state and restore changed module folders from the fresh build (and, when the
    learners agreed, clear their work)."""
    for rel in plan.state + (plan.learner_work if clear_learner_work else []):
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
        lines.append("Graded work to archive and clear:")
        lines += [f"  {rel}" for rel in plan.state]
    if plan.notebooks:
        lines.append("Learner notebooks to archive and restore to a fresh copy:")
        lines += [
            f"  notebooks/{module}/ ({sum(1 for f in plan.notebook_files if f.parts[1] == module)} changed "
            "or extra file(s)"
            + (
                f", {typed} with answers typed in)"
                if (typed := sum(1 for f in plan.typed_into if f.parts[1] == module))
                else ", no answers typed in: an older build)"
            )
            for module in plan.notebooks
        ]
    if plan.learner_work:
        lines.append(
            "Learners' own work (their notebooks and saved plans, with personal details such as visa "
            "status, budget and training gaps): only cleared if you say so below:"
        )
        lines += [f"  {rel}/ ({len(_files_under(plan.base, [rel]))} file(s))" for rel in plan.learner_work]
    return "\n".join(lines)


def _ask(prompt: str) -> str:
    """Ask at a terminal; anywhere else (a script, a pipe) the answer is no."""
    if not sys.stdin.isatty():
        return ""
    return input(prompt)


LEARNER_QUESTION = (
    "What should happen to the learners' own work listed above?\n"
    "  k = keep it as it is (default)\n"
    "  a = archive it with the rest, then clear it\n"
    "  d = delete it for good, with no copy kept\n"
    "[k/a/d] "
)


def choose_learner_work(plan: ResetPlan, choice: str | None, ask) -> str:
    """keep, archive or delete: the explicit option, else the answer at the terminal, else keep."""
    if not plan.learner_work:
        return KEEP
    if choice is not None:
        return choice
    answer = ask(LEARNER_QUESTION).strip().lower()
    picked = {"a": ARCHIVE, "archive": ARCHIVE, "d": DELETE, "delete": DELETE}.get(answer, KEEP)
    if (
        picked == DELETE
        and ask("Delete the learners' work with no copy kept? Type yes to confirm: ").strip().lower() != "yes"
    ):
        picked = KEEP
    return picked


def _older_archives_with_learner_work(base: Path) -> list[Path]:
    found = []
    for archive in sorted((base / ARCHIVE_DIR).glob("*.zip")):
        try:
            with zipfile.ZipFile(archive) as zipped:
                if any(n.startswith((f"{WORK_FOLDER}/", f"{PLAN_FOLDER}/")) for n in zipped.namelist()):
                    found.append(archive.relative_to(base))
        except zipfile.BadZipFile:
            continue
    return found


def reset_kit(
    base: Path | None = None,
    dry_run: bool = False,
    assume_yes: bool = False,
    when: datetime | None = None,
    ask=_ask,
    learner_choice: str | None = None,
) -> int:
    """Archive, then clear; returns a process exit status (0 = done or nothing to do).

    `learner_choice` (keep, archive, delete) is what to do with the learners' own work; None asks
    at the terminal and keeps it when nobody answers. `assume_yes` confirms clearing the kit's
    grading state only, never the learners' work.
    """
    base = (base or root()).resolve()
    if learner_choice is not None and learner_choice not in LEARNER_CHOICES:
        raise ValueError(f"learner_choice must be one of {', '.join(LEARNER_CHOICES)}, not {learner_choice!r}")
    with tempfile.TemporaryDirectory(prefix="rotation-kit-reset-") as scratch:
        plan = make_plan(base, Path(scratch))
        if plan.empty:
            print("The kit is already clean: no graded work, learners' work or changed notebooks. Nothing archived.")
            return 0
        print(describe(plan))
        if dry_run:
            what = {
                None: "would be asked about",
                KEEP: "would be kept",
                ARCHIVE: "would be archived and cleared",
                DELETE: "would be deleted with no copy",
            }[learner_choice]
            print(
                "Dry run: nothing archived or cleared."
                + (f" The learners' own work {what}." if plan.learner_work else "")
            )
            return 0
        if not plan.kit_empty and not assume_yes:
            answer = ask(
                "Archive the graded work and notebooks listed above, then clear them? Close JupyterLab first. [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                if not sys.stdin.isatty() and not answer:
                    print("Not resetting: add --yes to confirm (everything listed is archived first).", file=sys.stderr)
                print("Nothing changed.")
                return 1
        choice = choose_learner_work(plan, learner_choice, ask)
        if plan.kit_empty and choice == KEEP:
            print(
                f"Learners' own work left as it is ({', '.join(f'{p}/' for p in plan.learner_work)}); "
                "nothing else to clear. Nothing archived."
            )
            return 0
        archive = None
        if not plan.kit_empty or choice == ARCHIVE:
            archive = write_archive(plan, when or datetime.now(), with_learner_work=choice == ARCHIVE)
        apply(plan, clear_learner_work=choice in (ARCHIVE, DELETE))
    if archive is not None:
        print(f"Archived to {archive.relative_to(base)}; the kit is clean for the next group.")
        print(f"To look at the old work: unzip {archive.relative_to(base)} into an empty folder.")
    if plan.learner_work:
        folders = ", ".join(f"{p}/" for p in plan.learner_work)
        print(
            {
                KEEP: f"Learners' own work left as it is: {folders} (reset again with --learner-work archive or "
                "delete to clear it).",
                ARCHIVE: f"Learners' own work ({folders}) is in the archive and was cleared.",
                DELETE: f"Learners' own work ({folders}) was deleted; no copy was kept.",
            }[choice]
        )
        if choice == DELETE:
            older = _older_archives_with_learner_work(base)
            if older:
                print(
                    "Older archives still hold learners' work; delete them too if it must be gone: "
                    + ", ".join(str(p) for p in older)
                )
    return 0


def main(args) -> int:
    """`rotation-kit reset`."""
    return reset_kit(dry_run=args.dry_run, assume_yes=args.yes, learner_choice=args.learner_work)
