"""A whole fleet run: locate, recover, run the pipeline with a progress display, summarise.

Progress is read from OUT_ROOT/_fleet/runs/<run id>, where each worker marks every job it
finished, so it works the same for in-process, multi-process and remote runners.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from migrate.fleet import storage
from migrate.fleet.jobs import Job, locate
from migrate.fleet.process import FleetConfig
from migrate.fleet.records import Store
from migrate.fleet.summary import summarise


def run_fleet(
    sources: Sequence[str],
    config: FleetConfig,
    *,
    runner: str = "DirectRunner",
    workers: int = 1,
    beam_args: Sequence[str] = (),
    console: Console | None = None,
) -> dict[str, Any]:
    """Migrate every model under `sources` into config.out_root; return the summary dict."""
    from migrate.fleet.beam import pipeline_options, run_pipeline  # noqa: PLC0415 - needs Beam

    out = config.out_root.rstrip("/") + "/"
    jobs = [job for job in locate(list(sources)) if not (job.source + "/").startswith(out)]
    store = Store(config.out_root)
    store.recover()
    storage.remove(store.path("runs"))
    config = replace(config, run_id=config.run_id or uuid.uuid4().hex[:12])
    options = pipeline_options(runner, workers, beam_args)
    with _Progress(store, config.run_id, len(jobs), console):
        run_pipeline(jobs, config, options)
    return collect(store, config.run_id, jobs)


def collect(store: Store, run_id: str, jobs: Sequence[Job]) -> dict[str, Any]:
    """The summary of one run from its records; writes results.jsonl."""
    seen = store.seen(run_id)
    records = [record for entry in seen if (record := store.read(entry["key"])) is not None]
    store.compact(records)
    storage.remove(store.path("runs", run_id))
    skipped = sum(bool(entry["skipped"]) for entry in seen)
    summary = summarise(records, done_now=len(seen) - skipped, skipped=skipped)
    summary["located"] = len(jobs)
    return summary


class _Progress:
    """models done / total, models per second and ETA, polled from the run's marks."""

    def __init__(self, store: Store, run_id: str, total: int, console: Console | None) -> None:
        self.folder = store.path("runs", run_id)
        self.total = total
        self.console = console
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.started = time.perf_counter()

    def __enter__(self) -> _Progress:
        if self.console is not None:
            self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    def _poll(self) -> None:
        assert self.console is not None
        columns = (
            TextColumn("[bold]fleet"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.console, transient=True) as progress:
            task = progress.add_task("models", total=self.total, rate="")
            while not self.stop.wait(0.5):
                done = len(storage.listdir(self.folder))
                rate = done / max(time.perf_counter() - self.started, 1e-9)
                progress.update(task, completed=done, rate=f"{rate:.2f} models/s")
