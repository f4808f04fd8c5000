"""Run one model in a child process with a wall-time and a memory limit.

A crash, hang or abort inside TensorFlow costs that model only; its cause is recorded (timeout,
memory, signal, or exit 2 with its message). `Isolator` keeps one child warm: started ahead of
time, it imports TensorFlow while the previous model runs, then waits for exactly one job.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import IO, Any

# How running out of RLIMIT_AS surfaces: Python and C++ allocation errors, mmap failing while a
# shared object loads, and CPython's compiler failing to allocate while importing a module.
MEMORY_SIGNS = (
    "MemoryError",
    "bad_alloc",
    "Cannot allocate memory",
    "ResourceExhaustedError",
    "failed to map segment from shared object",
    "<built-in function compile> returned NULL without setting an exception",
)
PR_SET_PDEATHSIG = 1
PARENT_ENV = "TF_MIGRATE_FLEET_PARENT"


def die_with_parent() -> None:
    """In the child, first thing: be killed when the fleet worker that started us dies (Linux).

    Done after exec, not in a preexec_fn: the fleet worker has gRPC and TF threads, and running
    Python between fork and exec in a threaded process can crash the child.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != int(os.environ.get(PARENT_ENV, os.getppid())):
        os._exit(0)  # the parent died before prctl took effect


@dataclass(frozen=True)
class Limits:
    timeout: float
    memory: int | None  # bytes of address space (RLIMIT_AS), None for no limit


class _Child:
    def __init__(self) -> None:
        self.stderr: IO[bytes] = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "migrate.fleet.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            start_new_session=True,
            env={**os.environ, PARENT_ENV: str(os.getpid())},
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stderr_tail(self) -> str:
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - 20000))
        return self.stderr.read().decode("utf-8", "replace")


class Isolator:
    """Hands each model to a fresh, pre-started child and classifies how the child ended."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._warm: _Child | None = None

    def run(self, work: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        timeout = timeout or self.limits.timeout
        child = self._warm or _Child()
        if child.process.poll() is not None:  # the warm child died idle: not this model's fault
            child = _Child()
        self._warm = _Child()  # imports TF while `child` works
        outcome_path = work["outcome"]
        payload = json.dumps({**work, "memory": self.limits.memory}) + "\n"
        try:
            assert child.process.stdin is not None
            child.process.stdin.write(payload.encode())
            child.process.stdin.close()
        except BrokenPipeError:
            pass  # it died while importing; its exit status says why
        try:
            code = child.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            return _failure("timeout", f"killed after {timeout:g} s wall time")
        tail = child.stderr_tail()
        child.stderr.close()
        if code == 0 and os.path.exists(outcome_path):
            with open(outcome_path, encoding="utf-8") as handle:
                outcome: dict[str, Any] = json.load(handle)
            return outcome
        return classify(code, tail)

    def close(self) -> None:
        if self._warm is not None:
            self._warm.kill()
            self._warm.stderr.close()
            self._warm = None


def classify(code: int, stderr: str) -> dict[str, Any]:
    """Why a child ended without an outcome: memory, a signal, or an exit code with its message."""
    last = " ".join(" ".join(stderr.strip().splitlines()[-3:]).split())[:1000]
    if any(sign in stderr for sign in MEMORY_SIGNS):
        return _failure("memory", last or "out of memory under --model-memory", code)
    if code < 0:
        name = signal.Signals(-code).name
        return _failure("signal", f"killed by {name}: {last}".rstrip(": "), code)
    return _failure("error", f"exit {code}: {last}".rstrip(": "), code)


def _failure(cause: str, message: str, code: int | None = None) -> dict[str, Any]:
    return {
        "verdict": "failed",
        "cause": cause,
        "message": message,
        "exit_code": code,
        "steps": {},
    }
