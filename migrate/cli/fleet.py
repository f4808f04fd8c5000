"""`tf-migrate fleet`: migrate a whole model store on Apache Beam (docs/fleet.md)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Annotated, Any

import typer

from migrate.cli._common import console, err_console, exits_on_error
from migrate.errors import InputError

UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str | None) -> int | None:
    """`--model-memory 4g` -> bytes; None or 0 -> no limit."""
    if not text or text == "0":
        return None
    number, unit = text[:-1], text[-1].lower()
    if unit not in UNITS:
        number, unit = text, "b"
    try:
        return int(float(number) * UNITS.get(unit, 1))
    except ValueError:
        raise InputError(f"bad --model-memory '{text}'.", fix="write e.g. 4g or 512m.") from None


def _absolute(path: str) -> str:
    """Local paths absolute (records name them; workers may run elsewhere), URIs as they are."""
    return path.rstrip("/") if "://" in path else os.path.abspath(path)


def _check_reports(*paths: Path | None) -> None:
    """Refuse a report path that cannot be written before the run, not after hours of it."""
    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise InputError(
                f"{path}: its folder does not exist.", fix=f"create {path.parent} first."
            )


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@exits_on_error
def fleet(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Model roots (local or gs://, s3://, hdfs://...) or manifests (.txt, .jsonl)."
        ),
    ],
    out: Annotated[str, typer.Option("--out", help="OUT_ROOT: converted models and _fleet/.")],
    jobs: Annotated[int, typer.Option("-j", "--jobs", help="DirectRunner worker processes.")] = 1,
    runner: Annotated[
        str, typer.Option(help="Beam runner: DirectRunner, FlinkRunner, SparkRunner, ...")
    ] = "DirectRunner",
    beam_option: Annotated[
        list[str] | None,
        typer.Option(help="A Beam pipeline option passed as is, e.g. --beam-option=--project=p."),
    ] = None,
    model_timeout: Annotated[
        float, typer.Option(help="Wall-time limit per model, in seconds.")
    ] = 600.0,
    model_memory: Annotated[
        str | None, typer.Option(help="Address-space limit per model, e.g. 8g (TF needs ~2g).")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run again the models whose result is failed.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace outputs the fleet did not write.")
    ] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the summary as JSON here.")
    ] = None,
    junit: Annotated[
        Path | None, typer.Option(help="Write a JUnit XML report here (one testcase per model).")
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the summary as a self-contained HTML page here."),
    ] = None,
) -> None:
    """Inspect, scan, convert and verify every model of a store; resumable. Exit 0/1/2."""
    from migrate.fleet.process import FleetConfig  # noqa: PLC0415
    from migrate.fleet.summary import exit_code, render, to_json, to_junit  # noqa: PLC0415
    from migrate.fsutil import atomic_write_text  # noqa: PLC0415
    from migrate.report_html import (  # noqa: PLC0415
        inventory_from_fleet,
        render_inventory,
        write_report,
    )

    _check_reports(json_out, junit, html)
    try:
        import apache_beam  # noqa: F401, PLC0415

        from migrate.fleet.run import run_fleet  # noqa: PLC0415
    except ImportError:
        raise InputError(
            "apache-beam is not installed.", fix='pip install "tf-migrate[fleet]".'
        ) from None
    config = FleetConfig(
        out_root=_absolute(out),
        run_id="",
        timeout=model_timeout,
        memory=parse_size(model_memory),
        retry_failed=retry_failed,
        force=force,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = run_fleet(
            [_absolute(source) for source in sources],
            config,
            runner=runner,
            workers=jobs,
            beam_args=beam_option or [],
            console=err_console,
        )
    except KeyboardInterrupt:
        err_console.print("interrupted: finished models are recorded; run again to resume.")
        raise typer.Exit(130) from None
    render(summary, console)
    if json_out is not None:
        atomic_write_text(json_out, to_json(summary))
    if junit is not None:
        atomic_write_text(junit, to_junit(summary))
    if html is not None:
        write_report(html, render_inventory(inventory_from_fleet(summary)))
        err_console.print(f"HTML report written to {html}")
    raise typer.Exit(exit_code(summary))
