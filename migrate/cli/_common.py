"""What every command shares: console, error-to-exit-code mapping."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from migrate.errors import InputError, MigrateError

if TYPE_CHECKING:
    from migrate.parity.gate import ParityOptions, ParityReport

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def exits_on_error(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn a MigrateError into its one-line message and exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except MigrateError as error:
            err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def split_tags(tags: str | None) -> frozenset[str] | None:
    if tags is None:
        return None
    return frozenset(tag.strip() for tag in tags.split(",") if tag.strip())


def parity_options(
    signatures: Sequence[str], *, seed: int, atol: float, rtol: float, **extra: Any
) -> ParityOptions:
    from migrate.parity.compare import Tolerance  # noqa: PLC0415
    from migrate.parity.gate import ParityOptions  # noqa: PLC0415
    from migrate.parity.inputs import InputOptions  # noqa: PLC0415

    input_options = InputOptions(
        seed=seed, **{k: v for k, v in extra.items() if k in ("batch_size", "value_ranges")}
    )
    rest = {k: v for k, v in extra.items() if k not in ("batch_size", "value_ranges")}
    return ParityOptions(
        signatures=tuple(signatures), inputs=input_options, tolerance=Tolerance(atol, rtol), **rest
    )


def render_parity_failure(error: MigrateError) -> None:
    from migrate.parity.report import render  # noqa: PLC0415

    details = getattr(error, "details", None)
    if details is not None:
        render(details, err_console)


def write_parity_html(report: ParityReport, path: Path) -> None:
    from migrate.report_html import render_parity, write_report  # noqa: PLC0415 - matplotlib

    write_report(path, render_parity(report, f"parity: {Path(report.candidate).name}"))
    console.print(f"HTML report written to {path}", highlight=False, soft_wrap=True)


def parse_ranges(values: Sequence[str]) -> tuple[tuple[str, float, float], ...]:
    """`--value-range NAME=LOW:HIGH`: class labels or vocabulary ids that must stay in range."""
    ranges = []
    for text in values:
        name, _, span = text.partition("=")
        low, _, high = span.partition(":")
        try:
            ranges.append((name, float(low), float(high)))
        except ValueError:
            raise InputError(
                f"bad --value-range '{text}'.", fix="write it as NAME=LOW:HIGH, e.g. x=0:1."
            ) from None
    return tuple(ranges)
