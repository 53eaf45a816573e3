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

Everything is made readable (not writable) by all users. Standard library only, so
any Python 3.11+ can run it. The end-to-end test (tests/test_hub.py) uses it too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
#: What a server needs from a checkout (tests, benchmarks, the developer's .venv stay behind).
COPIED = ("pyproject.toml", "README.md", "LICENSE", "nbgrader_config.py", "src", "data", "solutions", "notebooks", "hub")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".pytest_cache",
                                 "my_plan")
STAMP = ".rotation-kit-installed"


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
        if child.name not in wanted and not child.name.endswith(".egg-info"):
            # (src/*.egg-info stays: the editable install in PREFIX/env wrote it there.)
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
    """What PREFIX/env installs from pyproject.toml: the dependencies, the hub extra, the commands."""
    project = tomllib.loads((kit / "pyproject.toml").read_text())["project"]
    wanted = [project.get("dependencies", []), project.get("optional-dependencies", {}).get("hub", []),
              project.get("scripts", {}), project.get("requires-python", "")]
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def _stamp_text(kit: Path, python: str) -> str:
    return f"{os.path.realpath(python)} {requirements_digest(kit)}\n"


def env_is_current(prefix: Path, kit: Path = KIT) -> bool:
    """PREFIX/env was installed for the requirements that `kit`'s pyproject.toml lists now."""
    stamp = prefix / "env" / STAMP
    return stamp.is_file() and stamp.read_text().split()[-1] == requirements_digest(kit)


def ensure_env(prefix: Path, python: str) -> Path:
    """PREFIX/env with the kit (editable, from PREFIX/kit) and its hub extra; reinstalled when pyproject changes."""
    env, kit = prefix / "env", prefix / "kit"
    stamp = env / STAMP
    wanted = _stamp_text(kit, python)
    if stamp.is_file() and stamp.read_text() == wanted and (env / "bin" / "jupyterhub").exists():
        return env
    if not (env / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(env)], check=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True, env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"})
    subprocess.run([*pip, "install", "-e", f"{kit}[hub]"], check=True, env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"})
    stamp.write_text(wanted)
    return env


def open_to_all(path: Path) -> None:
    """Readable by everyone (and folders enterable), writable by the owner only."""
    for root, dirs, files in os.walk(path):
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


def check_python(python: str) -> None:
    """The environment's Python must be a 3.11+ that every user can run (not one under a private home)."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info >= (3, 11))"],
                             capture_output=True, text=True)
    if version.stdout.strip() != "True":
        raise SystemExit(f"{python} is not Python 3.11 or newer; pass --python with one that is.")
    real = Path(os.path.realpath(python))
    for folder in [real, *real.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            raise SystemExit(f"{python} lives under {folder}, which other users cannot enter; learners' servers "
                             "could not start. Pass --python with a system Python (e.g. /usr/bin/python3).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default=os.environ.get("HUB_PREFIX", "/opt/rotation-kit"),
                        help="where the course and its environment go (default: /opt/rotation-kit)")
    parser.add_argument("--python", default=os.environ.get("HUB_PYTHON", "/usr/bin/python3"),
                        help="a Python 3.11+ readable by all users (default: /usr/bin/python3)")
    parser.add_argument("--kit-only", action="store_true", help="refresh PREFIX/kit only; leave PREFIX/env alone")
    args = parser.parse_args(argv)
    prefix = Path(args.prefix).resolve()
    if prefix == KIT or KIT in prefix.parents:
        raise SystemExit("--prefix must be outside the checkout.")
    prefix.mkdir(parents=True, exist_ok=True)
    kit = stage_kit(prefix)
    open_to_all(kit)
    if not args.kit_only:
        check_python(args.python)
        open_to_all(ensure_env(prefix, args.python))
    os.chmod(prefix, 0o755)
    print(f"kit: {kit}")
    if not args.kit_only:
        print(f"environment: {prefix / 'env'} (jupyterhub: {prefix / 'env' / 'bin' / 'jupyterhub'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
