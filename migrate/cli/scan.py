"""`tf-migrate scan`: refuse-list ops and escaping paths in models, without running anything."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migrate.cli._common import console, err_console, exits_on_error

if TYPE_CHECKING:
    from migrate.security.report import ScanRun


def allow_set(values: list[str] | None) -> frozenset[str]:
    """Accept `--allow-op A --allow-op B` and `--allow-op A,B`."""
    return frozenset(n.strip() for v in values or [] for n in v.split(",") if n.strip())


@exits_on_error
def scan(
    paths: Annotated[
        list[Path],
        typer.Argument(help="SavedModel dirs, TF Serving bases, .meta, .pb/.pbtxt, or trees."),
    ],
    allow_op: Annotated[
        list[str] | None, typer.Option("--allow-op", help="Do not report this op (repeatable).")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print a JSON report on stdout instead of text.")
    ] = False,
) -> None:
    """Find ops that touch files, network, Python or the process, and paths leaving the model.

    Exit 0 clean, 1 findings, 2 unreadable input (3: both, in a tree).
    """
    from migrate.security.report import scan_paths  # noqa: PLC0415 - imports TensorFlow's protos

    run = scan_paths(paths, allow_set(allow_op))
    if json_out:
        sys.stdout.write(json.dumps(run.to_json(), indent=2) + "\n")
    else:
        _render(run)
    raise typer.Exit(run.exit_code)


def _render(run: ScanRun) -> None:
    from rich.table import Table  # noqa: PLC0415

    for model in run.models:
        where = f"{model.ref.path}" + (
            f" (version {model.ref.version})" if model.ref.version else ""
        )
        if model.clean:
            allowed = sorted({f.op for _, r in model.graphs for f in r.allowed})
            note = f" (allowed: {', '.join(allowed)})" if allowed else ""
            console.print(f"[green]clean[/] {where}{note}", highlight=False)
        else:
            console.print(f"[bold red]UNSAFE[/] {where}", highlight=False)
        findings = [(label, f) for label, r in model.graphs for f in r.findings]
        if findings:
            table = Table("op", "node", "function", "graph", "why", show_edge=False)
            for label, f in findings:
                table.add_row(f.op, f.node, f.function or "-", label, f"{f.category}: {f.reason}")
            console.print(table)
            ops = sorted({f.op for _, f in findings})
            console.print(
                "  to accept: " + " ".join(f"--allow-op {op}" for op in ops), highlight=False
            )
        for problem in model.paths:
            style = "bold red]refused" if problem.refused else "yellow]sanitized"
            console.print(f"  [{style}[/] {problem.where}: {problem.message}", highlight=False)
    for _path, message in run.errors:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    unsafe = sum(not m.clean for m in run.models)
    console.print(
        f"{len(run.models)} model(s) scanned: {unsafe} unsafe, {len(run.errors)} unreadable.",
        highlight=False,
    )
