"""Hostile submissions for the grading tests: what a learner's file or code could do to the grader.

Each builder writes one learner's submission folder. They start from module 03's
learner notebook and solution (any module with exNK_answer/exNK_tests cells works).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from rotation_kit.course.cells import nbgrader_meta
from rotation_kit.course.submissions import build_submission

MODULE = "03_where_to_rotate_code"  # function answers: the code lab keeps ex31-ex38
PROBE_MARK = "PROBE-RESULT:"


def _cell(nb, grade_id: str):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def _write(folder: Path, nb, name: str = f"{MODULE}.ipynb") -> None:
    """Write as it is: nbformat.write would quietly repair what the grader must cope with (duplicate ids)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(nb, indent=1), encoding="utf-8")


def full(course) -> object:
    return build_submission(course.release / MODULE / f"{MODULE}.ipynb", course.source / MODULE / f"{MODULE}.ipynb")


def blank(course) -> object:
    return nbformat.read(course.release / MODULE / f"{MODULE}.ipynb", as_version=4)


def tamper_tests(course, folder: Path) -> None:
    """Unanswered notebook whose test cells are edited, deleted, copied, retyped, or their metadata edited."""
    nb = blank(course)
    passing = "print('all checks passed')"
    _cell(nb, "ex31_tests").source = passing  # edited
    nb.cells.remove(_cell(nb, "ex32_tests"))  # deleted
    copy_33 = copy.deepcopy(_cell(nb, "ex33_tests"))  # duplicated (same cell id too)
    copy_33.source = passing
    _cell(nb, "ex33_tests").source = passing
    nb.cells.insert(nb.cells.index(_cell(nb, "ex33_tests")), copy_33)
    cell_34 = _cell(nb, "ex34_tests")  # type changed
    nb.cells[nb.cells.index(cell_34)] = nbformat.v4.new_markdown_cell(passing, metadata=cell_34.metadata, id=cell_34.id)
    meta_35 = _cell(nb, "ex35_tests")  # metadata: unlocked, 100 points
    meta_35.metadata.nbgrader.update(locked=False, points=100)
    meta_35.source = passing
    meta_36 = _cell(nb, "ex36_tests")  # metadata: made a manual answer
    meta_36.metadata.nbgrader.update(grade=False, solution=True, locked=False)
    meta_36.source = passing
    plain_37 = _cell(nb, "ex37_tests")  # grading metadata removed
    plain_37.metadata.pop("nbgrader")
    plain_37.source = passing
    nb.cells.remove(_cell(nb, "ex38_answer"))  # answer and test deleted
    nb.cells.remove(_cell(nb, "ex38_tests"))
    _write(folder, nb)


RECOVER_CELLS = {
    "ex31_answer": "while True:\n    pass",
    "ex32_answer": "import sys\nsys.exit(3)",
    "ex33_answer": (
        "chunks = []\ntry:\n    while True:\n        chunks.append(bytearray(32 * 1024 * 1024))\n"
        "except MemoryError:\n    got = len(chunks) * 32\n    del chunks\n"
        "    print('allocated', got, 'MB before MemoryError')\n    raise"
    ),
    "ex34_answer": "print('x' * 30_000_000)\nfor i in range(200_000):\n    print('line', i)",
}


def recover(course, folder: Path) -> None:
    """Solved notebook whose first four answers loop forever, exit, exhaust memory, print a flood."""
    nb = full(course)
    for grade_id, source in RECOVER_CELLS.items():
        _cell(nb, grade_id).source = source
    _write(folder, nb)


def stuck(course, folder: Path) -> None:
    """Solved notebook whose first answer ignores interrupts and sleeps forever."""
    nb = full(course)
    _cell(
        nb, "ex31_answer"
    ).source = "import time\nwhile True:\n    try:\n        time.sleep(0.2)\n    except BaseException:\n        pass"
    _write(folder, nb)


def cpu_burner(course, folder: Path) -> None:
    """Solved notebook whose first answer burns CPU and ignores interrupts."""
    nb = full(course)
    _cell(
        nb, "ex31_answer"
    ).source = "while True:\n    try:\n        sum(range(100_000))\n    except BaseException:\n        pass"
    _write(folder, nb)


def kernel_dies(course, folder: Path) -> None:
    """Solved notebook whose fourth answer kills the kernel."""
    nb = full(course)
    _cell(nb, "ex34_answer").source = "import os\nos._exit(1)"
    _write(folder, nb)


def probe_source(targets: dict) -> str:
    """An answer cell that tries what a hostile learner would, and prints what worked."""
    return f'''import json, os, socket, resource
targets = {json.dumps(targets)}
found = {{}}

def attempt(name, action):
    try:
        action()
        found[name] = "allowed"
    except BaseException as error:
        found[name] = "denied: " + type(error).__name__

attempt("read_other_submission", lambda: open(targets["other_submission"], "rb").read())
attempt("read_solutions", lambda: open(targets["solutions"], "rb").read())
attempt("read_kit_solutions", lambda: open(targets["kit_solutions"], "rb").read())
attempt("read_gradebook", lambda: open(targets["gradebook"], "rb").read())
attempt("list_course", lambda: os.listdir(targets["course"]))
attempt("write_gradebook", lambda: open(targets["gradebook"], "ab").write(b"x"))
attempt("write_data", lambda: open(os.path.join(targets["data"], "probe.txt"), "w").write("x"))
attempt("write_course", lambda: open(os.path.join(targets["course"], "probe.txt"), "w").write("x"))
attempt("write_tmp", lambda: open(targets["host_tmp_file"], "w").write("x"))
attempt("connect_local", lambda: socket.create_connection(("127.0.0.1", targets["port"]), timeout=3).close())
attempt("resolve_name", lambda: socket.getaddrinfo("example.com", 80))
attempt("connect_internet", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3).close())
found["secret_env"] = os.environ.get(targets["secret_name"], "absent")
found["working_folder"] = sorted(os.listdir("."))
found["memory_limit"] = resource.getrlimit(resource.RLIMIT_AS)[1]
found["cpu_limit"] = resource.getrlimit(resource.RLIMIT_CPU)[1]
from rotation_kit.runtime.paths import learner_home
found["learner_home"] = str(learner_home())
print("{PROBE_MARK}" + json.dumps(found))
'''


def probe(course, folder: Path, targets: dict) -> None:
    """Unanswered notebook whose first answer probes the sandbox; extra files try to shadow the kit's modules."""
    nb = blank(course)
    _cell(nb, "ex31_answer").source = probe_source(targets)
    _write(folder, nb)
    (folder / "rotation_kit").mkdir()
    (folder / "rotation_kit" / "__init__.py").write_text("raise ImportError('shadowed')\n")
    (folder / "pandas.py").write_text("raise ImportError('shadowed')\n")


def invalid_json(course, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text('{"cells": [ {"cell_type": "code", ')


def not_notebook(course, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text(json.dumps({"hello": "world", "cells": "no"}))


def empty(course, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_bytes(b"")


def non_utf8(course, folder: Path) -> None:
    """A solved notebook with Latin-1 bytes in a markdown cell (saved by an old editor)."""
    nb = full(course)
    nb.cells[1].source += "\n\nNote from caf\u00e9"
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_bytes(
        nbformat.writes(nb).encode("utf-8").replace("caf\u00e9".encode(), b"caf\xe9")
    )


def wrong_name(course, folder: Path) -> None:
    _write(folder, full(course), name=f"Copy of {MODULE} (1).ipynb")


FILE_PROBLEMS = {"invalid-json": invalid_json, "not-notebook": not_notebook, "empty": empty}


# -- the kit's own answers: an answer that reaches the reference of its exercise earns nothing ---------------


def _setup_source(nb) -> str:
    return next(c.source for c in nb.cells if nbgrader_meta(c).get("grade_id") == "setup")


def _kit_references() -> set[str]:
    """Names of the functions the kit's lesson modules define (the references a learner could reach)."""
    import importlib
    import pkgutil

    import rotation_kit.lessons as lessons

    names: set[str] = set()
    for info in pkgutil.iter_modules(lessons.__path__):
        module = importlib.import_module(f"{lessons.__name__}.{info.name}")
        names |= {name for name, value in vars(module).items() if callable(value)}
    return names


def function_exercises(release_nb) -> dict[str, str]:
    """answer grade id -> the function it asks for (the `def` in the released stub), for functions the kit
    has a reference of: a lab-only function's reference lives only in the lab's solution cell (issue 10),
    so there is no kit answer to reach and nothing to protect."""
    import ast

    references = _kit_references()
    found = {}
    for cell in release_nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            defs = [n.name for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)]
            if defs and defs[0] in references:
                found[meta["grade_id"]] = defs[0]
    return found


def _setup_modules(nb) -> dict[str, str]:
    """name the setup cell binds -> the kit module it is."""
    import ast
    import importlib

    found = {}
    for node in ast.walk(ast.parse(_setup_source(nb))):
        pairs = []
        if isinstance(node, ast.ImportFrom) and node.module:
            pairs = [(a.asname or a.name, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            pairs = [(a.asname or a.name, a.name) for a in node.names]
        for bound, dotted in pairs:
            try:
                found[bound] = importlib.import_module(dotted).__name__
            except ImportError:
                continue
    return found


def reference(source_nb, answer_id: str) -> tuple[str, str]:
    """(kit module, function) of the reference answer of `answer_id`: the function of the same name in a lesson
    module the setup cell imports, or the one the exercise's hidden test names (`own_function(..., reference=...)`)."""
    import importlib
    import re

    name = function_exercises(source_nb)[answer_id]
    modules = _setup_modules(source_nb)
    tests = _cell(source_nb, answer_id.replace("_answer", "_tests")).source
    named = re.search(r"own_function\([^)]*reference=(\w+)\.(\w+)", tests)
    if named and named.group(1) in modules:
        return modules[named.group(1)], named.group(2)
    for module in modules.values():
        value = getattr(importlib.import_module(module), name, None)
        if callable(value):
            return value.__module__, name
    raise LookupError(f"no kit module in the setup cell has {name}")


# Each way answers `name` with the kit's function `ref` from `module`: (answer cell source, a cell added before it or "").
DELEGATIONS = {
    "import-wrapper": lambda name, module, ref: (
        f"from {module} import {ref} as _kit_answer\n\n\ndef {name}(*args, **kwargs):\n"
        f'    """My own version."""\n    return _kit_answer(*args, **kwargs)\n',
        "",
    ),
    "alias-attribute": lambda name, module, ref: (
        f"import {module} as kit_lesson\nhelper = kit_lesson\n{name} = helper.{ref}\n",
        "",
    ),
    "wrapper-defined-elsewhere": lambda name, module, ref: (
        f"def {name}(*args, **kwargs):\n    return _answers.{ref}(*args, **kwargs)\n",
        f"import {module} as _lesson\n_answers = _lesson\n",
    ),
    "getattr-importlib": lambda name, module, ref: (
        f"import importlib\n_mod = importlib.import_module({module!r})\n_name = ''.join([{ref[:3]!r}, {ref[3:]!r}])\n\n\n"
        f"def {name}(*args, **kwargs):\n    return getattr(_mod, _name)(*args, **kwargs)\n",
        "",
    ),
    "sys-modules-vars": lambda name, module, ref: (
        f"import sys\n\n\ndef {name}(*args, **kwargs):\n    return vars(sys.modules[{module!r}])[{ref!r}](*args, **kwargs)\n",
        "",
    ),
    "inspect-source-copy": lambda name, module, ref: (
        f"import inspect\nimport {module}\n_ns = {{'__name__': '__main__', '__package__': {module.rsplit('.', 1)[0]!r}}}\n"
        f"exec(inspect.getsource({module}), _ns)\n{name} = _ns[{ref!r}]\n",
        "",
    ),
    "star-import": lambda name, module, ref: (
        f"from {module} import *  # noqa: F403\n" + (f"{name} = {ref}  # noqa: F405\n" if ref != name else ""),
        "",
    ),
    "callable-object": lambda name, module, ref: (
        f"import {module} as _m\n\n\nclass _Answer:\n    def __call__(self, *args, **kwargs):\n"
        f"        return _m.{ref}(*args, **kwargs)\n\n\n{name} = _Answer()\n",
        "",
    ),
}


def delegate(nb, source_nb, answer_id: str, how: str) -> None:
    """Answer `answer_id` in `nb` by reaching the kit's reference (found in `source_nb`), the way `how` says."""
    name = function_exercises(source_nb)[answer_id]
    answer, before = DELEGATIONS[how](name, *reference(source_nb, answer_id))
    cell = _cell(nb, answer_id)
    cell.source = answer
    if before:
        nb.cells.insert(nb.cells.index(cell), nbformat.v4.new_code_cell(before))


def kit_answers(course, module: str, ways: list[str] | None = None, offset: int = 0):
    """A solved notebook of `module` whose every function exercise is answered with the kit's own reference,
    cycling through DELEGATIONS (from `offset`); returns (notebook, {answer id: way})."""
    source = nbformat.read(course.source / module / f"{module}.ipynb", as_version=4)
    nb = build_submission(course.release / module / f"{module}.ipynb", course.source / module / f"{module}.ipynb")
    ways = ways or list(DELEGATIONS)
    used = {}
    for position, answer_id in enumerate(function_exercises(source)):
        how = ways[(position + offset) % len(ways)]
        delegate(nb, source, answer_id, how)
        used[answer_id] = how
    return nb, used


# -- attempts that score nothing but an instructor should see -------------------------------------------------

FLAGGED = {
    # kind of flag -> answer cell source for ex31_answer of module 03 (the rest of the notebook solved)
    "equality-trick": (
        "class Anything:\n    def __eq__(self, other):\n        return True\n\n    def __bool__(self):\n"
        "        return True\n\n\ndef summarise_by(programs, by):\n    return Anything()\n"
    ),
    "patched-checks": (
        "import rotation_kit.runtime.checks as _c\nfor _name in ['equal', 'frame_equal', 'items', 'dataframe']:\n"
        "    setattr(expect, _name, lambda *a, **k: None)\n_c.CheckFailed = Exception\n"
        "def summarise_by(programs, by):\n    return None\n"
    ),
    "protected-path": (
        "import glob, os\nfor _path in ['../../../solutions/03_where_to_rotate/03_where_to_rotate.ipynb',\n"
        "              '/work/grading/gradebook.db']:\n    try:\n        open(_path).read()\n"
        "    except OSError as error:\n        print('denied', error)\nopen('../../gradebook.db', 'rb').read()\n"
    ),
    "network": ("import socket\nsocket.create_connection(('example.com', 80), timeout=3)\n"),
    "exit": "import sys\nsys.exit('I give up')\n",
    "kernel-died": "import os\nos._exit(3)\n",
    "leftover-process": (
        "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "def summarise_by(programs, by):\n    raise NotImplementedError()\n"
    ),
}


def flagged(course, folder: Path, kind: str) -> None:
    nb = full(course)
    _cell(nb, "ex31_answer").source = FLAGGED[kind]
    _write(folder, nb)
