"""`tf-migrate convert`: TF1 model -> TF2 SavedModel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migrate.cli._common import exits_on_error


@exits_on_error
def convert(
    src: Annotated[Path, typer.Argument(help="TF1 SavedModel dir or TF Serving base dir.")],
    dst: Annotated[Path, typer.Argument(help="Where to write the TF2 SavedModel.")],
) -> None:
    """Convert a TF1 model to a TF2 SavedModel with trainable resource variables."""
    raise NotImplementedError
