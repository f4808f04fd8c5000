"""The Apache Beam layer: jobs in, one ParDo that calls ModelRunner, nothing else.

All the work (isolation, resume, storage, records) is plain Python in `process`; Beam only
distributes the jobs. Locally the DirectRunner runs `-j` workers in multi-processing mode; any
other `--runner` (Flink, Spark, Dataflow) gets the user's Beam pipeline options as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from migrate.fleet.jobs import Job
from migrate.fleet.process import FleetConfig, ModelRunner


class MigrateModel(beam.DoFn):  # type: ignore[misc]  # Beam is Any to mypy (see pyproject)
    """One element = (index, job JSON); emits the result record."""

    def __init__(self, config: FleetConfig) -> None:
        super().__init__()
        self.config = config
        self.runner: ModelRunner | None = None

    def setup(self) -> None:
        self.runner = ModelRunner(self.config)

    def process(self, element: tuple[int, dict[str, Any]]) -> Iterator[dict[str, Any]]:
        assert self.runner is not None
        index, job = element
        yield self.runner(index, Job.from_json(job))

    def teardown(self) -> None:
        if self.runner is not None:
            self.runner.close()


def pipeline_options(runner: str, workers: int, extra: Sequence[str]) -> PipelineOptions:
    """DirectRunner: `workers` processes; other runners: only what the user passed."""
    args = [f"--runner={runner}", *extra]
    if runner == "DirectRunner" and not any(a.startswith("--direct_running_mode") for a in extra):
        args.append("--direct_running_mode=multi_processing")
    if runner == "DirectRunner" and not any(a.startswith("--direct_num_workers") for a in extra):
        args.append(f"--direct_num_workers={workers}")
    return PipelineOptions(args)


def run_pipeline(jobs: Sequence[Job], config: FleetConfig, options: PipelineOptions) -> None:
    """Run every job; results land in OUT_ROOT/_fleet as each model finishes."""
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    elements = [(index, job.to_json()) for index, job in enumerate(jobs)]
    with beam.Pipeline(options=options) as pipeline:
        _ = (
            pipeline
            | "Jobs" >> beam.Create(elements, reshuffle=False)
            | "Spread" >> beam.Reshuffle()
            | "Migrate" >> beam.ParDo(MigrateModel(config))
        )
