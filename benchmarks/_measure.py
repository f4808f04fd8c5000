"""Timing and memory of child processes, and the small table every benchmark prints.

Every figure is taken in a fresh subprocess, so imports, caches and allocator state of one
measurement never leak into the next, and peak RSS belongs to the thing measured. Machines
running these benchmarks are shared and noisy; a figure is the median of several
repetitions and is only ever compared with a baseline measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child_env(**extra: str) -> dict[str, str]:
    """Run the project from this checkout (an editable install may point elsewhere)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.update(extra)
    return env


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, peak RSS of the whole process tree, exit code."""

    wall: float
    cpu: float  # user + system seconds of the child and the descendants it waited for
    peak_rss: int  # bytes; max over time of the summed RSS of the child and its descendants
    max_rss: int  # bytes; largest single process (kernel's ru_maxrss from wait4)
    returncode: int
    stdout: str


def run(
    cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Run:  # fmt: skip
    """Run `cmd`, sampling the tree's RSS every 20 ms (workers of `-j N` count too)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd or ROOT, env=env or child_env(),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(proc.pid, peak, done), daemon=True)
    sampler.start()
    chunks: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    if timeout is None:  # block: polling would steal CPU from what is being measured
        _, status, usage = os.wait4(proc.pid, 0)
    else:
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise subprocess.TimeoutExpired(list(cmd), timeout)
            time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    reader.join()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, peak[0], usage.ru_maxrss * 1024, proc.returncode, "".join(chunks))


def _tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _sample(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], sum(_rss(p) for p in _tree(pid)))
        done.wait(0.02)


def repeat(cmd: Sequence[str], times: int, **kwargs: object) -> list[Run]:
    return [run(cmd, **kwargs) for _ in range(times)]  # type: ignore[arg-type]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (pastes straight into docs/performance.md)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    """One line naming the machine: CPU model, cores, memory, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError):
        mem_kb = 0
    cores = os.cpu_count()
    return f"{model}, {cores} cores, {mem_kb / 2**20:.0f} GB RAM, Python {sys.version.split()[0]}"
