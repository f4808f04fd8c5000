"""`tf-migrate convert`: TF1 model -> TF2 SavedModel, verified against the original."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migrate.cli._common import (
    console,
    exits_on_error,
    parity_options,
    parse_ranges,
    render_parity_failure,
    split_tags,
    write_parity_html,
)
from migrate.errors import InputError

if TYPE_CHECKING:
    from migrate.parity.gate import ParityReport


@exits_on_error
def convert(
    src: Annotated[
        Path,
        typer.Argument(
            help="TF1 SavedModel dir (or TF Serving / Estimator export base), .meta file,"
            " checkpoint prefix or dir, or frozen .pb/.pbtxt GraphDef."
        ),
    ],
    dst: Annotated[
        Path,
        typer.Argument(help="Where to write the TF2 SavedModel (must not exist unless --force)."),
    ],
    tags: Annotated[
        str | None, typer.Option(help="MetaGraphDef tag-set to convert, e.g. serve,gpu.")
    ] = None,
    signature: Annotated[
        list[str] | None,
        typer.Option(
            help="A key to convert, or a definition NAME:in1,in2->out1,out2 for graphs"
            " without signatures (repeatable)."
        ),
    ] = None,
    all_versions: Annotated[
        bool,
        typer.Option("--all-versions", help="Convert every numeric version, not only the newest."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace DST if it exists.")] = False,
    verify: Annotated[
        bool,
        typer.Option("--verify/--no-verify", help="Check numeric parity with the TF1 original."),
    ] = True,
    predict_method_names: Annotated[
        bool,
        typer.Option(
            "--predict-method-names",
            help="Write classify/regress signatures as predict (TF2's default).",
        ),
    ] = False,
    unfreeze: Annotated[
        bool,
        typer.Option(
            "--unfreeze",
            help="Frozen GraphDef: turn float weight constants back into trainable variables.",
        ),
    ] = False,
    unfreeze_min_elements: Annotated[
        int,
        typer.Option(
            help="--unfreeze: also constants with at least this many elements"
            " (NAME/read ones always)."
        ),
    ] = 16,
    allow_op: Annotated[
        list[str] | None,
        typer.Option(
            help="Run the model even though it contains this denylisted op"
            " (repeatable; see docs/security.md)."
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write a JSON conversion report here.")
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the parity check as a self-contained HTML report."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for generated parity inputs.")] = 0,
    value_range: Annotated[
        list[str] | None,
        typer.Option(help="Parity input range NAME=LOW:HIGH (repeatable), e.g. label=0:2."),
    ] = None,
    atol: Annotated[float, typer.Option(help="Absolute tolerance for the parity check.")] = 1e-5,
    rtol: Annotated[float, typer.Option(help="Relative tolerance for the parity check.")] = 1e-5,
) -> None:
    """Convert a TF1 model to a TF2 SavedModel with trainable resource variables."""
    from migrate.converter.pipeline import ConvertOptions  # noqa: PLC0415 - imports TensorFlow
    from migrate.converter.pipeline import convert as run_convert  # noqa: PLC0415
    from migrate.converter.report import write_reports  # noqa: PLC0415
    from migrate.converter.signature_flags import is_definition, parse_flag  # noqa: PLC0415
    from migrate.errors import ParityError  # noqa: PLC0415

    if html is not None and not verify:
        raise InputError("--html reports the parity check.", fix="drop --no-verify or --html.")
    checked: list[ParityReport] = []
    keys = tuple(text for text in signature or () if not is_definition(text))
    definitions = tuple(parse_flag(text) for text in signature or () if is_definition(text))
    options = ConvertOptions(
        tags=split_tags(tags),
        signatures=keys,
        definitions=definitions,
        unfreeze=unfreeze,
        unfreeze_min_elements=unfreeze_min_elements,
        allow_ops=frozenset(allow_op or ()),
        all_versions=all_versions,
        force=force,
        keep_method_names=not predict_method_names,
        verify=verify,
        parity=parity_options(
            keys,
            seed=seed,
            atol=atol,
            rtol=rtol,
            value_ranges=parse_ranges(value_range or []),
            on_result=checked.append,
        ),
    )
    try:
        reports = run_convert(src, dst, options)
    except ParityError as error:
        render_parity_failure(error)
        if html is not None and checked:
            write_parity_html(checked[-1], html)
        raise
    if report is not None:
        write_reports(report, reports)
    for item in reports:
        trainable = sum(v.trainable for v in item.variables)
        console.print(
            f"[bold green]converted[/] {item.source} -> {item.destination}:"
            f" {len(item.signatures)} signature(s), {len(item.variables)} variable(s)"
            f" ({trainable} trainable), {len(item.assets)} asset(s)",
            highlight=False,
        )
        for warning in item.warnings:
            console.print(f"[yellow]warning:[/] {warning}", highlight=False)
        if item.parity is not None:
            verdict = "PASSED" if item.parity.passed else "FAILED"
            console.print(f"parity: {verdict} ({len(item.parity.comparisons)} outputs compared)")
    if html is not None and checked:
        # --all-versions checks several models: the page shows the first that failed, else the last.
        write_parity_html(next((r for r in checked if not r.passed), checked[-1]), html)
