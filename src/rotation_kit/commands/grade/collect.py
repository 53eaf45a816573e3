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

A file that matches no learner, or more than one, is reported and left alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
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


def match_learner(path: str, learners: list[Learner]) -> list[str]:
    """Ids of the learners whose id, email or name appears in `path` (one, none, or ambiguous)."""
    tokens = _tokens(path.replace("\\", "/"))
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


def notebook_for(path: str, notebooks: list[str]) -> tuple[str | None, bool]:
    """(notebook name this file is, renamed?) for a submitted file of a module with `notebooks`."""
    stem = Path(path).stem
    if stem in notebooks:
        return stem, False
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
        notebook, renamed = notebook_for(relative, setup["notebooks"])
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
    chosen: dict[tuple[str, str], Path] = {}
    collected = Collected()
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        relative = str(path.relative_to(folder))
        ids = match_learner(relative, learners)
        notebook, renamed = notebook_for(relative, notebooks)
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
        shutil.copyfile(path, dest / f"{notebook}.ipynb")
        relative = str(path.relative_to(folder))
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
