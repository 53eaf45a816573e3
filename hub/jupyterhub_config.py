"""JupyterHub configuration for running the course kit for a cohort (see hub/README.md).

What it sets up:
- two roles, by hub group, named as nbgrader's JupyterHub conventions name them:
  `formgrade-<course id>` (instructors: the formgrader, the one shared course directory)
  and `nbgrader-<course id>` (learners: the Assignments tab: fetch, submit, fetch feedback;
  no formgrader, no "create assignment" toolbar);
- who may log in: exactly the roster's users (JupyterHub 5 lets nobody in by default); the
  hub refuses to start without a roster;
- one course directory for all instructors (nbgrader's `groupshared` layout, prepared by
  `make hub-setup` for the instructors' Unix group): one gradebook, whoever grades;
- nbgrader's exchange shared by all users (a folder, mode 1777, default /srv/nbgrader/exchange);
- the kit's environment as every user's environment (jupyterhub-singleuser, JupyterLab,
  nbgrader and the kit's package from the same Python), with the learner's saved work in
  ~/my_plan;
- jupyterhub-idle-culler as a hub service, unless the deployment already runs a culler
  (TLJH and Z2JH do).

Use it as it is on one server (`jupyterhub -f hub/jupyterhub_config.py`, as root, from the
environment that `make hub-setup` builds), or load it from another deployment's config:
The Littlest JupyterHub (a short file in /opt/tljh/config/jupyterhub_config.d/) or Zero to
JupyterHub (hub.extraFiles). See hub/README.md for both. Settings come from environment variables of the hub:

ROTATION_KIT_ROOT        the kit as users' servers see it (default: the folder above this file)
ROTATION_KIT_USER_ENV    the Python environment users' servers run from (default: the hub's own,
                         when the kit is installed in it; otherwise the deployment's spawner command
                         is left alone, as on TLJH, whose user environment must then hold the kit)
ROTATION_KIT_EXCHANGE    nbgrader's exchange folder (default /srv/nbgrader/exchange)
ROTATION_KIT_ROSTER      a CSV file `username,role` (role: instructor or learner): the only users
                         who may log in; the hub's groups are filled from it. Required.
ROTATION_KIT_COURSE_ID   the nbgrader course id (default: read from the kit's nbgrader_config.py)
ROTATION_KIT_COURSE_DIR  the instructors' one course directory (default /srv/nbgrader/courses/<course id>)
ROTATION_KIT_INSTRUCTOR_GROUP  the instructors' Unix group that `make hub-setup` made (default
                         rotation-kit-instructors); checked at start on one server
ROTATION_KIT_CULL_IDLE   seconds a server may sit unused before the culler stops it (default 3600;
                         0: no culler)
ROTATION_KIT_INSTALLER   where hub/install.py is, when it is not beside this file (Z2JH)
ROTATION_KIT_SKIP_FOLDER_CHECK  1: do not check the shared folders at start (a hub that does not see them)
ROTATION_KIT_HUB_STATE   a folder for the hub's database and cookie secret (default: the
                         current folder, JupyterHub's own default)

An instructor's server writes the course directory's nbgrader_config.py on the first start of
any instructor (hub/jupyter/instructor/jupyter_server_config.py).
"""

import grp
import importlib.util
import os
import stat
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

c = get_config()  # noqa: F821 (provided by traitlets)

HERE = Path(__file__).resolve().parent
KIT = Path(os.environ.get("ROTATION_KIT_ROOT") or HERE.parent)
EXCHANGE = os.environ.get("ROTATION_KIT_EXCHANGE", "/srv/nbgrader/exchange")
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


def _installer():
    """hub/install.py beside this file (it reads the roster, and made the groups and folders)."""
    # (On Z2JH the hub holds only what hub.extraFiles mounts: ROTATION_KIT_INSTALLER says where install.py is.)
    path = os.environ.get("ROTATION_KIT_INSTALLER") or HERE / "install.py"
    spec = importlib.util.spec_from_file_location("rotation_kit_hub_install", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_roster(path: str) -> dict[str, str]:
    """username -> role from a CSV file with lines `username,role` (hub/install.py reads it the same way)."""
    return _installer().read_roster(path)


COURSE_ID = _course_id()
USER_ENV = _user_env()
COURSE_DIR = os.environ.get("ROTATION_KIT_COURSE_DIR") or f"/srv/nbgrader/courses/{COURSE_ID}"
UNIX_GROUP = os.environ.get("ROTATION_KIT_INSTRUCTOR_GROUP") or "rotation-kit-instructors"
# nbgrader's names for a course's hub groups (its JupyterHub auth plugin reads courses from them).
INSTRUCTORS, LEARNERS = f"formgrade-{COURSE_ID}", f"nbgrader-{COURSE_ID}"

# --- who may log in, and their roles ------------------------------------------------------
if not os.environ.get("ROTATION_KIT_ROSTER"):
    raise SystemExit(
        "ROTATION_KIT_ROSTER is not set. JupyterHub 5 lets in only the users it is told about: write a roster "
        "(username,role per line, see hub/roster.example.csv) and start the hub with "
        "ROTATION_KIT_ROSTER=/path/to/roster.csv."
    )
roster = read_roster(os.environ["ROTATION_KIT_ROSTER"])
if not roster:
    raise SystemExit(f"The roster {os.environ['ROTATION_KIT_ROSTER']} lists nobody: nobody could log in.")
c.JupyterHub.load_groups.update(
    {
        INSTRUCTORS: {"users": sorted(u for u, r in roster.items() if r == "instructor")},
        LEARNERS: {"users": sorted(u for u, r in roster.items() if r == "learner")},
    }
)
# Explicit, as JupyterHub 5 wants it: the roster and nobody else (no allow_all, no "existing users").
c.Authenticator.allow_all = False
c.Authenticator.allowed_users = set(roster)
# Instructors see who is in the cohort and whether their servers run; not their files or servers.
c.JupyterHub.load_roles.append(
    {
        "name": "course-instructor",
        "description": "See the cohort's learners and their servers' status",
        "groups": [INSTRUCTORS],
        "scopes": [
            "self",
            f"list:users!group={LEARNERS}",
            f"read:users!group={LEARNERS}",
            f"read:groups!group={LEARNERS}",
        ],
    }
)


# --- every user's server -----------------------------------------------------------------
if USER_ENV is not None:
    c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment.update(
    {
        "ROTATION_KIT_ROOT": str(KIT),
        "ROTATION_KIT_EXCHANGE": EXCHANGE,
        "ROTATION_KIT_COURSE_ID": COURSE_ID,
        # Each learner's profile and plan live in their own home, never in the shared kit.
        "ROTATION_KIT_HOME": "~/my_plan",
    }
)
if USER_ENV is not None:
    c.Spawner.environment.update(
        {"PATH": os.pathsep.join([str(USER_ENV / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])}
    )
    c.SystemdSpawner.extra_paths = [str(USER_ENV / "bin")]  # TLJH's spawner builds PATH itself


def is_instructor(user) -> bool:
    return any(group.name == INSTRUCTORS for group in user.groups)


def choose_role(spawner) -> None:
    """The role decides which Jupyter config folders the user's server reads (nbgrader and UI settings)."""
    role = "instructor" if is_instructor(spawner.user) else "learner"
    folders = [JUPYTER_DIRS[role], JUPYTER_DIRS["common"]]
    extra = {"JUPYTER_CONFIG_PATH": os.pathsep.join(str(f) for f in folders)}
    if role == "instructor":
        extra["ROTATION_KIT_COURSE_DIR"] = COURSE_DIR  # learners are not even told where it is
    # A new dict: never change the one all spawners were configured with.
    spawner.environment = {**spawner.environment, **extra}


c.Spawner.pre_spawn_hook = choose_role


# --- the exchange and the shared course directory --------------------------------------------
# On one machine `make hub-setup` (hub/install.py) made them for the instructors' Unix group: the
# exchange as nbgrader documents it (everyone may write, the sticky bit stops anyone deleting
# another's files), its course folder and the course directory group-owned and setgid. The hub
# (root) checks that before anyone logs in, rather than letting grading split or leak later.
# On Kubernetes they are volumes (hub/README.md).
def _check_shared_folders() -> None:
    try:
        gid = grp.getgrnam(UNIX_GROUP).gr_gid
    except KeyError:
        raise SystemExit(
            f"There is no Unix group {UNIX_GROUP!r} for the instructors: run `sudo make hub-setup` "
            "(with the roster) first."
        ) from None
    for folder, mode in ((COURSE_DIR, 0o2770), (os.path.join(EXCHANGE, COURSE_ID), 0o2775)):
        info = os.stat(folder) if os.path.isdir(folder) else None
        if info is None or info.st_gid != gid or stat.S_IMODE(info.st_mode) & 0o2007 != mode & 0o2007:
            raise SystemExit(
                f"{folder} is not the instructors' shared folder (group {UNIX_GROUP}, mode "
                f"{mode:o}): run `sudo make hub-setup` first."
            )
    kit_solutions = KIT / "solutions"
    if kit_solutions.is_dir() and kit_solutions.stat().st_mode & stat.S_IROTH:
        raise SystemExit(f"{kit_solutions} is readable by every user: run `sudo make hub-setup`, which closes it.")


if os.geteuid() == 0 and os.environ.get("ROTATION_KIT_SKIP_FOLDER_CHECK") != "1":
    _check_shared_folders()


# --- idle servers -------------------------------------------------------------------------
# jupyterhub-idle-culler stops servers nobody has used for an hour (their kernels' memory comes
# back; work is saved on disk). TLJH and Z2JH already run one, named cull-idle or idle-culler.
CULL_AFTER = int(os.environ.get("ROTATION_KIT_CULL_IDLE", "3600"))
_services = c.JupyterHub.services  # a list, or (nothing set yet, or only appended to) traitlets' lazy value
if hasattr(_services, "to_dict"):  # (never get_value(): it would freeze the lazy value)
    _services = [*_services.to_dict().get("extend", []), *(s for _, s in _services.to_dict().get("inserts", []))]
if CULL_AFTER > 0 and not any("cull" in service.get("name", "") for service in _services):
    c.JupyterHub.services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_AFTER}"],
        }
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "description": "Stop servers nobody has used for a while",
            "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        }
    )


# --- running the hub itself on one server (ignored where TLJH or Z2JH run the proxy) -----------
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
state = os.environ.get("ROTATION_KIT_HUB_STATE")
if state:
    os.makedirs(state, mode=0o700, exist_ok=True)
    c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
    c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
