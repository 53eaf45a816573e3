"""Screen a submission before nbgrader sees it: file problems, tampering, files that do not belong.

nbgrader grades a notebook it can read and restores the locked cells it finds. It
stumbles on what is not a notebook (empty, not JSON, not UTF-8, wrong name), and
it quietly does nothing about protected cells a learner deleted or whose nbgrader
metadata they edited. This module looks at each submitted folder, writes a clean
copy for grading, and says what it found:

- `problems`: the file cannot be graded (it scores zero as a missing notebook);
- `tampering`: protected cells (tests, prompts, setup, tasks) edited, deleted,
  duplicated, retyped, or their grading metadata edited. Deleted cells are put back
  from the learner version and metadata restored, so the real tests run; edited
  locked cells are restored by nbgrader from the gradebook;
- `notes`: harmless fixes (a notebook under the wrong name, non-UTF-8 bytes
  replaced, extra files left out) and code worth a human look.

Only the module's notebooks (and nbgrader's timestamp.txt and submission_secret.txt) are copied: a learner's
extra files could otherwise shadow the kit's Python modules in the grading kernel.
"""

from __future__ import annotations

import copy
import json
import shutil
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from ...course import fingerprint  # noqa: F401 (part of this module's interface)

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
NBGRADER_KEYS = ("grade", "solution", "locked", "points", "task", "grade_id", "schema_version")
# nbgrader's own files in a submitted folder: the submission time, and (from the exchange) the secret that
# names the learner's feedback page, which `nbgrader release_feedback` needs in the autograded copy.
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")

@dataclass
class Screening:
    """What screening found in one learner's submission of one module."""

    student: str
    module: str
    fingerprint: str = ""
    problems: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notebooks: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return asdict(self)


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata", {})
    found = meta.get("nbgrader") if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def _grade_id(cell) -> str | None:
    gid = _nbgrader(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


def _checksum(cell) -> str | None:
    from nbgrader.utils import compute_checksum

    try:
        return compute_checksum(cell)
    except Exception:  # malformed metadata: treat as changed
        return None


def read_notebook(path: Path) -> tuple[object | None, list[str], list[str]]:
    """(notebook or None, problems, notes) for one submitted file."""
    notes: list[str] = []
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return None, [f"{path.name} is {size // 2**20} MB, more than a notebook can reasonably be"], notes
    raw = path.read_bytes()
    if not raw.strip():
        return None, [f"{path.name} is empty"], notes
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = raw.decode("utf-8", errors="replace")
        notes.append(f"{path.name} has bytes that are not UTF-8 (first at byte {error.start}); they were replaced")
    try:
        data = json.loads(text)
    except ValueError as error:
        where = f" (line {error.lineno}, column {error.colno})" if hasattr(error, "lineno") else ""
        return None, [f"{path.name} is not valid JSON{where}: it is not a notebook or it was damaged"], notes
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        return None, [f"{path.name} is JSON but not a Jupyter notebook"], notes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _repair_ids(data, notes)
            if data.get("nbformat") == 4:
                from nbformat.v4.rwbase import rejoin_lines, strip_transient

                nb = strip_transient(rejoin_lines(nbformat.from_dict(data)))
            else:
                nb = nbformat.reads(json.dumps(data), as_version=4)
            nbformat.validate(nb)
    except Exception as error:  # nbformat raises several kinds
        first = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        return None, [f"{path.name} is not a valid notebook: {first}"], notes
    return nb, [], notes


def _repair_ids(data: dict, notes: list[str]) -> dict:
    """Give every cell a unique id (copies of a cell keep the id of the original)."""
    seen: set[str] = set()
    repaired = 0
    for cell in data.get("cells", []):
        if not isinstance(cell, dict):
            continue
        cid = cell.get("id")
        if isinstance(cid, str) and cid and cid not in seen:
            seen.add(cid)
            continue
        if cid is not None:
            repaired += 1
        new = uuid.uuid4().hex[:8]
        while new in seen:
            new = uuid.uuid4().hex[:8]
        if data.get("nbformat", 4) >= 4 and data.get("nbformat_minor", 0) >= 5:
            cell["id"] = new
        seen.add(new)
    if repaired:
        notes.append(f"{repaired} cell(s) had the id of another cell (copied cells); they got new ids")
    return data


def _same_meta(submitted: dict, release: dict) -> list[str]:
    changed = []
    for key in NBGRADER_KEYS:
        a, b = submitted.get(key), release.get(key)
        if key == "points" and a is not None and b is not None:
            try:
                if float(a) == float(b):
                    continue
            except (TypeError, ValueError):
                pass
        if a != b and not (key in ("grade", "solution", "locked", "task") and not a and not b):
            changed.append(key)
    return changed


def _as_type(cell, cell_type: str):
    """`cell` turned into a cell of `cell_type`, keeping its id, source and metadata."""
    maker = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
             "raw": nbformat.v4.new_raw_cell}[cell_type]
    new = maker(source=cell.get("source", ""), metadata=copy.deepcopy(cell.get("metadata", {})))
    if "id" in cell:
        new["id"] = cell["id"]
    return new


def check_cells(nb, release, nbgrader_restores: bool = True) -> tuple[list[str], list[str]]:
    """Compare a submitted notebook with the learner version; repair it in place.

    With `nbgrader_restores` (nbgrader's OverwriteCells runs next with `add_missing_cells`, as
    nbgrader_config.py sets it), deleted grade cells whose previous cell is there, and cells
    retyped between code and markdown, are left for nbgrader to put back; the kit restores the
    rest (deleted setup and answer cells, cells whose grading metadata was removed or edited).
    Returns (tampering, notes).
    """
    tampering: list[str] = []
    notes: list[str] = []
    release_cells = [(gid, c) for c in release.cells if (gid := _grade_id(c))]
    release_by_id = dict(release_cells)
    order = [gid for gid, _ in release_cells]

    # Cells whose grade id the learner version does not have: grading must ignore them.
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid and gid not in release_by_id:
            tampering.append(f"a cell claims the grading id {gid!r}, which this module does not have; ignored")
            cell.metadata.pop("nbgrader", None)

    # Copies: nbgrader keeps the last one with the id and strips the others; do the same, and say so.
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(nb.cells):
        if gid := _grade_id(cell):
            positions.setdefault(gid, []).append(index)
    for gid, where in positions.items():
        if len(where) > 1:
            tampering.append(f"cell {gid} appears {len(where)} times (copied); only the last copy is graded")
            for index in where[:-1]:
                nb.cells[index].metadata.pop("nbgrader", None)

    for index, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if not gid:
            continue
        original = release_by_id[gid]
        if cell.cell_type != original.cell_type:
            tampering.append(f"cell {gid} was changed from {original.cell_type} to {cell.cell_type}; changed back")
            retyped = _as_type(cell, original.cell_type)
            if not (nbgrader_restores and original.cell_type in ("code", "markdown")):
                cell = nb.cells[index] = retyped  # OverwriteCells.update_cell_type knows code and markdown only
            else:  # compared as nbgrader will retype it; the metadata repairs below apply to the notebook's cell too
                nb.cells[index].metadata = retyped.metadata
                cell = retyped
        changed = _same_meta(_nbgrader(cell), _nbgrader(original))
        if changed:
            tampering.append(f"grading metadata of cell {gid} was edited ({', '.join(changed)}); restored")
        if changed or _nbgrader(cell).get("checksum") != _nbgrader(original).get("checksum"):
            cell.metadata["nbgrader"] = copy.deepcopy(_nbgrader(original))
        for key in ("deletable", "editable"):
            if key in original.metadata:
                cell.metadata[key] = original.metadata[key]
        if _nbgrader(original).get("locked") and _checksum(cell) != _checksum(original):
            kind = "test cell" if _nbgrader(original).get("grade") else "protected cell"
            tampering.append(f"{kind} {gid} was edited; the original is graded instead")

    # Deleted cells go back where they were, so that the tests run (and fail if unanswered).
    present = {gid for c in nb.cells if (gid := _grade_id(c))}
    for position, gid in enumerate(order):
        if gid in present:
            continue
        original = release_by_id[gid]
        meta = _nbgrader(original)
        previous = order[position - 1] if position else None
        if nbgrader_restores and meta.get("grade") and previous in present and any(
                _grade_id(c) == previous and (_nbgrader(c).get("grade") or _nbgrader(c).get("solution"))
                for c in nb.cells):
            # nbgrader's OverwriteCells(add_missing_cells) puts it back after `previous`, from the gradebook.
            kind = "test cell" if not meta.get("solution") else "protected cell"
            tampering.append(f"{kind} {gid} was deleted; put back")
            present.add(gid)
            continue
        if meta.get("locked") or meta.get("grade"):
            kind = "test cell" if meta.get("grade") and not meta.get("solution") else "protected cell"
            tampering.append(f"{kind} {gid} was deleted; put back")
        else:
            notes.append(f"answer cell {gid} was deleted; put back empty")
        insert_at = 0
        for previous in reversed(order[:position]):
            found = [i for i, c in enumerate(nb.cells) if _grade_id(c) == previous]
            if found:
                insert_at = found[-1] + 1
                break
        restored = copy.deepcopy(original)
        if "id" in restored and any(c.get("id") == restored["id"] for c in nb.cells):
            restored["id"] = uuid.uuid4().hex[:8]
        nb.cells.insert(insert_at, restored)
        present.add(gid)

    return tampering, notes


def screen_submission(folder: Path, module: str, student: str, release_dir: Path, dest: Path,
                      nbgrader_restores: bool = False) -> Screening:
    """Screen `folder` (a learner's submission of `module`) and write the copy to grade into `dest`.

    `nbgrader_restores`: nbgrader's OverwriteCells will put deleted grade cells back (see check_cells).
    """
    result = Screening(student=student, module=module, fingerprint=fingerprint(folder))
    dest.mkdir(parents=True, exist_ok=True)
    expected = sorted(p.stem for p in release_dir.glob("*.ipynb"))
    submitted = {p.name: p for p in folder.iterdir()
                 if p.is_file() and not p.is_symlink() and p.suffix.lower() == ".ipynb"}
    others = sorted(p.name for p in folder.iterdir() if p.name not in submitted and p.name not in NBGRADER_FILES
                    and p.name != ".ipynb_checkpoints")
    if others:
        result.notes.append(f"extra files not used for grading: {', '.join(others[:5])}" + (" ..." if len(others) > 5 else ""))
    for name in NBGRADER_FILES:
        if (folder / name).is_file() and not (folder / name).is_symlink():
            shutil.copy(folder / name, dest / name)

    unmatched = [name for name in sorted(submitted) if Path(name).stem not in expected]
    for name in expected:
        path = submitted.get(f"{name}.ipynb")
        if path is None:
            if len(unmatched) == 1 and len([e for e in expected if f"{e}.ipynb" not in submitted]) == 1:
                path = submitted[unmatched.pop()]
                result.notes.append(f"notebook submitted as {path.name!r}; graded as {name}.ipynb")
            elif unmatched:
                result.problems.append(f"{name}.ipynb is missing, and it is not clear which of {', '.join(unmatched)} it is")
                continue
            else:
                result.problems.append(f"{name}.ipynb was not submitted")
                continue
        nb, problems, notes = read_notebook(path)
        result.notes.extend(notes)
        if nb is None:
            result.problems.extend(problems)
            continue
        release = nbformat.read(release_dir / f"{name}.ipynb", as_version=4)
        before = nbformat.writes(nb)
        tampering, more_notes = check_cells(nb, release, nbgrader_restores)
        result.tampering.extend(tampering)
        result.notes.extend(more_notes)
        target = dest / f"{name}.ipynb"
        if not notes and path.name == target.name and nbformat.writes(nb) == before:
            shutil.copyfile(path, target)  # untouched: grade the very bytes the learner sent
        else:
            nbformat.write(nb, target)
        result.notebooks.append(name)
    return result


try:
    from nbgrader.preprocessors import NbGraderPreprocessor
except ImportError:  # pragma: no cover (the grader always has nbgrader)
    NbGraderPreprocessor = object


class ScreenCells(NbGraderPreprocessor):
    """The kit's cell screening as a step of nbgrader's own autograde (`Autograde.sanitize_preprocessors`).

    `rotation-kit grade autograde` screens each submission before nbgrader sees it; plain
    `nbgrader autograde` and the formgrader's button get the same repairs here, against the
    released learner version (`CourseDirectory.release_directory`). When that version is not
    there (the kit's own scratch courses, already screened) the notebook goes on as it is.
    Either way the kit's record in the notebook's metadata starts afresh: a learner cannot
    bring their own.
    """

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        from .integrity import METADATA_KEY

        nb.metadata.pop(METADATA_KEY, None)
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        release = Path(coursedir.format_path(coursedir.release_directory, ".", info.get("assignment", ""))) \
            / f"{info.get('notebook', '')}.ipynb"
        if not release.is_file():
            return nb, resources
        restores = bool(self.config.OverwriteCells.get("add_missing_cells", False))
        tampering, notes = check_cells(nb, nbformat.read(release, as_version=4), nbgrader_restores=restores)
        nb.metadata[METADATA_KEY] = {"screening": {"tampering": tampering, "notes": notes}}
        return nb, resources
