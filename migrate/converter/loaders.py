"""Every TF1 form, loaded into one shape: a MetaGraphDef with signatures, a checkpoint, assets.

SavedModels, `.meta` + checkpoint and frozen GraphDefs differ only in where the graph, the
variable values and the signatures come from; after `load_tf1_model` the rest of the pipeline
(ref → resource rewrite, wrap_function import, prune, export, parity) never asks which it was.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.saved_model import loader_impl

from migrate.converter import candidates, graph_sources, signature_flags, source, unfreeze
from migrate.converter.checkpoint_check import check_checkpoint
from migrate.converter.graph_sources import SourceFormat
from migrate.converter.signature_flags import SignatureFlag
from migrate.errors import InputError, SignatureError
from migrate.security.model import asset_file_defs
from migrate.security.paths import check_contained_path
from migrate.security.scan import ensure_safe


@dataclass(frozen=True)
class LoadOptions:
    tags: frozenset[str] | None = None
    definitions: tuple[SignatureFlag, ...] = ()
    unfreeze: bool = False
    unfreeze_min_elements: int = 16
    allow_ops: frozenset[str] = frozenset()


@dataclass
class TF1Model:
    """A TF1 model ready for conversion; `meta` is the original graph (the TF1 side of parity)."""

    path: Path
    source_format: SourceFormat
    meta: meta_graph_pb2.MetaGraphDef
    checkpoint: str | None = None
    assets: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    signature_origin: str = "signature_def"
    graph_for_conversion: meta_graph_pb2.MetaGraphDef | None = None  # unfrozen copy, when asked
    initial_values: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self.meta.meta_info_def.tags)

    def conversion_graph(self) -> meta_graph_pb2.MetaGraphDef:
        """A copy to rewrite in place; the original stays untouched for the TF1 reference run."""
        return copy.deepcopy(self.graph_for_conversion or self.meta)


def load_tf1_model(path: Path, options: LoadOptions = LoadOptions()) -> TF1Model:
    """One model at `path` (a single SavedModel dir, `.meta`/checkpoint, or frozen GraphDef)."""
    kind = graph_sources.detect_format(Path(path))
    if kind is SourceFormat.SAVED_MODEL:
        model = _saved_model(Path(path), options)
    elif kind is SourceFormat.META_CHECKPOINT:
        model = _meta_checkpoint(Path(path), options)
    else:
        model = _frozen_graph(Path(path), options)
    _check_node_names(model)
    # Before anything runs: dangerous ops (also inside function bodies) refuse the model (exit 1).
    ensure_safe(model.meta, source=model.path, allow_ops=options.allow_ops)
    if model.checkpoint is not None:
        check_checkpoint(model.checkpoint)
    _attach_signatures(model, options.definitions)
    if options.unfreeze:
        _unfreeze(model, options.unfreeze_min_elements)
    return model


_NODE_NAME = re.compile(r"[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*")  # TF's own rule for op names


def _check_node_names(model: TF1Model) -> None:
    """TF refuses such graphs too, but only after our graph surgery has parsed `name:index` strings."""
    bad = [node.name for node in model.meta.graph_def.node if not _NODE_NAME.fullmatch(node.name)]
    if bad:
        raise InputError(
            f"the graph has {len(bad)} node(s) with an invalid name, e.g. {bad[0][:80]!r}.",
            path=model.path,
            fix="the graph is corrupt; copy it again from the original export.",
        )


def _saved_model(path: Path, options: LoadOptions) -> TF1Model:
    proto = source.read_saved_model(path)
    meta = copy.deepcopy(source.select_meta_graph(proto, options.tags, path))
    model = TF1Model(path, SourceFormat.SAVED_MODEL, meta, source.variables_prefix(path, meta))
    model.assets = _saved_model_assets(path, meta)
    return model


def _meta_checkpoint(src: Path, options: LoadOptions) -> TF1Model:
    located = graph_sources.locate_meta_checkpoint(src)
    meta = graph_sources.read_meta_graph(located.meta_path)
    if options.tags is not None and frozenset(meta.meta_info_def.tags) not in (
        options.tags,
        frozenset(),
    ):
        raise InputError(
            f"the .meta graph has tags {','.join(sorted(meta.meta_info_def.tags))}, not {','.join(sorted(options.tags))}.",
            path=located.meta_path,
            fix="drop --tags: a .meta file holds one graph.",
        )
    needs_values = graph_sources.has_variables(meta.graph_def) and meta.HasField("saver_def")
    if needs_values and located.prefix is None:
        raise InputError(
            "has variables but no checkpoint beside it (no .index/.data files, no `checkpoint` state file).",
            path=located.meta_path,
            fix="copy the checkpoint files written with this .meta, or pass the checkpoint prefix (DIR/model.ckpt-N).",
        )
    if not meta.meta_info_def.tags:
        meta.meta_info_def.tags.append("serve")
    prefix = str(located.prefix) if needs_values and located.prefix is not None else None
    return TF1Model(located.meta_path, SourceFormat.META_CHECKPOINT, meta, prefix)


def _frozen_graph(path: Path, options: LoadOptions) -> TF1Model:
    graph_def = graph_sources.read_graph_def(path)
    model = TF1Model(
        path, SourceFormat.FROZEN_GRAPH, graph_sources.meta_graph_from_graph_def(graph_def)
    )
    if not options.unfreeze:
        model.warnings.append(
            "frozen graph: weights are constants, so the TF2 model has no trainable variables (see --unfreeze)."
        )
    return model


def _attach_signatures(model: TF1Model, definitions: tuple[SignatureFlag, ...]) -> None:
    """--signature definitions win; then the graph's own SignatureDefs; then inputs/outputs collections."""
    if definitions:
        signature_flags.add_signature_defs(model.meta, list(definitions), model.path)
        model.signature_origin = "--signature"
        return
    if any(not key.startswith("__") for key in model.meta.signature_def):
        return
    from_collections = signature_flags.collection_flag(model.meta)
    if from_collections is not None:
        signature_flags.add_signature_defs(model.meta, [from_collections], model.path)
        model.signature_origin = "inputs/outputs collections"
        return
    if model.source_format is SourceFormat.SAVED_MODEL:
        return  # a SavedModel without signatures still carries variables and assets worth keeping
    built = candidates.auto_signature(model.meta.graph_def)  # issue 17: one clear sink
    if built is not None:
        signature_flags.add_signature_defs(
            model.meta, [signature_flags.parse_flag(built[0])], model.path
        )
        model.signature_origin, model.warnings = "built automatically", [*model.warnings, built[1]]
        return
    message, fix = candidates.no_signature_message(model.meta.graph_def)
    raise SignatureError(message, path=model.path, fix=fix)


def _unfreeze(model: TF1Model, min_elements: int) -> None:
    if model.source_format is not SourceFormat.FROZEN_GRAPH:
        raise InputError(
            "--unfreeze applies to frozen GraphDefs only.", path=model.path, fix="drop --unfreeze."
        )
    graph = copy.deepcopy(model.meta)
    model.initial_values = unfreeze.unfreeze(graph, min_elements).values
    model.graph_for_conversion = graph
    if not model.initial_values:
        model.warnings.append(
            f"--unfreeze found no float constant read as NAME/read or with ≥{min_elements} elements."
        )


def _saved_model_assets(path: Path, meta: meta_graph_pb2.MetaGraphDef) -> dict[str, str]:
    """Asset tensor -> file, refusing (exit 1) any name that would lead out of `assets/`."""
    for asset in asset_file_defs(meta):
        check_contained_path(asset.filename, path / "assets")
    found = loader_impl.get_asset_tensors(str(path), meta)
    checked: dict[str, str] = {}
    for tensor, file_path in found.items():
        file_path = file_path.decode() if isinstance(file_path, bytes) else file_path
        resolved = Path(file_path).resolve()  # every AssetFileDef name was checked above
        if not resolved.is_file():
            raise InputError(
                "asset file is missing.",
                path=resolved,
                fix="copy the model's assets/ directory too.",
            )
        checked[tensor] = str(resolved)
    return checked
