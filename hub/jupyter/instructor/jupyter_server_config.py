"""An instructor's Jupyter server on the course's JupyterHub: set up the course directory on first start.

The hub puts this folder on JUPYTER_CONFIG_PATH for members of its `instructors` group
(hub/jupyterhub_config.py). This file runs as the instructor, in their server, so it works
the same on one server, on TLJH and on Kubernetes. It makes ~/course (or
ROTATION_KIT_COURSE_DIR) a course directory once, and never overwrites it afterwards: an
nbgrader_config.py that takes the kit's course layout, reads the source notebooks from
the kit's solutions/ (read-only; edit them in the kit's repository and redeploy), and keeps
everything nbgrader writes (released notebooks, submissions, autograded copies,
feedback, the gradebook) in the course directory. nbgrader_config.py beside this file
points the formgrader and the `nbgrader` command there from any folder; the kit's grading
command takes the course directory as it is.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets)

COURSE_CONFIG = '''"""This JupyterHub's course directory (written on the instructor's first start; yours to edit).

Course layout: the kit's nbgrader_config.py. Source notebooks: the kit's solutions/.
Everything nbgrader writes stays in this folder; the gradebook is grading/gradebook.db.
"""

import os

c = get_config()  # noqa: F821

kit = os.environ.get("ROTATION_KIT_ROOT") or {kit!r}
here = os.path.dirname(os.path.abspath(__file__))
load_subconfig(os.path.join(kit, "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = os.path.join(kit, "solutions")
# Absolute, so that the formgrader (whose server runs from the home folder) finds the same gradebook.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "grading", "gradebook.db")
# Where this account's own Assignments tab would put fetched copies: the home folder, as for learners.
c.Exchange.assignment_dir = os.path.expanduser("~")
'''

course = os.path.abspath(os.path.expanduser(os.environ.get("ROTATION_KIT_COURSE_DIR", "~/course")))
os.makedirs(os.path.join(course, "grading"), exist_ok=True)
if not os.path.exists(os.path.join(course, "nbgrader_config.py")):
    with open(os.path.join(course, "nbgrader_config.py"), "w") as handle:
        handle.write(COURSE_CONFIG.format(kit=os.environ.get("ROTATION_KIT_ROOT", "")))
