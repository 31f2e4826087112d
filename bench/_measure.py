"""Run a command, return wall seconds, peak RSS of its largest process (wait4), and the peak
memory of its whole process tree (sampled from /proc every 20 ms: workers included), as RSS
and as PSS.

Sampling /proc takes CPU from the command it measures (the kernel walks every page table),
so timed runs leave it off (memory=False) and the benches measure memory in a run of its own.

The sum of RSS counts twice the pages a forked worker still shares with its parent (the
interpreter and modules, ~60 MB here); PSS (proportional set size, /proc/PID/smaps_rollup)
splits shared pages between the processes sharing them, so its sum is the memory the import
really takes. Both are printed."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path


def _tree_kb(root: int) -> tuple[int, int]:
    """(RSS, PSS) of a process and its descendants, in kB."""
    rss = pss = 0
    pids = [root]
    while pids:
        pid = pids.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        rss += _field(status, "VmRSS:")
        pss += _field(rollup, "Pss:")
        pids.extend(int(c) for c in children)
    return rss, pss


def _field(text: str, name: str) -> int:
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def sqlite3_shell() -> str:
    """The sqlite3 command-line shell, whose .import is the baseline of the import benches."""
    import shutil

    found = shutil.which("sqlite3")
    if not found:
        raise SystemExit("the sqlite3 command-line shell is needed for the baseline "
                         "(Debian: apt-get install sqlite3)")
    return found


def run(cmd: list[str], env: dict[str, str] | None = None,
        memory: bool = True) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak_tree = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while memory and not done.is_set():
            rss, pss = _tree_kb(proc.pid)
            peak_tree[0], peak_tree[1] = max(peak_tree[0], rss), max(peak_tree[1], pss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed ({proc.returncode}): {err.decode(errors='replace')}")
    return {"seconds": wall, "max_rss_mb": usage.ru_maxrss / 1024,
            "tree_rss_mb": peak_tree[0] / 1024, "tree_pss_mb": peak_tree[1] / 1024,
            "stdout": out.decode()}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def interleaved(trial: Callable[[bool], tuple[dict, dict]],
                runs: int) -> tuple[list[float], list[float], dict]:
    """Baseline and epitool times of `runs` timed trials, taken in turn so both meet the same
    machine, then epitool's figures from one more trial that samples memory."""
    base_times, our_times = [], []
    for _ in range(runs):
        base, ours = trial(False)
        base_times.append(base["seconds"])
        our_times.append(ours["seconds"])
    return base_times, our_times, trial(True)[1]


def listed(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)
