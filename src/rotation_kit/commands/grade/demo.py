"""A demo class: a fictional course of N learners with varied submissions, to try grading on.

`rotation-kit grade demo` builds a complete course folder (default
`grading/demo-class/`): the kit's nbgrader config, the chosen modules' sources,
their learner versions, a roster of invented learners imported into its own
gradebook, due dates, and one submission per learner and module in
`grading/submitted/`, the way collection leaves them. It also writes the same
submissions as an LMS download (`downloads/<module>_lms.zip`, Canvas-style file
names) to try `collect --zip` on. Nothing touches the real course.

Learners (names made of invented syllables; all fictional) submit, per module:

- full: every exercise solved;      - partial: some exercises solved;
- blank: the notebook as released;  - broken: solved, but one answer crashes and one has a syntax error;
- tampered: some test cells edited to pass, answers left empty (nbgrader restores the tests: no points);
- late: solved, after the due date; - missing: nothing submitted.

The mix is seeded, so the same command gives the same class; tests and the
grading benchmark use it too.
"""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat

from ...course import Course, CourseError
from ...course.cells import answer_ids, exercise_of, grade_id, is_check, is_task, nbgrader_meta
from ...course.submissions import build_submission
from .autograde import template_db
from .roster import Learner, import_roster, write_roster

KINDS = ("full", "partial", "blank", "broken", "tampered", "late", "missing")
#: Share of each kind in a class (the first learners get one of each, so every kind appears from N = 7 on).
MIX = {"full": 0.30, "partial": 0.27, "blank": 0.10, "broken": 0.10, "tampered": 0.09, "late": 0.08, "missing": 0.06}
DUE = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
_LMS_ID_BASE = 1000

_SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "sa",
    "lu",
    "de",
    "na",
    "ti",
    "vo",
    "re",
    "ba",
    "zo",
    "el",
    "an",
    "or",
    "is",
    "un",
    "fe",
    "qui",
    "ya",
    "to",
    "ne",
    "sha",
    "lo",
    "rin",
    "dar",
    "mel",
    "ves",
]
WRITTEN_ANSWER = (
    "My reach pick is the academic program at the top of my ranking; my realistic picks pass both parts "
    "of the test. I weighted informatics presence most because I want a fellowship later; the "
    "stability check kept four of five programs. Before applying I would check visa sponsorship and "
    "the visiting-student policy on each program's own website. (Demo answer, fictional.)"
)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def demo_learners(count: int, seed: int = 2026) -> list[Learner]:
    rng = random.Random(seed)
    learners, seen = [], set()
    width = max(2, len(str(count)))
    for number in range(1, count + 1):
        while True:
            first, last = _name(rng, rng.choice((2, 3))), _name(rng, 3)
            if (first, last) not in seen:
                seen.add((first, last))
                break
        learner_id = f"lrn{number:0{width}d}"
        # The LMS user id is the number the demo's Canvas-style download puts in file names.
        learners.append(Learner(learner_id, first, last, f"{learner_id}@demo.invalid", str(_LMS_ID_BASE + number - 1)))
    return learners


def kinds_for(count: int, seed: int, module: str) -> list[str]:
    """One kind per learner: the first seven get one of each, the rest follow MIX, shuffled per module."""
    rng = random.Random(f"{seed}-{module}")
    kinds = list(KINDS[: min(count, len(KINDS))])
    rest = count - len(kinds)
    for kind, share in MIX.items():
        kinds += [kind] * int(round(share * rest))
    while len(kinds) < count:
        kinds.append("full")
    kinds = kinds[:count]
    rng.shuffle(kinds)
    return kinds


def _answer_task(nb) -> None:
    """Write a short answer in the markdown cell after each manually graded task."""
    for index, cell in enumerate(nb.cells[:-1]):
        if is_task(cell):
            following = nb.cells[index + 1]
            if following.cell_type == "markdown" and not nbgrader_meta(following):
                following.source = WRITTEN_ANSWER


def _submission(kind: str, learner_nb: Path, source_nb: Path, rng: random.Random):
    learner = nbformat.read(learner_nb, as_version=4)
    answers = answer_ids(learner)
    if kind == "blank":
        return learner
    if kind == "partial":
        solved = set(rng.sample(answers, k=max(1, len(answers) // 2))) if answers else set()
        nb = build_submission(learner_nb, source_nb, solved)
    elif kind == "tampered":
        keep = set(rng.sample(answers, k=len(answers) // 3)) if answers else set()
        nb = build_submission(learner_nb, source_nb, keep)
        kept = {exercise_of(gid) for gid in keep}
        for cell in nb.cells:
            if is_check(cell) and exercise_of(grade_id(cell)) not in kept:
                cell.source = "# checks removed\nprint('all tests passed')"
    else:  # full, late, broken
        nb = build_submission(learner_nb, source_nb)
    if kind == "broken" and answers:
        crash, syntax = rng.sample(answers, k=2) if len(answers) > 1 else (answers[0], None)
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid == crash:
                cell.source = "raise ValueError('still working on this')\n" + cell.source
            elif gid == syntax:
                cell.source = cell.source.replace("def ", "def (", 1) if "def " in cell.source else cell.source + "\n)"
    if kind != "blank":
        _answer_task(nb)
    return nb


def new_course(out: Path, modules: list[str], force: bool = False, log=print, templates: bool = True) -> Course:
    """A course folder with the kit's nbgrader config, `modules` registered with due dates, and no learners."""
    from ...course import root as kit_root

    kit = kit_root()
    for module in modules:
        if not (kit / "solutions" / module / f"{module}.ipynb").is_file():
            raise CourseError(f"The kit has no module {module!r} in solutions/.")
    out = out.resolve()
    if out.exists():
        if not force:
            raise CourseError(f"{out} already exists; use --force to replace it.")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(kit / "nbgrader_config.py", out / "nbgrader_config.py")
    for module in modules:
        shutil.copytree(
            kit / "solutions" / module, out / "solutions" / module, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    course = Course.at(out)
    course.grading.mkdir(parents=True, exist_ok=True)
    for position, module in enumerate(modules):
        release = course.ensure_assignment(module, log=log)
        shutil.copytree(release, course.release / module)
        if templates:
            template_db(course, module)  # built now, so that the first autograde does not wait for it
        with course.gradebook() as gb:
            gb.update_or_create_assignment(module, duedate=DUE.replace(tzinfo=None) + timedelta(days=7 * position))
    return course


def make_demo(
    out: Path,
    learners: int = 30,
    modules: list[str] | None = None,
    seed: int = 2026,
    force: bool = False,
    log=print,
    templates: bool = True,
) -> Course:
    """Create the demo class in `out` and return it as a Course."""
    modules = modules or ["03_where_to_rotate"]
    course = new_course(out, modules, force=force, log=log, templates=templates)

    people = demo_learners(learners, seed)
    write_roster(people, out / "roster.csv")
    import_roster(course, out / "roster.csv")

    downloads = out / "downloads"
    downloads.mkdir()
    for position, module in enumerate(modules):
        due = DUE + timedelta(days=7 * position)
        rng = random.Random(f"{seed}-{module}-work")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as lms:
            for person, kind in zip(people, kinds_for(learners, seed, module), strict=True):
                if kind == "missing":
                    continue
                for name in course.notebook_names(module):
                    nb = _submission(
                        kind, course.release / module / f"{name}.ipynb", course.source / module / f"{name}.ipynb", rng
                    )
                    folder = course.submitted / person.id / module
                    folder.mkdir(parents=True, exist_ok=True)
                    nbformat.write(nb, folder / f"{name}.ipynb")
                    when = due + (
                        timedelta(hours=rng.randint(2, 60)) if kind == "late" else -timedelta(hours=rng.randint(1, 120))
                    )
                    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
                    late = "_LATE" if kind == "late" else ""
                    # Canvas names downloads lastfirst[_LATE]_<user id>_<submission id>_<file name>.
                    user, upload = person.lms_user_id, rng.randint(10000, 99999)
                    canvas = f"{(person.last_name + person.first_name).lower()}{late}_{user}_{upload}_{name}.ipynb"
                    lms.writestr(canvas, nbformat.writes(nb))
        (downloads / f"{module}_lms.zip").write_bytes(archive.getvalue())
    log(f"Demo class: {learners} fictional learners, modules {', '.join(modules)}, in {out}")
    return course


def demo_kinds(course: Course, module: str, learners: int, seed: int = 2026) -> dict[str, str]:
    """learner id -> kind of submission, as make_demo made them (for tests and the benchmark)."""
    people = demo_learners(learners, seed)
    return {p.id: k for p, k in zip(people, kinds_for(learners, seed, module), strict=True)}
