"""Checks for test cells: each failure says what was expected, what came back, and a hint.

Test cells in the notebooks call `expect.<check>(...)`. A failing check raises
`CheckFailed` (an AssertionError, so nbgrader scores the cell as failed) whose
message is written for a learner, not a programmer. Types and shapes are checked
before values, so `None`, a string, or an object that claims to equal everything
fails with a clear message instead of passing by accident.
"""

from __future__ import annotations

import functools
import json
import math
import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from .answers import blanks_in

#: Set by `rotation-kit check` for the kernel it runs: a failed check then reports its parts as data.
PARTS_ENV = "ROTATION_KIT_CHECK_PARTS"
_PARTS_KEY = "rotation_kit.CheckFailed"

#: What `got` says for an exercise nobody has answered; `rotation-kit check` recognises it.
NO_ANSWER_YET = "no answer yet"
NOT_ANSWERED = (
    "This exercise has no answer yet: replace each `...` in its answer cell with your answer, "
    "run that cell (Shift+Enter), then run this check again."
)


class CheckFailed(AssertionError):
    """A check in a test cell did not pass; the message is for the learner."""

    def __init__(self, what: str, expected: str, got: str, hint: str = ""):
        self.what, self.expected, self.got, self.hint = what, expected, got, hint
        lines = [f"Check failed: {what}", f"  Expected: {expected}", f"  Got:      {got}"]
        if hint:
            lines.append(f"  Hint:     {hint}")
        super().__init__("\n".join(lines))

    def parts(self) -> dict[str, str]:
        return {"what": self.what, "expected": self.expected, "got": self.got, "hint": self.hint}


def report_parts_as_data() -> None:
    """Let a failed check's error output carry its parts as JSON, for the self-check to read.

    IPython shows `_render_traceback_()` in place of the traceback; only the self-check's
    kernel (PARTS_ENV set) does this, so learners and graders see the usual traceback.
    """
    CheckFailed._render_traceback_ = lambda self: [json.dumps({_PARTS_KEY: self.parts()})]


def failed_parts(output) -> dict[str, str] | None:
    """The parts of a failed check from a notebook's error output (see report_parts_as_data), or None."""
    if output.get("output_type") != "error" or output.get("ename") != "CheckFailed":
        return None
    try:
        parts = json.loads((output.get("traceback") or [""])[0]).get(_PARTS_KEY)
    except (ValueError, AttributeError):
        return None
    return (
        {key: str(parts.get(key, "")) for key in ("what", "expected", "got", "hint")}
        if isinstance(parts, dict)
        else None
    )


if os.environ.get(PARTS_ENV):
    report_parts_as_data()


def describe(value: Any, limit: int = 160) -> str:
    """A short, safe description of any value: repr (trimmed) and type."""
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with {len(value)} rows and columns {list(value.columns)}"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values (name={value.name!r})"
    try:
        text = repr(value)
    except Exception:  # a learner's object may break repr itself
        text = "<a value that cannot be shown>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} ({type(value).__name__})"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Expect:
    """The checks used in test cells, gathered under one name: `expect`."""

    # -- getting hold of an answer ------------------------------------------------
    def defined(self, namespace: Mapping[str, Any], name: str) -> Any:
        """The learner's answer called `name`, or a message saying which cell to run."""
        if name not in namespace:
            raise CheckFailed(
                f"`{name}` exists",
                f"a variable or function called `{name}`",
                "nothing: that name is not defined yet",
                f"Run the cell where you write `{name}` (click in it, press Shift+Enter), "
                "then run this check again. If you restarted the kernel, run the cells above first.",
            )
        value = namespace[name]
        left = blanks_in(value)
        if left:
            where = "" if left == ["the answer"] else " (still `...` at " + ", ".join(f"{name}{w}" for w in left) + ")"
            raise CheckFailed(f"`{name}`", "your answer", NO_ANSWER_YET + where, NOT_ANSWERED)
        return value

    def call(self, func: Callable, *args: Any, what: str | None = None, **kwargs: Any) -> Any:
        """Call the learner's function; turn a crash into a message about the input that caused it."""
        label = what or f"{getattr(func, '__name__', 'your function')}(...)"
        if not callable(func):
            raise CheckFailed(label, "a function", describe(func), "Define it with `def ...:`.")
        try:
            return func(*args, **kwargs)
        except NotImplementedError:
            raise CheckFailed(label, "an answer", NO_ANSWER_YET, NOT_ANSWERED) from None
        except CheckFailed:
            raise
        except Exception as exc:  # report the learner's error in plain words
            raise CheckFailed(
                label,
                "a result without an error",
                f"{type(exc).__name__}: {exc}",
                "Run your function on this input yourself to see where it breaks.",
            ) from exc

    def own_function(self, func: Any, *, name: str, reference: Callable | None = None) -> None:
        """The answer is written in the notebook, not the kit's reference code, however it is reached.

        Looks through wrappers (functools.partial, decorators, callable objects, closures and the
        notebook's own functions it calls) for the kit's function called `name`: the function
        itself, its code (a `__code__` copied over, or its source run again with `exec`), or a
        lookup of it in the kit's module. `reference`: the kit's function when it has another
        name than the exercise's. The grader checks the notebook's source as well, reading
        `reference` from this call (rotation_kit.commands.grade.integrity), where learner code cannot interfere.
        """
        seen = _kit_reference_seen(func, name, reference)
        if seen:
            raise CheckFailed(
                f"`{name}` is your own code",
                "a function you wrote in this notebook",
                seen,
                "Write the function yourself; the kit's version is there for later modules.",
            )

    # -- types and shapes ------------------------------------------------------------
    def type(self, value: Any, types: type | tuple[type, ...], *, what: str, hint: str = "") -> None:
        """`value` is an instance of `types` (bool never counts as a number)."""
        types_tuple = types if isinstance(types, tuple) else (types,)
        wants_number = any(t in (int, float, numbers.Real, numbers.Number) for t in types_tuple)
        ok = isinstance(value, types_tuple)
        if wants_number and isinstance(value, bool):
            ok = bool in types_tuple
        if wants_number and not ok and _is_number(value):
            ok = True
        if not ok:
            names = " or ".join(t.__name__ for t in types_tuple)
            raise CheckFailed(what, f"a value of type {names}", describe(value), hint)

    def number(
        self,
        value: Any,
        *,
        what: str,
        between: tuple[float, float] | None = None,
        hint: str = "",
    ) -> None:
        """`value` is a real number (not bool, not NaN), optionally inside `between`."""
        expected = "a number" if between is None else f"a number between {between[0]} and {between[1]}"
        if not _is_number(value) or math.isnan(float(value)):
            raise CheckFailed(what, expected, describe(value), hint or "Return a single number.")
        if between is not None and not (between[0] <= float(value) <= between[1]):
            raise CheckFailed(what, expected, describe(value), hint)

    def dataframe(
        self,
        value: Any,
        *,
        what: str,
        columns: Iterable[str] = (),
        rows: int | None = None,
        hint: str = "",
    ) -> None:
        """`value` is a DataFrame with these columns (and this many rows, if given)."""
        if not isinstance(value, pd.DataFrame):
            raise CheckFailed(what, "a pandas DataFrame", describe(value), hint or "Return a DataFrame.")
        missing = [c for c in columns if c not in value.columns]
        if missing:
            raise CheckFailed(
                what,
                f"columns {list(columns)}",
                f"columns {list(value.columns)} (missing {missing})",
                hint,
            )
        if rows is not None and len(value) != rows:
            raise CheckFailed(what, f"{rows} rows", f"{len(value)} rows", hint)

    # -- values -----------------------------------------------------------------------
    def equal(self, got: Any, expected: Any, *, what: str, hint: str = "", tol: float = 1e-6) -> None:
        """`got` equals `expected`; numbers compare within `tol`, types must match first."""
        if _is_number(expected):
            self.number(got, what=what, hint=hint)
            if not math.isclose(float(got), float(expected), rel_tol=tol, abs_tol=tol):
                raise CheckFailed(what, describe(expected), describe(got), hint)
            return
        if isinstance(expected, (pd.DataFrame, pd.Series)):
            raise TypeError("use expect.frame_equal for pandas objects")
        base = type(expected)
        if isinstance(expected, (list, tuple)):
            base = (list, tuple)
        if not isinstance(got, base) or (isinstance(got, bool) != isinstance(expected, bool)):
            raise CheckFailed(what, describe(expected), describe(got), hint)
        try:
            same = bool(_plain(got) == _plain(expected))
        except Exception:
            same = False
        if not same:
            raise CheckFailed(what, describe(expected), describe(got), hint)

    def close(self, got: Any, expected: float, *, what: str, tol: float = 1e-6, hint: str = "") -> None:
        """`got` is a number within `tol` (absolute) of `expected`."""
        self.number(got, what=what, hint=hint)
        if abs(float(got) - float(expected)) > tol:
            raise CheckFailed(what, f"{expected:g} (give or take {tol:g})", describe(got), hint)

    def greater(self, bigger: Any, smaller: Any, *, what: str, hint: str = "") -> None:
        """`bigger` > `smaller`, both numbers."""
        self.number(bigger, what=what, hint=hint)
        self.number(smaller, what=what, hint=hint)
        if not float(bigger) > float(smaller):
            raise CheckFailed(what, f"a value above {smaller:g}", describe(bigger), hint)

    def true(self, condition: Any, *, what: str, expected: str, got: Any, hint: str = "") -> None:
        """A custom condition; `expected` and `got` describe it for the learner."""
        # Only a real True passes: a truthy object that overrides __bool__ does not.
        condition = condition is True or (type(condition).__name__ == "bool_" and bool(condition))
        if not condition:
            raise CheckFailed(what, expected, got if isinstance(got, str) else describe(got), hint)

    def choice(self, answer: Any, options: Iterable[str], *, what: str, hint: str = "") -> str:
        """One of `options` (letters or words, any case, spaces ignored): returned in lower case."""
        allowed = [str(o).lower() for o in options]
        picked = answer.strip().lower() if isinstance(answer, str) else answer
        if picked not in allowed:
            listed = ", ".join(f'"{o}"' for o in allowed)
            raise CheckFailed(what, f"one of {listed}", describe(answer), hint or "Type one choice in quotes.")
        return picked

    def items(self, got: Any, expected: Iterable[Any], *, what: str, ordered: bool = False, hint: str = "") -> None:
        """`got` holds exactly `expected` (as a list when `ordered`, else as a set)."""
        expected = list(expected)
        if not isinstance(got, (list, tuple, set, frozenset, pd.Series, pd.Index)):
            raise CheckFailed(what, f"a list like {expected!r}", describe(got), hint)
        got_list = [_plain(x) for x in got]
        exp_list = [_plain(x) for x in expected]
        if ordered:
            ok = got_list == exp_list
        else:
            ok = sorted(map(repr, got_list)) == sorted(map(repr, exp_list))
        if not ok:
            if not ordered:
                extra = [x for x in got_list if x not in exp_list]
                missing = [x for x in exp_list if x not in got_list]
                detail = f"{got_list!r}"
                if missing:
                    detail += f"; missing {missing!r}"
                if extra:
                    detail += f"; not expected {extra!r}"
                raise CheckFailed(what, f"{exp_list!r} (any order)", detail, hint)
            raise CheckFailed(what, f"{exp_list!r} (in this order)", f"{got_list!r}", hint)

    def frame_equal(self, got: Any, expected: pd.DataFrame, *, what: str, hint: str = "", tol: float = 1e-6) -> None:
        """`got` has the same columns and values as `expected` (index ignored, row order kept)."""
        self.dataframe(got, what=what, columns=list(expected.columns), rows=len(expected), hint=hint)
        left = got[list(expected.columns)].reset_index(drop=True)
        right = expected.reset_index(drop=True)
        if left.equals(right):  # same values and dtypes: a quick yes (hidden tests compare many tables)
            return
        try:
            pd.testing.assert_frame_equal(left, right, check_dtype=False, atol=tol, rtol=tol)
        except AssertionError as exc:
            first = str(exc).strip().splitlines()
            raise CheckFailed(what, "the same values as the reference table", " ".join(first[:3]), hint) from None

    def raises(
        self, error: type[BaseException], func: Callable, *args: Any, what: str, hint: str = "", **kwargs: Any
    ) -> None:
        """Calling `func` raises `error` (for input the function should refuse)."""
        try:
            func(*args, **kwargs)
        except NotImplementedError:
            raise CheckFailed(what, f"a {error.__name__}", NO_ANSWER_YET, NOT_ANSWERED) from None
        except error:
            return
        except Exception as exc:
            raise CheckFailed(what, f"a {error.__name__}", f"{type(exc).__name__}: {exc}", hint) from None
        raise CheckFailed(what, f"a {error.__name__}", "no error at all", hint)


_KIT = "rotation_kit"


def _kit_file(code) -> bool:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # rotation_kit/
    return os.path.abspath(code.co_filename).startswith(package + os.sep)


@functools.cache
def _library_folders() -> tuple[str, ...]:
    import sysconfig

    paths = sysconfig.get_paths()
    return tuple({os.path.abspath(paths[k]) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def _library_file(code) -> bool:
    """Code from Python's standard library or an installed package (pandas, numpy...), not a learner's.

    Its own body cannot name the kit's functions, so it is not read instruction by instruction
    (that walk would wander through pandas' internals); what a learner hands it (a closure, a
    default, a wrapped function) is still followed.
    """
    return os.path.abspath(code.co_filename).startswith(_library_folders())


def _references(name: str) -> list[Any]:
    """The kit's functions called `name` in its modules that are loaded (the notebook's lesson modules)."""
    import sys

    found = []
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(_KIT + ".") and module is not None:
            value = getattr(module, name, None)
            if callable(value) and (getattr(value, "__module__", "") or "").startswith(_KIT) and value not in found:
                found.append(value)
    return found


def _same_code(a, b) -> bool:
    """`a` is `b` compiled again from the kit's source (exec of inspect.getsource), not typed in a cell.

    Code typed in a notebook cell can be identical to the kit's (the reference is the model answer),
    so only code that did not come from a cell counts.
    """
    from_cell = "ipykernel" in a.co_filename or a.co_filename.startswith("<ipython-input")
    return not from_cell and a.co_code == b.co_code and a.co_names == b.co_names and a.co_varnames == b.co_varnames


def _kit_reference_seen(func: Any, name: str, reference: Callable | None = None) -> str:
    """How `func` reaches the kit's function `name`, in words; "" when it does not."""
    import dis
    import inspect
    import types

    references = [reference] if reference is not None else _references(name)
    name = getattr(reference, "__name__", name)
    ref_codes = [r.__code__ for r in references if hasattr(r, "__code__")]
    todo, seen, steps = [func], set(), 0
    while todo and steps < 200:
        value = todo.pop()
        steps += 1
        if id(value) in seen:
            continue
        seen.add(id(value))
        if any(value is r for r in references):
            return f"the kit's reference function {value.__module__}.{name}"
        if isinstance(value, functools.partial):
            todo.append(value.func)
            continue
        if isinstance(value, types.MethodType):
            todo.append(value.__func__)
            continue
        try:
            wrapped = getattr(value, "__wrapped__", None)  # functools.wraps, lru_cache and other decorators
        except Exception:  # an object whose __getattr__ raises
            wrapped = None
        if wrapped is not None:
            todo.append(wrapped)
        if not isinstance(value, types.FunctionType):
            if callable(value) and not isinstance(value, type) and not inspect.isbuiltin(value):
                call = getattr(type(value), "__call__", None)  # noqa: B004 (the method itself, to inspect its code)
                if isinstance(call, types.FunctionType):
                    todo.append(call)
            continue
        code = value.__code__
        if any(_same_code(code, r) for r in ref_codes):
            return f"a copy of the kit's code for {name} (in {value.__qualname__})"
        if _kit_file(code):
            continue  # another of the kit's functions (allowed: the kit's fallbacks use them)
        codes = [] if _library_file(code) else [code]
        while codes:
            current = codes.pop()
            if any(_same_code(current, r) for r in ref_codes):
                return f"a copy of the kit's code for {name} (in {value.__qualname__})"
            codes.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
            kit_modules = {r.__module__ for r in references}
            strings = {c for c in current.co_consts if isinstance(c, str)}
            strings |= {v for n in current.co_names if isinstance(v := value.__globals__.get(n), str)}
            if strings & kit_modules or (name in strings and "getattr" in current.co_names):
                return f"a lookup of the kit's {name} by name, in {value.__qualname__}"
            dynamic = {"getattr", "vars", "__dict__", "__getattribute__"} & set(current.co_names)
            if dynamic and any(
                isinstance(m := value.__globals__.get(n), types.ModuleType) and m.__name__ in kit_modules
                for n in current.co_names
            ):
                return f"a lookup in the kit's module by name ({', '.join(sorted(dynamic))}), in {value.__qualname__}"
            loaded = None
            for instruction in dis.get_instructions(current):
                op, arg = instruction.opname, instruction.argval
                if op in ("LOAD_GLOBAL", "LOAD_NAME"):
                    loaded = value.__globals__.get(arg, None) if isinstance(arg, str) else None
                    if loaded is not None and not isinstance(loaded, types.ModuleType):
                        todo.append(loaded)
                elif op in ("LOAD_ATTR", "LOAD_METHOD") and isinstance(loaded, types.ModuleType):
                    if loaded.__name__.startswith(_KIT) and arg == name:
                        return f"the kit's function {loaded.__name__}.{name}, called in {value.__qualname__}"
                    loaded = getattr(loaded, arg, None) if isinstance(arg, str) else None
                    if loaded is not None and not isinstance(loaded, types.ModuleType):
                        todo.append(loaded)
                elif (
                    op == "LOAD_CONST"
                    and isinstance(loaded, types.ModuleType)
                    and loaded.__name__.startswith(_KIT)
                    and arg == name
                ):
                    return f"the kit's function {loaded.__name__}.{name}, looked up by name in {value.__qualname__}"
                elif op not in ("CACHE", "PRECALL", "PUSH_NULL", "EXTENDED_ARG"):
                    loaded = None
        for cell in value.__closure__ or ():
            try:
                todo.append(cell.cell_contents)
            except ValueError:  # an empty cell
                pass
        todo.extend(value.__defaults__ or ())
        todo.extend((value.__kwdefaults__ or {}).values())
    return ""


def _plain(value: Any) -> Any:
    """numpy scalars and tuples compare like plain Python values."""
    if hasattr(value, "item") and not isinstance(value, (pd.DataFrame, pd.Series)):
        try:
            return value.item()
        except Exception:
            return value
    if isinstance(value, tuple):
        return list(value)
    return value


expect = Expect()


def passed(message: str) -> None:
    """Print a short success line at the end of a visible test cell."""
    print(f"\u2714 {message}")
