"""The grading layer's parts on their own: roster, collection matching, screening, feedback, sandbox, limits."""

from __future__ import annotations

import copy
import io
import json
import shutil

import nbformat
import pytest
from support import ROOT

from rotation_kit.commands.grade import sandbox
from rotation_kit.commands.grade.collect import find_timestamp, match_learner, notebook_for
from rotation_kit.commands.grade.execute import _exit_reason
from rotation_kit.commands.grade.feedback import HideHiddenTests, hidden_lines, strip_regions
from rotation_kit.commands.grade.progress import Progress
from rotation_kit.commands.grade.roster import Learner, import_roster, read_roster, roster
from rotation_kit.commands.grade.screen import check_cells, read_notebook, screen_submission
from rotation_kit.course import Course, CourseError
from rotation_kit.course.cells import nbgrader_meta
from rotation_kit.course.submissions import build_submission

MODULE = "03_where_to_rotate_code"  # function answers: the code lab keeps ex31-ex38
RELEASE = ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb"
SOURCE = ROOT / "solutions" / MODULE / f"{MODULE}.ipynb"


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


@pytest.fixture
def release():
    return nbformat.read(RELEASE, as_version=4)


# -- roster ---------------------------------------------------------------------------


def test_roster_reads_nbgrader_and_lms_columns(tmp_path):
    own = tmp_path / "own.csv"
    own.write_text("id,first_name,last_name,email\nlrn01,Ana,Velo,ana@x.org\n\nlrn02,Bo,Rin,\n")
    assert read_roster(own) == [Learner("lrn01", "Ana", "Velo", "ana@x.org"), Learner("lrn02", "Bo", "Rin", "")]
    lms = tmp_path / "lms.csv"
    lms.write_text("\ufeffStudent ID;Name;Email Address\nkvelo;Velo, Kari;kari@x.org\nmrin;Mo Rin;mo@x.org\n")
    assert read_roster(lms) == [
        Learner("kvelo", "Kari", "Velo", "kari@x.org"),
        Learner("mrin", "Mo", "Rin", "mo@x.org"),
    ]


def test_roster_problems_name_their_lines(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,email\nlrn01,A B,a@x.org\nlrn01,C D,c@x.org\nno/slash,E F,e@x.org\nlrn03,G H,not-an-email\n"
    )
    with pytest.raises(CourseError) as problem:
        read_roster(bad)
    text = str(problem.value)
    assert "line 3" in text and "line 4" in text and "line 5" in text


def test_roster_import_adds_then_updates(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    course = Course.at(tmp_path)
    csv = tmp_path / "roster.csv"
    csv.write_text("id,first_name,last_name,email\nlrn01,Ana,Velo,ana@x.org\n")
    assert import_roster(course, csv) == (1, 0)
    csv.write_text("id,first_name,last_name,email\nlrn01,Ana,Veloso,ana@x.org\nlrn02,Bo,Rin,\n")
    assert import_roster(course, csv) == (1, 1)
    assert [(lr.id, lr.last_name) for lr in roster(course)] == [("lrn01", "Veloso"), ("lrn02", "Rin")]


# -- collecting: which learner is this file? -------------------------------------------

LEARNERS = [
    Learner("jsmith", "Jane", "Smith", "jane.smith@uni.edu"),
    Learner("lrn-02", "José", "Núñez", ""),
    Learner("akim", "Ari", "Kim", "ari@x.org"),
]


@pytest.mark.parametrize(
    "name, learner",
    [
        ("smithjane_LATE_1234_5678_03_where_to_rotate.ipynb", "jsmith"),  # Canvas
        ("Jose Nunez_1234_assignsubmission_file_/03_where_to_rotate.ipynb", "lrn-02"),  # Moodle
        ("M03_jsmith_attempt_2026-03-01-10-00-00_03_where_to_rotate.ipynb", "jsmith"),  # Blackboard
        ("lrn-02.ipynb", "lrn-02"),
        ("akim/Copy of 03_where_to_rotate.ipynb", "akim"),
        ("ari@x.org.ipynb", "akim"),
    ],
)
def test_lms_file_names_find_their_learner(name, learner):
    assert match_learner(name, LEARNERS) == [learner]


def test_a_canvas_file_is_matched_by_the_canvas_user_id_when_the_roster_has_it():
    twins = [Learner("a1", "Ana", "Velo", lms_user_id="1201"), Learner("a2", "Ana", "Velo", lms_user_id="1202")]
    assert match_learner("veloana_1202_98765_03_where_to_rotate.ipynb", twins) == ["a2"]
    assert match_learner("veloana_LATE_1201_98766_03_where_to_rotate.ipynb", twins) == ["a1"]
    renamed = [Learner("jsl", "Jane", "Smith-Lee", lms_user_id="77"), *LEARNERS]  # Canvas spells her "leejane"
    assert match_learner("leejane_77_5678_03_where_to_rotate.ipynb", renamed) == ["jsl"]
    # an id no one on the roster has, or a file name that is not Canvas's: the names decide, as before
    assert match_learner("smithjane_999_5678_03_where_to_rotate.ipynb", renamed) == ["jsmith"]
    assert match_learner("M03_jsmith_77_attempt_03_where_to_rotate.ipynb", renamed) == ["jsmith"]


def test_unknown_and_ambiguous_files_are_not_guessed():
    assert match_learner("nobody_03.ipynb", LEARNERS) == []
    twins = [Learner("a1", "Ana", "Velo"), Learner("a2", "Ana", "Velo")]
    assert match_learner("veloana_1_2_nb.ipynb", twins) == ["a1", "a2"]


def test_file_names_give_notebook_and_time():
    main = "03_where_to_rotate"
    assert notebook_for("x/03_where_to_rotate.ipynb", [main]) == (main, False)
    assert notebook_for("Copy of 03_where_to_rotate.ipynb", [main]) == (main, False)
    assert notebook_for("my work.ipynb", [main]) == (main, True)
    assert notebook_for("mine.ipynb", ["part_one", "part_two"]) == (None, False)
    assert find_timestamp("M03_jsmith_attempt_2026-03-01-10-05-00_nb.ipynb") == "2026-03-01 10:05:00"
    assert find_timestamp("no_time_here.ipynb") is None


# -- screening: files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"cells": [', "not valid JSON"),
        (b'{"hello": 1}', "not a Jupyter notebook"),
        (
            b'{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
            "not a valid notebook",
        ),
    ],
)
def test_unreadable_files_are_named(tmp_path, content, says):
    path = tmp_path / f"{MODULE}.ipynb"
    path.write_bytes(content)
    nb, problems, _ = read_notebook(path)
    assert nb is None and says in problems[0]


def test_non_utf8_bytes_are_replaced_not_fatal(tmp_path, release):
    path = tmp_path / "nb.ipynb"
    release.cells[1].source += " caf\u00e9"
    path.write_bytes(nbformat.writes(release).encode().replace("caf\u00e9".encode(), b"caf\xe9"))
    nb, problems, notes = read_notebook(path)
    assert nb is not None and not problems and "not UTF-8" in notes[0]
    assert "caf\ufffd" in nb.cells[1].source


def test_duplicate_cell_ids_get_new_ids(tmp_path, release):
    data = json.loads(nbformat.writes(release))
    data["cells"].insert(9, copy.deepcopy(data["cells"][8]))
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(data))
    nb, problems, notes = read_notebook(path)
    assert not problems and len({c.id for c in nb.cells}) == len(nb.cells) and "new ids" in notes[0]


# -- screening: cells ---------------------------------------------------------------------


def test_a_fair_submission_raises_nothing(release):
    nb = build_submission(RELEASE, SOURCE)
    assert check_cells(nb, release) == ([], [])


def test_tampering_is_found_and_repaired(release):
    nb = copy.deepcopy(release)
    _cell(nb, "ex31_tests").source = "print('passed')"
    nb.cells.remove(_cell(nb, "ex32_tests"))
    _cell(nb, "ex35_tests").metadata.nbgrader.update(points=100, locked=False)
    cell_34 = _cell(nb, "ex34_tests")
    nb.cells[nb.cells.index(cell_34)] = nbformat.v4.new_raw_cell(cell_34.source, metadata=cell_34.metadata)
    nb.cells.insert(3, copy.deepcopy(_cell(nb, "ex33_tests")))
    stranger = nbformat.v4.new_code_cell(
        "x = 1",
        metadata={
            "nbgrader": {"grade_id": "ex99_tests", "grade": True, "points": 50, "solution": False, "locked": True}
        },
    )
    nb.cells.append(stranger)
    left_to_nbgrader = copy.deepcopy(nb)
    tampering, _ = check_cells(nb, release, nbgrader_restores=False)
    text = "\n".join(tampering)
    for expected in (
        "test cell ex31_tests was edited",
        "test cell ex32_tests was deleted",
        "ex35_tests was edited (locked, points)",
        "ex34_tests was changed from code to raw",
        "ex33_tests appears 2 times",
        "'ex99_tests'",
    ):
        assert expected in text
    # Repaired: ex32_tests is back right after its answer, metadata and types as released, the stranger ignored.
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells]
    assert ids[ids.index("ex32_answer") + 1] == "ex32_tests"
    assert _cell(nb, "ex35_tests").metadata.nbgrader == _cell(release, "ex35_tests").metadata.nbgrader
    assert _cell(nb, "ex34_tests").cell_type == "code"
    assert "ex99_tests" not in ids and ids.count("ex33_tests") == 1
    # With nbgrader's OverwriteCells(add_missing_cells) next, the same is reported, and the deleted test cell
    # and the retyped one are left for nbgrader to restore from the gradebook (the pipeline tests grade them).
    assert check_cells(left_to_nbgrader, release, nbgrader_restores=True)[0] == tampering
    ids = [nbgrader_meta(c).get("grade_id") for c in left_to_nbgrader.cells]
    assert "ex32_tests" not in ids and _cell(left_to_nbgrader, "ex34_tests").cell_type == "raw"
    assert _cell(left_to_nbgrader, "ex35_tests").metadata.nbgrader == _cell(release, "ex35_tests").metadata.nbgrader


def test_screening_renames_and_leaves_extra_files_out(tmp_path):
    folder, dest = tmp_path / "sub", tmp_path / "dest"
    folder.mkdir()
    nbformat.write(nbformat.read(RELEASE, as_version=4), folder / "Copy of mine.ipynb")
    (folder / "pandas.py").write_text("raise ImportError")
    (folder / "timestamp.txt").write_text("2026-03-01 10:00:00")
    result = screen_submission(folder, MODULE, "lrn01", RELEASE.parent, dest)
    assert result.readable and result.notebooks == [MODULE]
    assert sorted(p.name for p in dest.iterdir()) == [f"{MODULE}.ipynb", "timestamp.txt"]
    assert any("Copy of mine.ipynb" in n for n in result.notes) and any("pandas.py" in n for n in result.notes)


def test_an_untouched_notebook_is_graded_byte_for_byte(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    shutil.copy(RELEASE, folder / f"{MODULE}.ipynb")
    screen_submission(folder, MODULE, "lrn01", RELEASE.parent, tmp_path / "dest")
    assert (tmp_path / "dest" / f"{MODULE}.ipynb").read_bytes() == RELEASE.read_bytes()


# -- feedback -------------------------------------------------------------------------------


def test_regions_are_cut_with_their_markers():
    kept, removed = strip_regions(
        "a\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nb\n", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
    )
    assert kept == "a\nb\n" and removed[1] == "secret()"


def test_feedback_preprocessor_hides_hidden_tests_and_mark_schemes(tmp_path):
    secret = "expect.equal(f(other_table), reference(other_table), what='hidden')"
    source = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                f"visible()\n### BEGIN HIDDEN TESTS\n{secret}\n### END HIDDEN TESTS",
                metadata={"nbgrader": {"grade_id": "t", "grade": True, "points": 1}},
            ),
            nbformat.v4.new_markdown_cell(
                "Task\n=== BEGIN MARK SCHEME ===\n- 1 point for the full reasoning\n=== END MARK SCHEME ==="
            ),
        ]
    )
    (tmp_path / "m").mkdir()
    nbformat.write(source, tmp_path / "m" / "nb.ipynb")
    graded = copy.deepcopy(source)
    graded.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"echo: {secret}\n"),
        nbformat.v4.new_output(
            "error",
            ename="CheckFailed",
            evalue="Check failed: hidden",
            traceback=["Traceback", f"----> 3 {secret}", "CheckFailed: Check failed: hidden"],
        ),
    ]
    pre = HideHiddenTests(source_directory=str(tmp_path))
    nb, _ = pre.preprocess(graded, {"nbgrader": {"assignment": "m", "notebook": "nb"}})
    dumped = nbformat.writes(nb)
    assert secret not in dumped and "1 point for the full reasoning" not in dumped
    assert nb.cells[0].outputs[1].traceback == ["CheckFailed: Check failed: hidden"]
    assert "visible()" in nb.cells[0].source and "hidden tests are not shown" in nb.cells[0].source
    assert secret in hidden_lines(tmp_path / "m" / "nb.ipynb")


def test_feedback_cuts_the_regions_the_course_config_names(tmp_path):
    """The delimiters are nbgrader's settings (ClearHiddenTests, ClearMarkScheme), not the kit's own copy."""
    from traitlets.config import Config

    config = Config()
    config.ClearHiddenTests.begin_test_delimeter, config.ClearHiddenTests.end_test_delimeter = "<<SECRET", "SECRET>>"
    config.ClearMarkScheme.begin_mark_scheme_delimeter = "[[RUBRIC"
    config.ClearMarkScheme.end_mark_scheme_delimeter = "RUBRIC]]"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "visible()\n# <<SECRET\nhidden_check()\n# SECRET>>",
                metadata={"nbgrader": {"grade_id": "t", "grade": True, "points": 1}},
            ),
            nbformat.v4.new_markdown_cell("Task\n[[RUBRIC\n- 1 point for naming the reach pick\nRUBRIC]]"),
        ]
    )
    cut, _ = HideHiddenTests(config=config).preprocess(copy.deepcopy(nb), {})
    assert [c.source.splitlines()[0] for c in cut.cells] == ["visible()", "Task"]
    assert "hidden_check" not in nbformat.writes(cut) and "reach pick" not in nbformat.writes(cut)
    kept, _ = HideHiddenTests().preprocess(copy.deepcopy(nb), {})  # nbgrader's default markers: nothing to cut
    assert "hidden_check()" in kept.cells[0].source and "reach pick" in kept.cells[1].source


# -- sandbox and limits -------------------------------------------------------------------


def test_the_sandbox_shows_only_what_the_kernel_needs(tmp_path):
    manager = sandbox.SandboxedKernelManager(read_only=["/srv/data"])
    manager._ipc_dir = str(tmp_path / "ipc")
    command = manager._bwrap_command(["python", "-m", "ipykernel_launcher"], "/work/sub/nb", {"HOME": "/h"})
    text = " ".join(command)
    assert "--unshare-all" in command and "--die-with-parent" in command and "--clearenv" in command
    assert "--ro-bind /srv/data /srv/data" not in text  # only folders that exist are bound
    assert "--share-net" not in command
    bound = [command[i + 1] for i, arg in enumerate(command) if arg in ("--bind", "--ro-bind")]
    assert not any(path in ("/", str(ROOT), str(ROOT / "solutions"), str(ROOT / "grading")) for path in bound)
    assert str(tmp_path / "ipc") in bound


def test_without_bubblewrap_grading_warns_once(monkeypatch, capsys):
    monkeypatch.setenv(sandbox.SWITCH_ENV, "off")
    monkeypatch.setattr(sandbox, "_warned", False)
    sandbox.sandbox_problem.cache_clear()
    try:
        with pytest.warns(sandbox.SandboxWarning):
            assert sandbox.warn_if_unsandboxed() is False
        assert sandbox.warn_if_unsandboxed() is False
    finally:
        sandbox.sandbox_problem.cache_clear()
    assert capsys.readouterr().err.count("WITHOUT a sandbox") == 1


def test_ci_installs_bubblewrap():
    assert "bubblewrap" in (ROOT / ".ci" / "run").read_text()


def test_kernel_exits_are_explained():
    assert "CPU time" in _exit_reason(128 + 24) and "CPU time" in _exit_reason(-24)
    assert "killed" in _exit_reason(-9) and "code 1" in _exit_reason(1)


def test_progress_prints_lines_in_a_log():
    stream = io.StringIO()
    bar = Progress(4, "autograde", stream=stream)
    for name in "abcd":
        bar.advance(name)
    bar.close()
    assert stream.getvalue().count("\n") >= 4 and "4/4" in stream.getvalue()


def test_a_notebook_time_limit_stops_it_without_points(tmp_path):
    """The whole notebook has a time limit; cells after it get an error, so no test passes by not running."""
    from nbgrader.utils import determine_grade
    from traitlets.config import Config

    from rotation_kit.commands.grade.execute import SafeExecute

    cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)") for _ in range(4)]
    test = nbformat.v4.new_code_cell(
        "assert True",
        metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1, "solution": False, "locked": True}},
    )
    nb = nbformat.v4.new_notebook(
        cells=[*cells, test], metadata={"kernelspec": {"name": "python3", "display_name": "py", "language": "python"}}
    )
    config = Config()
    config.SafeExecute.notebook_timeout = 3
    config.SafeExecute.timeout = 30
    executor = SafeExecute(config=config)
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert nb.cells[-1].outputs[0].ename == "NotRun" and "time limit" in nb.cells[-1].outputs[0].evalue
    assert determine_grade(nb.cells[-1]) == (0, 1.0)
