"""The main path asks for decisions, not code: no answer's solution needs programming (issue 10).

For every main-path source notebook (solutions/NN_name/, not the code labs), the solution region of each
autograded answer cell (between `### BEGIN SOLUTION` and `### END SOLUTION`) is read with `ast`. It fails,
naming the module, the cell and the line, for a def, lambda, loop, comprehension, try, with, import, a call
to `re.*` or to groupby/apply/agg/merge, or more than MAX_LINES lines that are not a literal value (filling
a dict or a list of values is fine at any length).
"""

from __future__ import annotations

import ast
import textwrap

import nbformat
import pytest
from support import ROOT

from rotation_kit.course import main_modules
from rotation_kit.course.cells import grade_id, is_answer

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MAX_LINES = 8  # "a few short lines at most", literals aside
PANDAS_PROGRAMMING = {"groupby", "apply", "agg", "aggregate", "merge", "applymap", "transform", "pipe"}
FORBIDDEN = {
    ast.FunctionDef: "a function definition (def)",
    ast.AsyncFunctionDef: "a function definition (async def)",
    ast.Lambda: "a lambda",
    ast.For: "a for loop",
    ast.AsyncFor: "a for loop",
    ast.While: "a while loop",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Try: "a try block",
    ast.With: "a with block",
    ast.AsyncWith: "a with block",
    ast.Import: "an import",
    ast.ImportFrom: "an import",
    ast.ClassDef: "a class definition",
}
if hasattr(ast, "TryStar"):
    FORBIDDEN[ast.TryStar] = "a try block"


def solution_regions(source: str) -> list[tuple[int, str, bool]]:
    """(first line number in the cell, text, indented) of each solution region of an answer cell; an
    indented region is the body of something the learner did not write, such as a function."""
    regions, lines, start, indented = [], source.split("\n"), None, False
    for number, line in enumerate(lines, start=1):
        if line.strip() == BEGIN:
            start, indented = number + 1, line[: len(line) - len(line.lstrip())] != ""
        elif line.strip() == END and start is not None:
            regions.append((start, "\n".join(lines[start - 1 : number - 1]), indented))
            start = None
    return regions


def _literal(node: ast.AST) -> bool:
    """A value written out: numbers, strings, `...`, names the kit made, and dicts/lists/tuples/sets of them."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _literal(k) for k in node.keys) and all(_literal(v) for v in node.values)
    return False


def _is_literal_statement(stmt: ast.stmt) -> bool:
    value = getattr(stmt, "value", None)
    return isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) and value is not None and _literal(value)


def programming_in(code: str, indented: bool = False) -> list[str]:
    """What in `code` needs programming, each with its line number in `code`; [] for a decision.
    `indented`: the region is the body of a block in the cell (a function the learner completes)."""
    found = ["the answer is the body of a block, such as a function (its solution region is indented)"]
    if not indented:
        found = []
    body = textwrap.dedent(code)
    try:
        tree = ast.parse(body)
    except SyntaxError as error:
        if not indented:
            return [f"line {error.lineno}: not a standalone answer Python can read ({error.msg})"]
        try:  # `return` and the like: read it as the body it is
            tree = ast.parse("def _body():\n" + textwrap.indent(body, "    ")).body[0]
            for node in ast.walk(tree):
                if hasattr(node, "lineno"):
                    node.lineno -= 1
                    node.end_lineno -= 1
        except SyntaxError as error:
            return found + [f"line {error.lineno}: not Python it can read ({error.msg})"]
    for node in ast.walk(tree) if isinstance(tree, ast.Module) else [n for s in tree.body for n in ast.walk(s)]:
        for kind, words in FORBIDDEN.items():
            if isinstance(node, kind):
                found.append(f"line {node.lineno}: {words}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "re":
                found.append(f"line {node.lineno}: a regular expression (re.{node.func.attr})")
            elif node.func.attr in PANDAS_PROGRAMMING:
                found.append(f"line {node.lineno}: a call to .{node.func.attr}(...)")
    lines = sum(s.end_lineno - s.lineno + 1 for s in tree.body if not _is_literal_statement(s))
    if lines > MAX_LINES:
        found.append(f"{lines} lines of code that are not a literal value (at most {MAX_LINES})")
    return found


def _main_notebooks():
    return [ROOT / "solutions" / m / f"{m}.ipynb" for m in main_modules(ROOT)]


@pytest.mark.parametrize("path", _main_notebooks(), ids=lambda p: p.parent.name)
def test_no_main_path_answer_needs_programming(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for cell in nb.cells:
        if not is_answer(cell):
            continue
        for start, code, indented in solution_regions(cell.source):
            for found in programming_in(code, indented):
                where, _, what = found.partition(": ") if found.startswith("line ") else ("", "", found)
                if where:
                    where = f"line {start + int(where.split()[1]) - 1}"
                problems.append(f"{grade_id(cell)}" + (f", {where}" if where else "") + f": {what}")
    assert not problems, (
        f"{path.parent.name}: main-path answers must be decisions, not code (issue 10; the code lab is for "
        "functions). In the solution regions:\n  " + "\n  ".join(problems)
    )


# -- the scanner itself: it catches what it must and lets decisions through ------------------------------


@pytest.mark.parametrize(
    "code, words",
    [
        ("def rank(x):\n    return x", "function definition"),
        ("f = lambda x: x", "lambda"),
        ("for p in programs:\n    print(p)", "for loop"),
        ("while True:\n    break", "while loop"),
        ("ids = [p for p in programs]", "list comprehension"),
        ("d = {k: 1 for k in 'ab'}", "dict comprehension"),
        ("total = sum(x for x in costs)", "generator expression"),
        ("try:\n    x = 1\nexcept Exception:\n    x = 2", "try block"),
        ("with open('f') as f:\n    x = f.read()", "with block"),
        ("import re", "an import"),
        ("from math import ceil", "an import"),
        ("m = re.findall('[0-9]+', text)", "regular expression"),
        ("t = programs.groupby('state').size()", ".groupby"),
        ("t = programs['x'].apply(str)", ".apply"),
        ("t = programs.agg('mean')", ".agg"),
        ("t = a.merge(b)", ".merge"),
        ("\n".join(f"x{i} = kit.step({i})" for i in range(9)), "9 lines of code"),
    ],
)
def test_the_scan_catches_programming(code, words):
    found = programming_in(code)
    assert any(words in f for f in found), found


@pytest.mark.parametrize(
    "code",
    [
        'my_weights = {"informatics": 3, "img_friendly": 5, "geo_fit": 4, "prestige": 1}',
        'my_choice = "b"',
        "my_count = 3",
        'my_shortlist = ["P012", "P044", "P107"]',
        "my_budget = 4 * 1800 + 2500",
        "my_order = [\n" + "".join(f'    "rotation {i}",\n' for i in range(30)) + "]",
        'my_plan = {\n    "week 1": ["ask Dr. Reyes", "read notes"],\n    "week 2": ["letter"],\n    "n": -1,\n}',
        'pick = top_programs.loc["P012", "name"]',
        "my_first = kit_table.index[0]",
    ],
)
def test_the_scan_lets_decisions_through(code):
    assert programming_in(code) == []


def test_solution_regions_are_read_with_their_line_numbers():
    source = 'my_weights = {"a": ...}\n### BEGIN SOLUTION\nmy_weights = {"a": 1}\n### END SOLUTION\nshow(my_weights)'
    assert solution_regions(source) == [(3, 'my_weights = {"a": 1}', False)]
    lab = 'def f(x):\n    """Twice."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION'
    assert solution_regions(lab) == [(4, "    return 2 * x", True)]
    assert any("body of a block" in f for f in programming_in("    return 2 * x", True))
    assert any("for loop" in f for f in programming_in("    for i in x:\n        return i", True))
