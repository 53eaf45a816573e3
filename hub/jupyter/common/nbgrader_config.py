"""nbgrader settings every user on the course's JupyterHub shares: where the exchange is, which course.

The hub puts this folder on JUPYTER_CONFIG_PATH of every user's server (hub/jupyterhub_config.py),
so the Assignments tab, `nbgrader fetch_assignment`, `submit`, `release_assignment` and `collect`
all meet in the same exchange. The hub passes the values in the environment.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets)

# nbgrader's file-system exchange: a folder every user can write to, mode 1777 (sticky), as nbgrader documents.
c.Exchange.root = os.environ.get("ROTATION_KIT_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = os.environ.get("ROTATION_KIT_COURSE_ID", "away-rotations-informatics")
