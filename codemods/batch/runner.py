"""Rewrite files and trees: discovery, per-file results, atomic writes, parallel batches.

A batch never dies on one file (the idea of `libcst/codemod/_runner.py`): every file yields a
frozen `FileResult`, and a file that cannot be read, decoded or parsed is reported as failed
and left untouched. Writes happen only with `write=True`, only when the text changed, via a
temp file + rename that keeps the file mode and writes through symlinks to their target.
"""

from __future__ import annotations

import difflib
import fnmatch
import gc
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from codemods.analysis.api_sites import converted, count_sites
from codemods.batch.atomic import atomic_write_bytes
from codemods.batch.notebook import rewrite_notebook
from codemods.batch.source import SourceDecodeError, decode_source
from codemods.engine.base import Finding, TFMigrateCommand
from codemods.engine.rewrite import RewriteError, RewriteOutcome, mentions_tensorflow, rewrite_code
from codemods.errors import CodemodError

Status = Literal["changed", "unchanged", "skipped", "failed"]

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv", "node_modules",
     ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache", "build", "dist", ".eggs"}
)  # fmt: skip
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", "_pb2.pyi")
GENERATED_MARKER = "@" + "generated"  # split so this file is not itself "generated"
_HEAD = 2048  # a generated marker must appear near the top of the file


@dataclass(frozen=True)
class Options:
    """What to run and whether to write; picklable so worker processes receive it."""

    commands: tuple[type[TFMigrateCommand], ...]
    write: bool = False
    want_diff: bool = True


@dataclass(frozen=True)
class FileResult:
    path: str
    status: Status
    codemods: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    reason: str | None = None  # why skipped or failed
    error_line: int | None = None
    diff: str = ""
    output: str | None = field(default=None, compare=False)  # rewritten text (stdin mode)
    api_sites: tuple[tuple[str, int, int], ...] = ()  # (api, sites found, sites converted)


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[Path]:
    """Python files and notebooks under `paths`, sorted, minus --exclude globs."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if not _excluded(path, exclude):
                found.extend(_walk(path, exclude))
        elif path.is_file() or path.is_symlink():
            if not _excluded(path, exclude):
                found.append(path)
        else:
            raise CodemodError("no such file or directory.", path=path, fix="check the path.")
    return sorted(dict.fromkeys(found))


def _walk(root: Path, exclude: Sequence[str]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow directory symlinks
        base = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not _excluded(base / d, exclude)
        )
        for name in filenames:
            path = base / name
            if name.endswith((".py", ".ipynb")) and not _excluded(path, exclude):
                yield path


def _excluded(path: Path, patterns: Sequence[str]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(text, f"*/{p}")
        for p in patterns
    )


def rewrite_text(text: str, display: str, options: Options, notebook: bool) -> RewriteOutcome:
    """Rewrite decoded text of a .py file or a notebook (raises RewriteError)."""
    if notebook:
        new, outcome = rewrite_notebook(text, lambda c: rewrite_code(c, options.commands, display))
        return RewriteOutcome(new, outcome.applied, outcome.findings)
    return rewrite_code(text, options.commands, display)


def process_bytes(data: bytes, display: str, options: Options) -> FileResult:
    """Rewrite one file's bytes in memory (stdin mode keeps the new text); never raises."""
    result, new_data = _rewrite_bytes(data, display, options)
    if display != "-" or result.status == "failed":
        return result
    # stdin: the output is always the whole text, unchanged input included (never empty it)
    return replace(result, output=(new_data or data).decode("utf-8", "surrogateescape"))


def _rewrite_bytes(data: bytes, display: str, options: Options) -> tuple[FileResult, bytes | None]:
    if display.endswith(GENERATED_SUFFIXES):
        return FileResult(display, "skipped", reason="generated file"), None
    try:
        source = decode_source(data)
    except SourceDecodeError as error:
        return FileResult(display, "failed", reason=str(error), error_line=error.line), None
    if GENERATED_MARKER in source.text[:_HEAD]:
        return FileResult(display, "skipped", reason="generated file"), None
    if not mentions_tensorflow(source.text):
        return FileResult(display, "skipped", reason="does not mention tensorflow"), None
    try:
        outcome = rewrite_text(source.text, display, options, display.endswith(".ipynb"))
        new_data = source.encode(outcome.code)
    except RewriteError as error:
        return FileResult(display, "failed", reason=str(error), error_line=error.line), None
    except RecursionError:  # pathologically nested code; LibCST recurses per node
        return FileResult(display, "failed", reason="too deeply nested to parse"), None
    except UnicodeEncodeError as error:  # a codemod emitted text the declared codec lacks
        return FileResult(display, "failed", reason=f"cannot re-encode: {error.reason}"), None
    notebook = display.endswith(".ipynb")
    found = count_sites(source.text, notebook)
    if outcome.code == source.text:
        sites = converted(found, found)
        return FileResult(display, "unchanged", findings=outcome.findings, api_sites=sites), None
    diff = _diff(source.text, outcome.code, display) if options.want_diff else ""
    sites = converted(found, count_sites(outcome.code, notebook))
    result = FileResult(
        display, "changed", outcome.applied, outcome.findings, diff=diff, api_sites=sites
    )
    return result, new_data


def process_file(path: Path, options: Options) -> FileResult:
    """Rewrite one file on disk; write it back (atomically, mode kept) if asked and changed."""
    display = str(path)
    target = path.resolve() if path.is_symlink() else path  # write through symlinks
    try:
        data = target.read_bytes()
    except OSError as error:
        return FileResult(display, "failed", reason=f"cannot read: {error.strerror}")
    result, new_data = _rewrite_bytes(data, display, options)
    if new_data is not None and options.write:
        try:
            atomic_write_bytes(target, new_data, mode=target.stat().st_mode & 0o7777)
        except OSError as error:
            return FileResult(display, "failed", reason=f"cannot write: {error.strerror}")
    return result


def _diff(old: str, new: str, name: str) -> str:
    old_name, new_name = (name, name) if os.path.isabs(name) else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _worker(args: tuple[Path, Options]) -> FileResult:
    return process_file(*args)


def run_batch(
    paths: Sequence[Path],
    options: Options,
    jobs: int = 1,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Process every path (in parallel when jobs > 1); results come back in input order."""
    results: list[FileResult] = []
    with batch_gc():
        for result in _results(paths, options, jobs):
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


@contextmanager
def batch_gc() -> Iterator[None]:
    """Garbage collection tuned for rewriting, restored afterwards.

    Parsing allocates hundreds of thousands of nodes per file, so the default thresholds run
    full collections that scan every live tree and every imported module again and again
    (~10 % of a rewrite, measured by `benchmarks.rewrite_throughput`); syntax trees are
    acyclic and freed by reference counting. Objects alive at the start (imports) are frozen
    out of collection, and young collections run 70x less often.
    """
    thresholds = gc.get_threshold()
    _tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _tune_gc() -> None:
    gc.freeze()
    gc.set_threshold(50_000, 50, 1_000)


def _results(paths: Sequence[Path], options: Options, jobs: int) -> Iterable[FileResult]:
    if jobs <= 1 or len(paths) < 2:
        return (process_file(p, options) for p in paths)
    # spawn, not fork: the progress bar runs a thread, and fork with threads can deadlock.
    # The parent is one of the `jobs` processes (it has the codemods imported anyway), so
    # -j 2 means one worker beside it: one LibCST process less in memory, same CPU use.
    pool = multiprocessing.get_context("spawn").Pool(
        min(jobs, len(paths)) - 1, initializer=_tune_gc
    )
    return _drain(pool, paths, options, min(jobs, len(paths)))


def _drain(
    pool: multiprocessing.pool.Pool, paths: Sequence[Path], options: Options, jobs: int
) -> Iterator[FileResult]:
    """Results in input order: every `jobs`-th file runs here, the rest in the pool."""
    mine = range(0, len(paths), jobs)
    theirs = [(p, options) for i, p in enumerate(paths) if i % jobs]
    with pool:
        pending = pool.imap(_worker, theirs, chunksize=4)  # queued at once; workers start now
        for index, path in enumerate(paths):
            yield process_file(path, options) if index in mine else next(pending)
