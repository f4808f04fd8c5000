"""`tf-migrate verify`: the CI parity gate between a TF1 model and its TF2 counterpart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migrate.cli._common import (
    console,
    exits_on_error,
    parity_options,
    parse_ranges,
    split_tags,
    write_parity_html,
)
from migrate.errors import InputError


def _parse_tolerances(values: list[str]) -> dict[str, object]:
    from migrate.parity.compare import Tolerance  # noqa: PLC0415

    found: dict[str, object] = {}
    for text in values:
        name, _, span = text.partition("=")
        atol, _, rtol = span.partition(":")
        try:
            found[name] = Tolerance(float(atol), float(rtol or 0.0))
        except ValueError:
            raise InputError(
                f"bad --tol '{text}'.",
                fix="write it as OUTPUT=ATOL:RTOL or SIGNATURE/OUTPUT=ATOL:RTOL.",
            ) from None
    return found


@exits_on_error
def verify(
    reference: Annotated[
        Path,
        typer.Argument(
            help="The original model: TF1 SavedModel, .meta + checkpoint, frozen GraphDef,"
            " or TF2 SavedModel."
        ),
    ],
    candidate: Annotated[Path, typer.Argument(help="The model to check against it.")],
    signature: Annotated[
        list[str] | None,
        typer.Option(
            help="Compare only this signature, or define one for a .meta/frozen reference:"
            " NAME:in->out (repeatable)."
        ),
    ] = None,
    tags: Annotated[
        str | None, typer.Option(help="Tag-set of a TF1 reference with several MetaGraphDefs.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for generated inputs.")] = 0,
    batch_size: Annotated[int, typer.Option(help="Size used for unknown dimensions.")] = 2,
    value_range: Annotated[
        list[str] | None, typer.Option(help="Input range NAME=LOW:HIGH (repeatable).")
    ] = None,
    atol: Annotated[float, typer.Option(help="Absolute tolerance.")] = 1e-5,
    rtol: Annotated[float, typer.Option(help="Relative tolerance.")] = 1e-5,
    tol: Annotated[
        list[str] | None,
        typer.Option(help="Per-output tolerance OUTPUT=ATOL:RTOL (repeatable)."),
    ] = None,
    equal_nan: Annotated[
        bool, typer.Option("--equal-nan", help="Treat NaN == NaN as equal.")
    ] = False,
    inputs: Annotated[
        Path | None,
        typer.Option(
            "--inputs",
            "--load-inputs",
            help=".npz of inputs (keys INPUT or SIGNATURE/INPUT), e.g. from --save-inputs.",
        ),
    ] = None,
    input_examples: Annotated[
        Path | None, typer.Option(help="JSON {input: [tf.Example as dict, ...]}.")
    ] = None,
    sequence: Annotated[
        Path | None, typer.Option(help="JSON list of signature calls for stateful models.")
    ] = None,
    warmup: Annotated[
        Path | None,
        typer.Option(help="TF Serving warmup file (default: the model's assets.extra one)."),
    ] = None,
    no_warmup: Annotated[
        bool, typer.Option("--no-warmup", help="Do not use the models' warmup requests.")
    ] = False,
    allow_op: Annotated[
        list[str] | None,
        typer.Option(
            help="Run the models even though they contain this denylisted op"
            " (repeatable; see docs/security.md)."
        ),
    ] = None,
    reference_device: Annotated[str, typer.Option(help="cpu, gpu or gpu:N.")] = "cpu",
    candidate_device: Annotated[str, typer.Option(help="cpu, gpu or gpu:N.")] = "cpu",
    json_report: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON report here.")
    ] = None,
    junit: Annotated[Path | None, typer.Option(help="Write a JUnit XML report here.")] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write a self-contained HTML report with error plots here."),
    ] = None,
    save_inputs: Annotated[
        Path | None, typer.Option(help="Save the inputs used to this .npz.")
    ] = None,
) -> None:
    """Compare two models output by output; exit 0 pass, 1 mismatch, 2 error."""
    from migrate.converter.signature_flags import is_definition, parse_flag  # noqa: PLC0415
    from migrate.converter.verification import verify_paths  # noqa: PLC0415
    from migrate.parity import inputs_io, report  # noqa: PLC0415 - imports TensorFlow
    from migrate.parity.compare import Tolerance  # noqa: PLC0415
    from migrate.parity.warmup import calls_for_verify  # noqa: PLC0415

    keys = tuple(text for text in signature or () if not is_definition(text))
    definitions = tuple(parse_flag(text) for text in signature or () if is_definition(text))

    given: dict[str, dict[str, object]] = {}
    if inputs is not None:
        given = inputs_io.load_npz(inputs)
    if input_examples is not None:
        given.setdefault("*", {}).update(inputs_io.load_examples(input_examples))
    options = parity_options(
        keys,
        seed=seed,
        atol=atol,
        rtol=rtol,
        batch_size=batch_size,
        value_ranges=parse_ranges(value_range or []),
        per_output=_parse_tolerances(tol or []),
        sequence=inputs_io.load_sequence(sequence) if sequence is not None else None,
        given_inputs=given,
        given_calls=calls_for_verify(
            warmup,
            no_warmup,
            (reference, candidate),
            sequence is not None,
            lambda text: console.print(text, highlight=False, markup=False, soft_wrap=True),
        ),
    )
    options.tolerance = Tolerance(atol, rtol, equal_nan)
    result = verify_paths(
        reference,
        candidate,
        options,
        reference_device,
        candidate_device,
        split_tags(tags),
        definitions,
        frozenset(allow_op or ()),
    )
    report.render(result, console)
    if json_report is not None:
        report.write_json(result, json_report)
    if junit is not None:
        report.write_junit(result, junit)
    if html is not None:
        write_parity_html(result, html)
    if save_inputs is not None:
        inputs_io.save_npz(save_inputs, result.feeds)
    if not result.passed:
        raise typer.Exit(1)
