"""JupyterHub configuration for running the course kit for a cohort (see hub/README.md).

What it sets up:
- two roles, by hub group: `instructors` (nbgrader's formgrader and a course directory,
  ~/course) and everyone else a learner (the Assignments tab: fetch, submit, fetch feedback;
  no formgrader, no "create assignment" toolbar);
- nbgrader's exchange shared by all users (a folder, mode 1777, default /srv/nbgrader/exchange);
- the kit's environment as every user's environment (jupyterhub-singleuser, JupyterLab,
  nbgrader and the kit's package from the same Python), with the learner's saved work in
  ~/my_plan;
- optionally a roster file that lists the course's users and their roles.

Use it as it is on one server (`jupyterhub -f hub/jupyterhub_config.py`, as root, from the
environment that `make hub-setup` builds), or load it from another deployment's config:
The Littlest JupyterHub (a short file in /opt/tljh/config/jupyterhub_config.d/) or Zero to
JupyterHub (hub.extraFiles). See hub/README.md for both. Settings come from environment variables of the hub:

ROTATION_KIT_ROOT        the kit as users' servers see it (default: the folder above this file)
ROTATION_KIT_USER_ENV    the Python environment users' servers run from (default: the hub's own,
                         when the kit is installed in it; otherwise the deployment's spawner command
                         is left alone, as on TLJH, whose user environment must then hold the kit)
ROTATION_KIT_EXCHANGE    nbgrader's exchange folder (default /srv/nbgrader/exchange)
ROTATION_KIT_ROSTER      a CSV file `username,role` (role: instructor or learner); when set, only
                         these users may log in and the hub's groups are filled from it
ROTATION_KIT_COURSE_ID   the nbgrader course id (default: read from the kit's nbgrader_config.py)
ROTATION_KIT_HUB_STATE   a folder for the hub's database and cookie secret (default: the
                         current folder, JupyterHub's own default)

An instructor's server sets up their course directory, ~/course, on its first start
(hub/jupyter/instructor/jupyter_server_config.py).
"""

import csv
import importlib.util
import os
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

c = get_config()  # noqa: F821 (provided by traitlets)

HERE = Path(__file__).resolve().parent
KIT = Path(os.environ.get("ROTATION_KIT_ROOT") or HERE.parent)
EXCHANGE = os.environ.get("ROTATION_KIT_EXCHANGE", "/srv/nbgrader/exchange")
INSTRUCTORS, LEARNERS = "instructors", "learners"
JUPYTER_DIRS = {role: KIT / "hub" / "jupyter" / role for role in ("common", "learner", "instructor")}


def _course_id() -> str:
    """The course id from the kit's nbgrader_config.py, so that the exchange and the course agree.

    (ROTATION_KIT_COURSE_ID wins: on Kubernetes the hub's own image does not hold the kit.)
    """
    if os.environ.get("ROTATION_KIT_COURSE_ID"):
        return os.environ["ROTATION_KIT_COURSE_ID"]
    config = PyFileConfigLoader("nbgrader_config.py", path=str(KIT)).load_config()
    return config.CourseDirectory.course_id


def _user_env() -> Path | None:
    chosen = os.environ.get("ROTATION_KIT_USER_ENV")
    if chosen:
        return Path(chosen)
    if importlib.util.find_spec("rotation_kit") and (Path(sys.prefix) / "bin" / "jupyterhub-singleuser").exists():
        return Path(sys.prefix)
    return None


def read_roster(path: str) -> dict[str, str]:
    """username -> role from a CSV file with lines `username,role`; blank lines and # comments skipped."""
    roster = {}
    with open(path, newline="") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.lstrip().startswith("#")):
            name, role = (cell.strip() for cell in row[:2])
            if name.lower() == "username":
                continue
            if role not in ("instructor", "learner"):
                raise ValueError(f"{path}: role of {name!r} must be 'instructor' or 'learner', not {role!r}")
            roster[name] = role
    return roster


COURSE_ID = _course_id()
USER_ENV = _user_env()

# --- roles ---------------------------------------------------------------------------
roster = read_roster(os.environ["ROTATION_KIT_ROSTER"]) if os.environ.get("ROTATION_KIT_ROSTER") else {}
c.JupyterHub.load_groups.update({
    INSTRUCTORS: {"users": sorted(u for u, r in roster.items() if r == "instructor")},
    LEARNERS: {"users": sorted(u for u, r in roster.items() if r == "learner")},
})
if roster:
    c.Authenticator.allowed_users.update(roster)
# Instructors see who is in the cohort and whether their servers run; not their files or servers.
c.JupyterHub.load_roles.append({
    "name": "course-instructor",
    "description": "See the cohort's learners and their servers' status",
    "groups": [INSTRUCTORS],
    "scopes": ["self", f"list:users!group={LEARNERS}", f"read:users!group={LEARNERS}", f"read:groups!group={LEARNERS}"],
})


# --- every user's server -----------------------------------------------------------------
if USER_ENV is not None:
    c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment.update({
    "ROTATION_KIT_ROOT": str(KIT),
    "ROTATION_KIT_EXCHANGE": EXCHANGE,
    "ROTATION_KIT_COURSE_ID": COURSE_ID,
    # Each learner's profile and plan live in their own home, never in the shared kit.
    "ROTATION_KIT_HOME": "~/my_plan",
})
if USER_ENV is not None:
    c.Spawner.environment.update({"PATH": os.pathsep.join([str(USER_ENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])})
    c.SystemdSpawner.extra_paths = [str(USER_ENV / "bin")]  # TLJH's spawner builds PATH itself


def is_instructor(user) -> bool:
    return any(group.name == INSTRUCTORS for group in user.groups)


def choose_role(spawner) -> None:
    """The role decides which Jupyter config folders the user's server reads (nbgrader and UI settings)."""
    role = "instructor" if is_instructor(spawner.user) else "learner"
    folders = [JUPYTER_DIRS[role], JUPYTER_DIRS["common"]]
    # A new dict: never change the one all spawners were configured with.
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": os.pathsep.join(str(f) for f in folders)}


c.Spawner.pre_spawn_hook = choose_role


# --- the exchange ---------------------------------------------------------------------
# On one machine the hub (root) creates the exchange as nbgrader documents it: everyone may
# write, the sticky bit stops anyone deleting another's files. On Kubernetes it is a volume.
if os.geteuid() == 0:
    os.makedirs(EXCHANGE, exist_ok=True)
    os.chmod(EXCHANGE, 0o1777)


# --- running the hub itself on one server (ignored where TLJH or Z2JH run the proxy) -----------
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
state = os.environ.get("ROTATION_KIT_HUB_STATE")
if state:
    os.makedirs(state, mode=0o700, exist_ok=True)
    c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
    c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
