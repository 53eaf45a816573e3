import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("MPLBACKEND", "Agg")

import tempfile

# Notebooks save the learner's plan; tests (and the nbgrader runs they start) use a scratch folder.
os.environ["ROTATION_KIT_HOME"] = tempfile.mkdtemp(prefix="rotation-kit-home-")
