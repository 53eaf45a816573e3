"""Build an expensive fixture once per test run, even when pytest-xdist runs tests in several processes.

`--dist loadgroup` would keep a module's tests on one worker, but with pytest 9 its
grouping has no effect, so each worker would build its own copy. Here the first worker
builds it under a file lock in the run's shared temporary folder; the others wait and
read the pickled result.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no file locks here; each worker builds its own copy
    fcntl = None


def build_once(tmp_path_factory, name: str, build):
    """`build(folder)` once per run; its (picklable) result for every worker."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by all workers of this run
    if fcntl is None and os.environ.get("PYTEST_XDIST_WORKER"):
        root = root / os.environ["PYTEST_XDIST_WORKER"]
        root.mkdir(exist_ok=True)
    folder, done = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return pickle.loads(done.read_bytes())
        if folder.exists():  # left by a worker whose build failed: start again
            shutil.rmtree(folder)
        folder.mkdir()
        value = build(Path(folder))
        done.write_bytes(pickle.dumps(value))
        return value
