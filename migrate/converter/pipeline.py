"""`convert`: load any TF1 form -> rewrite graph -> import -> export -> verify, all into a staging dir."""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import message
from tensorflow.core.framework import types_pb2
from tensorflow.core.protobuf import meta_graph_pb2

from migrate.converter import (
    export,
    graph_sources,
    legacy_ops,
    ref_to_resource,
    source,
    wrapped_graph,
)
from migrate.converter.graph_sources import SourceFormat
from migrate.converter.loaders import LoadOptions, TF1Model, load_tf1_model
from migrate.converter.report import ConversionReport, SignatureEntry, VariableEntry
from migrate.converter.signature_flags import SignatureFlag
from migrate.errors import ConversionError, MigrateError, ParityError, SignatureError
from migrate.fsutil import staged_directory
from migrate.parity.gate import ParityOptions


@dataclass(frozen=True)
class ConvertOptions:
    tags: frozenset[str] | None = None
    signatures: tuple[str, ...] = ()
    definitions: tuple[SignatureFlag, ...] = ()
    all_versions: bool = False
    force: bool = False
    keep_method_names: bool = True
    verify: bool = True
    parity: ParityOptions | None = None
    unfreeze: bool = False
    unfreeze_min_elements: int = 16
    allow_ops: frozenset[str] = frozenset()

    def load_options(self) -> LoadOptions:
        return LoadOptions(
            self.tags, self.definitions, self.unfreeze, self.unfreeze_min_elements, self.allow_ops
        )


def convert(
    src: Path, dst: Path, options: ConvertOptions = ConvertOptions()
) -> list[ConversionReport]:
    """Convert the TF1 model(s) at `src` into `dst`, atomically: DST is complete or absent."""
    src = Path(src)
    if graph_sources.detect_format(src) is SourceFormat.SAVED_MODEL:
        targets = [
            (model.path, model.version)
            for model in source.find_saved_models(src, options.all_versions)
        ]
    else:
        targets = [(src, None)]
    models = [(load_tf1_model(path, options.load_options()), version) for path, version in targets]
    reports: list[ConversionReport] = []
    with staged_directory(Path(dst), options.force) as staging:
        for model, version in models:
            out = staging / version if version else staging
            report = convert_model(model, out, options)
            report.destination = str(Path(dst) / version) if version else str(dst)
            reports.append(report)
    return reports


def convert_model(model: TF1Model, out: Path, options: ConvertOptions) -> ConversionReport:
    """rewrite refs -> import with wrap_function -> prune signatures -> export -> verify."""
    infos = _selected_signatures(model.meta, options.signatures, model.path)
    meta = model.conversion_graph()
    report_legacy = legacy_ops.apply(meta, model.path)  # issue 17: TF 1.0-era semantics
    report = _report_header(model, out)
    report.warnings += _device_pin_warnings(meta) + report_legacy
    try:
        rewrite = ref_to_resource.rewrite_graph(meta.graph_def)
        ref_to_resource.fix_meta_graph(meta, rewrite)
        ref_to_resource.share_table_resources(meta.graph_def)
    except message.DecodeError as error:  # e.g. a corrupt VariableDef inside a collection
        raise ConversionError(
            f"the graph's collections are corrupt ({error}).",
            path=model.path,
            fix="the file is damaged; copy it again from the original export.",
        ) from None
    report.rewritten_ref_variables = len(rewrite.variables)
    infos = {key: info for key, info in wrapped_graph.signature_infos(meta).items() if key in infos}
    graph = wrapped_graph.import_meta_graph(
        meta, model.checkpoint, model.assets, model.initial_values
    )
    functions = {key: wrapped_graph.prune_signature(graph, info) for key, info in infos.items()}
    module = export.ConvertedModel(graph)
    out.mkdir(parents=True, exist_ok=True)
    export.save(module, functions, infos, out, options.keep_method_names)
    report.warnings += _copy_assets_extra(model, out)
    report.variables = [
        VariableEntry(
            v.name.split(":")[0],
            v.shape.as_list() if v.shape.rank is not None else [],
            v.dtype.name,
            v.trainable,
        )
        for v in graph.variables
    ]
    report.signatures = [_signature_entry(info) for info in infos.values()]
    report.assets = sorted(Path(p).name for p in model.assets.values())
    if not infos:
        report.warnings.append(
            "the model has no signatures; only variables and assets were exported."
        )
    if options.verify and infos:
        _verify(model, out, options, report)
    return report


def _verify(model: TF1Model, out: Path, options: ConvertOptions, report: ConversionReport) -> None:
    """TF1 semantics (Session) vs the written TF2 model (fresh load), on the same inputs."""
    from migrate.parity import report as parity_report  # noqa: PLC0415
    from migrate.parity.gate import compare_runners  # noqa: PLC0415
    from migrate.parity.runners import TF2EagerRunner, tf1_runner  # noqa: PLC0415

    parity = _with_warmup(
        options.parity or ParityOptions(signatures=options.signatures), model, report
    )
    reference = tf1_runner(model)
    try:
        result = compare_runners(reference, TF2EagerRunner(out), parity)
    finally:
        reference.close()
    result.reference, result.candidate = str(model.path), "converted"
    report.parity = parity_report.to_dict(result)
    if not result.passed:
        raise ParityError(
            f"the converted model differs from the original: {parity_report.summary_line(result)}.",
            path=model.path,
            fix="see the parity table; loosen --atol/--rtol only if the difference is expected.",
            details=result,
        )


def _with_warmup(parity: ParityOptions, model: TF1Model, report: ConversionReport) -> ParityOptions:
    """TF Serving warmup requests are real traffic: check them too, unless the caller chose the calls."""
    from migrate.parity.warmup import find_warmup, load_warmup  # noqa: PLC0415

    found = find_warmup(model.path) if model.source_format is SourceFormat.SAVED_MODEL else None
    if found is None or parity.given_calls or parity.sequence:
        return parity
    try:
        calls = load_warmup(found).calls()
    except MigrateError as error:
        report.warnings.append(f"parity ignored the warmup file: {error}")
        return parity
    report.warnings.append(f"parity also ran the {len(calls)} warmup request(s) in {found.name}.")
    return dataclasses.replace(parity, given_calls=calls)


def _copy_assets_extra(model: TF1Model, out: Path) -> list[str]:
    """TF Serving reads `assets.extra/` (warmup requests) beside saved_model.pb: keep it, files only."""
    extra = model.path / "assets.extra"
    if model.source_format is not SourceFormat.SAVED_MODEL or not extra.is_dir():
        return []
    skipped = []
    for item in sorted(extra.rglob("*")):
        target = out / "assets.extra" / item.relative_to(extra)
        if item.is_symlink() or not (item.is_file() or item.is_dir()):
            skipped.append(str(item.relative_to(extra)))
        elif item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, target)
    return (
        [f"assets.extra: did not copy symlinks/special files {', '.join(skipped)}."]
        if skipped
        else []
    )


def _selected_signatures(
    meta: meta_graph_pb2.MetaGraphDef, wanted: tuple[str, ...], path: Path
) -> dict[str, object]:
    infos = wrapped_graph.signature_infos(meta)
    unknown = [key for key in wanted if key not in infos]
    if unknown:
        raise SignatureError(
            f"no signature named {', '.join(unknown)}; available: {', '.join(sorted(infos)) or '(none)'}.",
            path=path,
            fix="pass one of the available keys to --signature.",
        )
    chosen = {key: info for key, info in infos.items() if not wanted or key in wanted}
    for info in chosen.values():
        for side, tensors in (("input", info.inputs), ("output", info.outputs)):
            for name, tensor in tensors.items():
                if (
                    tensor.dtype not in types_pb2.DataType.values()
                    or tensor.dtype == types_pb2.DT_INVALID
                ):
                    raise SignatureError(
                        f"signature '{info.key}' {side} '{name}' has no valid dtype ({tensor.dtype}).",
                        path=path,
                        fix="the SignatureDef is corrupt; re-export the model or define the signature with --signature.",
                    )
    return chosen


def _device_pin_warnings(meta: meta_graph_pb2.MetaGraphDef) -> list[str]:
    pinned = sorted(
        {
            node.device
            for node in meta.graph_def.node
            if node.device and "CPU" not in node.device.upper()
        }
    )
    if not pinned:
        return []
    return [
        f"cleared hard device pins {', '.join(pinned)}; TF2 places ops itself (use tf.device to pin)."
    ]


def _report_header(model: TF1Model, out: Path) -> ConversionReport:
    report = ConversionReport(
        source=str(model.path),
        destination=str(out),
        source_format=model.source_format.value,
        tags=sorted(model.tags),
        written_by=model.meta.meta_info_def.tensorflow_version or "unknown",
        signature_origin=model.signature_origin,
    )
    report.warnings += model.warnings
    return report


def _signature_entry(info: wrapped_graph.SignatureInfo) -> SignatureEntry:
    def describe(items: dict[str, meta_graph_pb2.TensorInfo]) -> dict[str, str]:
        from tensorflow.python.framework import dtypes, tensor_shape  # noqa: PLC0415

        return {
            key: f"{dtypes.as_dtype(t.dtype).name}{tensor_shape.TensorShape(t.tensor_shape)}"
            for key, t in sorted(items.items())
        }

    return SignatureEntry(info.key, info.method_name, describe(info.inputs), describe(info.outputs))
