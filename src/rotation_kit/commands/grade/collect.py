"""Bring submissions in: an LMS download (zip), a folder of notebooks named by learner, nbgrader's exchange.

Whatever the source, submissions end up where nbgrader expects them:
`grading/submitted/<learner id>/<module>/<module>.ipynb` (plus `timestamp.txt`
when the source says when it was submitted).

- **LMS zip**: nbgrader's `zip_collect` does the extracting and copying; the kit
  gives it `RosterCollector`, which recognises the learner in file names the way
  LMSs write them (Canvas `smithjane_LATE_1234_5678_file.ipynb`, Moodle
  `Jane Smith_1234_assignsubmission_file_/file.ipynb`, Blackboard
  `Module_jsmith_attempt_2026-03-01-10-00-00_file.ipynb`, or simply the id) by
  comparing them with the roster: the id, the email's local part, or the name.
- **Folder**: the same matching, for a folder of notebooks (or of one folder per learner).
- **Exchange**: nbgrader's own `collect`.

Files a learner handed in without a hub (`hand_in()`, `rotation-kit hand-in`: runtime/hand_in.py)
are `<learner id>__<module>.ipynb`, recognised like any other notebook, or, when the learner chose
to share their plan, `<learner id>__<module>.zip` holding the notebook, `hand_in.json` and
`my_plan/`. Both routes take the notebook from such a zip (nbgrader's zip_collect unpacks it
inside an LMS download); the shared plan goes to `grading/shared_plans/<learner id>/`, never into
the submission nbgrader grades, and `rotation-kit reset` archives and clears it with the rest.

A file that matches no learner, or more than one, is reported and left alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

from ...course import Course, CourseError
from .roster import Learner, roster

_TIMESTAMP = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})[T _-]?(\d{2})[:\-]?(\d{2})(?:[:\-]?(\d{2}))?")


def _fold(text: str) -> str:
    """Lower case, accents removed: 'José' and 'jose' are the same name in a file name."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", _fold(text)) if t]


def _keys(learner: Learner) -> list[list[str]]:
    """Token sequences that identify `learner` in a file name, strongest first."""
    keys = [_tokens(learner.id)]
    local = learner.email.split("@")[0] if learner.email else ""
    keys += [_tokens(learner.email), _tokens(local)] if learner.email else [[], []]
    first, last = _tokens(learner.first_name), _tokens(learner.last_name)
    if first and last:
        keys += [["".join(last + first)], ["".join(first + last)], first + last, last + first]
    return keys


def _contains(tokens: list[str], key: list[str]) -> bool:
    n = len(key)
    return any(tokens[i : i + n] == key for i in range(len(tokens) - n + 1))


# Canvas names each file in its submissions download `<lastfirst>[_LATE]_<Canvas user id>_<submission id>_<file>`.
_CANVAS = re.compile(r"^[a-z]+(?:_late)?_(?P<user>\d+)_\d+_.+", re.IGNORECASE)


def match_learner(path: str, learners: list[Learner]) -> list[str]:
    """Ids of the learners whose id, email or name appears in `path` (one, none, or ambiguous).

    A Canvas file name carries the learner's Canvas user id: when the roster has it (`lms_user_id`), it
    decides, so two learners with the same name, or a name spelt differently in Canvas, are told apart.
    """
    path = path.replace("\\", "/")
    canvas = _CANVAS.match(Path(path).name)
    if canvas:
        by_lms_id = sorted({lr.id for lr in learners if lr.lms_user_id.strip() == canvas["user"]})
        if by_lms_id:
            return by_lms_id
    tokens = _tokens(path)
    keys = {lr.id: _keys(lr) for lr in learners}
    for strength in range(7):  # prefer an id match to an email match to a name match
        found = sorted(
            {i for i, k in keys.items() if len(k) > strength and k[strength] and _contains(tokens, k[strength])}
        )
        if found:
            return found
    return []


def find_timestamp(path: str) -> str | None:
    match = _TIMESTAMP.search(Path(path).name) or _TIMESTAMP.search(path)
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0)).isoformat(" ")
    except ValueError:
        return None


def notebook_for(path: str, notebooks: list[str], others: list[str] | tuple[str, ...] = ()) -> tuple[str | None, bool]:
    """(notebook name this file is, renamed?) for a submitted file of a module with `notebooks`.

    `others`: the other modules' notebook names; a file (or folder) named after one of them is not this
    module's, e.g. `amara__03_where_to_rotate_code.ipynb` (a code lab's hand-in) when collecting module 03.
    """
    stem = Path(path).stem
    if stem in notebooks:
        return stem, False
    if any(_fold(other) in _fold(path) for other in others):
        return None, False
    inside = [n for n in notebooks if _fold(n) in _fold(stem)]
    if len(inside) == 1:  # an LMS prefix or suffix around the right name: nothing worth a note
        return inside[0], False
    if len(notebooks) == 1:
        return notebooks[0], True
    return None, False


class RosterCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect plugin: find the learner in an LMS file name by comparing with the roster."""

    roster_file = Unicode("", help="JSON written by the kit: learners, notebooks, and where to report.").tag(
        config=True
    )

    def collect(self, submitted_file):
        if Path(submitted_file).suffix not in self.valid_ext:
            return None
        setup = json.loads(Path(self.roster_file).read_text())
        learners = [Learner(**lr) for lr in setup["learners"]]
        relative = submitted_file.split("/extracted/", 1)[-1]
        report_path = Path(setup["report"])
        report = json.loads(report_path.read_text()) if report_path.is_file() else {"matched": {}, "skipped": {}}
        ids = match_learner(relative, learners)
        notebook, renamed = notebook_for(relative, setup["notebooks"], setup.get("others", ()))
        if len(ids) != 1 or notebook is None:
            why = (
                "no learner on the roster matches it"
                if not ids
                else f"it matches several learners ({', '.join(ids)})"
                if len(ids) > 1
                else "it is not one of the module's notebooks"
            )
            report["skipped"][relative] = why
            report_path.write_text(json.dumps(report))
            return None
        report["matched"][relative] = {"student": ids[0], "notebook": notebook, "renamed": renamed}
        report_path.write_text(json.dumps(report))
        info = {"student_id": ids[0], "file_id": f"{notebook}.ipynb"}
        stamp = find_timestamp(relative)
        if stamp:
            info["timestamp"] = stamp
        return info


@dataclass
class Collected:
    """What a collect command did."""

    learners: dict[str, list[str]] = field(default_factory=dict)  # learner -> files taken
    skipped: dict[str, str] = field(default_factory=dict)  # file -> why
    notes: list[str] = field(default_factory=list)

    def text(self, module: str) -> str:
        lines = [f"{module}: collected submissions from {len(self.learners)} learner(s)"]
        for name, why in sorted(self.skipped.items()):
            lines.append(f"  skipped {name}: {why}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


SHARED_PLANS = "shared_plans"  # under grading/: plans learners chose to hand in with a module
HAND_IN_MANIFEST = "hand_in.json"  # runtime/hand_in.py's MANIFEST (the runtime is not imported by grading)
_MAX_NOTEBOOK = 50 * 1024 * 1024  # bytes: a hand-in notebook larger than this is not unpacked
_MAX_PLAN_FILE = 5 * 1024 * 1024
_PLAN_NAME = re.compile(r"^my_plan/[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.(json|html)$")


def read_hand_in_zip(path: Path, notebooks: list[str]) -> tuple[str, bytes, dict[str, bytes]]:
    """(notebook name, its bytes, plan files by name) from a learner's hand-in zip; ValueError says why not.

    Only the module's notebook at the top of the zip and flat `my_plan/*.json|html` files are read, each
    with a size limit, under names the kit chooses: nothing in the zip picks a path on the grader's disk.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
            found = [
                Path(name).stem
                for name in members
                if "/" not in name and name.endswith(".ipynb") and Path(name).stem in notebooks
            ]
            if not found:
                raise ValueError("it holds no notebook of this module")
            if len(found) > 1:
                raise ValueError(f"it holds more than one notebook of the module ({', '.join(sorted(found))})")
            notebook = found[0]
            info = members[f"{notebook}.ipynb"]
            if info.file_size > _MAX_NOTEBOOK:
                raise ValueError(f"its notebook is larger than {_MAX_NOTEBOOK // 2**20} MB")
            data = archive.read(info)
            plan = {}
            for name, member in members.items():
                if _PLAN_NAME.match(name) and member.file_size <= _MAX_PLAN_FILE:
                    plan[name.split("/", 1)[1]] = archive.read(member)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ValueError(f"it is not a readable zip file ({exc})") from exc
    return notebook, data, plan


def keep_shared_plan(course: Course, student: str, plan: dict[str, bytes]) -> Path | None:
    """Put a plan a learner chose to share in grading/shared_plans/<id>/ (the latest hand-in's replaces it)."""
    if not plan:
        return None
    dest = course.grading / SHARED_PLANS / student
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, data in sorted(plan.items()):
        (dest / name).write_bytes(data)
    return dest


def _plans_in_extracted(course: Course, extracted: Path, matched: dict[str, dict]) -> list[str]:
    """After zip_collect: the plans inside hand-in zips it unpacked (a folder with hand_in.json and my_plan/)."""
    notes = []
    for relative, info in sorted(matched.items()):
        folder = (extracted / relative).parent
        if not (folder / HAND_IN_MANIFEST).is_file() or not (folder / "my_plan").is_dir():
            continue
        plan = {
            p.name: p.read_bytes()
            for p in sorted((folder / "my_plan").iterdir())
            if p.is_file() and _PLAN_NAME.match(f"my_plan/{p.name}") and p.stat().st_size <= _MAX_PLAN_FILE
        }
        kept = keep_shared_plan(course, info["student"], plan)
        if kept:
            notes.append(f"{info['student']} shared their plan: kept in {kept} (not graded; reset archives it)")
    return notes


def other_notebooks(course: Course, module: str) -> list[str]:
    """Notebook names of the course's other modules that a file of `module` could not contain by accident."""
    mine = course.notebook_names(module)
    names = {n for m in course.modules() if m != module for n in course.notebook_names(m)}
    return sorted(n for n in names if n not in mine and not any(_fold(n) in _fold(own) for own in mine))


def _need_roster(course: Course) -> list[Learner]:
    learners = roster(course)
    if not learners:
        raise CourseError(
            "The gradebook has no learners yet: import the roster first "
            "(rotation-kit grade roster roster.csv), so that files can be matched to learners."
        )
    return learners


def collect_zip(course: Course, module: str, archive: Path) -> Collected:
    """Collect an LMS download (zip) with nbgrader's zip_collect and the kit's RosterCollector."""
    from ...course import run_nbgrader

    course.check_module(module)
    if not archive.is_file():
        raise CourseError(f"No such file: {archive}")
    learners = _need_roster(course)
    downloaded = course.grading / "downloaded"
    archive_dir = downloaded / module / "archive"
    if archive_dir.exists():
        shutil.rmtree(archive_dir)
    archive_dir.mkdir(parents=True)
    shutil.copy(archive, archive_dir / archive.name)
    with tempfile.TemporaryDirectory(prefix="rk-collect-") as scratch:
        setup = Path(scratch) / "setup.json"
        report = Path(scratch) / "report.json"
        setup.write_text(
            json.dumps(
                {
                    "learners": [lr.__dict__ for lr in learners],
                    "report": str(report),
                    "notebooks": course.notebook_names(module),
                    "others": other_notebooks(course, module),
                }
            )
        )
        result = run_nbgrader(
            [
                "zip_collect",
                module,
                "--force",
                "--ZipCollectApp.collector_plugin=rotation_kit.commands.grade.collect.RosterCollector",
                f"--RosterCollector.roster_file={setup}",
                f"--ZipCollectApp.downloaded_directory={os.path.relpath(downloaded, course.root)}",
                f"--CourseDirectory.submitted_directory={course.submitted}",
                f"--CourseDirectory.release_directory={_release_for(course, module)}",
            ],
            cwd=course.root,
            check=False,
            timeout=600,
        )
        if result.returncode != 0:
            raise CourseError(f"nbgrader zip_collect failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        found = json.loads(report.read_text()) if report.is_file() else {"matched": {}, "skipped": {}}
    collected = Collected(skipped=found["skipped"])
    for name, info in sorted(found["matched"].items()):
        collected.learners.setdefault(info["student"], []).append(name)
        if info["renamed"]:
            collected.notes.append(f"{name} saved as {info['notebook']}.ipynb for {info['student']}")
    collected.notes += _plans_in_extracted(course, downloaded / module / "extracted", found["matched"])
    return collected


def _release_for(course: Course, module: str) -> Path:
    """A release folder holding `module`'s learner notebooks (zip_collect checks names against it)."""
    if (course.release / module).is_dir():
        return course.release
    return course.ensure_assignment(module).parent


def collect_folder(course: Course, module: str, folder: Path) -> Collected:
    """Collect notebooks from a folder whose file (or subfolder) names identify the learner."""
    course.check_module(module)
    if not folder.is_dir():
        raise CourseError(f"No such folder: {folder}")
    learners = _need_roster(course)
    notebooks = course.notebook_names(module)
    others = other_notebooks(course, module)
    chosen: dict[tuple[str, str], Path] = {}
    from_zip: dict[Path, tuple[bytes, dict[str, bytes]]] = {}  # hand-in zips: the notebook and the shared plan
    collected = Collected()
    for path in sorted([*folder.rglob("*.ipynb"), *folder.rglob("*.zip")]):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        relative = str(path.relative_to(folder))
        ids = match_learner(relative, learners)
        if path.suffix == ".zip":
            if any(_fold(other) in _fold(relative) for other in others):
                collected.skipped[relative] = "it is a hand-in of another module"
                continue
            try:
                notebook, data, plan = read_hand_in_zip(path, notebooks)
            except ValueError as exc:
                collected.skipped[relative] = f"not a hand-in of this module: {exc}"
                continue
            from_zip[path] = (data, plan)
            renamed = False
        else:
            notebook, renamed = notebook_for(relative, notebooks, others)
        if len(ids) != 1 or notebook is None:
            collected.skipped[relative] = (
                "no learner on the roster matches it"
                if not ids
                else f"it matches several learners ({', '.join(ids)})"
                if len(ids) > 1
                else "it is not one of the module's notebooks"
            )
            continue
        key = (ids[0], notebook)
        if key in chosen:
            older, newer = sorted([chosen[key], path], key=lambda p: p.stat().st_mtime)
            collected.notes.append(f"{ids[0]} has two files for {notebook}: kept {newer.name}, not {older.name}")
            path = newer
        chosen[key] = path
        if renamed:
            collected.notes.append(f"{relative} saved as {notebook}.ipynb for {ids[0]}")
    for (student, notebook), path in sorted(chosen.items()):
        dest = course.submitted / student / module
        dest.mkdir(parents=True, exist_ok=True)
        relative = str(path.relative_to(folder))
        if path in from_zip:
            data, plan = from_zip[path]
            (dest / f"{notebook}.ipynb").write_bytes(data)
            kept = keep_shared_plan(course, student, plan)
            if kept:
                collected.notes.append(f"{student} shared their plan: kept in {kept} (not graded; reset archives it)")
        else:
            shutil.copyfile(path, dest / f"{notebook}.ipynb")
        stamp = find_timestamp(relative)
        if stamp:
            (dest / "timestamp.txt").write_text(stamp)
        collected.learners.setdefault(student, []).append(relative)
    return collected


def collect_exchange(course: Course, module: str, exchange_root: str | None = None) -> Collected:
    """Collect submissions from nbgrader's exchange with nbgrader's own `collect`."""
    from ...course import run_nbgrader

    course.check_module(module)
    before = {s: _stamp(course, s, module) for s in course.submitters(module)}
    args = ["collect", module, "--update"]
    if exchange_root:
        args.append(f"--Exchange.root={exchange_root}")
    result = run_nbgrader(args, cwd=course.root, check=False, timeout=600)
    if result.returncode != 0:
        raise CourseError(f"nbgrader collect failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    collected = Collected()
    for student in course.submitters(module):
        if before.get(student) != _stamp(course, student, module):
            collected.learners[student] = [p.name for p in (course.submitted / student / module).glob("*.ipynb")]
    return collected


def _stamp(course: Course, student: str, module: str) -> str:
    path = course.submitted / student / module / "timestamp.txt"
    return path.read_text().strip() if path.is_file() else ""
