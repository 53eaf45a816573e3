"""Grading integrity: no credit for the kit's own answers, and flags for what an instructor should look at.

The learner environment ships the kit's reference code (the lesson modules), because later
modules build on earlier answers. An answer that reaches the reference of its own exercise
(imported, looked up through an alias, `getattr` or `importlib`, wrapped in a function of the
notebook, its source copied with `inspect`) earns nothing for that exercise. This is decided
here, in the grader, from the notebook's own source, where learner code cannot reach:

- `scan(cells, locked, exercises)` reads the learner's code cells with `ast` (answer cell ->
  exercise from nbgrader's grade ids, exercise -> function name from the answer cell's stub in
  the gradebook) and says which exercises delegate to the kit, plus what deserves a look;
- `IntegrityChecks`, an nbgrader preprocessor that runs after execution (nbgrader_config.py puts
  it in `Autograde.autograde_preprocessors`, so plain `nbgrader autograde` applies it too), turns a
  delegating exercise's test cells into failures, adds what the run itself showed (a check that
  saw the kit's function, `SystemExit`, a killed kernel, denied reads, network errors, leftover
  processes), and stores every flag in the autograded notebook's metadata;
- `read_flags(course)` gives the flags per submission, for the summary and the class report.

The kit's fallbacks stay harmless: locked cells may use the reference code (an exercise the
learner skipped still feeds the next one), and an answer may use any of the kit's functions
except the reference of its own exercise.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from ...course.cells import exercise_of, grade_id, is_answer, is_check, is_grade, is_locked, is_solution
from pathlib import Path

#: Flag kinds, and what each means for the instructor. None of them changes a grade by itself
#: (only "kit-answer" comes with a zero, and that zero comes from the rule above).
FLAG_KINDS = {
    "kit-answer": "an answer uses the kit's reference implementation of its exercise (scored 0 for it)",
    "equality-trick": "an object that can claim to equal anything (__eq__, __ne__ or __bool__ defined)",
    "patched-checks": "code that changes the check helpers or the modules they rely on",
    "protected-path": "code that reaches for solutions, hidden tests, the gradebook or other submissions",
    "network": "code that tries to use the network",
    "kernel-died": "the kernel was killed or exited while the notebook ran",
    "exit": "code that stops the kernel (sys.exit, exit(), os._exit, os.kill)",
    "leftover-process": "code that starts processes, or processes still running after a cell",
}

METADATA_KEY = "rotation_kit"  # the autograded notebook's metadata entry the kit writes (never the learner's)
KIT_PACKAGE = "rotation_kit"
_DYNAMIC = "*"  # "every reference of this module": a lookup whose name cannot be read from the source

_CHECK_NAMES = {"expect", "passed", "CheckFailed", "Expect"}
_PROTECTED = re.compile(r"(?<![A-Za-z])(solutions?|gradebook(\.db)?|autograded|submitted|source_with_tests|"
                        r"nbgrader_config(\.py)?|release_feedback|\.kit)(?![A-Za-z])", re.I)
_NETWORK_MODULES = {"socket", "urllib", "urllib3", "requests", "http", "httpx", "ftplib", "smtplib", "aiohttp",
                    "websocket", "websockets", "telnetlib", "ssl", "paramiko", "asyncio"}
_PROCESS_CALLS = {("os", "system"), ("os", "popen"), ("os", "fork"), ("os", "forkpty"), ("os", "posix_spawn"),
                  ("os", "posix_spawnp"), ("os", "spawnl"), ("os", "spawnv"), ("os", "execv"), ("os", "execl"),
                  ("os", "setsid")}
_PROCESS_MODULES = {"subprocess", "multiprocessing", "pty", "concurrent"}
_EXIT_CALLS = {("sys", "exit"), ("os", "_exit"), ("os", "kill"), ("os", "abort"), ("os", "killpg"),
               ("signal", "raise_signal"), ("signal", "pthread_kill")}
_NETWORK_ERRORS = {"gaierror", "ConnectionRefusedError", "ConnectionError", "URLError", "herror",
                   "ConnectionResetError", "NewConnectionError", "MaxRetryError"}


@dataclass(frozen=True)
class Flag:
    """One thing an instructor should look at in one submission."""

    kind: str  # a key of FLAG_KINDS
    what: str  # what was seen, in words
    where: str = ""  # the cell (grade id, or "cell N")
    exercise: str = ""  # the exercise it concerns, when there is one

    def text(self) -> str:
        return f"{self.kind}: {self.where + ' ' if self.where else ''}{self.what}"


# -- the kit's side: which functions are the reference answers ---------------------------------


@lru_cache(maxsize=512)
def _kit_module(name: str):
    """The kit's module `name` (imported in the grader: trusted code), or None."""
    if not (name == KIT_PACKAGE or name.startswith(KIT_PACKAGE + ".")):
        return None
    try:
        if importlib.util.find_spec(name) is None:
            return None
        return importlib.import_module(name)
    except Exception:
        return None


def _is_kit_function(value) -> bool:
    return callable(value) and (getattr(value, "__module__", "") or "").startswith(KIT_PACKAGE)


def references(lesson_modules: list[str], functions: list[str]) -> dict[str, object]:
    """function name -> the kit's reference function of that name, from the lesson modules a notebook imports."""
    found: dict[str, object] = {}
    for module_name in lesson_modules:
        module = _kit_module(module_name)
        for name in functions:
            value = getattr(module, name, None) if module is not None else None
            if name not in found and _is_kit_function(value):
                found[name] = value
    return found


def function_name(stub: str) -> str | None:
    """The function an answer cell asks for: the first `def` in its released stub."""
    try:
        tree = ast.parse(stub)
    except SyntaxError:
        return None
    return next((node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))), None)


# -- the learner's side: what their code reaches -------------------------------------------------


@lru_cache(maxsize=4096)
def _parse(source: str) -> ast.Module | None:
    """Learner code as Python: IPython magics and shell lines are blanked first; None if it does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def _const_str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dotted(node) -> str | None:
    """`a.b.c` as a string, for names and attribute chains."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class _Notebook:
    """Every binding of the notebook's code, flow-insensitive: a name means everything it is ever bound to."""

    def __init__(self, refs: dict[str, object]):
        self.refs = refs
        self.modules: dict[str, set[str]] = {}  # name -> kit modules it is bound to
        self.others: dict[str, set[str]] = {}  # name -> other modules it is bound to (for patch flags)
        self.values: dict[str, list[tuple[ast.AST, bool]]] = {}  # name -> expressions bound to it (learner's?)
        self.functions: dict[str, list[ast.AST]] = {}  # name -> function/class bodies defined with that name
        self.imported_refs: dict[str, set[str]] = {}  # name -> references bound by `from ... import`
        self.star_refs: dict[str, list[tuple[int, str]]] = {}  # name -> (where, reference) bound by `import *`
        self.defined_at: dict[str, list[int]] = {}  # name -> where the learner defines or assigns it
        self.cell_at: dict[str, int] = {}  # cell label -> where it starts
        self.position = 0  # statement counter of the binding pass (cells in order)
        self.until: int | None = None  # name_reach: only `import *` before this position (an exercise's tests)
        self._memo: dict[str, set[str]] = {}

    # what an import binds
    def bind_import(self, node, learner: bool) -> None:
        """Module aliases from every cell; references bound by name only from the learner's cells."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.asname or alias.name.split(".")[0]
                module = alias.name if alias.asname else alias.name.split(".")[0]
                self._bind_module(target, module)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if alias.name == "*":
                    module = _kit_module(node.module)
                    for bound, value in (vars(module).items() if learner and module is not None else ()):
                        for name, ref in self.refs.items():
                            if value is ref:
                                self.star_refs.setdefault(bound, []).append((self.position, name))
                    continue
                target = alias.asname or alias.name
                if _kit_module(full) is not None or not node.module.startswith(KIT_PACKAGE):
                    self._bind_module(target, full)
                module = _kit_module(node.module)
                value = getattr(module, alias.name, None) if module is not None else None
                for name, ref in self.refs.items():
                    if learner and value is ref:
                        self.imported_refs.setdefault(target, set()).add(name)

    def _bind_module(self, target: str, module: str) -> None:
        if module.split(".")[0] == KIT_PACKAGE:
            self.modules.setdefault(target, set()).add(module)
        else:
            self.others.setdefault(target, set()).add(module)

    def module_of(self, node, seen: frozenset = frozenset()) -> set[str]:
        """The kit modules an expression can be."""
        if isinstance(node, ast.Name):
            if node.id in seen:
                return set()
            found = set(self.modules.get(node.id, set()))
            for value, _ in self.values.get(node.id, []):
                found |= self.module_of(value, seen | {node.id})
            return found
        if isinstance(node, ast.Attribute):
            return {f"{m}.{node.attr}" for m in self.module_of(node.value, seen) if _kit_module(f"{m}.{node.attr}")}
        if isinstance(node, ast.Call):
            func = _dotted(node.func) or ""
            if func.split(".")[-1] in ("import_module", "__import__", "reload") and node.args:
                name = _const_str(node.args[0])
                if name is None:
                    return {KIT_PACKAGE + _DYNAMIC}
                return {name} if _kit_module(name) is not None else set()
            if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args \
                    and _dotted(node.func.value) == "sys.modules":
                name = _const_str(node.args[0])
                return {name} if name and _kit_module(name) else set()
        if isinstance(node, ast.Subscript) and _dotted(node.value) == "sys.modules":
            name = _const_str(node.slice)
            if name is None:
                return {KIT_PACKAGE + _DYNAMIC}
            return {name} if _kit_module(name) else set()
        return set()

    def _module_refs(self, module_name: str, attr: str | None) -> set[str]:
        """References reached by `module.attr` (attr None: any attribute, looked up dynamically)."""
        if module_name.endswith(_DYNAMIC):
            return set(self.refs)
        module = _kit_module(module_name)
        if module is None:
            return set()
        if attr is None or attr.startswith("__"):  # __dict__, __file__, __loader__...: the whole module
            return {name for name, ref in self.refs.items() if any(v is ref for v in vars(module).values())}
        value = getattr(module, attr, None)
        return {name for name, ref in self.refs.items() if value is ref}

    def reach(self, tree: ast.AST, stack: frozenset = frozenset()) -> set[str]:
        """The references an expression or statement can reach, directly or through the notebook's own names."""
        found: set[str] = set()
        for node, local in _scoped(tree):
            if isinstance(node, ast.Attribute):
                for module in self.module_of(node.value):
                    found |= self._module_refs(module, node.attr)
            elif isinstance(node, ast.Call):
                func = _dotted(node.func) or ""
                if func in ("getattr", "builtins.getattr", "operator.attrgetter") and node.args:
                    target = self.module_of(node.args[0])
                    attr = _const_str(node.args[1]) if len(node.args) > 1 else None
                    for module in target:
                        found |= self._module_refs(module, attr)
                elif func not in ("hasattr",):
                    # A module handed to a function (inspect.getsource(module), vars, exec...): all of it.
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        for module in self.module_of(arg):
                            found |= self._module_refs(module, None)
                for module in self.module_of(node):
                    if module.endswith(_DYNAMIC):
                        found |= set(self.refs)

            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
                found |= self.name_reach(node.id, stack)
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call) \
                    and _dotted(node.value.func) in ("globals", "vars", "locals"):
                name = _const_str(node.slice)
                found |= self.name_reach(name, stack) if name else set()
        return found

    def name_reach(self, name: str, stack: frozenset = frozenset()) -> set[str]:
        """What a global name of the notebook can reach: its imports, assignments and definitions."""
        if name in stack:
            return set()
        if name in self._memo:
            return self._memo[name]
        stack = stack | {name}
        found = set(self.imported_refs.get(name, set()))
        # `import *` binds a name until the learner defines it again, and counts only before the tests run.
        until = self.until if self.until is not None else float("inf")
        found |= {ref for where, ref in self.star_refs.get(name, []) if where < until and not any(
            where < defined < until for defined in self.defined_at.get(name, []))}
        for value, learner in self.values.get(name, []):
            if learner:
                found |= self.reach(value, stack)
        for body in self.functions.get(name, []):
            found |= self.reach(body, stack)
        if not stack - {name}:
            self._memo[name] = found
        return found


def _local_names(function) -> set[str]:
    """Names local to a function, lambda or comprehension (its parameters and what it assigns), minus `global`s."""
    names: set[str] = set()
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = function.args
        names |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
        body = function.body if isinstance(function.body, list) else [function.body]
    elif isinstance(function, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return {n for g in function.generators for n in _names_in(g.target)}
    else:
        return names
    declared: set[str] = set()
    todo = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared |= set(node.names)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        for target in _targets(node):
            names |= set(_names_in(target))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        if isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return names - declared


def _scoped(tree, local: frozenset = frozenset()):
    """Every node under `tree`, with the names that are local where it stands."""
    todo = [(tree, local)]
    while todo:
        node, names = todo.pop()
        yield node, names
        inner = names | _local_names(node) if isinstance(node, (
            ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
            ast.GeneratorExp)) else names
        todo.extend((child, inner) for child in ast.iter_child_nodes(node))


def _targets(node) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
        return [node.target]
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _names_in(target) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _module_level(tree: ast.Module):
    """Statements and expressions at module level, not inside function or class bodies, in source order."""
    todo = list(reversed(tree.body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        todo.extend(reversed(list(ast.iter_child_nodes(node))))


@dataclass
class Cell:
    """One code cell as the scan sees it."""

    label: str  # grade id, or "cell N"
    source: str
    locked: bool  # a protected cell (its source is the kit's)
    exercise: str = ""  # the exercise of an answer cell


@dataclass
class ScanResult:
    delegating: dict[str, str]  # exercise -> why it earns nothing
    flags: list[Flag]


def _exec_namespace(call: ast.Call) -> ast.AST | None:
    """The namespace an exec/eval call writes into, when it is not the notebook's globals; else None."""
    spaces = [*call.args[1:], *(k.value for k in call.keywords if k.arg in ("globals", "locals"))]
    for space in spaces:
        if not (isinstance(space, ast.Call) and _dotted(space.func) in ("globals", "vars", "locals")):
            return space
    return None


def _dynamic_definitions(tree: ast.Module):
    """Places that define names the source does not show: exec/eval/compile, globals()[...] = ..., f.__code__ = ..."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = _dotted(node.func) or ""
            last = func.split(".")[-1]
            on_globals = isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call) \
                and _dotted(node.func.value.func) in ("globals", "vars", "locals")
            if last in ("setattr", "run_cell") or (on_globals and last in ("update", "setdefault", "__setitem__")) or (
                    last in ("exec", "eval") and _exec_namespace(node) is None):
                yield node
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in _targets(node):
                if isinstance(target, ast.Attribute) and target.attr in ("__code__", "__call__", "__wrapped__"):
                    yield node
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Call) \
                        and _dotted(target.value.func) in ("globals", "vars", "locals"):
                    yield node


def declared_references(cells: list[Cell]) -> dict[str, object]:
    """function name -> reference, where a test cell says `expect.own_function(f, name=..., reference=mod.g)`
    (the kit's function has another name than the exercise's)."""
    nbk = _Notebook({})
    for cell in cells:
        tree = _parse(cell.source) if cell.locked and "import" in cell.source else None
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                nbk.bind_import(node, learner=False)
    trees = [t for c in cells if c.locked and "own_function(" in c.source and (t := _parse(c.source)) is not None]
    found: dict[str, object] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "own_function":
                keywords = {k.arg: k.value for k in node.keywords}
                name, ref = _const_str(keywords.get("name")), keywords.get("reference")
                if name and isinstance(ref, ast.Attribute):
                    for module in nbk.module_of(ref.value):
                        value = getattr(_kit_module(module), ref.attr, None)
                        if _is_kit_function(value):
                            found[name] = value
    return found


def scan(cells: list[Cell], exercises: dict[str, str], lesson_modules: list[str]) -> ScanResult:
    """What the learner's code does with the kit's answers, and what deserves a look.

    `exercises`: exercise -> the function its answer cell asks for; `lesson_modules`: the kit
    modules the notebook's protected cells import (where the reference answers live). The
    reference of an exercise is the kit's function of the same name, or the one its test cell
    names (`expect.own_function(..., reference=...)`).
    """
    refs = {**references(lesson_modules, sorted(set(exercises.values()))), **declared_references(cells)}
    refs = {name: ref for name, ref in refs.items() if name in exercises.values()}
    nbk = _Notebook(refs)
    trees: list[tuple[Cell, ast.Module]] = []
    flags: list[Flag] = []
    for cell in cells:
        tree = _parse(cell.source)
        if tree is None:
            continue
        trees.append((cell, tree))
        nbk.position += 1
        nbk.cell_at.setdefault(cell.label, nbk.position)
        learner = not cell.locked
        for node in (_module_level(tree) if learner else tree.body):  # the kit's cells: their own names only
            nbk.position += 1
            if learner and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                nbk.defined_at.setdefault(node.name, []).append(nbk.position)
            for target in _targets(node) if learner else []:
                for bound in _names_in(target):
                    nbk.defined_at.setdefault(bound, []).append(nbk.position)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                nbk.bind_import(node, learner)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and learner:
                nbk.functions.setdefault(node.name, []).append(node)
            if isinstance(node, ast.Call) and (_dotted(node.func) or "").split(".")[-1] in ("exec", "eval"):
                space = _exec_namespace(node)
                if isinstance(space, ast.Name):  # exec(source, ns): ns holds what the source defines
                    nbk.values.setdefault(space.id, []).append((node, learner))
            for target in _targets(node):
                value = getattr(node, "value", None) or getattr(node, "iter", None) or getattr(node, "context_expr", None)
                if isinstance(node, (ast.With, ast.AsyncWith)):
                    value = node.items[0].context_expr
                for name in _names_in(target):
                    if value is not None:
                        nbk.values.setdefault(name, []).append((value, learner))

    delegating: dict[str, str] = {}
    learner_trees = [(c, t) for c, t in trees if not c.locked]
    tests: dict[str, set[str]] = {}
    for cell in cells:
        if cell.locked and cell.label.startswith("ex") and not cell.exercise:
            tests.setdefault(exercise_of(cell.label), set()).add(cell.label)
    answer_reach = {c.exercise: nbk.reach(t) for c, t in learner_trees if c.exercise}
    dynamic = [(c, nbk.reach(node)) for c, t in learner_trees for node in _dynamic_definitions(t)]
    for exercise, name in exercises.items():
        if name not in refs:
            continue
        reasons = []
        nbk.until = min((at for label, at in nbk.cell_at.items() if label in tests.get(exercise, ())), default=None)
        nbk._memo.clear()
        if name in nbk.name_reach(name):
            reasons.append(f"`{name}` is, or calls, the kit's {_qualified(refs[name])}")
        elif name in answer_reach.get(exercise, set()):
            label = next(c.label for c, _ in learner_trees if c.exercise == exercise)
            reasons.append(f"its answer cell {label} uses the kit's {_qualified(refs[name])}")
        else:
            reasons.extend(f"{c.label} defines code from the kit's {_qualified(refs[name])} (exec, __code__ or globals())"
                           for c, reached in dynamic if name in reached)
        nbk.until = None
        nbk._memo.clear()
        if reasons:
            delegating[exercise] = reasons[0]
            flags.append(Flag("kit-answer", reasons[0] + f"; exercise {exercise} scores 0", exercise=exercise))
    for cell, tree in learner_trees:
        flags.extend(_code_flags(cell, tree, nbk))
    return ScanResult(delegating, _unique(flags))


def _qualified(function) -> str:
    return f"{function.__module__}.{function.__name__}"


def _unique(flags: list[Flag]) -> list[Flag]:
    seen, kept = set(), []
    for flag in flags:
        if flag not in seen:
            seen.add(flag)
            kept.append(flag)
    return kept


def _code_flags(cell: Cell, tree: ast.Module, nbk: _Notebook) -> list[Flag]:
    """Static flags for one learner cell: what the code tries, whether or not it worked."""
    found: list[Flag] = []
    where = cell.label

    def flag(kind: str, what: str) -> None:
        found.append(Flag(kind, what, where))

    def module_names(node) -> set[str]:
        if isinstance(node, ast.Name):
            return nbk.modules.get(node.id, set()) | nbk.others.get(node.id, set()) | (
                {node.id} if node.id in ("sys", "os", "builtins", "math", "numbers") else set())
        if isinstance(node, ast.Attribute):
            return {f"{m}.{node.attr}" for m in module_names(node.value)}
        return set()

    for node in ast.walk(tree):
        # equality tricks
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                names = [item.name] if isinstance(item, ast.FunctionDef) else \
                    [t.id for t in getattr(item, "targets", []) if isinstance(t, ast.Name)]
                for special in ("__eq__", "__ne__", "__bool__"):
                    if special in names:
                        always = isinstance(item, ast.FunctionDef) and any(
                            isinstance(r, ast.Return) and isinstance(r.value, ast.Constant) for r in ast.walk(item))
                        flag("equality-trick", f"defines class {node.name} with {special}"
                             + (" returning a constant" if always else ""))
        # patched checks and modules
        targets = _targets(node) + (node.targets if isinstance(node, ast.Delete) else [])
        for target in targets:
            if isinstance(target, ast.Attribute):
                base = _dotted(target.value) or ""
                root = base.split(".")[0]
                display = ".options" in f".{base}." or "rcParams" in base  # pandas/matplotlib display settings
                if (root in _CHECK_NAMES or module_names(target.value)) and not display:
                    modules = module_names(target.value)
                    flag("patched-checks", f"replaces {base}.{target.attr}"
                         + (f" (module {sorted(modules)[0]})" if modules and base not in modules else ""))
            elif isinstance(target, ast.Name) and target.id in _CHECK_NAMES:
                flag("patched-checks", f"rebinds the check helper `{target.id}`")
            elif isinstance(target, ast.Subscript) and (_dotted(target.value) or "").endswith("sys.modules"):
                flag("patched-checks", "edits sys.modules")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in _CHECK_NAMES:
            flag("patched-checks", f"redefines the check helper `{node.name}`")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            names = [a.name for a in node.names]
            for module in modules:
                top = module.split(".")[0]
                if top == KIT_PACKAGE and (module.endswith(".checks") or "checks" in names):
                    flag("patched-checks", f"imports the check helpers ({module})")
                if top in _NETWORK_MODULES:
                    flag("network", f"imports {module}")
                if top in _PROCESS_MODULES:
                    flag("leftover-process", f"imports {module}")
                if top == "builtins":
                    flag("patched-checks", "imports builtins")
        if isinstance(node, ast.Name) and node.id == "__builtins__":
            flag("patched-checks", "touches __builtins__")
        if isinstance(node, ast.Call):
            func = _dotted(node.func) or ""
            parts = tuple(func.split("."))
            resolved = {tuple(f"{m}.{parts[-1]}".split(".")) for m in module_names(node.func.value)} \
                if isinstance(node.func, ast.Attribute) else set()
            calls = {parts, *resolved}
            if func in ("setattr", "delattr") and node.args:
                base = _dotted(node.args[0]) or ""
                if base.split(".")[0] in _CHECK_NAMES or module_names(node.args[0]):
                    flag("patched-checks", f"changes {base} with {func}()")
            if any(c[-2:] in _EXIT_CALLS for c in calls if len(c) >= 2) or func in ("exit", "quit"):
                flag("exit", f"calls {func}()")
            if any(c[-2:] in _PROCESS_CALLS for c in calls if len(c) >= 2):
                flag("leftover-process", f"calls {func}()")
            if parts[0] in ("socket",) or func in ("urlopen", "urllib.request.urlopen"):
                flag("network", f"calls {func}()")
        if isinstance(node, ast.Raise) and node.exc is not None and "SystemExit" in ast.dump(node.exc):
            flag("exit", "raises SystemExit")
        text = _const_str(node)
        if text is not None and len(text) < 500:
            if _PROTECTED.search(text) and ("/" in text or "\\" in text or re.search(r"\.(db|ipynb|py)\b", text)):
                flag("protected-path", f"names the path {text!r}")
    return found


# -- what the run showed ---------------------------------------------------------------------------


def run_flags(nb, execution: dict | None) -> list[Flag]:
    """Flags from the executed notebook: its outputs and what SafeExecute recorded."""
    found: list[Flag] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = grade_id(cell) or f"cell {index + 1}"
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            ename, evalue = output.get("ename", ""), str(output.get("evalue", ""))
            if ename == "SystemExit":
                found.append(Flag("exit", f"stopped with SystemExit({evalue})", label))
            elif ename in _NETWORK_ERRORS or (ename in ("OSError", "TimeoutError") and
                                              re.search(r"[Nn]etwork|unreachable|Name or service", evalue)):
                found.append(Flag("network", f"a network attempt failed ({ename}: {evalue[:120]})", label))
            elif ename in ("PermissionError", "FileNotFoundError", "OSError", "IsADirectoryError") \
                    and _PROTECTED.search(evalue) and not is_locked(cell):
                found.append(Flag("protected-path", f"tried a protected path ({ename}: {evalue[:160]})", label))
            elif ename == "CheckFailed" and "is your own code" in evalue:
                name = re.search(r"`([^`]+)` is your own code", evalue)
                found.append(Flag("kit-answer", "the check saw the kit's reference function"
                                  + (f" in `{name.group(1)}`" if name else ""), label,
                                  exercise=exercise_of(label) if is_check(cell) else ""))
    execution = execution or {}
    if execution.get("kind") == "died":
        found.append(Flag("kernel-died", execution.get("stopped") or "the kernel stopped"))
    for what in execution.get("leftover", []):
        found.append(Flag("leftover-process", what))
    return _unique(found)


# -- the preprocessor -------------------------------------------------------------------------------


def notebook_cells(nb) -> list[Cell]:
    """The code cells as the scan sees them (answer cell -> exercise by the course's one rule)."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        gid = grade_id(cell) or ""
        answer = is_answer(cell) and not is_grade(cell)
        cells.append(Cell(label=gid or f"cell {index + 1}", source=cell.source, locked=is_locked(cell),
                          exercise=exercise_of(gid) if answer and gid else ""))
    return cells


def lesson_modules(cells: list[Cell]) -> list[str]:
    """The kit's modules the protected cells import (the lesson modules, where the references live)."""
    found: list[str] = []
    for cell in cells:
        tree = _parse(cell.source) if cell.locked and KIT_PACKAGE in cell.source else None
        for node in tree.body if tree is not None else []:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            found.extend(n for n in names if n.startswith(KIT_PACKAGE) and _kit_module(n) is not None
                         and n not in found)
    return found


def _zero(cell, why: str) -> None:
    from nbformat import NotebookNode

    message = (f"Check failed: this exercise is your own work\n  Expected: an answer written in this notebook\n"
               f"  Got:      {why}\n  Hint:     Write the function yourself; the kit's version is there for later modules.")
    cell.outputs = [NotebookNode(output_type="error", ename="CheckFailed", evalue=message,
                                 traceback=[f"CheckFailed: {message}"])]


try:
    from nbgrader.preprocessors import NbGraderPreprocessor
except ImportError:  # the learner environment without nbgrader never grades
    NbGraderPreprocessor = object


class IntegrityChecks(NbGraderPreprocessor):
    """After execution: no credit for the kit's own answers, and every flag into the notebook's metadata.

    Exercises (answer cell -> test cells) come from the grade ids; the function each exercise
    asks for from the answer cell's stub as the gradebook holds it (not from the learner's copy).
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources.get("nbgrader", {})
        stubs: dict[str, str] = {}
        if info.get("db_url"):
            with Gradebook(info["db_url"]) as gb:
                try:
                    notebook = gb.find_notebook(info["notebook"], info["assignment"])
                    stubs = {c.name: c.source for c in notebook.source_cells}
                    solutions = {c.name for c in notebook.solution_cells}
                    graded = {c.name for c in notebook.grade_cells}
                except MissingEntry:
                    solutions = graded = set()
        else:
            solutions = {grade_id(c) for c in nb.cells if is_solution(c)}
            graded = {grade_id(c) for c in nb.cells if is_grade(c)}
        exercises = {}
        for gid in sorted(solutions - graded):
            name = function_name(stubs.get(gid, ""))
            if name:
                exercises[exercise_of(gid)] = name
        cells = notebook_cells(nb)
        result = scan(cells, exercises, lesson_modules(cells))
        kit = nb.metadata.get(METADATA_KEY, {}) if isinstance(nb.metadata.get(METADATA_KEY), dict) else {}
        for cell in nb.cells:
            if is_check(cell) and exercise_of(grade_id(cell)) in result.delegating:
                _zero(cell, result.delegating[exercise_of(grade_id(cell))])
        flags = _unique(result.flags + run_flags(nb, kit.get("execution")))
        nb.metadata[METADATA_KEY] = {**kit, "flags": [asdict(f) for f in flags],
                                     "kit_answers": sorted(result.delegating)}
        return nb, resources


# -- reading flags back -------------------------------------------------------------------------------


def notebook_flags(path: Path) -> list[Flag]:
    """The flags IntegrityChecks stored in one autograded notebook."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stored = data.get("metadata", {}).get(METADATA_KEY, {}).get("flags", [])
        return [Flag(**{k: str(v) for k, v in f.items() if k in Flag.__dataclass_fields__}) for f in stored]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def read_flags(course, modules: list[str] | None = None) -> dict[tuple[str, str], list[Flag]]:
    """Flags per submission: {(module, learner): [Flag, ...]}, from the autograded notebooks.

    Works whichever way the submissions were graded (`rotation-kit grade autograde`, plain
    `nbgrader autograde`, the formgrader's button): the flags live in the autograded notebooks.
    Submissions with nothing to flag are left out.
    """
    found: dict[tuple[str, str], list[Flag]] = {}
    if not course.autograded.is_dir():
        return found
    for module in modules or course.modules():
        for folder in sorted(course.autograded.glob(f"*/{module}")):
            flags: list[Flag] = []
            for name in course.notebook_names(module):
                flags.extend(notebook_flags(folder / f"{name}.ipynb"))
            if flags:
                found[(module, folder.parent.name)] = _unique(flags)
    return found
