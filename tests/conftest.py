import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("MPLBACKEND", "Agg")

from rotation_kit._startup import skip_unused_iri_checker  # noqa: E402

skip_unused_iri_checker()  # before any test module imports nbformat

# Notebooks save the learner's plan; tests (and the nbgrader runs they start) use a scratch folder.
os.environ["ROTATION_KIT_HOME"] = tempfile.mkdtemp(prefix="rotation-kit-home-")


def pytest_collection_modifyitems(items):
    """Slow tests (real nbgrader, JupyterLab, JupyterHub) first, so that with pytest-xdist the quick
    ones fill the gaps at the end instead of one worker finishing a long group alone. (`make test`
    passes --no-loadscope-reorder: xdist would otherwise put the groups with most tests first.)"""
    items.sort(
        key=lambda item: item.get_closest_marker("pipeline") is None and item.get_closest_marker("install") is None
    )
