"""SafeExecute: nbgrader's Execute preprocessor, made robust to hostile notebooks (used by autograde.py)."""

from __future__ import annotations

import json
import os
import signal
import time
from queue import Empty
from time import monotonic

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from .sandbox import SandboxedKernelManager

#: What SafeExecute saw in the notebooks this process executed (read and reset by the worker).
EVENTS: list[dict] = []

_SIGNAL_REASONS = {
    signal.SIGXCPU: "the CPU time limit was reached",
    signal.SIGKILL: "it was killed (memory exhausted, or stopped by the grader)",
    signal.SIGXFSZ: "it wrote a file larger than the limit",
    signal.SIGSEGV: "it crashed (segmentation fault)",
    signal.SIGABRT: "it crashed (aborted)",
}


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "it stopped responding"
    number = -code if code < 0 else code - 128 if code > 128 else 0
    if number:
        try:
            return _SIGNAL_REASONS.get(signal.Signals(number), f"it was killed by {signal.Signals(number).name}")
        except ValueError:
            pass
    return f"it exited with code {code} (os._exit, exit() or a crash)"


def _descendants(root: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below `root` (Linux /proc; elsewhere nothing)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append((pid, command))
        todo.extend(children.get(pid, []))
    return found


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _size(msg: dict) -> int:
    content = msg.get("content", {})
    if "text" in content:
        return len(content["text"])
    data = content.get("data") or {}
    return sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())


class SafeExecute(Execute):
    """nbgrader's Execute, made robust to hostile notebooks.

    - the kernel is a `SandboxedKernelManager` (sandbox + limits);
    - the whole notebook has a time limit (`notebook_timeout`), not only each cell;
    - a kernel that dies (`os._exit`, CPU or memory limit) or stays stuck after a cell
      timed out stops the notebook: the cell gets an error, every later code cell a
      "not run" error (so no test cell passes by not running), and grading goes on;
    - output beyond `max_output_bytes` per cell is dropped (a gigabyte print cannot
      fill the grader's memory); errors are always kept, they decide the grade.
    """

    notebook_timeout = Integer(600, help="Seconds for the whole notebook.").tag(config=True)
    stuck_grace = Integer(5, help="Seconds an interrupted kernel has to answer before it is stopped.").tag(config=True)
    max_output_bytes = Integer(2 * 1024 * 1024, help="Output kept per cell (bytes).").tag(config=True)

    # A kernel whose output channel dropped a message (an oversized one) must not turn into an exception.
    raise_on_iopub_timeout = Bool(False).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    # -- whole notebook ---------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        from .integrity import METADATA_KEY

        # The kit's record in the notebook is the grader's alone: keep only what screening wrote in this run.
        kit = nb.metadata.get(METADATA_KEY)
        nb.metadata[METADATA_KEY] = {"screening": kit["screening"]} if isinstance(kit, dict) and "screening" in kit else {}
        self._deadline = monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._timed_out = False
        self._bytes: dict[int, int] = {}
        self._truncated: set[int] = set()
        self._events: list[str] = []
        self._stop_kind: str | None = None
        self._timeouts = 0
        self._leftover: list[str] = []
        self._last_code = max((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()),
                              default=-1)
        try:
            return super().preprocess(nb, resources, km)
        finally:
            record = {"events": self._events, "stopped": self._stopped, "kind": self._stop_kind,
                      "timeouts": self._timeouts, "leftover": self._leftover}
            EVENTS.append(record)
            nb.metadata[METADATA_KEY]["execution"] = record

    def _stop(self, kind: str, reason: str) -> None:
        if self._stopped is None:
            self._stopped, self._stop_kind = reason, kind
            self._events.append(reason)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = max(1, int(self._deadline - monotonic()))
        return remaining if timeout is None else min(timeout, remaining)

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    # -- one cell ------------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        self._check_assign_resources(resources)
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, self.resources
        label = (cell.metadata.get("nbgrader", {}) or {}).get("grade_id") or f"cell {index + 1}"
        if self._stopped is None and monotonic() >= self._deadline:
            self._stop("timed out", f"the notebook reached its time limit ({self.notebook_timeout} s) before {label}")
        if self._stopped is not None:
            cell.outputs = [_error("NotRun", f"This cell was not run: {self._stopped}.")]
            cell.execution_count = None
            return cell, self.resources
        self._timed_out = False
        try:
            cell = self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            reason = _exit_reason(self._exit_code())
            self._stop("died", f"the kernel stopped while running {label}: {reason}")
            cell.outputs.append(_error("KernelDied", f"The kernel stopped while running this cell: {reason}."))
            return cell, self.resources
        except CellTimeoutError:
            self._timed_out = True
            cell.outputs.append(_error("CellTimeoutError", "No reply from the kernel before the time limit."))
        if self._timed_out:
            self._timeouts += 1
            self._events.append(f"{label} ran past its time limit and was interrupted")
            if not self._responds():
                self._stop("timed out", f"the kernel did not recover after {label} was interrupted")
                self._kill()
        if any(o.get("ename") == "MemoryError" for o in cell.outputs if o.get("output_type") == "error"):
            self._events.append(f"{label} ran out of memory (limit reached)")
        if index in self._truncated:
            self._events.append(f"{label} printed too much; output was cut")
        if index == self._last_code and self._stopped is None:
            self._stop_leftovers(label)
        return cell, self.resources

    def _stop_leftovers(self, label: str) -> None:
        """Processes the learner's code started that still run when the notebook ends: name them, stop them."""
        try:
            root = self.km.provisioner.process.pid
        except Exception:
            return
        for pid, command in _descendants(root):
            if "ipykernel" in command or command.startswith(("bwrap", "/usr/bin/bwrap")):
                continue
            self._leftover.append(f"a process was still running when the notebook ended: {command[:120]}")
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def _exit_code(self) -> int | None:
        try:
            process = self.km.provisioner.process
            for _ in range(20):
                if process.poll() is not None:
                    return process.returncode
                time.sleep(0.05)
        except Exception:
            pass
        return None

    def _responds(self) -> bool:
        from jupyter_core.utils import run_sync

        async def probe() -> bool:
            try:
                msg_id = self.kc.kernel_info()
                deadline = monotonic() + self.stuck_grace
                while (remaining := deadline - monotonic()) > 0:
                    try:
                        msg = await self.kc.shell_channel.get_msg(timeout=remaining)
                    except Empty:
                        return False
                    if msg.get("parent_header", {}).get("msg_id") == msg_id:
                        return True
            except Exception:
                return False
            return False

        return run_sync(probe)()

    def _kill(self) -> None:
        from jupyter_core.utils import run_sync

        async def kill() -> None:
            try:
                await self.km.shutdown_kernel(now=True)
            except Exception:
                pass

        run_sync(kill)()

    # -- output ----------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        if msg.get("msg_type") != "error":
            used = self._bytes.get(cell_index, 0) + _size(msg)
            self._bytes[cell_index] = used
            if used > self.max_output_bytes:
                if cell_index not in self._truncated:
                    self._truncated.add(cell_index)
                    outs.append(NotebookNode(output_type="stream", name="stdout",
                                             text=f"\n[grader: output cut after {self.max_output_bytes // 1024} KB]\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)
