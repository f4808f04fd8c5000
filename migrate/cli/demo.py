"""`tf-migrate demo`: the main job end to end on a TF1 model the project builds itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from migrate.cli._common import console, exits_on_error
from migrate.errors import ConversionError, OutputExistsError

MARKER = ".tf-migrate-demo"


@exits_on_error
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Where the demo writes its TF1 and TF2 models.")
    ] = Path("tf-migrate-demo"),
    case: Annotated[
        str, typer.Option(help="Which corpus model to build (see corpus/models).")
    ] = "linear_ref",
) -> None:
    """Build a small TF1 model with ref variables, convert it, verify parity, say where it went."""
    from migrate.converter.pipeline import ConvertOptions, convert  # noqa: PLC0415 - imports TensorFlow
    from migrate.converter.verification import verify_paths
    from migrate.parity.gate import ParityOptions  # noqa: PLC0415
    from migrate.parity.report import render  # noqa: PLC0415

    if workdir.exists():
        if not (workdir / MARKER).exists():
            raise OutputExistsError(
                "exists and was not made by the demo.", path=workdir, fix="pass another --workdir."
            )
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / MARKER).write_text("made by tf-migrate demo; safe to delete\n")
    console.print(f"1. building the TF1 model '{case}' with tf.compat.v1 (ref variables) ...")
    built = subprocess.run(
        [sys.executable, "-m", "corpus.models.build", str(workdir / "tf1"), "--case", case],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        raise ConversionError(
            f"building the demo model failed: {built.stderr.strip().splitlines()[-1:]}"
        )
    tf1 = workdir / "tf1" / case / "saved_model"
    tf2 = workdir / "tf2"
    console.print(f"2. converting {tf1} -> {tf2} ...")
    report = convert(tf1, tf2, ConvertOptions())[0]
    trainable = [v.name for v in report.variables if v.trainable]
    console.print(
        f"   {report.rewritten_ref_variables} ref variable(s) became resource variables;"
        f" trainable: {', '.join(trainable)}"
    )
    console.print("3. verifying the TF2 model against the TF1 original (tf.compat.v1.Session) ...")
    result = verify_paths(tf1, tf2, ParityOptions())
    render(result, console)
    console.print(f"TF2 SavedModel written to {tf2.resolve()}")
    if not result.passed:
        raise typer.Exit(1)
