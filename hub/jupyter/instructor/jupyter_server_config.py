"""An instructor's Jupyter server on the course's JupyterHub: the shared course directory.

The hub puts this folder on JUPYTER_CONFIG_PATH for members of its `formgrade-<course>`
group, and tells their servers where the hub's one course directory is
(ROTATION_KIT_COURSE_DIR; hub/jupyterhub_config.py). This file runs as the instructor, in
their server, so it works the same on one server, on TLJH and on Kubernetes:

- every instructor works in the same course directory, so there is one gradebook however
  many people grade; `make hub-setup` made it for the instructors' Unix group (setgid), and
  nbgrader's `groupshared` mode plus a umask of 007 keep what any of them writes (released
  copies, submissions, autograded copies, feedback, the gradebook) writable by the others
  and closed to everyone else;
- on the first start of any instructor it writes the course's nbgrader_config.py (never
  overwritten afterwards): the kit's course layout, the source notebooks read from the kit's
  solutions/ (instructors only; edit them in the kit's repository and redeploy);
- ~/course links to it, and nbgrader works through that link: the formgrader only serves a
  course directory inside the server's root folder (the home).

nbgrader_config.py beside this file points the formgrader and the `nbgrader` command there
from any folder; the kit's grading command takes the course directory as it is. Without
ROTATION_KIT_COURSE_DIR (a hub older than this), the course directory is ~/course itself.
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
# Several instructors share this folder (and the course's exchange folder) through their Unix group.
c.CourseDirectory.groupshared = {shared!r}
'''

shared = bool(os.environ.get("ROTATION_KIT_COURSE_DIR"))
course = os.path.abspath(os.path.expanduser(os.environ.get("ROTATION_KIT_COURSE_DIR", "~/course")))
if shared:
    # What this server, its kernels, terminals and nbgrader write stays writable by the other instructors.
    os.umask(0o007)
os.makedirs(os.path.join(course, "grading"), exist_ok=True)
try:
    # O_EXCL: two instructors starting at once write it once.
    fd = os.open(os.path.join(course, "nbgrader_config.py"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
except FileExistsError:
    pass
else:
    with os.fdopen(fd, "w") as handle:
        handle.write(COURSE_CONFIG.format(kit=os.environ.get("ROTATION_KIT_ROOT", ""), shared=shared))
link = os.path.expanduser("~/course")
if shared and not os.path.lexists(link):
    os.symlink(course, link)
if shared and os.path.realpath(link) != os.path.realpath(course):
    import logging

    logging.getLogger("rotation_kit.hub").warning(
        "%s is not the hub's shared course directory %s: move it away (it is yours alone) and restart your server "
        "so that it links to the shared one.",
        link,
        course,
    )
