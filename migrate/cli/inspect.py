"""`tf-migrate inspect`: triage TF1 models from their protobufs; nothing is executed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from migrate.cli._common import console, err_console, exits_on_error
from migrate.cli.scan import allow_set


@exits_on_error
def inspect(
    paths: Annotated[
        list[Path],
        typer.Argument(help="SavedModel dirs, TF Serving bases, .meta, .pb/.pbtxt, or trees."),
    ],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the JSON report (docs/inspect.md) on stdout.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the inventory as a self-contained HTML page here."),
    ] = None,
    allow_op: Annotated[
        list[str] | None,
        typer.Option("--allow-op", help="Treat this denylisted op as accepted (repeatable)."),
    ] = None,
) -> None:
    """Format, TF version, tag-sets, signatures, variables, assets, devices, unknown ops, verdict.

    Exit 0 when every model was read (whatever its verdict), 2 when a path or model is unreadable.
    """
    from migrate.inspect import inspect_paths  # noqa: PLC0415 - imports TensorFlow's protos
    from migrate.inspect.render import render  # noqa: PLC0415

    report = inspect_paths(paths, allow_set(allow_op))
    if json_out:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        render(report, console)
    if html is not None:
        from migrate.report_html import inventory_from_inspect, render_inventory, write_report  # noqa: PLC0415

        write_report(html, render_inventory(inventory_from_inspect(report)))
        (err_console if json_out else console).print(f"HTML report written to {html}")
    raise typer.Exit(2 if report["errors"] else 0)
