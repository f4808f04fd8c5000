"""The `tf-migrate` command line: a thin Typer layer over the library.

Each sub-command lives in its own module and imports its heavy dependencies (TensorFlow)
inside the command body, so `tf-migrate rewrite` and `--help` never import TensorFlow.
"""

from __future__ import annotations

import typer

from migrate.cli import _quiet
from migrate.cli import convert as _convert
from migrate.cli import demo as _demo
from migrate.cli import fleet as _fleet
from migrate.cli import inspect as _inspect
from migrate.cli import rewrite as _rewrite
from migrate.cli import scan as _scan
from migrate.cli import verify as _verify

app = typer.Typer(
    name="tf-migrate",
    help="Migrate TensorFlow 1 code and models to TensorFlow 2.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.callback()(_quiet.global_options)
app.command("convert")(_convert.convert)
app.command("demo")(_demo.demo)
app.command("verify")(_verify.verify)
app.command("rewrite")(_rewrite.rewrite)
app.command("scan")(_scan.scan)
app.command("inspect")(_inspect.inspect)
app.command("fleet")(_fleet.fleet)


def main() -> None:
    app()
