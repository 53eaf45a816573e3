"""Build an expensive fixture once per test run, even when pytest-xdist runs tests in several processes.

`--dist loadgroup` keeps a module's tests on one worker, but a module's fixtures are
still built by every worker that runs one of its tests (and pytest 9.2 stopped the
grouping altogether, pytest-xdist#1386). Here the first worker builds it under a file
lock (filelock: the same on Linux, macOS and Windows) in the run's shared temporary
folder; the others wait and read the pickled result.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

from filelock import FileLock


def build_once(tmp_path_factory, name: str, build):
    """`build(folder)` once per run; its (picklable) result for every worker."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by all workers of this run
    folder, done = root / name, root / f"{name}.pickle"
    with FileLock(root / f"{name}.lock"):
        if done.exists():
            return pickle.loads(done.read_bytes())
        if folder.exists():  # left by a worker whose build failed: start again
            shutil.rmtree(folder)
        folder.mkdir()
        value = build(Path(folder))
        done.write_bytes(pickle.dumps(value))
        return value
