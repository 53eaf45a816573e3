"""What JupyterLab's nbgrader panels need before `make lab` opens the kit.

nbgrader's Assignment List panel lists the assignments an instructor has
released to nbgrader's exchange folder. On a learner's own machine the kit is
both instructor and student: `nbgrader_config.py` puts the exchange in
`grading/exchange/` and counts the kit's own `notebooks/<module>/` folders as the
learner's downloaded copies. This module releases every module that is not in
the exchange yet, so the panel lists the kit's modules with a Validate button
for each notebook and a Submit button that hands the work to the grading side.

Releasing is done once per module: later runs of `make lab` skip it (the panel
only needs the module to be listed; the learner works in `notebooks/`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..course import modules, nbgrader_config, root, tool_env


def missing_releases(kit: Path) -> list[str]:
    """Modules with learner notebooks that are not in the exchange's outbound folder yet."""
    config = nbgrader_config(kit)
    exchange = Path(config.Exchange.get("root", "") or "")
    course = config.CourseDirectory.get("course_id", "")
    if not exchange or not course:
        return []
    outbound = exchange / course / "outbound"
    return [m for m in modules(kit)
            if (kit / "notebooks" / m).is_dir() and not (outbound / m).is_dir()]


def prepare_lab(kit: Path | None = None) -> list[str]:
    """Release the modules the exchange lacks (nbgrader release_assignment); returns the ones released."""
    kit = (kit or root()).resolve()
    if sys.platform == "win32":  # nbgrader's exchange does not run on Windows
        return []
    todo = missing_releases(kit)
    if not todo:
        return []
    # One nbgrader process for all modules: its start-up dominates the cost.
    script = "import sys; from rotation_kit.commands.lab import _release_here; _release_here(sys.argv[1:])"
    result = subprocess.run([sys.executable, "-c", script, *todo], cwd=kit, env=tool_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        # The lab still opens; only the Assignment List panel is affected.
        print("Note: could not list the modules in JupyterLab's Assignment List "
              f"(nbgrader release_assignment failed):\n{result.stdout[-1500:]}{result.stderr[-1500:]}", file=sys.stderr)
        return []
    print(f"Listed {len(todo)} module(s) in JupyterLab's Assignment List: {', '.join(todo)}")
    return todo


def _release_here(module_ids: list[str]) -> None:
    """nbgrader release_assignment for several modules, in the current course folder."""
    from ..course import nbgrader_api_here

    api = nbgrader_api_here()
    for module in module_ids:
        result = api.release_assignment(module)
        if not result["success"]:
            raise SystemExit(f"release_assignment {module} failed:\n{result.get('log', '')}\n{result.get('error', '')}")


def main(args) -> int:
    """`rotation-kit prepare-lab` (run by `make lab`)."""
    prepare_lab(Path(args.kit) if args.kit else None)
    return 0
