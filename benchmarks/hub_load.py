"""Load benchmark: a workshop of N learners on the real JupyterHub of this machine (not a test).

    sudo .venv/bin/python benchmarks/hub_load.py [--learners 30] [--stagger 180] [--deadline 1800]

Needs root and `make hub-test-setup`, like tests/test_hub.py, whose machinery it uses: real
Unix accounts (one instructor, N learners, each with a private home), the kit's hub
configuration (hub/jupyterhub_config.py) on free ports of 127.0.0.1 only, the instructors'
group and shared folders from hub/install.py. Then, as a workshop would:

1. the instructor's server is spawned through the hub's API; its formgrader generates and
   releases module 03;
2. learner i starts at i * stagger / N seconds: their server is spawned through the hub's
   API; their Assignments API fetches module 03; they open it (contents API), fill in every
   answer, run all its cells in a new kernel (the kernel websocket of their server's REST
   API, one cell after another, stopping at an error as Run All does), save it (contents
   API) and submit it (nbgrader's assignment-list server extension); their server and kernel
   stay up to the end, as a workshop's open notebooks do;
3. a sampler reads, every 2 s, the CPU (/proc/stat: busy share of all cores, and how much
   of it this run's processes used), the memory (PSS) of the hub and its proxy, and of each
   learner's processes (their server and kernel).

It reports: learners who completed (and the submissions the exchange received), time from
opening the notebook (kernel start) to the first cell result and to Run All complete
(median, p95), time to a running server, peak memory of the hub and per learner, CPU
saturation, and every error. The figures go to benchmarks/results/hub_load-<time>.json.

It stops by itself: everything runs under --deadline seconds; learners still busy then count
as not completed. Whatever happens (an error, Ctrl-C, SIGTERM), the hub and every process of
the run are stopped and the accounts deleted; accounts a killed run left behind are removed
at the next start (tests/test_hub.py's tag in their comment).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import test_hub as hubkit  # noqa: E402  (the hub test's accounts, hub start/stop and clients)

MODULE = hubkit.MODULE
RESULTS = ROOT / "benchmarks" / "results"


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95: share=0.95); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values) if values else None,
        "p95": percentile(values, 0.95),
        "max": max(values) if values else None,
    }


# --- what the machine does ----------------------------------------------------------------


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies over all cores since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def _pss(process: psutil.Process) -> int:
    try:
        return process.memory_full_info().pss
    except (psutil.Error, AttributeError):
        with contextlib.suppress(psutil.Error):
            return process.memory_info().rss
    return 0


class Sampler(threading.Thread):
    """Every `every` seconds: CPU busy share (all, and this run's), memory of the hub and of each learner."""

    def __init__(self, hub_pids: callable, uids: dict[int, str], every: float = 2.0):
        super().__init__(daemon=True)
        self.hub_pids, self.uids, self.every = hub_pids, uids, every
        self.stop_event = threading.Event()
        self.samples: list[dict] = []
        self.cores = psutil.cpu_count() or 1

    def _ours_cpu(self) -> float:
        """CPU seconds used so far by this run's processes (the hub side and every account of the run)."""
        total = 0.0
        for process in psutil.process_iter(["uids", "cpu_times"]):
            info = process.info
            if info["uids"] and (info["uids"].real in self.uids or process.pid in self.hub_pids()):
                times = info["cpu_times"]
                total += times.user + times.system + times.children_user + times.children_system
        return total

    def run(self) -> None:
        busy0, total0 = _cpu_ticks()
        ours0, wall0 = self._ours_cpu(), time.monotonic()
        while not self.stop_event.wait(self.every):
            busy1, total1 = _cpu_ticks()
            per_user: dict[str, int] = {}
            hub_mem = 0
            hub = set(self.hub_pids())
            for process in psutil.process_iter(["uids"]):
                uid = process.info["uids"].real if process.info["uids"] else None
                if process.pid in hub:
                    hub_mem += _pss(process)
                elif uid in self.uids:
                    name = self.uids[uid]
                    per_user[name] = per_user.get(name, 0) + _pss(process)
            ours1, wall1 = self._ours_cpu(), time.monotonic()
            memory = psutil.virtual_memory()
            self.samples.append(
                {
                    "t": wall1,
                    "cpu_busy": (busy1 - busy0) / max(1, total1 - total0),
                    # (processes that ended between two samples are missed: a floor, not an exact share)
                    "cpu_ours": max(0.0, (ours1 - ours0) / max(1e-6, (wall1 - wall0) * self.cores)),
                    "ours_core_s": max(0.0, ours1 - ours0),
                    "hub_bytes": hub_mem,
                    "users_bytes": per_user,
                    "used_bytes": memory.total - memory.available,
                    "load1": os.getloadavg()[0],
                }
            )
            busy0, total0, ours0, wall0 = busy1, total1, ours1, wall1


def baseline_cpu(seconds: float = 10.0) -> float:
    """How busy the cores are before the run starts (other people's work on a shared machine)."""
    busy0, total0 = _cpu_ticks()
    time.sleep(seconds)
    busy1, total1 = _cpu_ticks()
    return (busy1 - busy0) / max(1, total1 - total0)


# --- one learner ------------------------------------------------------------------------------


class Learner:
    def __init__(self, name: str, delay: float):
        self.name, self.delay = name, delay
        self.times: dict[str, float] = {}
        self.error: str | None = None
        self.step = "waiting"
        self.cells_run = 0
        self.reconnects = 0

    def mark(self, what: str) -> None:
        self.times[what] = time.monotonic()


async def call(hub, method: str, url: str, token: str, data=None, timeout: float = 300) -> hubkit.Reply:
    return await asyncio.to_thread(hubkit.http, method, url, token, data, timeout)


async def spawn_and_wait(hub, user: str, timeout: float) -> str:
    """Spawn `user`'s server through the hub's API, wait until it is ready, return a token for the user."""
    reply = await call(hub, "POST", f"{hub.url}/hub/api/users/{user}/server", hub.admin_token)
    if reply.status not in (201, 202):
        raise RuntimeError(f"spawn: HTTP {reply.status} {reply.text[:300]}")
    deadline = time.monotonic() + timeout
    while True:
        reply = await call(hub, "GET", f"{hub.url}/hub/api/users/{user}", hub.admin_token)
        server = (hubkit.ok(reply, f"read {user}").json().get("servers") or {}).get("")
        if server and server.get("ready"):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not ready after {timeout:.0f}s")
        await asyncio.sleep(1)
    reply = await call(
        hub,
        "POST",
        f"{hub.url}/hub/api/users/{user}/tokens",
        hub.admin_token,
        {"note": "benchmarks/hub_load.py", "expires_in": 7200},
    )
    return hubkit.ok(reply, f"token for {user}").json()["token"]


async def workshop_learner(hub, learner: Learner, source: Path, start: float, spawn_timeout: float) -> None:
    await asyncio.sleep(max(0.0, start + learner.delay - time.monotonic()))
    name = learner.name
    base = f"{hub.url}/user/{name}"
    query = urllib.parse.urlencode({"course_id": hub.course_id, "assignment_id": MODULE})
    path = f"/api/contents/{MODULE}/{MODULE}.ipynb"
    try:
        learner.mark("start")
        learner.step = "spawn"
        token = await spawn_and_wait(hub, name, spawn_timeout)
        hub.tokens[name] = token
        learner.mark("server_ready")
        learner.step = "fetch"
        hubkit.ok(await call(hub, "POST", f"{base}/assignments/fetch?{query}", token), "fetch")
        learner.step = "open"
        learner.mark("open")
        notebook = hubkit.ok(await call(hub, "GET", f"{base}{path}?content=1", token), "open").json()["content"]
        nb = hubkit.answered(notebook, source, None)  # the learner fills in every answer
        cells = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        learner.step = "run all"
        results = await hubkit.run_cells(
            hub.url,
            name,
            token,
            cells,
            timeout=900,
            on_result=lambda: learner.mark("first_result"),
            keep_kernel=True,
            reconnects=3,
            on_reconnect=lambda: setattr(learner, "reconnects", learner.reconnects + 1),
        )
        learner.cells_run = len(results)
        if len(results) != len(cells) or any(r["status"] != "ok" for r in results):
            bad = next((r for r in results if r["status"] != "ok"), {"error": "cells missing"})
            raise RuntimeError(f"Run All stopped at cell {len(results)} of {len(cells)}: {bad['error']}")
        learner.mark("run_all_done")
        learner.step = "save"
        hubkit.ok(
            await call(hub, "PUT", f"{base}{path}", token, {"type": "notebook", "format": "json", "content": nb}),
            "save",
        )
        learner.step = "submit"
        reply = hubkit.ok(await call(hub, "POST", f"{base}/assignments/submit?{query}", token), "submit").json()
        if isinstance(reply, dict) and reply.get("success") is False:
            raise RuntimeError(f"submit: {str(reply)[:300]}")
        learner.mark("submitted")
        learner.step = "done"
    except Exception as error:  # noqa: BLE001 (every learner's failure is reported, none stops the others)
        learner.error = f"{learner.step}: {type(error).__name__}: {str(error)[:400]}"


# --- the run ---------------------------------------------------------------------------------


def create_accounts(folder: Path, names: list[str]) -> list[str]:
    made = []
    (folder / "home").mkdir(mode=0o755)
    for name in names:
        hubkit.create_account(name, folder / "home" / name, secrets.token_urlsafe(12))
        made.append(name)
    return made


def hub_side_pids(hub) -> list[int]:
    """The hub, its proxy and its services (root's processes in the hub's session)."""
    pids = []
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(hub.process.pid)
        pids = [root.pid] + [p.pid for p in root.children(recursive=True) if p.uids().real == 0]
    with contextlib.suppress(OSError, ValueError):
        pids.append(int((hub.folder / "hub" / "proxy.pid").read_text().strip()))
    return pids


def report(
    args,
    learners: list[Learner],
    sampler: Sampler,
    baseline: float,
    wall: float,
    received: int,
    setup_errors: list[str],
) -> dict:
    done = [learner for learner in learners if learner.error is None and "submitted" in learner.times]

    def span(a: str, b: str) -> list[float]:
        return [lr.times[b] - lr.times[a] for lr in learners if a in lr.times and b in lr.times]

    samples = sampler.samples
    per_learner_peak: dict[str, int] = {}
    for sample in samples:
        for name, used in sample["users_bytes"].items():
            per_learner_peak[name] = max(per_learner_peak.get(name, 0), used)
    learner_peaks = [v for k, v in per_learner_peak.items() if k in {lr.name for lr in learners}]
    mib = 1024 * 1024
    busy = [s["cpu_busy"] for s in samples]
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {
            "cores": psutil.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu_busy_before_run": round(baseline, 3),
        },
        "learners": args.learners,
        "stagger_s": args.stagger,
        "deadline_s": args.deadline,
        "completed": len(done),
        "submissions_received": received,
        "wall_s": round(wall, 1),
        "server_ready_s": summary(span("start", "server_ready")),
        "first_cell_result_s": summary(span("open", "first_result")),
        "run_all_s": summary(span("open", "run_all_done")),
        "start_to_submitted_s": summary(span("start", "submitted")),
        "memory_mib": {
            "hub_peak": round(max((s["hub_bytes"] for s in samples), default=0) / mib),
            "per_learner_peak": summary([v / mib for v in learner_peaks]),
            "all_learners_peak": round(max((sum(s["users_bytes"].values()) for s in samples), default=0) / mib),
            "machine_used_peak": round(max((s["used_bytes"] for s in samples), default=0) / mib),
        },
        "cpu": {
            "busy_mean": round(statistics.mean(busy), 3) if busy else None,
            "share_of_samples_95pct_busy": round(sum(b >= 0.95 for b in busy) / len(busy), 3) if busy else None,
            "this_run_mean": round(statistics.mean(s["cpu_ours"] for s in samples), 3) if samples else None,
            # CPU time this run's processes used (hub side and every account), in core-seconds, and per learner
            "this_run_core_s": round(sum(s["ours_core_s"] for s in samples), 1),
            "this_run_core_s_per_learner": round(sum(s["ours_core_s"] for s in samples) / max(1, args.learners), 1),
            "load1_peak": round(max((s["load1"] for s in samples), default=0), 1),
        },
        "kernel_reconnects": sum(lr.reconnects for lr in learners),
        "errors": setup_errors
        + [f"{lr.name}: {lr.error}" for lr in learners if lr.error]
        + [
            f"{lr.name}: still at '{lr.step}' at the deadline"
            for lr in learners
            if lr.error is None and lr.step != "done"
        ],
    }
    for key in ("server_ready_s", "first_cell_result_s", "run_all_s", "start_to_submitted_s"):
        result[key] = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in result[key].items()}
    result["memory_mib"]["per_learner_peak"] = {
        k: (round(v) if isinstance(v, float) else v) for k, v in result["memory_mib"]["per_learner_peak"].items()
    }
    return result


def run(args) -> dict:
    problem = hubkit.missing_prerequisite()
    if problem:
        raise SystemExit(f"Cannot run the hub benchmark: {problem}")
    started_wall = time.monotonic()
    hubkit.remove_stale_accounts()
    print("measuring the machine's load before the run (10 s) ...", flush=True)
    baseline = baseline_cpu()
    folder = Path(tempfile.mkdtemp(prefix="rk-load-"))
    folder.chmod(0o755)
    exchange = folder / "exchange"
    tag = secrets.token_hex(2)
    instructor = f"rkl{tag}-inst"
    names = [f"rkl{tag}-l{i:03d}" for i in range(1, args.learners + 1)]
    roster = {instructor: "instructor", **{name: "learner" for name in names}}
    hub = hubkit.Hub(
        "",
        "",
        folder,
        exchange,
        hubkit.PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config().CourseDirectory.course_id,
        [instructor],
        names,
        passwords={},
    )
    made: list[str] = []
    sampler = None
    learners = [Learner(name, i * args.stagger / max(1, args.learners)) for i, name in enumerate(names)]
    setup_errors: list[str] = []
    received = 0
    try:
        made = create_accounts(folder, [instructor, *names])
        hubkit.setup_course(folder, roster, exchange)
        hub.process, hub.url, hub.admin_token = hubkit.start_hub(folder, roster, exchange)
        hubkit.wait_for_hub(hub)
        print(f"hub up at {hub.url}; {len(made)} accounts", flush=True)
        uids = {pwd.getpwnam(name).pw_uid: name for name in made}
        sampler = Sampler(lambda: hub_side_pids(hub), uids)
        sampler.start()
        source = hubkit.KIT / "solutions" / MODULE / f"{MODULE}.ipynb"

        async def workshop() -> None:
            loop = asyncio.get_running_loop()
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=2 * args.learners + 8))
            token = await spawn_and_wait(hub, instructor, args.spawn_timeout)
            hub.tokens[instructor] = token
            for step in ("assign", "release"):
                reply = await call(
                    hub, "POST", f"{hub.url}/user/{instructor}/formgrader/api/assignment/{MODULE}/{step}", token
                )
                if not hubkit.ok(reply, step).json().get("success"):
                    raise RuntimeError(f"formgrader {step}: {reply.text[:500]}")
            print(f"module {MODULE} released; learners start over {args.stagger:.0f} s", flush=True)
            start = time.monotonic()

            async def progress() -> None:
                while True:
                    await asyncio.sleep(20)
                    steps: dict[str, int] = {}
                    for lr in learners:
                        key = "error" if lr.error else lr.step
                        steps[key] = steps.get(key, 0) + 1
                    print(
                        f"  [{time.monotonic() - start:5.0f}s] "
                        + ", ".join(f"{k}: {v}" for k, v in sorted(steps.items())),
                        flush=True,
                    )

            ticker = asyncio.ensure_future(progress())
            try:
                await asyncio.gather(*(workshop_learner(hub, lr, source, start, args.spawn_timeout) for lr in learners))
            finally:
                ticker.cancel()

        left = args.deadline - (time.monotonic() - started_wall)
        try:
            asyncio.run(asyncio.wait_for(workshop(), timeout=max(60, left)))
        except TimeoutError:
            setup_errors.append(f"the run reached its deadline ({args.deadline:.0f} s)")
        except Exception as error:  # noqa: BLE001
            setup_errors.append(f"{type(error).__name__}: {str(error)[:500]}")
        inbound = exchange / hub.course_id / "inbound"
        received = len({p.name.split("+")[0] for p in inbound.iterdir()}) if inbound.is_dir() else 0
    finally:
        if sampler is not None:
            sampler.stop_event.set()
            sampler.join(timeout=10)
        print("stopping the hub and removing the accounts ...", flush=True)
        with contextlib.suppress(Exception):
            hubkit.stop_hub(hub)
        for name in made:
            hubkit.remove_account(name)
        hubkit.empty_group()
        if args.keep_log and (folder / "hub" / "jupyterhub.log").exists():
            RESULTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(folder / "hub" / "jupyterhub.log", RESULTS / "hub_load-jupyterhub.log")
        shutil.rmtree(folder, ignore_errors=True)
    return report(args, learners, sampler, baseline, time.monotonic() - started_wall, received, setup_errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30, help="simulated learners (default 30)")
    parser.add_argument(
        "--stagger", type=float, default=180.0, help="seconds over which the learners' starts are spread (default 180)"
    )
    parser.add_argument(
        "--deadline", type=float, default=1800.0, help="the whole run stops after this many seconds (default 1800)"
    )
    parser.add_argument("--spawn-timeout", type=float, default=300.0, help="seconds a server may take to start")
    parser.add_argument("--keep-log", action="store_true", help="keep the hub's log in benchmarks/results/")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("Run as root (it creates Unix accounts and runs the hub as root, as on a real server).")

    def stop(signum, frame):  # SIGTERM: clean up as for Ctrl-C
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        with hubkit.machine_lock():
            result = run(args)
    except KeyboardInterrupt as why:
        print(
            f"interrupted ({why or 'Ctrl-C'}): the hub, its processes and the accounts were cleaned up; no figures.",
            file=sys.stderr,
        )
        return 130
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"hub_load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {out}")
    return 0 if result["completed"] == args.learners else 1


if __name__ == "__main__":
    sys.exit(main())
