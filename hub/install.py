"""Install the kit for a JupyterHub server: a world-readable copy of the course and its own environment.

    sudo python3 hub/install.py [--prefix /opt/rotation-kit] [--python /usr/bin/python3]

On a multi-user server every learner's Jupyter server runs as that learner, so the
Python that runs it, the kit's package and its data must be readable by everyone.
A developer's checkout often is not (a Python under /root/.pyenv, a clone in a
private folder), so this script lays out, under PREFIX:

- PREFIX/kit   a copy of the course: src/, data/, solutions/, notebooks/, hub/ (with the
               proxy `make hub-proxy` installed in hub/node_modules), nbgrader_config.py,
               pyproject.toml (refreshed on every run);
- PREFIX/env   a virtual environment made with a system Python, with the kit
               installed in it (editable, from PREFIX/kit) and its `hub` extra
               (JupyterHub); reinstalled only when the requirements in
               pyproject.toml change.

Everything is made readable (not writable) by all users, except what would give answers
away: solutions/ (solutions, hidden tests, mark schemes) and grading/ are readable only by
the course's instructors, a Unix group (default `rotation-kit-instructors`) that this script
creates and whose members it sets from the roster's `instructor` lines. It also prepares, for
that group, the folders several instructors share (nbgrader's `groupshared` layout):

- COURSE_DIR   the one course directory of the hub (default /srv/nbgrader/courses/<course id>):
               released copies, collected submissions, autograded copies, feedback and the one
               gradebook; group-owned, setgid, closed to everyone else (2770);
- EXCHANGE/<course id>   the course's folder in nbgrader's exchange, group-owned and setgid so
               that the inbound folder nbgrader makes in it belongs to the instructors (any of them
               can collect) while learners may only drop submissions in.

Standard library only, so any Python 3.11+ can run it. The end-to-end test (tests/test_hub.py)
and the load benchmark (benchmarks/hub_load.py) use it too.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import grp
import hashlib
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
#: What a server needs from a checkout (tests, benchmarks, the developer's .venv stay behind).
COPIED = (
    "pyproject.toml",
    "constraints.txt",  # the versions every install uses (make lock), the hub's environment too
    "README.md",
    "LICENSE",
    "nbgrader_config.py",
    "src",
    "data",
    "solutions",
    "notebooks",
    "hub",
)
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".pytest_cache", "my_plan")
STAMP = ".rotation-kit-installed"
#: Folders of the kit that hold answers (solutions, hidden tests, mark schemes, grades): instructors only.
INSTRUCTORS_ONLY = ("solutions", "grading")
DEFAULT_GROUP = "rotation-kit-instructors"
DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"


def _ignored(name: str) -> bool:
    return bool(IGNORED("", [name]))


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """Same size and modification time: copy2 keeps the time, so an unchanged file is not copied again."""
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def sync_tree(src: Path, dest: Path) -> None:
    """Make dest a copy of src, copying only what changed (size or time) and removing what src no longer has."""
    if src.is_symlink() or not src.is_dir():
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        if src.is_symlink():
            if not (dest.is_symlink() and os.readlink(dest) == os.readlink(src)):
                dest.unlink(missing_ok=True)
                os.symlink(os.readlink(src), dest)
            return
        if dest.is_symlink():
            dest.unlink()
        if not (dest.is_file() and _same_file(src.stat(), dest.stat())):
            shutil.copy2(src, dest)
        return
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    dest.mkdir(exist_ok=True)
    wanted = {child.name for child in src.iterdir() if not _ignored(child.name)}
    for child in dest.iterdir():
        if child.name not in wanted and not child.name.endswith(".egg-info") and child.name != "__pycache__":
            # (src/*.egg-info stays: the editable install in PREFIX/env wrote it there; __pycache__: compile_kit's.)
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for name in wanted:
        sync_tree(src / name, dest / name)


def stage_kit(prefix: Path, source: Path = KIT) -> Path:
    """Make PREFIX/kit a copy of the course (only changed files are copied again)."""
    dest = prefix / "kit"
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (source / name).exists():
            sync_tree(source / name, dest / name)
    return dest


def requirements_digest(kit: Path) -> str:
    """What PREFIX/env installs: pyproject.toml's dependencies, hub extra and commands, and the pinned versions."""
    project = tomllib.loads((kit / "pyproject.toml").read_text())["project"]
    wanted = [
        project.get("dependencies", []),
        project.get("optional-dependencies", {}).get("hub", []),
        project.get("scripts", {}),
        project.get("requires-python", ""),
        (kit / "constraints.txt").read_text() if (kit / "constraints.txt").is_file() else "",
    ]
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def _stamp_text(kit: Path, python: str) -> str:
    return f"{os.path.realpath(python)} {requirements_digest(kit)}\n"


def env_is_current(prefix: Path, kit: Path = KIT) -> bool:
    """PREFIX/env was installed for the requirements that `kit`'s pyproject.toml lists now."""
    stamp = prefix / "env" / STAMP
    return stamp.is_file() and stamp.read_text().split()[-1] == requirements_digest(kit)


def ensure_env(prefix: Path, python: str) -> Path:
    """PREFIX/env with the kit (editable, from PREFIX/kit) and its hub extra, at the versions constraints.txt pins;
    reinstalled when pyproject.toml or the pins change."""
    env, kit = prefix / "env", prefix / "kit"
    stamp = env / STAMP
    wanted = _stamp_text(kit, python)
    if stamp.is_file() and stamp.read_text() == wanted and (env / "bin" / "jupyterhub").exists():
        return env
    if not (env / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(env)], check=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "install", "--upgrade", "pip"], check=True, env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"}
    )
    pinned = ["-c", str(kit / "constraints.txt")] if (kit / "constraints.txt").is_file() else []
    subprocess.run(
        [*pip, "install", *pinned, "-e", f"{kit}[hub]"],
        check=True,
        env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"},
    )
    stamp.write_text(wanted)
    return env


def compile_kit(prefix: Path) -> None:
    """The kit's bytecode, compiled once by PREFIX/env's Python: learners cannot write into PREFIX/kit, so
    without it every learner's kernel would compile the whole package again in memory."""
    python = prefix / "env" / "bin" / "python"
    if python.exists():
        subprocess.run([str(python), "-m", "compileall", "-q", str(prefix / "kit" / "src")], check=True)
        open_to_all(prefix / "kit" / "src")


def open_to_all(path: Path, keep_closed: tuple[str, ...] = INSTRUCTORS_ONLY) -> None:
    """Readable by everyone (and folders enterable), writable by the owner only; `keep_closed` (top-level) untouched."""
    for root, dirs, files in os.walk(path):
        if root == str(path):
            dirs[:] = [d for d in dirs if d not in keep_closed]
            files = [f for f in files if f not in keep_closed]
        for name in [*dirs, *files]:
            p = os.path.join(root, name)
            if os.path.islink(p):
                continue
            mode = os.stat(p).st_mode
            extra = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
            if stat.S_ISDIR(mode) or mode & stat.S_IXUSR:
                extra |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
            os.chmod(p, (mode | extra) & ~(stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(path, 0o755)


def read_roster(path: str | os.PathLike) -> dict[str, str]:
    """username -> role from a CSV file with lines `username,role`; blank lines and # comments skipped.

    (hub/jupyterhub_config.py reads the roster with this function too.)
    """
    roster = {}
    with open(path, newline="") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.lstrip().startswith("#")):
            if len(row) < 2:
                raise ValueError(f"{path}: every line needs `username,role`, not {','.join(row)!r}")
            name, role = (cell.strip() for cell in row[:2])
            if name.lower() == "username":
                continue
            if role not in ("instructor", "learner"):
                raise ValueError(f"{path}: role of {name!r} must be 'instructor' or 'learner', not {role!r}")
            roster[name] = role
    return roster


def course_id(kit: Path) -> str:
    """The course id in the kit's nbgrader_config.py (read as text: this script has no traitlets)."""
    found = re.search(
        r"""^c\.CourseDirectory\.course_id\s*=\s*["']([^"']+)["']""",
        (kit / "nbgrader_config.py").read_text(),
        re.MULTILINE,
    )
    if not found:
        raise SystemExit(f"{kit / 'nbgrader_config.py'} sets no c.CourseDirectory.course_id.")
    return found.group(1)


def ensure_group(group: str, members: list[str]) -> list[str]:
    """The Unix group `group` exists and has exactly `members` (those that have accounts); returns who is missing."""
    try:
        grp.getgrnam(group)
    except KeyError:
        subprocess.run(["groupadd", "--system", group], check=True)
    present, missing = [], []
    for name in members:
        try:
            pwd.getpwnam(name)
            present.append(name)
        except KeyError:
            missing.append(name)
    subprocess.run(["gpasswd", "--members", ",".join(present), group], check=True, capture_output=True)
    return missing


def instructors_only(path: Path, gid: int) -> None:
    """root:group, readable by the group only (folders setgid so new files stay the group's), nothing for others."""
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files, ""]:
            p = os.path.join(root, name) if name else root
            if os.path.islink(p):
                continue
            os.chown(p, 0, gid)
            mode = os.stat(p).st_mode
            os.chmod(p, 0o2750 if stat.S_ISDIR(mode) else (0o750 if mode & stat.S_IXUSR else 0o640))


def shared_folder(path: Path, gid: int, mode: int) -> None:
    """A folder the instructors share: made if missing, root:group, setgid, `mode`."""
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, 0, gid)
    os.chmod(path, mode)


def setup_course(
    kit: Path, group: str, roster: dict[str, str] | None, course_dir: Path, exchange: Path, account_prefix: str = ""
) -> list[str]:
    """The instructors' group (from the roster), the kit's answers closed to everyone else, the shared folders.

    Returns the roster's instructors who have no Unix account yet (they join the group on the next run).
    """
    instructors = [account_prefix + name for name, role in (roster or {}).items() if role == "instructor"]
    missing = ensure_group(group, instructors)
    gid = grp.getgrnam(group).gr_gid
    for name in INSTRUCTORS_ONLY:
        if (kit / name).exists():
            instructors_only(kit / name, gid)
    # The course directory: one for the whole hub, so every instructor sees the same gradebook.
    if course_dir.parent != Path("/"):
        course_dir.parent.mkdir(parents=True, exist_ok=True)
    shared_folder(course_dir, gid, 0o2770)
    (course_dir / "grading").mkdir(exist_ok=True)
    shared_folder(course_dir / "grading", gid, 0o2770)
    # The exchange as nbgrader documents it (everyone writes, sticky), and the course's folder in it
    # as nbgrader's groupshared mode makes it (2775): its inbound folder then belongs to the group.
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)
    shared_folder(exchange / course_id(kit), gid, 0o2775)
    return missing


def _answer_functions(kit: Path) -> dict[str, str]:
    """Function name -> module, for every function a learner writes as an answer (solutions/ answer cells)."""
    import ast

    found = {}
    for notebook in sorted((kit / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text()).get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "code" and meta.get("solution"):
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                with contextlib.suppress(SyntaxError):
                    for node in ast.parse(source).body:
                        if isinstance(node, ast.FunctionDef):
                            found[node.name] = notebook.parent.name
    return found


def answers_in_package(kit: Path) -> list[str]:
    """What in the kit's package (which every learner's kernel imports, so can read) gives answers away.

    A function named like an exercise's answer (the kit's reference version of it), or hidden tests.
    """
    import ast

    answers = _answer_functions(kit)
    findings = []
    for path in sorted((kit / "src").rglob("*.py")):
        text = path.read_text()
        where = path.relative_to(kit)
        if "### BEGIN HIDDEN TESTS" in text:
            findings.append(f"{where}: contains hidden tests")
        with contextlib.suppress(SyntaxError):
            for node in ast.parse(text).body:
                if isinstance(node, ast.FunctionDef) and node.name in answers:
                    findings.append(f"{where}: {node.name}() is the answer to an exercise of {answers[node.name]}")
    return findings


def check_package_has_no_answers(env: Path, kit: Path | None = None) -> list[str]:
    """Warn (loudly, not fatally: the course runs on it) when the installed package holds answers."""
    kit = kit or env.parent / "kit"
    findings = answers_in_package(kit)
    if findings:
        print(
            f"WARNING: the kit's package, readable by every learner on the hub, holds {len(findings)} "
            "exercise answer(s):\n  " + "\n  ".join(findings[:12]) + ("\n  ..." if len(findings) > 12 else ""),
            file=sys.stderr,
        )
    return findings


def check_python(python: str) -> None:
    """The environment's Python must be a 3.11+ that every user can run (not one under a private home)."""
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info >= (3, 11))"], capture_output=True, text=True
    )
    if version.stdout.strip() != "True":
        raise SystemExit(f"{python} is not Python 3.11 or newer; pass --python with one that is.")
    real = Path(os.path.realpath(python))
    for folder in [real, *real.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            raise SystemExit(
                f"{python} lives under {folder}, which other users cannot enter; learners' servers "
                "could not start. Pass --python with a system Python (e.g. /usr/bin/python3)."
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--prefix",
        default=os.environ.get("HUB_PREFIX", "/opt/rotation-kit"),
        help="where the course and its environment go (default: /opt/rotation-kit)",
    )
    parser.add_argument(
        "--python",
        default=os.environ.get("HUB_PYTHON", "/usr/bin/python3"),
        help="a Python 3.11+ readable by all users (default: /usr/bin/python3)",
    )
    parser.add_argument("--kit-only", action="store_true", help="refresh PREFIX/kit only; leave PREFIX/env alone")
    parser.add_argument(
        "--roster",
        default=os.environ.get("HUB_ROSTER") or None,
        help="the course's roster, `username,role` (default: PREFIX/roster.csv when it exists); "
        "its instructors become the members of --group",
    )
    parser.add_argument(
        "--group",
        default=os.environ.get("HUB_GROUP") or DEFAULT_GROUP,
        help=f"the instructors' Unix group (default: {DEFAULT_GROUP})",
    )
    parser.add_argument(
        "--course-dir",
        default=os.environ.get("HUB_COURSE_DIR") or None,
        help="the hub's one course directory (default: /srv/nbgrader/courses/<course id>)",
    )
    parser.add_argument(
        "--exchange",
        default=os.environ.get("HUB_EXCHANGE") or DEFAULT_EXCHANGE,
        help=f"nbgrader's exchange folder (default: {DEFAULT_EXCHANGE})",
    )
    parser.add_argument(
        "--account-prefix",
        default=os.environ.get("HUB_ACCOUNT_PREFIX", ""),
        help="what the Unix account names add before the roster's names (TLJH: jupyter-)",
    )
    args = parser.parse_args(argv)
    prefix = Path(args.prefix).resolve()
    if prefix == KIT or KIT in prefix.parents:
        raise SystemExit("--prefix must be outside the checkout.")
    prefix.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        raise SystemExit(
            "Run this as root (sudo make hub-setup): it creates the instructors' group and "
            "closes solutions/ to learners."
        )
    kit = stage_kit(prefix)
    open_to_all(kit)
    roster_file = Path(args.roster) if args.roster else prefix / "roster.csv"
    roster = read_roster(roster_file) if roster_file.is_file() else None
    if args.roster and roster is None:
        raise SystemExit(f"No roster at {roster_file}.")
    course_dir = Path(args.course_dir or f"/srv/nbgrader/courses/{course_id(kit)}")
    missing = setup_course(kit, args.group, roster, course_dir, Path(args.exchange), args.account_prefix)
    if not args.kit_only:
        check_python(args.python)
        env = ensure_env(prefix, args.python)
        open_to_all(env)
        check_package_has_no_answers(env)
    compile_kit(prefix)
    os.chmod(prefix, 0o755)
    print(f"kit: {kit} (solutions/ and grading/: group {args.group} only)")
    print(f"course directory: {course_dir}; exchange: {args.exchange}")
    if roster is None:
        print(
            f"No roster at {roster_file}: the group {args.group} has no members yet. Write the roster "
            "(username,role) and run this again; the hub refuses to start without one.",
            file=sys.stderr,
        )
    if missing:
        print(
            f"Not in {args.group} yet (no Unix account): {', '.join(missing)}. Run this again once they exist.",
            file=sys.stderr,
        )
    if not args.kit_only:
        print(f"environment: {prefix / 'env'} (jupyterhub: {prefix / 'env' / 'bin' / 'jupyterhub'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
