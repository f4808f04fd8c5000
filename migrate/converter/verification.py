"""Verification: `convert`'s verify stage and `tf-migrate verify` of two models by path.

Opening a model by path needs the converter's loaders (`.meta`, frozen graphs), so this lives
above both `converter.loaders` and `parity`; `parity` itself never imports the converter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate import reader
from migrate.converter.loaders import TF1Model
from migrate.errors import InputError, MigrateError, ParityError
from migrate.parity.gate import ParityOptions, ParityReport, compare_runners
from migrate.reader import ModelFormat

if TYPE_CHECKING:
    from migrate.parity.runners import Runner


@dataclass(frozen=True)
class Verified:
    """The parity result (None when verification was off or there was nothing to call)."""

    parity: ParityReport | None
    warnings: tuple[str, ...] = ()


def verify(model: TF1Model, out: Path, options: ParityOptions) -> Verified:
    """Run both models on the same inputs; a difference raises ParityError (exit 1)."""
    from migrate.parity import report as parity_report  # noqa: PLC0415
    from migrate.parity.runners import TF2EagerRunner, tf1_runner  # noqa: PLC0415

    parity, warnings = _with_warmup(options, model)
    reference = tf1_runner(model)
    try:
        result = compare_runners(reference, TF2EagerRunner(out), parity)
    finally:
        reference.close()
    result.reference, result.candidate = str(model.path), "converted"
    if not result.passed:
        raise ParityError(
            f"the converted model differs from the original: {parity_report.summary_line(result)}.",
            path=model.path,
            fix="see the parity table; loosen --atol/--rtol only if the difference is expected.",
            details=result,
        )
    return Verified(result, warnings)


def _with_warmup(parity: ParityOptions, model: TF1Model) -> tuple[ParityOptions, tuple[str, ...]]:
    """TF Serving warmup requests are real traffic: check them too, unless calls were given."""
    from migrate.parity.warmup import find_warmup, load_warmup  # noqa: PLC0415

    found = find_warmup(model.path) if model.source_format is ModelFormat.SAVED_MODEL else None
    if found is None or parity.given_calls or parity.sequence:
        return parity, ()
    try:
        calls = load_warmup(found).calls()
    except MigrateError as error:
        return parity, (f"parity ignored the warmup file: {error}",)
    note = f"parity also ran the {len(calls)} warmup request(s) in {found.name}."
    return dataclasses.replace(parity, given_calls=calls), (note,)


def verify_paths(
    reference: Path,
    candidate: Path,
    options: ParityOptions,
    reference_device: str = "cpu",
    candidate_device: str = "cpu",
    reference_tags: frozenset[str] | None = None,
    reference_definitions: tuple[Any, ...] = (),
    allow_ops: frozenset[str] = frozenset(),
) -> ParityReport:
    """Open both sides on their devices (fresh instances) and compare them."""
    from migrate.parity.devices import parse_device, require_device  # noqa: PLC0415

    ref_device = require_device(parse_device(reference_device))
    cand_device = require_device(parse_device(candidate_device))
    ref_runner = open_runner(
        reference, reference_tags, ref_device, reference_definitions, allow_ops
    )
    cand_runner = open_runner(candidate, None, cand_device, allow_ops=allow_ops)
    report = compare_runners(ref_runner, cand_runner, options)
    report.reference, report.candidate = str(reference), str(candidate)
    return report


def open_runner(
    path: Path,
    tags: frozenset[str] | None = None,
    device: str = "/device:CPU:0",
    definitions: tuple[Any, ...] = (),
    allow_ops: frozenset[str] = frozenset(),
) -> Runner:
    """SavedModels (TF1 or TF2, newest version of a base) by path.

    `.meta`/frozen graphs need `definitions`.

    Every graph is scanned for denylisted ops, and SavedModel asset names for paths leaving
    `assets/`, before TensorFlow loads (and so runs) anything.
    """
    from migrate.converter.checkpoint_check import check_checkpoint  # noqa: PLC0415
    from migrate.converter.loaders import LoadOptions, load_tf1_model  # noqa: PLC0415
    from migrate.parity.runners import (  # noqa: PLC0415
        TF1GraphRunner,
        TF1SessionRunner,
        TF2EagerRunner,
    )
    from migrate.security.assets import asset_file_defs  # noqa: PLC0415
    from migrate.security.scan import ensure_safe  # noqa: PLC0415

    fmt = reader.detect_format(Path(path))
    if fmt is not reader.ModelFormat.SAVED_MODEL:
        options = LoadOptions(tags=tags, definitions=tuple(definitions), allow_ops=allow_ops)
        return TF1GraphRunner(load_tf1_model(Path(path), options, fmt), device)
    if definitions:
        raise InputError(
            "--signature NAME:in->out defines signatures for .meta/checkpoint and frozen "
            "GraphDef models only.",
            path=path,
            fix="select the SavedModel's own signatures by key instead (--signature KEY).",
        )
    target = reader.find_saved_models(Path(path))[-1].path
    _, proto = reader.read_saved_model(target)
    tf2 = any(len(meta.object_graph_def.nodes) > 0 for meta in proto.meta_graphs)
    meta = proto.meta_graphs[0] if tf2 else reader.select_meta_graph(proto, tags, target)
    ensure_safe(meta, source=target, allow_ops=allow_ops)
    for asset in asset_file_defs(meta):
        reader.check_contained_path(asset.filename, target / "assets")
    prefix = reader.variables_prefix(target, meta)
    if prefix is not None:
        check_checkpoint(prefix)  # a corrupt index can abort the process inside TF's restore kernel
    return TF2EagerRunner(target, device) if tf2 else TF1SessionRunner(target, tags, device)
