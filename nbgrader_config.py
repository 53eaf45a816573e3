"""nbgrader configuration for the course kit (read by nbgrader and by JupyterLab started with `make lab`).

Paths are relative to this folder. Source notebooks (with solutions and hidden tests)
live in solutions/, released learner notebooks in notebooks/ (the learner works on copies in
my_work/, which nbgrader never writes), and everything nbgrader
creates while grading lives under grading/ (git-ignored). See grading/README.md.
"""

from rotation_kit.runtime.paths import EARLIER_FOLDER, work_dir  # the one place that knows where my_work/ is

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "away-rotations-informatics"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "grading/submitted"
c.CourseDirectory.autograded_directory = "grading/autograded"
c.CourseDirectory.feedback_directory = "grading/feedback"
c.CourseDirectory.db_url = "sqlite:///grading/gradebook.db"
# nbgrader's other working folders and files, which would otherwise land at the kit's root (git-ignored):
c.CourseDirectory.solution_directory = "grading/solution"  # nbgrader generate_solution
c.CourseDirectory.source_with_tests_directory = "grading/source_with_tests"  # AUTOTEST cells filled in
c.ZipCollectApp.downloaded_directory = "grading/downloaded"  # nbgrader zip_collect (LMS downloads)
c.ExportPlugin.to = "grading/grades.csv"  # plain `nbgrader export` (`rotation-kit grade export`: grading/export/)
# Data lives in data/ and is found by the rotation_kit package, never copied per assignment.
# EARLIER_FOLDER: the copies `rotation-kit workspace` kept when it updated a module, never handed in.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.csv", EARLIER_FOLDER]

# An answer is a blank `...` to fill in: an untouched notebook still runs top to bottom (Run All), and its
# check cells say "no answer yet" (they are tagged raises-exception, so Run All goes on past them).
c.ClearSolutions.code_stub = {"python": "..."}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearMarkScheme.begin_mark_scheme_delimeter = "=== BEGIN MARK SCHEME ==="
c.ClearMarkScheme.end_mark_scheme_delimeter = "=== END MARK SCHEME ==="

# Every kernel the kit starts (nbgrader's autograde and Validate, `rotation-kit check`, slides, the benchmarks)
# talks to it over CurveZMQ-encrypted sockets when the kernel says it can (ipykernel 7.4+ does): nobody else on
# the machine can read a learner's code and outputs, and ipykernel has no "Kernel is running over TCP without
# encryption" warning to print for every notebook. A pyzmq built without CurveZMQ keeps plain sockets.
import zmq  # noqa: E402

if zmq.has("curve"):
    c.KernelManager.transport_encryption = "auto"

# A learner's notebook must not hang the grader: every cell gets a time limit.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Every way of autograding is the safe one: `rotation-kit grade autograde`, plain `nbgrader autograde`
# and the formgrader's Autograde buttons all run nbgrader's converter with these steps (names as strings:
# imported only when grading, never in a learner's JupyterLab). See src/rotation_kit/commands/grade/:
# - screen.ScreenCells: the kit's tamper repairs (deleted, copied, retyped protected cells, edited grading
#   metadata), checked against the released learner version;
# - OverwriteCells with add_missing_cells: nbgrader itself puts deleted test cells back from the gradebook;
# - execute.SafeExecute in place of Execute: the kernel in the sandbox (bubblewrap: no network, no view of
#   solutions/, the gradebook or other submissions), limits on memory, CPU time, output, time per cell and
#   per notebook (SafeExecute.notebook_timeout, SandboxedKernelManager.memory_limit / cpu_limit);
# - integrity.IntegrityChecks: no credit for the kit's own reference answers, and the flags for review.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "rotation_kit.commands.grade.screen.ScreenCells",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.OverwriteCells.add_missing_cells = True
c.Autograde.autograde_preprocessors = [
    "rotation_kit.commands.grade.execute.SafeExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "rotation_kit.commands.grade.integrity.IntegrityChecks",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# JupyterLab's nbgrader panels on one machine (`make lab`): the exchange (where released modules are
# listed and submissions are handed in) is grading/exchange, and the learner's own copies in
# my_work/<module>/ (made by `rotation-kit workspace`) count as their downloaded copies, so the
# Assignment List shows them with Validate and Submit buttons. my_work/nbgrader_config.py (a copy of
# notebooks/nbgrader_config.py) loads this file for the panel. A shared server (JupyterHub) points
# ROTATION_KIT_EXCHANGE at its own exchange folder instead.
import os  # noqa: E402

_kit = os.path.dirname(os.path.abspath(__file__))
c.Exchange.root = os.environ.get("ROTATION_KIT_EXCHANGE") or os.path.join(_kit, "grading", "exchange")
c.Exchange.assignment_dir = str(work_dir(_kit))

# Feedback never shows hidden tests or mark schemes, however it is made (`rotation-kit grade feedback`,
# `nbgrader generate_feedback`, or the formgrader's button): see src/rotation_kit/commands/grade/feedback.py.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "rotation_kit.commands.grade.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HideHiddenTests.source_directory = os.path.join(_kit, "solutions")

# `nbgrader export` writes grading/grades.csv (ExportPlugin.to above; --to FILE elsewhere) with the kit's exporter:
# every field quoted as CSV needs, so a name with a comma or a quote stays in its column. Canvas and Moodle
# gradebook imports (grading/canvas_grades.csv, grading/moodle_grades.csv without --to):
#   nbgrader export --exporter=rotation_kit.commands.grade.export.CanvasExport
#   nbgrader export --exporter=rotation_kit.commands.grade.export.MoodleExport
# (`rotation-kit grade export` writes all three into grading/export/). See src/rotation_kit/commands/grade/export.py.
c.ExportApp.plugin_class = "rotation_kit.commands.grade.export.GradesCsvExport"
