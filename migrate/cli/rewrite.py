"""`tf-migrate rewrite`: run the TF1 -> TF2 codemods over files, trees, notebooks or stdin.

Thin layer: argument parsing, printing and exit codes. The work lives in `codemods` (its
`__all__`); `codemods.CodemodError` becomes a one-line error with exit code 2 here.
Never imports TensorFlow. The codemods (LibCST and its matchers, ~0.4 s of imports) are
imported inside the command, so `tf-migrate --help` and the other commands never pay for
them; the runner imports LibCST itself only once a file actually needs parsing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migrate.cli._common import err_console, exits_on_error
from migrate.errors import MigrateError

if TYPE_CHECKING:
    from codemods import FileResult, Options


def _names(values: list[str] | None) -> list[str]:
    """Accept both `--select a --select b` and `--select a,b`."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


@exits_on_error
def rewrite(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    in_place: Annotated[
        bool, typer.Option("--in-place", "-i", help="Write changes (default: print a diff).")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if any file would change; write nothing.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these codemods (repeat or a,b).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these codemods (repeat or a,b).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of paths to skip (repeatable).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Parallel worker processes.")
    ] = 1,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report to this file.")
    ] = None,
) -> None:
    """Rewrite TF1 save/restore and loading code to TF2. Exit bits: 1 findings, 2 failures."""
    if check and in_place:
        raise MigrateError("--check and --in-place exclude each other.", fix="pass only one.")
    from codemods import CodemodError, Options, discover, select_codemods  # noqa: PLC0415
    from codemods.batch.report import exit_code, summary, write_report  # noqa: PLC0415

    try:  # codemods raise their own error; the CLI owns messages and exit codes
        commands = select_codemods(_names(select), _names(ignore))
        options = Options(commands=commands, write=in_place and not check, want_diff=not check)
        if paths == ["-"]:
            results = [_stdin(options)]
        elif "-" in paths:
            raise MigrateError("- (stdin) cannot be combined with other paths.")
        else:
            results = _batch(discover(paths, exclude or []), options, jobs)
    except CodemodError as error:
        raise MigrateError(error.message, path=error.path, fix=error.fix) from None
    code = exit_code(results, check)
    if report is not None:
        write_report(report, results, code)
    err_console.print(summary(results, check, options.write), highlight=False)
    raise typer.Exit(code)


def _stdin(options: Options) -> FileResult:
    from codemods import process_bytes  # noqa: PLC0415

    result = process_bytes(sys.stdin.buffer.read(), "-", options)
    if options.write and result.output is not None:
        sys.stdout.write(result.output)  # --in-place on stdin: the (new) source to stdout
    else:
        _show(result, options)
    return result


def _batch(paths: list[Path], options: Options, jobs: int) -> list[FileResult]:
    from codemods import run_batch  # noqa: PLC0415

    show_progress = err_console.is_terminal and len(paths) > 1
    if not show_progress:
        return run_batch(paths, options, jobs, lambda r: _show(r, options))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    columns = (TextColumn("rewrite"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("rewrite", total=len(paths))

        def on_result(result: FileResult) -> None:
            progress.advance(task)
            _show(result, options)

        return run_batch(paths, options, jobs, on_result)


def _show(result: FileResult, options: Options) -> None:
    """Diffs to stdout (unless writing); problems to stderr as path:line:col: CODE message."""
    if result.diff and not options.write:
        sys.stdout.write(result.diff)
    for finding in result.findings:
        where = f"{result.path}:" + (f"cell{finding.cell}:" if finding.cell is not None else "")
        err_console.print(
            f"{where}{finding.line}:{finding.col}: {finding.code} {finding.message}",
            highlight=False, markup=False, soft_wrap=True,
        )  # fmt: skip
    if result.status == "failed":
        line = f"{result.error_line}:" if result.error_line else ""
        err_console.print(
            f"{result.path}:{line} failed: {result.reason}",
            highlight=False, markup=False, soft_wrap=True,
        )  # fmt: skip
