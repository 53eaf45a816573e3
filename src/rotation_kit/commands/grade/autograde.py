"""Autograde every new submission on all cores, sandboxed, with a summary of what happened.

nbgrader's own `autograde` grades one submission after another and keeps the
learner's kernel on the instructor's machine. Here each submission is:

1. screened (`screen.py`): unreadable files, tampering and stray files are dealt
   with before nbgrader sees the notebook;
2. autograded by nbgrader's own Autograde converter and preprocessors, in a
   worker process, in a scratch course with its own small gradebook, with the
   kernel in the sandbox (`sandbox.py`) and `SafeExecute` in place of nbgrader's
   Execute (a time limit for the whole notebook, a kernel that dies or hangs
   stops the notebook instead of the batch, capped output);
3. merged into the course's gradebook, one at a time, by the main process with
   nbgrader's Gradebook API (sqlite does not like several writers), and its
   autograded notebook copied to `grading/autograded/`.

The grading steps themselves (screening repairs, SafeExecute, IntegrityChecks) are the ones
nbgrader_config.py gives nbgrader, so plain `nbgrader autograde` grades the same way. Grades
are the ones nbgrader's serial `autograde` gives (tests/test_grading_workflow.py and
benchmarks/grading_speed.py compare them); the kit only adds what nbgrader cannot do alone:
all cores, screening of unreadable files, the merge, and the summary.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from time import monotonic

from ...course import Course, fingerprint
from .progress import Progress

STATUSES = ("graded", "tampered", "timed out", "failed to run", "missing")


@dataclass
class Limits:
    """How much a submission may use while it is graded."""

    cell_timeout: int | None = None  # seconds per cell; None: nbgrader_config.py's Execute.timeout
    notebook_timeout: int = 600  # seconds for the whole notebook
    memory_mb: int = 2048  # address space of the kernel
    cpu_seconds: int = 300  # CPU time of the kernel
    output_kb: int = 2048  # output kept per cell
    sandbox: bool = True  # use bubblewrap when it is available


# -- one submission, in a worker process ---------------------------------------------


@dataclass
class Job:
    module: str
    student: str
    work: str  # scratch course folder for this submission
    template_db: str
    duedate: str | None
    screening: dict


@dataclass
class Result:
    module: str
    student: str
    ok: bool
    error: str = ""
    log: str = ""
    events: list[str] = field(default_factory=list)
    stop_kind: str | None = None
    timeouts: int = 0
    seconds: float = 0.0
    worker_rss_mb: float = 0.0
    kernel_rss_mb: float = 0.0
    flags: list[dict] = field(default_factory=list)


def _preprocessors(config) -> list:
    """Autograde's preprocessors with nbgrader's Execute replaced by SafeExecute."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.utils.importstring import import_item

    from .execute import SafeExecute

    configured = config.Autograde.get("autograde_preprocessors") or Autograde.class_traits()["autograde_preprocessors"].default()
    chosen = []
    for pp in configured:
        cls = import_item(pp) if isinstance(pp, str) else pp
        chosen.append(SafeExecute if isinstance(cls, type) and issubclass(cls, Execute) else cls)
    return chosen


class _Settings:
    """What every job of one run shares, set up once per worker process."""

    def __init__(self, course_root: str, limits: dict, data_dir: str | None):
        self.course = Course(Path(course_root))
        self.limits = Limits(**limits)
        self.base = self.course.config()
        self.preprocessors = _preprocessors(self.base)
        self.data_dir = data_dir

    def config_for(self, job: Job):
        config = copy.deepcopy(self.base)
        work = Path(job.work)
        cd = config.CourseDirectory
        cd.root = str(work)
        cd.db_url = f"sqlite:///{work / 'gradebook.db'}"
        cd.source_directory = str(self.course.source)
        cd.submitted_directory = str(work / "submitted")
        cd.autograded_directory = str(work / "autograded")
        cd.release_directory = str(work / "release")
        cd.feedback_directory = str(work / "feedback")
        config.Autograde.autograde_preprocessors = self.preprocessors
        limits = self.limits
        if limits.cell_timeout:
            config.Execute.timeout = limits.cell_timeout
        config.SafeExecute.notebook_timeout = limits.notebook_timeout
        config.SafeExecute.max_output_bytes = limits.output_kb * 1024
        km = config.SandboxedKernelManager
        km.sandbox = limits.sandbox
        km.memory_limit = limits.memory_mb * 1024 * 1024
        km.cpu_limit = limits.cpu_seconds
        env = {}
        if self.data_dir:
            km.read_only = [self.data_dir]
            env["ROTATION_KIT_DATA"] = self.data_dir
        km.kernel_env = env
        return config


def _quiet_logs() -> None:
    from ...course import quiet_nbgrader_logs

    quiet_nbgrader_logs()


def grade_one(job: Job, settings: _Settings) -> Result:
    """Autograde one screened submission in its scratch course (runs in a worker)."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from .execute import EVENTS

    started = monotonic()
    EVENTS.clear()
    work = Path(job.work)
    shutil.copy(job.template_db, work / "gradebook.db")
    config = settings.config_for(job)
    if job.duedate:
        from dateutil.parser import parse

        with Gradebook(config.CourseDirectory.db_url, settings.course.course_id) as gb:
            gb.update_or_create_assignment(job.module, duedate=parse(job.duedate))
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    outcome = api.autograde(job.module, job.student, force=True, create=True)
    kinds = [record["kind"] for record in EVENTS if record["kind"]]
    worker_mb, kernel_mb = _peak_memory_mb()
    from .integrity import notebook_flags

    flags = [asdict(f) for path in sorted((work / "autograded" / job.student / job.module).glob("*.ipynb"))
             for f in notebook_flags(path)]
    return Result(module=job.module, student=job.student, ok=bool(outcome.get("success")),
                  error=outcome.get("error", "") or "", log=outcome.get("log", "") or "",
                  events=[e for record in EVENTS for e in record["events"]], stop_kind=kinds[0] if kinds else None,
                  timeouts=sum(record["timeouts"] for record in EVENTS), seconds=monotonic() - started,
                  worker_rss_mb=worker_mb, kernel_rss_mb=kernel_mb, flags=flags)


def _peak_memory_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest child it waited for (the kernels), in MB."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0, 0.0
    scale = 1024 * 1024 if os.uname().sysname == "Darwin" else 1024  # macOS reports bytes, Linux kilobytes
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale)


def _fast_scratch_databases() -> None:
    """Scratch gradebooks need no crash safety: skip sqlite's fsync (nbgrader commits once per cell)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _pragmas(connection, _record) -> None:  # only ever the worker's own scratch gradebooks
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()


def _worker(conn) -> None:
    """A worker process: set up once, then grade the jobs it is sent until it gets None."""
    course_root, limits, data_dir = conn.recv()
    _fast_scratch_databases()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    from ...course import use_tool_path

    use_tool_path()
    _quiet_logs()
    settings = _Settings(course_root, limits, data_dir)
    import nbgrader.apps  # noqa: F401 (warm the imports before the first job)

    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            result = grade_one(job, settings)
        except BaseException:  # report, never die silently
            result = Result(module=job.module, student=job.student, ok=False, error=traceback.format_exc())
        conn.send(result)


class _InlinePool:
    """Grading in this process, one submission after another: on Windows (no socket passing to
    workers), or with ROTATION_KIT_GRADING_INLINE=1 (to debug)."""

    def __init__(self, course_root: str, limits: Limits, data_dir: str | None):
        self.settings = _Settings(course_root, asdict(limits), data_dir)

    def run(self, next_job, job_timeout: float, on_result) -> None:
        while (job := next_job()) is not None:
            try:
                result = grade_one(job, self.settings)
            except Exception:
                result = Result(module=job.module, student=job.student, ok=False, error=traceback.format_exc())
            on_result(job, result)

    def close(self) -> None:
        pass


class _Pool:
    """Long-lived worker processes; a job that runs past its deadline takes its worker down with it.

    Workers are plain subprocesses (`python -m rotation_kit.commands.grade.autograde FD`) talking
    over a socket pair, so nothing depends on how the main program was started.
    """

    def __init__(self, size: int, course_root: str, limits: Limits, data_dir: str | None):
        self.setup = (course_root, asdict(limits), data_dir)
        self.workers = [self._start() for _ in range(size)]

    def _start(self):
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        from ...course import tool_env

        from .sandbox import WARNED_ENV

        ours, theirs = socket.socketpair()
        env = {**tool_env(), WARNED_ENV: "1"}  # the main process has warned already, if it had to
        process = subprocess.Popen([sys.executable, "-m", "rotation_kit.commands.grade.autograde", str(theirs.fileno())],
                                   pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        conn = Connection(ours.detach())
        conn.send(self.setup)
        return {"process": process, "conn": conn, "job": None, "since": 0.0, "ready": False}

    def _replace(self, worker) -> None:
        worker["process"].kill()
        worker["process"].wait(10)
        worker["conn"].close()
        self.workers[self.workers.index(worker)] = self._start()

    def run(self, next_job, job_timeout: float, on_result) -> None:
        """Feed jobs from `next_job()` (None when there are no more) and report each Result."""
        exhausted = False
        while True:
            for worker in self.workers:
                if worker["ready"] and worker["job"] is None and not exhausted:
                    job = next_job()
                    if job is None:
                        exhausted = True
                        break
                    worker["conn"].send(job)
                    worker["job"], worker["since"] = job, monotonic()
            busy = [w for w in self.workers if w["job"] is not None or not w["ready"]]
            if exhausted and not any(w["job"] is not None for w in self.workers):
                return
            ready = wait([w["conn"] for w in busy], timeout=1.0)
            for worker in list(self.workers):
                if worker["conn"] not in ready:
                    continue
                try:
                    message = worker["conn"].recv()
                except (EOFError, OSError):
                    job = worker["job"]
                    if not worker["ready"]:
                        worker["process"].kill()
                        raise RuntimeError("a grading worker could not start; run with --workers 1 to see why")
                    self._replace(worker)
                    if job is not None:
                        on_result(job, Result(module=job.module, student=job.student, ok=False,
                                              error="the grading process died"))
                    continue
                if message == "ready":
                    worker["ready"] = True
                    continue
                job, worker["job"] = worker["job"], None
                on_result(job, message)
            for worker in list(self.workers):
                job = worker["job"]
                if job is not None and monotonic() - worker["since"] > job_timeout:
                    self._replace(worker)
                    on_result(job, Result(module=job.module, student=job.student, ok=False, stop_kind="timed out",
                                          error=f"grading took longer than {int(job_timeout)} s and was stopped"))

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker["conn"].send(None)
            except OSError:
                pass
        for worker in self.workers:
            try:
                worker["process"].wait(10)
            except Exception:
                worker["process"].kill()
            worker["conn"].close()


# -- the gradebook side (main process only) ---------------------------------------------


def template_db(course: Course, module: str) -> Path:
    """A gradebook with only `module` in it, built once per version of the source: each job starts from a copy."""
    digest = course.source_digest(module)[:16]
    target = course.kit / "templates" / f"{module}-{digest}.db"
    if target.is_file():
        return target
    from nbgrader.apps import NbGraderAPI

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rk-template-") as scratch:
        config = course.config()
        config.CourseDirectory.root = scratch
        config.CourseDirectory.db_url = f"sqlite:///{scratch}/gradebook.db"
        config.CourseDirectory.source_directory = str(course.source)
        config.CourseDirectory.release_directory = f"{scratch}/release"
        coursedir = course.coursedir(root=scratch, db_url=config.CourseDirectory.db_url,
                                     source_directory=str(course.source), release_directory=f"{scratch}/release")
        result = NbGraderAPI(coursedir=coursedir, config=config).generate_assignment(module, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"could not prepare {module}: {result.get('error') or result.get('log')}")
        partial = target.with_suffix(".partial")
        shutil.copy(f"{scratch}/gradebook.db", partial)
        partial.replace(target)
    return target


def merge(gb, course_id: str, module: str, student: str, scratch_db: Path | None) -> tuple[float, float, float]:
    """Copy one student's autograde results from a scratch gradebook into the course's (`gb`, open).

    Returns (score, max score, seconds late). Mirrors nbgrader's SaveAutoGrades: a manual
    score already given is kept and the cell is flagged for review; a submission that
    could not be read scores zero, as nbgrader scores a missing notebook.
    """
    from nbgrader.api import Gradebook

    gb.update_or_create_student(student)
    scratch = Gradebook(f"sqlite:///{scratch_db}", course_id) if scratch_db else None
    try:
        try:
            source_sub = scratch.find_submission(module, student) if scratch else None
        except Exception:
            source_sub = None
        if source_sub is not None and source_sub.timestamp is not None:
            submission = gb.update_or_create_submission(module, student, timestamp=source_sub.timestamp)
        else:
            submission = gb.update_or_create_submission(module, student)
        graded = {nb.name: nb for nb in source_sub.notebooks} if source_sub is not None else {}
        for notebook in submission.notebooks:
            source_nb = graded.get(notebook.name)
            grades = {g.name: g for g in source_nb.grades} if source_nb is not None else {}
            comments = {c.name: c for c in source_nb.comments} if source_nb is not None else {}
            if source_nb is not None:
                notebook.late_submission_penalty = source_nb.late_submission_penalty
            for grade in notebook.grades:
                new = grades.get(grade.name)
                if new is None:  # nothing graded (unreadable file): zero, as nbgrader does for a missing notebook
                    grade.auto_score, grade.needs_manual_grade = 0, False
                    continue
                grade.auto_score = new.auto_score
                if new.auto_score is not None or new.needs_manual_grade:  # what SaveAutoGrades does
                    grade.needs_manual_grade = grade.manual_score is not None or new.auto_score is None
            for comment in notebook.comments:
                if comment.name in comments:
                    comment.auto_comment = comments[comment.name].auto_comment
        gb.db.commit()
    finally:
        if scratch is not None:
            scratch.close()
    gb.db.refresh(submission)
    return (float(submission.score or 0), float(submission.max_score or 0),
            float(submission.total_seconds_late or 0))


def _install_autograded(course: Course, work: Path, module: str, student: str) -> None:
    """Replace the course's autograded copy with the new one (only regular files, only reasonable sizes)."""
    target = course.autograded / student / module
    if target.exists():
        shutil.rmtree(target)
    source = work / "autograded" / student / module
    if not source.is_dir():
        return
    target.mkdir(parents=True)
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        elif path.stat().st_size <= 64 * 1024 * 1024:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


# -- the command ------------------------------------------------------------------------


@dataclass
class Outcome:
    """One submission's line in the summary."""

    module: str
    student: str
    status: str
    details: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    fingerprint: str = ""
    seconds: float = 0.0
    flags: list[dict] = field(default_factory=list)  # integrity.Flag as dicts: what to look at (none changes a grade)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: int = 0
    workers: int = 1
    seconds: float = 0.0
    sandboxed: bool = True
    peak_worker_mb: float = 0.0
    peak_kernel_mb: float = 0.0

    def counts(self, module: str | None = None) -> Counter:
        return Counter(o.status for o in self.outcomes if module is None or o.module == module)

    def text(self) -> str:
        modules = sorted({o.module for o in self.outcomes})
        graded = sum(1 for o in self.outcomes if o.status != "missing")
        lines = [f"Autograded {graded} submission(s) in {self.seconds:.0f} s with {self.workers} worker(s); "
                 f"sandbox: {'bubblewrap' if self.sandboxed else 'NONE (see the warning above)'}"
                 + (f"; {self.skipped} unchanged submission(s) skipped" if self.skipped else "")]
        for module in modules:
            counts = self.counts(module)
            parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
            lines.append(f"  {module}: {parts}")
        attention = [o for o in self.outcomes if o.status not in ("graded", "missing")]
        if attention:
            lines.append("Needs attention:")
            for o in attention:
                lines.append(f"  {o.module} {o.student}: {o.status}")
                lines.extend(f"      - {d}" for d in o.details)
        notes = [o for o in self.outcomes if o.status == "graded" and o.details]
        if notes:
            lines.append("Notes:")
            for o in notes:
                lines.extend(f"  {o.module} {o.student}: {d}" for d in o.details)
        flagged = [o for o in self.outcomes if o.flags]
        if flagged:
            from .integrity import Flag

            lines.append("Flagged for review (a flag never changes a grade; kit-answer exercises score 0):")
            for o in flagged:
                lines.append(f"  {o.module} {o.student}:")
                lines.extend(f"      - {Flag(**f).text()}" for f in o.flags)
        return "\n".join(lines)


def _state_path(course: Course) -> Path:
    return course.kit / "autograde.json"


def load_state(course: Course) -> dict:
    path = _state_path(course)
    return json.loads(path.read_text()) if path.is_file() else {}


def _save_state(course: Course, state: dict) -> None:
    path = _state_path(course)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(state, indent=1, sort_keys=True))
    partial.replace(path)


def _status(screening, result: Result | None) -> tuple[str, list[str]]:
    """The summary's category for one submission, and the reasons."""
    details = [*screening.problems, *screening.tampering]
    if result is not None:
        details += result.events
        if not result.ok:
            details.append("nbgrader could not grade it: " + (_last_line(result.error) or _last_line(result.log)))
    details += screening.notes
    if screening.problems or result is None:
        return "failed to run", details
    if result.stop_kind == "died" or (not result.ok and result.stop_kind != "timed out"):
        return "failed to run", details
    if result.stop_kind == "timed out" or result.timeouts:
        return "timed out", details
    if screening.tampering:
        return "tampered", details
    return "graded", details


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    return (errors or lines or [""])[-1].strip()[:300]


def _duedate(course: Course, module: str) -> str | None:
    with course.gradebook() as gb:
        assignment = gb.find_assignment(module)
        return assignment.duedate.isoformat() if assignment.duedate else None


def roster_ids(course: Course) -> list[str]:
    with course.gradebook() as gb:
        return sorted(s.id for s in gb.students)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _pending(course: Course, modules: list[str], students: list[str] | None, force: bool,
             state: dict) -> tuple[deque, int]:
    """(module, learner) pairs to grade: new or changed since the last run (or all, with force); and how many were skipped."""
    pending: deque[tuple[str, str]] = deque()
    skipped = 0
    for module in modules:
        for student in course.submitters(module):
            if students and student not in students:
                continue
            known = state.get(module, {}).get(student, {})
            fresh = fingerprint(course.submitted / student / module)
            graded_copy = (course.autograded / student / module).is_dir() or not known.get("autograded", True)
            if not force and known.get("fingerprint") == fresh and graded_copy:
                skipped += 1
                continue
            pending.append((module, student))
    return pending, skipped


def autograde(course: Course, modules: list[str] | None = None, students: list[str] | None = None,
              workers: int | None = None, force: bool = False, limits: Limits | None = None,
              log=print, progress: bool = True) -> Summary:
    """Autograde every new or changed submission of `modules` (default: all with submissions)."""
    from ...runtime.paths import KitNotFound, data_dir

    started = monotonic()
    limits = limits or Limits()
    modules = modules or [m for m in course.modules() if course.submitters(m)]
    for module in modules:
        course.check_module(module)
    try:
        data = str(data_dir())
    except KitNotFound:
        data = None
    state = load_state(course)
    pending, skipped = _pending(course, modules, students, force, state)
    summary = Summary(workers=workers or default_workers(), skipped=skipped)
    summary.workers = max(1, min(summary.workers, len(pending))) if pending else 0
    # Start the workers first: they load nbgrader while this process gets the gradebook ready.
    if not pending:
        pool = None
    elif os.name == "posix" and not os.environ.get("ROTATION_KIT_GRADING_INLINE"):
        pool = _Pool(summary.workers, str(course.root), limits, data)
    else:
        summary.workers = 1
        pool = _InlinePool(str(course.root), limits, data)
    run_dir = Path(tempfile.mkdtemp(prefix="rk-grade-"))
    bar = None
    try:
        from .sandbox import sandbox_problem, warn_if_unsandboxed
        from .screen import Screening, screen_submission

        _quiet_logs()
        summary.sandboxed = bool(limits.sandbox and warn_if_unsandboxed() and sandbox_problem() is None)
        releases, templates, duedates = {}, {}, {}
        for module in modules:
            releases[module] = course.ensure_assignment(module, log=log)
            templates[module] = template_db(course, module)
            duedates[module] = _duedate(course, module)
        for module in modules:
            for student in roster_ids(course):
                if (not students or student in students) and not (course.submitted / student / module).is_dir():
                    summary.outcomes.append(Outcome(module, student, "missing", ["no submission"]))
        screenings: dict[tuple[str, str], Screening] = {}
        nbgrader_restores = bool(course.config().OverwriteCells.get("add_missing_cells", False))
        bar = Progress(len(pending), "autograde", enabled=progress)
        gb = course.gradebook()

        def record(module: str, student: str, screening, result: Result | None, work: Path | None) -> None:
            status, details = _status(screening, result)
            scratch_db = (work / "gradebook.db") if work is not None and result is not None else None
            score, maximum, late = merge(gb, course.course_id, module, student,
                                         scratch_db if scratch_db and scratch_db.exists() else None)
            if late > 0:
                details.append(f"submitted {late / 3600:.1f} h after the due date")
            if work is not None and result is not None and result.ok:
                _install_autograded(course, work, module, student)
            elif (course.autograded / student / module).exists():
                shutil.rmtree(course.autograded / student / module)
            outcome = Outcome(module, student, status, details, score, maximum, screening.fingerprint,
                              result.seconds if result else 0.0, list(result.flags) if result else [])
            summary.outcomes.append(outcome)
            if result is not None:
                summary.peak_worker_mb = max(summary.peak_worker_mb, result.worker_rss_mb)
                summary.peak_kernel_mb = max(summary.peak_kernel_mb, result.kernel_rss_mb)
            state.setdefault(module, {})[student] = {**asdict(outcome), "graded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                                                     "autograded": (course.autograded / student / module).is_dir()}
            _save_state(course, state)
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            bar.advance(f"{student} {status}")

        def next_job() -> Job | None:
            while pending:
                module, student = pending.popleft()
                work = run_dir / f"{module}--{student}"
                folder = course.submitted / student / module
                try:
                    screening = screen_submission(folder, module, student, releases[module],
                                                  work / "submitted" / student / module, nbgrader_restores)
                except Exception as error:  # a bug or an unexpected file: this submission fails, the batch goes on
                    screening = Screening(student, module, fingerprint(folder), problems=[f"could not be screened: {error}"])
                screenings[(module, student)] = screening
                if not screening.notebooks:
                    record(module, student, screening, None, work)
                    continue
                return Job(module, student, str(work), str(templates[module]), duedates[module], screening.as_dict())
            return None

        def on_result(job: Job, result: Result) -> None:
            record(job.module, job.student, screenings[(job.module, job.student)], result, Path(job.work))

        try:
            if pool is not None:
                pool.run(next_job, limits.notebook_timeout + 180, on_result)
        finally:
            gb.close()
    finally:
        if pool is not None:
            pool.close()
        if bar is not None:
            bar.close()
        shutil.rmtree(run_dir, ignore_errors=True)
    summary.seconds = monotonic() - started
    summary.outcomes.sort(key=lambda o: (o.module, o.student))
    (course.kit / "last_autograde.json").write_text(json.dumps(
        {"outcomes": [asdict(o) for o in summary.outcomes], "skipped": summary.skipped, "workers": summary.workers,
         "seconds": summary.seconds, "sandboxed": summary.sandboxed, "peak_worker_mb": summary.peak_worker_mb,
         "peak_kernel_mb": summary.peak_kernel_mb}, indent=1))
    return summary


if __name__ == "__main__":  # a worker, started by _Pool
    import sys
    from multiprocessing.connection import Connection

    # Run the worker from the package module, so that the Job and Result it exchanges pickle by their real name.
    from rotation_kit.commands.grade.autograde import _worker as run_worker

    run_worker(Connection(int(sys.argv[1])))
