"""`convert`: locate -> rewrite graph -> import -> export -> verify, all into a staging dir."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.saved_model import loader_impl

from migrate.converter import export, ref_to_resource, source, wrapped_graph
from migrate.converter.report import ConversionReport, SignatureEntry, VariableEntry
from migrate.errors import InputError, ParityError, SignatureError
from migrate.parity.gate import ParityOptions
from migrate.fsutil import staged_directory


@dataclass(frozen=True)
class ConvertOptions:
    tags: frozenset[str] | None = None
    signatures: tuple[str, ...] = ()
    all_versions: bool = False
    force: bool = False
    keep_method_names: bool = True
    verify: bool = True
    parity: ParityOptions | None = None


def convert(src: Path, dst: Path, options: ConvertOptions = ConvertOptions()) -> list[ConversionReport]:
    """Convert every selected SavedModel under `src` into `dst`, atomically."""
    models = source.find_saved_models(Path(src), options.all_versions)
    reports: list[ConversionReport] = []
    with staged_directory(Path(dst), options.force) as staging:
        for model in models:
            out = staging / model.version if model.version else staging
            report = convert_saved_model(model.path, out, options)
            report.destination = str(Path(dst) / model.version) if model.version else str(dst)
            reports.append(report)
    return reports


def convert_saved_model(path: Path, out: Path, options: ConvertOptions) -> ConversionReport:
    proto = source.read_saved_model(path)
    meta = copy.deepcopy(source.select_meta_graph(proto, options.tags, path))
    infos = _selected_signatures(meta, options.signatures, path)
    checkpoint = source.variables_prefix(path, meta)
    assets = _asset_paths(path, meta)
    report = _report_header(path, out, meta)
    report.warnings += _device_pin_warnings(meta)
    rewrite = ref_to_resource.rewrite_graph(meta.graph_def)
    ref_to_resource.fix_meta_graph(meta, rewrite)
    ref_to_resource.share_table_resources(meta.graph_def)
    report.rewritten_ref_variables = len(rewrite.variables)
    infos = {key: info for key, info in wrapped_graph.signature_infos(meta).items() if key in infos}
    graph = wrapped_graph.import_meta_graph(meta, checkpoint, assets)
    functions = {key: wrapped_graph.prune_signature(graph, info) for key, info in infos.items()}
    module = export.ConvertedModel(graph)
    out.mkdir(parents=True, exist_ok=True)
    export.save(module, functions, infos, out, options.keep_method_names)
    report.variables = [
        VariableEntry(v.name.split(":")[0], v.shape.as_list() if v.shape.rank is not None else [], v.dtype.name, v.trainable)
        for v in graph.variables
    ]
    report.signatures = [_signature_entry(info) for info in infos.values()]
    report.assets = sorted(Path(p).name for p in assets.values())
    if not infos:
        report.warnings.append("the model has no signatures; only variables and assets were exported.")
    if options.verify and infos:
        _verify(path, out, meta, options, report)
    return report


def _verify(path: Path, out: Path, meta: meta_graph_pb2.MetaGraphDef, options: ConvertOptions, report: ConversionReport) -> None:
    """TF1 semantics (Session) vs the written TF2 model (fresh load), on the same inputs."""
    from migrate.parity import report as parity_report  # noqa: PLC0415
    from migrate.parity.gate import compare_runners  # noqa: PLC0415
    from migrate.parity.runners import TF1SessionRunner, TF2EagerRunner  # noqa: PLC0415

    parity = options.parity or ParityOptions(signatures=options.signatures)
    reference = TF1SessionRunner(path, frozenset(meta.meta_info_def.tags))
    try:
        result = compare_runners(reference, TF2EagerRunner(out), parity)
    finally:
        reference.close()
    result.reference, result.candidate = str(path), "converted"
    report.parity = parity_report.to_dict(result)
    if not result.passed:
        raise ParityError(
            f"the converted model differs from the original: {parity_report.summary_line(result)}.",
            path=path,
            fix="see the parity table; loosen --atol/--rtol only if the difference is expected.",
            details=result,
        )


def _selected_signatures(meta: meta_graph_pb2.MetaGraphDef, wanted: tuple[str, ...], path: Path) -> dict[str, object]:
    infos = wrapped_graph.signature_infos(meta)
    unknown = [key for key in wanted if key not in infos]
    if unknown:
        raise SignatureError(
            f"no signature named {', '.join(unknown)}; available: {', '.join(sorted(infos)) or '(none)'}.",
            path=path,
            fix="pass one of the available keys to --signature.",
        )
    return {key: info for key, info in infos.items() if not wanted or key in wanted}


def _asset_paths(path: Path, meta: meta_graph_pb2.MetaGraphDef) -> dict[str, str]:
    found = loader_impl.get_asset_tensors(str(path), meta)
    root = (path / "assets").resolve()
    checked: dict[str, str] = {}
    for tensor, file_path in found.items():
        file_path = file_path.decode() if isinstance(file_path, bytes) else file_path
        resolved = Path(file_path).resolve()
        if root not in resolved.parents:
            raise InputError(
                f"asset '{file_path}' points outside the model's assets/ directory.",
                path=path,
                fix="refusing to follow it; fix the AssetFileDef filename in the model.",
            )
        if not resolved.is_file():
            raise InputError("asset file is missing.", path=resolved, fix="copy the model's assets/ directory too.")
        checked[tensor] = str(resolved)
    return checked


def _device_pin_warnings(meta: meta_graph_pb2.MetaGraphDef) -> list[str]:
    pinned = sorted({node.device for node in meta.graph_def.node if node.device and "CPU" not in node.device.upper()})
    if not pinned:
        return []
    return [f"cleared hard device pins {', '.join(pinned)}; TF2 places ops itself (use tf.device to pin)."]


def _report_header(path: Path, out: Path, meta: meta_graph_pb2.MetaGraphDef) -> ConversionReport:
    return ConversionReport(
        source=str(path),
        destination=str(out),
        source_format="saved_model",
        tags=sorted(meta.meta_info_def.tags),
        written_by=meta.meta_info_def.tensorflow_version or "unknown",
    )


def _signature_entry(info: wrapped_graph.SignatureInfo) -> SignatureEntry:
    def describe(items: dict[str, meta_graph_pb2.TensorInfo]) -> dict[str, str]:
        from tensorflow.python.framework import dtypes, tensor_shape  # noqa: PLC0415

        return {
            key: f"{dtypes.as_dtype(t.dtype).name}{tensor_shape.TensorShape(t.tensor_shape)}"
            for key, t in sorted(items.items())
        }

    return SignatureEntry(info.key, info.method_name, describe(info.inputs), describe(info.outputs))
