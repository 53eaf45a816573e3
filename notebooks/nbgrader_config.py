"""Nothing to change here. JupyterLab's Assignment List panel reads nbgrader settings from the folder
that holds your module folders; this file passes on the kit's own settings (../nbgrader_config.py)."""

import os

load_subconfig("nbgrader_config.py", path=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # noqa: F821
