"""The stages of `convert` after loading: rewrite graph -> import -> prune -> export.

Each stage is a function that takes the previous stages' results and returns its own frozen
result; nothing is filled in later. `pipeline.convert_model` calls them in a straight line and
`report.build_report` assembles the report from their results.

To add a graph rewrite (e.g. legacy ops, input shapes), append a `GraphPass` to `GRAPH_PASSES`:
it edits the conversion copy of the MetaGraphDef in place and returns a `PassResult`.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import message
from tensorflow.core.framework import types_pb2
from tensorflow.core.protobuf import meta_graph_pb2

from migrate.converter import export, ref_to_resource, wrapped_graph
from migrate.converter.loaders import TF1Model
from migrate.converter.wrapped_graph import SignatureInfo, WrappedGraph
from migrate.errors import ConversionError, SignatureError
from migrate.graphs import legacy_ops
from migrate.reader import ModelFormat


@dataclass(frozen=True)
class PassResult:
    """What one graph pass changed: a count for the report, and warnings for the user."""

    name: str
    changed: int
    warnings: tuple[str, ...] = ()


GraphPass = Callable[[meta_graph_pb2.MetaGraphDef, Path], PassResult]


def legacy_semantics_pass(meta: meta_graph_pb2.MetaGraphDef, path: Path) -> PassResult:
    """TF 1.0-era op semantics restored with today's ops; removed ops refused (exit 2)."""
    warnings = legacy_ops.apply(meta, path)
    return PassResult("legacy_semantics", len(warnings), tuple(warnings))


def ref_variables_pass(meta: meta_graph_pb2.MetaGraphDef, path: Path) -> PassResult:
    """Ref variables -> resource variables, signatures re-pointed, tables shared."""
    rewrite = ref_to_resource.rewrite_graph(meta.graph_def)
    ref_to_resource.fix_meta_graph(meta, rewrite)
    ref_to_resource.share_table_resources(meta.graph_def)
    return PassResult("ref_to_resource", len(rewrite.variables))


# Legacy semantics first: it fixes placeholder shapes that the ref rewrite copies into signatures.
GRAPH_PASSES: tuple[GraphPass, ...] = (legacy_semantics_pass, ref_variables_pass)


@dataclass(frozen=True)
class Rewritten:
    """The rewritten conversion graph and the signatures to export, read from it once."""

    meta: meta_graph_pb2.MetaGraphDef
    signatures: Mapping[str, SignatureInfo]
    passes: tuple[PassResult, ...]

    def changed(self, name: str) -> int:
        return sum(result.changed for result in self.passes if result.name == name)


@dataclass(frozen=True)
class Imported:
    """The graph imported with wrap_function: variables lifted, restored, initialized."""

    graph: WrappedGraph


@dataclass(frozen=True)
class Pruned:
    """One concrete function per signature key."""

    functions: Mapping[str, Any]


@dataclass(frozen=True)
class Exported:
    """Where the TF2 SavedModel was written, and what could not be copied."""

    out: Path
    warnings: tuple[str, ...]


def rewrite(
    model: TF1Model, wanted: tuple[str, ...], passes: tuple[GraphPass, ...] = GRAPH_PASSES
) -> Rewritten:
    """Check the wanted signatures, then run every graph pass on a copy of the graph."""
    keys = select_signature_keys(model.meta, wanted, model.path)
    meta = copy.deepcopy(model.conversion_meta)
    try:
        results = tuple(graph_pass(meta, model.path) for graph_pass in passes)
    except message.DecodeError as error:  # e.g. a corrupt VariableDef inside a collection
        raise ConversionError(
            f"the graph's collections are corrupt ({error}).",
            path=model.path,
            fix="the file is damaged; copy it again from the original export.",
        ) from None
    infos = wrapped_graph.signature_infos(meta)
    # Sorted: protobuf map order differs from run to run, the report must not.
    return Rewritten(meta, {key: infos[key] for key in sorted(infos) if key in keys}, results)


def select_signature_keys(
    meta: meta_graph_pb2.MetaGraphDef, wanted: tuple[str, ...], path: Path
) -> frozenset[str]:
    """The signature keys to convert (all without --signature), each with valid dtypes."""
    available = {key: sig for key, sig in meta.signature_def.items() if not key.startswith("__")}
    unknown = [key for key in wanted if key not in available]
    if unknown:
        raise SignatureError(
            f"no signature named {', '.join(unknown)};"
            f" available: {', '.join(sorted(available)) or '(none)'}.",
            path=path,
            fix="pass one of the available keys to --signature.",
        )
    chosen = {key: sig for key, sig in available.items() if not wanted or key in wanted}
    for key, sig in chosen.items():
        for side, tensors in (("input", sig.inputs), ("output", sig.outputs)):
            for name, tensor in tensors.items():
                if (
                    tensor.dtype not in types_pb2.DataType.values()
                    or tensor.dtype == types_pb2.DT_INVALID
                ):
                    raise SignatureError(
                        f"signature '{key}' {side} '{name}' has no valid dtype ({tensor.dtype}).",
                        path=path,
                        fix="the SignatureDef is corrupt; re-export the model"
                        " or define the signature with --signature.",
                    )
    return frozenset(chosen)


def import_graph(model: TF1Model, rewritten: Rewritten) -> Imported:
    graph = wrapped_graph.import_meta_graph(
        rewritten.meta, model.checkpoint, dict(model.assets), model.initial_values
    )
    return Imported(graph)


def prune(imported: Imported, rewritten: Rewritten) -> Pruned:
    return Pruned(
        {
            key: wrapped_graph.prune_signature(imported.graph, info)
            for key, info in rewritten.signatures.items()
        }
    )


def export_model(
    model: TF1Model,
    rewritten: Rewritten,
    imported: Imported,
    pruned: Pruned,
    out: Path,
    keep_method_names: bool,
) -> Exported:
    out.mkdir(parents=True, exist_ok=True)
    module = export.ConvertedModel(imported.graph)
    export.save(module, dict(pruned.functions), dict(rewritten.signatures), out, keep_method_names)
    return Exported(out, _copy_assets_extra(model, out))


def _copy_assets_extra(model: TF1Model, out: Path) -> tuple[str, ...]:
    """TF Serving reads `assets.extra/` (warmup requests) beside saved_model.pb: keep it."""
    extra = model.path / "assets.extra"
    if model.source_format is not ModelFormat.SAVED_MODEL or not extra.is_dir():
        return ()
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
    if not skipped:
        return ()
    return (f"assets.extra: did not copy symlinks/special files {', '.join(skipped)}.",)
