"""nbgrader for an instructor on the course's JupyterHub: the course directory, from whatever folder.

Loaded on top of ../common/nbgrader_config.py (exchange, course id) for members of the hub's
`formgrade-<course>` group. The formgrader (whose server starts in the home folder) and
`nbgrader` run anywhere both use the course directory that jupyter_server_config.py beside
this file sets up: the hub's shared one, ROTATION_KIT_COURSE_DIR (else ~/course).
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets)

# ~/course: the course directory itself, or (on the hub) the link to the shared one. Through the link,
# not its target: the formgrader only serves a course directory inside the server's root (the home).
course = os.path.abspath(os.path.expanduser("~/course"))
if os.path.isfile(os.path.join(course, "nbgrader_config.py")):
    load_subconfig(os.path.join(course, "nbgrader_config.py"))  # noqa: F821
    c.CourseDirectory.root = course
