"""Run a learner's code where it can do no harm: a kernel inside bubblewrap, under limits.

While a notebook is graded, the learner's code runs in an IPython kernel. That
kernel is started by `SandboxedKernelManager` (nbgrader's Execute starts it, see
`autograde.SafeExecute`), which on Linux wraps the kernel command in bubblewrap
(`bwrap`, the Debian package `bubblewrap`):

- no network: a new, empty network namespace (`--unshare-net`); the kernel talks
  to the grader over IPC sockets (files in a private folder), not TCP;
- a private file system: the Python installation and the kit's package are
  visible read-only, the kit's `data/` folder read-only, the submission's own
  working copy read-write, and nothing else of the course (no other
  submissions, no `solutions/`, no gradebook); `/tmp` and the home folder are
  small private tmpfs mounts that vanish with the kernel;
- its own process tree (`--unshare-pid`) that dies with the grader;
- resource limits set before the kernel starts: address space (memory), CPU
  seconds and the size of any file it writes. Wall time per cell comes from
  nbgrader's `Execute.timeout`; wall time per notebook from `SafeExecute`.

Where bubblewrap is missing (macOS, Windows, a container that forbids
namespaces) grading still works with the limits alone, and the grader warns
once, loudly, that learners' code is not isolated.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Integer, List, Unicode

MiB = 1024 * 1024

#: Environment variables a sandboxed kernel may see; everything else (tokens, keys...) is dropped.
_PASSED_ENV = ("LANG", "LC_ALL", "MPLBACKEND", "NBGRADER_EXECUTION", "PYDEVD_DISABLE_FILE_VALIDATION", "TZ")


#: `ROTATION_KIT_SANDBOX=off` makes the kit behave as on a machine without bubblewrap (tests use it).
SWITCH_ENV = "ROTATION_KIT_SANDBOX"


class SandboxWarning(UserWarning):
    """Learners' code runs without isolation on this machine."""


@lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """Why bubblewrap cannot isolate kernels here, or None when it can (checked once per process)."""
    if os.environ.get(SWITCH_ENV, "").lower() in ("off", "0", "no", "false"):
        return f"the sandbox is turned off ({SWITCH_ENV}={os.environ[SWITCH_ENV]})"
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux; this is {sys.platform}"
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (`bwrap`) is not installed; on Debian/Ubuntu: apt-get install bubblewrap"
    probe = [bwrap, "--unshare-all", "--die-with-parent", *_system_binds(), "--proc", "/proc", "--dev", "/dev",
             "--", "/bin/true" if os.path.exists("/bin/true") else "true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap failed to start: {error}"
    if result.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {result.stderr.strip()[:300]}"
    return None


_warned = False
#: Set for worker processes once the main process has warned (the warning comes once per run, not per worker).
WARNED_ENV = "ROTATION_KIT_SANDBOX_WARNED"


def warn_if_unsandboxed(log=None) -> bool:
    """True when kernels will be sandboxed; otherwise warn once per run and return False."""
    global _warned
    problem = sandbox_problem()
    if problem is None:
        return True
    if not _warned and not os.environ.get(WARNED_ENV):
        _warned = True
        message = ("\n" + "!" * 78 + "\n"
                   "WARNING: learners' code will run WITHOUT a sandbox.\n"
                   f"  Reason: {problem}\n"
                   "  Limits on memory, CPU time and wall time still apply, but a submission can\n"
                   "  read and write any file this user can, and reach the network.\n"
                   "  Grade untrusted submissions on a Linux machine with bubblewrap installed.\n"
                   + "!" * 78)
        if log is not None:
            log.warning(message)
        print(message, file=sys.stderr, flush=True)
        warnings.warn(problem, SandboxWarning, stacklevel=2)
    return False


def _system_binds() -> list[str]:
    """Read-only binds for the operating system: /usr and the top-level links or folders into it."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "fonts",
                 "passwd", "group", "nsswitch.conf", "mime.types", "ssl/certs"):
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def python_paths() -> list[Path]:
    """Folders the kernel's Python needs: this environment, its base installation, the kit's package."""
    import rotation_kit

    wanted = [Path(sys.prefix), Path(sys.base_prefix), Path(rotation_kit.__file__).resolve().parent]
    # The interpreter may be a symlink into yet another folder (pyenv, conda, Homebrew).
    wanted.append(Path(os.path.realpath(sys.executable)).parent.parent)
    found: list[Path] = []
    for path in wanted:
        path = path.resolve()
        if str(path) in ("/", "/usr") or any(path == f or f in path.parents for f in found):
            continue
        found = [f for f in found if path not in f.parents]
        found.append(path)
    return found


@lru_cache(maxsize=1)
def _font_caches() -> tuple[str, ...]:
    """matplotlib's font list as built for the grader, to seed each kernel's private config folder."""
    try:
        import matplotlib
        from matplotlib import font_manager  # noqa: F401 (builds the cache when missing)
    except ImportError:
        return ()
    return tuple(str(p) for p in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))


def _set_limits(memory: int, cpu: int, file_size: int):
    """A preexec function: resource limits for the kernel, and SIGINT reaching only the kernel.

    The kernel is interrupted (cell timeout) by SIGINT to its process group; bubblewrap's
    own processes would die of it and take the kernel with them, so they ignore it.
    ipykernel installs its own SIGINT handler while it runs a cell, so interrupts still work.
    """
    import resource

    def apply() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                             (resource.RLIMIT_FSIZE, file_size), (resource.RLIMIT_CORE, 0)):
            if value and value > 0:
                soft, hard = resource.getrlimit(limit)
                new_hard = value if hard == resource.RLIM_INFINITY else min(hard, value)
                # CPU: the soft limit sends SIGXCPU (the kernel dies, and we can tell why) before the hard kill.
                new_soft = max(1, new_hard - 1) if limit == resource.RLIMIT_CPU and new_hard > 1 else new_hard
                try:
                    resource.setrlimit(limit, (new_soft, new_hard))
                except (ValueError, OSError):  # e.g. macOS refuses some address-space limits
                    pass

    return apply


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside bubblewrap, over IPC, under resource limits."""

    sandbox = Bool(True, help="Isolate the kernel with bubblewrap when it is available.").tag(config=True)
    read_only = List(Unicode(), help="Extra folders visible read-only (the kit's data/).").tag(config=True)
    writable = List(Unicode(), help="Extra folders visible read-write (besides the working folder).").tag(config=True)
    kernel_env = Dict(help="Environment variables for the kernel (e.g. ROTATION_KIT_DATA, ROTATION_KIT_HOME).").tag(config=True)
    memory_limit = Integer(2048 * MiB, help="Address-space limit of the kernel in bytes (0: none).").tag(config=True)
    cpu_limit = Integer(300, help="CPU seconds the kernel may use (0: none).").tag(config=True)
    file_size_limit = Integer(64 * MiB, help="Largest file the kernel may write, bytes (0: none).").tag(config=True)
    tmp_size = Integer(128 * MiB, help="Size of the kernel's private /tmp in bytes.").tag(config=True)

    _ipc_dir: str | None = None

    def _context_default(self):
        context = super()._context_default()
        # A single message larger than this (a gigabyte print) is dropped instead of filling the grader's memory.
        import zmq

        context.setsockopt(zmq.MAXMSGSIZE, 64 * MiB)
        return context

    @property
    def sandboxed(self) -> bool:
        return self.sandbox and sandbox_problem() is None

    async def _async_pre_start_kernel(self, **kw):
        # IPC sockets in a private, short-named folder (socket paths are limited to ~100 characters).
        self._ipc_dir = tempfile.mkdtemp(prefix="rk-ipc-")
        self.connection_file = os.path.join(self._ipc_dir, "kernel.json")
        if os.name == "posix":  # Windows has no IPC sockets for zmq: TCP on localhost there
            self.transport = "ipc"
            self.ip = os.path.join(self._ipc_dir, "k")
        return await super()._async_pre_start_kernel(**kw)

    def _kernel_environment(self, cwd: str, launch_env: dict | None) -> dict[str, str]:
        env = {k: v for k, v in (launch_env or os.environ).items() if k in _PASSED_ENV}
        home = os.path.join(self._ipc_dir or tempfile.mkdtemp(prefix="rk-home-"), "home")
        env.update({
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": home, "TMPDIR": "/tmp" if self.sandboxed else tempfile.gettempdir(),
            "IPYTHONDIR": os.path.join(home, ".ipython"), "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
            "LANG": env.get("LANG", "C.UTF-8"), "PYTHONDONTWRITEBYTECODE": "1",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
        })
        # Each kernel saves the learner's plan in its own scratch folder: no learner sees another's.
        env["ROTATION_KIT_HOME"] = os.path.join(home, "my_plan")
        env.update({k: str(v) for k, v in self.kernel_env.items()})
        os.makedirs(env["MPLCONFIGDIR"], exist_ok=True)
        for cache in _font_caches():
            # matplotlib would spend seconds rebuilding its font list in every fresh kernel.
            shutil.copy(cache, env["MPLCONFIGDIR"])
        if not self.sandboxed:
            env["JPY_PARENT_PID"] = str(os.getpid())
        return env

    def _bwrap_command(self, kernel_cmd: list[str], cwd: str, env: dict[str, str]) -> list[str]:
        args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--clearenv",
                "--hostname", "grader", *_system_binds(), "--proc", "/proc", "--dev", "/dev",
                "--size", str(self.tmp_size), "--tmpfs", "/tmp"]
        for path in python_paths():
            args += ["--ro-bind", str(path), str(path)]
        for path in self.read_only:
            if os.path.exists(path):
                args += ["--ro-bind", path, path]
        args += ["--bind", self._ipc_dir, self._ipc_dir]
        for path in [cwd, *self.writable]:
            if path and os.path.exists(path):
                args += ["--bind", path, path]
        args += ["--chdir", cwd or "/tmp"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return [*args, "--", *kernel_cmd]

    def _with_kit_data(self) -> None:
        """The kit's data/ read-only in every kernel, also when plain nbgrader started it (no kit settings)."""
        if "ROTATION_KIT_DATA" in self.kernel_env:
            return
        from ...runtime.paths import KitNotFound, data_dir

        try:
            data = str(data_dir())
        except KitNotFound:
            return
        self.kernel_env = {**self.kernel_env, "ROTATION_KIT_DATA": data}
        if data not in self.read_only:
            self.read_only = [*self.read_only, data]

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        cwd = os.path.abspath(kw.get("cwd") or os.getcwd())
        kw["cwd"] = cwd
        self._with_kit_data()
        env = self._kernel_environment(cwd, kw.get("env"))
        if self.sandboxed:
            kernel_cmd = self._bwrap_command(list(kernel_cmd), str(cwd), env)
            kw["env"] = {"PATH": env["PATH"], "LANG": env["LANG"]}
        else:
            warn_if_unsandboxed(self.log)
            kw["env"] = env
        if os.name == "posix":  # Windows has no rlimits: there only the time limits apply
            kw["preexec_fn"] = _set_limits(self.memory_limit, self.cpu_limit, self.file_size_limit)
        # The kernel's own chatter goes to a log next to its sockets, not to the instructor's terminal.
        self._kernel_log = open(os.path.join(self._ipc_dir, "kernel.log"), "wb")  # noqa: SIM115 (closed in cleanup)
        kw["stdout"] = self._kernel_log
        kw["stderr"] = self._kernel_log
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if getattr(self, "_kernel_log", None) is not None and not restart:
            self._kernel_log.close()
            self._kernel_log = None
        if self._ipc_dir and not restart:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None

    # AsyncKernelManager binds the public name to the base method; nbclient calls it after a kernel died.
    cleanup_resources = _async_cleanup_resources
