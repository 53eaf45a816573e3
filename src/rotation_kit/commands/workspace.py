"""`rotation-kit workspace`: the learner's own copies in my_work/, kept up to date without losing a keystroke.

The kit's notebooks/ folder is nbgrader's release folder: `make notebooks`, `git pull`
and the formgrader's Generate button all rewrite it. The learner therefore works on
copies in `my_work/<module>/` (git-ignored, never written by any of those). This
command, run by `make lab`:

- makes the copies that are missing (from notebooks/);
- notices when notebooks/ holds a newer version of a module than the learner's copy
  (each copy records a digest of the release it was made from, in its metadata) and
  brings the new version in with every answer the learner typed carried over by cell
  (nbgrader grade_id, else the cell id), keeping the previous copy beside it in
  `my_work/<module>/earlier_versions/`;
- moves saved parts from the old top-level `my_plan/` into `my_work/my_plan/`;
- says in plain words what it did. It never overwrites a copy without keeping the old one.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from ..course.cells import is_locked, is_solution, nbgrader_meta
from ..runtime.paths import EARLIER_FOLDER, PLAN_FOLDER, legacy_plan_dir, work_dir

META_KEY = "rotation_kit"  # notebook metadata the kit writes into the learner's copy
EARLIER = EARLIER_FOLDER  # beside each copy: the copies an update replaced (nbgrader's Submit skips it)
RELEASE = "notebooks"
STUBS = ("...", "raise NotImplementedError()", "YOUR ANSWER HERE")  # nbgrader's stubs (nbgrader_config.py), old and new
_OLD_STUB = re.compile(
    r"^(\s*)raise NotImplementedError\(\)\s*$"
)  # nbgrader's default code stub, the kit's before `...`
_OLD_STUB_COMMENT = re.compile(r"^\s*# YOUR CODE HERE\s*$")


def with_new_stubs(source: str) -> str:
    """An answer's text with nbgrader's old code stub (`# YOUR CODE HERE` + `raise NotImplementedError()`)
    written as the kit's stub now (`...`, nbgrader_config.py), so copies made either way compare alike."""
    lines = []
    for line in source.split("\n"):
        if _OLD_STUB_COMMENT.match(line):
            continue
        old = _OLD_STUB.match(line)
        lines.append(old.group(1) + "..." if old else line)
    return "\n".join(lines)


def has_stub_line(source: str) -> bool:
    """The answer still has the line nbgrader put where the solution was (`...`, or the old stub): the
    learner has not written their answer there. A `...` blank inside a template line does not count."""
    return any(line.strip() in STUBS for line in with_new_stubs(source).split("\n"))


def untouched_answer(source: str, release_source: str | None = None) -> bool:
    """True when an answer cell holds nothing the learner typed: only a stub (old or new), or the stub line
    with nothing but the release's own template lines around it (stubs written alike). A comment or a
    filled-in template line is the learner's work."""
    lines = [line.strip() for line in with_new_stubs(source).split("\n") if line.strip()]
    if all(line in STUBS for line in lines):
        return True
    if release_source is None or not has_stub_line(source):
        return False
    template = {line.strip() for line in with_new_stubs(release_source).split("\n")}
    return all(line in template for line in lines)


def cell_key(cell) -> str:
    """The name a cell keeps across versions: its nbgrader grade_id, else its notebook cell id."""
    return nbgrader_meta(cell).get("grade_id") or cell.get("id") or ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cell_digest(cell) -> str:
    return _digest(f"{cell.cell_type}\0{cell.source}")


def release_digest(nb) -> str:
    """One digest of the whole release notebook (every cell's name, type and text): a new version, a new digest."""
    return _digest("\n".join(f"{cell_key(c)}\0{cell_digest(c)}" for c in nb.cells))


def stamp(mine, release, module: str) -> None:
    """Record in the learner's copy which release it follows (and each cell's text there)."""
    mine.metadata[META_KEY] = {
        "module": module,
        "release": release_digest(release),
        "cells": {cell_key(c): cell_digest(c) for c in release.cells},
    }


def recorded_release(nb) -> str | None:
    return (nb.metadata.get(META_KEY) or {}).get("release")


@dataclass
class Merge:
    """A new version of a module with the learner's work carried into it, and what happened to each part."""

    nb: object
    carried: list[str] = field(default_factory=list)  # answers (and edited free cells) carried over
    added: list[str] = field(default_factory=list)  # cells the learner added, kept
    left_behind: list[str] = field(default_factory=list)  # the learner's edits that could not be carried


def merge(mine, release) -> Merge:
    """The new release with the learner's typed work from `mine`, cell by cell.

    - Answer cells (nbgrader solution cells): the learner's text, outputs and all, in the new
      version's cell (its points and checksum), whenever it differs from the new version's.
    - Free cells the learner edited (not locked, not answers): carried when the kit did not change
      that cell in the new version; when both changed (or the copy has no record of its version),
      the kit's new text wins and the learner's edit is named in `left_behind` (it stays in the
      earlier copy).
    - Locked cells (instructions, checks): always the new version's.
    - Cells the learner added: kept, after the cell they followed.
    """
    recorded = (mine.metadata.get(META_KEY) or {}).get("cells") or {}
    new_by_key = {cell_key(c): c for c in release.cells}
    result = copy.deepcopy(release)
    out = Merge(nb=result)
    mine_by_key = {cell_key(c): c for c in mine.cells}
    for i, cell in enumerate(result.cells):
        key = cell_key(cell)
        theirs = mine_by_key.get(key)
        if theirs is None or theirs.cell_type != cell.cell_type or is_locked(cell):
            continue
        if cell_digest(theirs) == cell_digest(cell):
            continue
        original = recorded.get(key)
        if is_solution(cell):
            # An answer that differs from the new version's text is the learner's, whatever the record says
            # (a copy first made from a notebooks/ someone had typed into records their answers), unless it
            # is the old version's untouched stub (nbgrader's old `raise NotImplementedError()` or the `...` now).
            untouched = untouched_answer(theirs.source, cell.source) or (
                original == cell_digest(theirs) and has_stub_line(theirs.source)  # the old version's template
            )
            if untouched:
                continue
            carry = True
        else:
            # A free cell is carried when the learner edited it and the kit did not; without a record (a
            # copy made before the kit noted versions) a difference may be the kit's own change.
            learner_edited = original is not None and cell_digest(theirs) != original
            kit_changed = original is None or original != cell_digest(cell)
            if original is not None and not learner_edited:
                continue  # the kit's change to a cell the learner left alone
            carry = not kit_changed
        if carry:
            carried = copy.deepcopy(cell)
            carried.source = theirs.source
            if cell.cell_type == "code":
                carried.outputs = copy.deepcopy(theirs.get("outputs", []))
                carried.execution_count = theirs.get("execution_count")
            result.cells[i] = carried
            out.carried.append(key)
        else:
            out.left_behind.append(key)
    # Answers and edits whose cell is gone from the new version, and cells the learner added.
    keys_in_result = [cell_key(c) for c in result.cells]
    previous_key = None
    for cell in mine.cells:
        key = cell_key(cell)
        if key in new_by_key:
            previous_key = key
            continue
        if key in recorded:  # the kit removed this cell
            if cell_digest(cell) != recorded[key] and (is_solution(cell) or not is_locked(cell)):
                out.left_behind.append(key)
            continue
        at = keys_in_result.index(previous_key) + 1 if previous_key in keys_in_result else len(result.cells)
        added = copy.deepcopy(cell)
        result.cells.insert(at, added)
        keys_in_result.insert(at, key)
        previous_key = key
        out.added.append(key or "(a cell without id)")
    _unique_ids(result)
    return out


def _unique_ids(nb) -> None:
    seen: set[str] = set()
    for cell in nb.cells:
        if not cell.get("id") or cell.id in seen:
            cell.id = nbformat.v4.new_markdown_cell().id
        seen.add(cell.id)


@dataclass
class Report:
    """What the workspace command did, for the person at the terminal."""

    work: Path
    created: list[Path] = field(default_factory=list)
    updated: list[tuple[Path, Path, Merge]] = field(default_factory=list)  # (copy, earlier copy, merge)
    stamped: list[Path] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        rel = lambda p: p.relative_to(self.work.parent) if p.is_relative_to(self.work.parent) else p  # noqa: E731
        lines = [
            f"Your work is in {self.work}/. Rebuilding or updating the kit never changes it; a new version "
            "of a module arrives here with what you typed carried over."
        ]
        lines += self.notes
        for path in self.created:
            lines.append(f"- Made your copy {rel(path)}.")
        for path, earlier, result in self.updated:
            lines.append(
                f"- {rel(path)}: the kit has a newer version of this module. Your copy now follows it, "
                f"with what you typed carried over ({len(result.carried)} cell(s))"
                + (f" and the {len(result.added)} cell(s) you added kept" if result.added else "")
                + f". Your previous copy is kept as {rel(earlier)}."
            )
            if result.left_behind:
                lines.append(
                    "  Not carried (the new version changed or removed these cells; your text is in the "
                    f"previous copy): {', '.join(result.left_behind)}."
                )
        for path in self.stamped:
            lines.append(f"- {rel(path)}: matches the kit's current version; noted which version it follows.")
        if self.up_to_date and not (self.created or self.updated):
            lines.append(f"- All {len(self.up_to_date)} module(s) are up to date.")
        elif self.up_to_date:
            lines.append(f"- Up to date: {', '.join(self.up_to_date)}.")
        return "\n".join(lines)


def _write_config(kit: Path, work: Path) -> None:
    """The Assignment List reads nbgrader settings from the downloaded-assignments folder: point it at the kit's."""
    template = kit / RELEASE / "nbgrader_config.py"
    target = work / "nbgrader_config.py"
    if template.is_file() and (not target.is_file() or target.read_bytes() != template.read_bytes()):
        shutil.copy(template, target)


def _move_legacy_plan(kit: Path, work: Path, report: Report) -> None:
    old, new = legacy_plan_dir(kit), work / PLAN_FOLDER
    if not old.is_dir() or not any(old.iterdir()):
        return
    if new.exists() and any(new.iterdir()):
        report.notes.append(
            f"Note: {old} still holds saved work from an older version of the kit; your current "
            f"saved work is in {new}. Compare them and delete the one you no longer need."
        )
        return
    if new.exists():
        new.rmdir()
    shutil.move(str(old), str(new))
    report.notes.append(f"Moved your saved work from {old} to {new} (its new home).")


def _earlier_path(folder: Path, name: str, when: datetime) -> Path:
    base = folder / EARLIER / f"{Path(name).stem}-{when:%Y%m%d-%H%M%S}.ipynb"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.stem}-{n}.ipynb")
    return target


def sync_module(kit: Path, work: Path, module: str, report: Report, when: datetime) -> None:
    release_dir, mine_dir = kit / RELEASE / module, work / module
    for source in sorted(p for p in release_dir.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
        rel = source.relative_to(release_dir)
        target = mine_dir / rel
        if source.suffix != ".ipynb":
            if not target.exists():  # data or pictures the module ships: copied once, never overwritten
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            continue
        release = nbformat.read(source, as_version=4)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            mine = copy.deepcopy(release)
            stamp(mine, release, module)
            nbformat.write(mine, target)
            report.created.append(target)
            continue
        try:
            mine = nbformat.read(target, as_version=4)
        except Exception as problem:  # a damaged copy: leave it alone and say so
            report.notes.append(
                f"Could not read {target} ({type(problem).__name__}); it was left as it is. "
                f"Open it in JupyterLab and save it again, or move it away to get a fresh copy."
            )
            continue
        current = release_digest(release)
        if recorded_release(mine) == current:
            report.up_to_date.append(module)
            continue
        if recorded_release(mine) is None and release_digest(_without_answers(mine, release)) == current:
            stamp(mine, release, module)  # a copy made by hand from this very version: only note the version
            nbformat.write(mine, target)
            report.stamped.append(target)
            continue
        result = merge(mine, release)
        stamp(result.nb, release, module)
        earlier = _earlier_path(mine_dir, source.name, when)
        earlier.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, earlier)  # the old copy first, byte for byte; then the new version
        nbformat.validate(result.nb)
        nbformat.write(result.nb, target)
        report.updated.append((target, earlier, result))


def _without_answers(mine, release):
    """The learner's copy with the release's text in every answer cell: is the rest this release?"""
    answers = {cell_key(c): c for c in release.cells if is_solution(c)}
    probe = copy.deepcopy(mine)
    for cell in probe.cells:
        if cell_key(cell) in answers:
            cell.source = answers[cell_key(cell)].source
    return probe


def update_workspace(kit: Path | None = None, when: datetime | None = None) -> Report:
    """Make missing copies in my_work/ and bring newer module versions in; returns what was done."""
    from ..course import modules, root

    kit = (kit or root()).resolve()
    work = work_dir(kit)
    work.mkdir(parents=True, exist_ok=True)
    report = Report(work=work)
    _move_legacy_plan(kit, work, report)
    _write_config(kit, work)
    when = when or datetime.now()
    for module in modules(kit):
        if (kit / RELEASE / module).is_dir():
            sync_module(kit, work, module, report, when)
    return report


def main(args: argparse.Namespace) -> int:
    """`rotation-kit workspace` (run by `make lab`)."""
    report = update_workspace(Path(args.kit) if args.kit else None)
    print(report.text())
    return 0
