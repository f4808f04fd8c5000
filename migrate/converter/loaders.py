"""Every TF1 form, loaded into one shape: a MetaGraphDef with signatures, a checkpoint, assets.

SavedModels, `.meta` + checkpoint and frozen GraphDefs differ only in where the graph, the
variable values and the signatures come from; after `load_tf1_model` the rest of the pipeline
(ref → resource rewrite, wrap_function import, prune, export, parity) never asks which it was.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.saved_model import loader_impl

from migrate import reader
from migrate.converter import signature_flags, unfreeze
from migrate.converter.checkpoint_check import check_checkpoint
from migrate.converter.signature_flags import SignatureFlag
from migrate.errors import InputError, SignatureError
from migrate.graphs import candidates
from migrate.reader import ModelFormat, check_contained_path
from migrate.security.assets import asset_file_defs
from migrate.security.scan import ensure_safe


@dataclass(frozen=True)
class LoadOptions:
    tags: frozenset[str] | None = None
    definitions: tuple[SignatureFlag, ...] = ()
    unfreeze: bool = False
    unfreeze_min_elements: int = 16
    allow_ops: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TF1Model:
    """The load stage's result: a TF1 model ready for conversion.

    `meta` is the original graph (the TF1 side of parity); `conversion_meta` is what the later
    stages copy and rewrite (the unfrozen graph, when --unfreeze was asked for).
    """

    path: Path
    source_format: ModelFormat
    meta: meta_graph_pb2.MetaGraphDef
    checkpoint: str | None = None
    assets: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    signature_origin: str = "signature_def"
    graph_for_conversion: meta_graph_pb2.MetaGraphDef | None = None  # unfrozen copy, when asked
    initial_values: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self.meta.meta_info_def.tags)

    @property
    def conversion_meta(self) -> meta_graph_pb2.MetaGraphDef:
        """The graph to convert; copy it before rewriting, the original stays untouched."""
        return self.graph_for_conversion or self.meta


def load_tf1_model(
    path: Path, options: LoadOptions = LoadOptions(), fmt: ModelFormat | None = None
) -> TF1Model:
    """One model at `path` (a single SavedModel dir, `.meta`/checkpoint, or frozen GraphDef).

    `fmt` is the format the caller already detected; None detects it here.
    """
    path = Path(path)
    kind = fmt or reader.detect_format(path)
    if kind is ModelFormat.SAVED_MODEL:
        model = _saved_model(path, options)
    elif kind is ModelFormat.META_CHECKPOINT:
        model = _meta_checkpoint(path, options)
    else:
        model = _frozen_graph(path, options)
    _check_node_names(model)
    # Before anything runs: dangerous ops (also inside function bodies) refuse the model (exit 1).
    ensure_safe(model.meta, source=model.path, allow_ops=options.allow_ops)
    if model.checkpoint is not None:
        check_checkpoint(model.checkpoint)
    model = _attach_signatures(model, options.definitions)
    if options.unfreeze:
        model = _unfreeze(model, options.unfreeze_min_elements)
    return model


_NODE_NAME = re.compile(r"[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*")  # TF's own rule for op names


def _check_node_names(model: TF1Model) -> None:
    """TF refuses such graphs too, but only after our surgery has parsed `name:index` strings."""
    bad = [node.name for node in model.meta.graph_def.node if not _NODE_NAME.fullmatch(node.name)]
    if bad:
        raise InputError(
            f"the graph has {len(bad)} node(s) with an invalid name, e.g. {bad[0][:80]!r}.",
            path=model.path,
            fix="the graph is corrupt; copy it again from the original export.",
        )


def _saved_model(path: Path, options: LoadOptions) -> TF1Model:
    _, proto = reader.read_saved_model(path)
    meta = copy.deepcopy(reader.select_meta_graph(proto, options.tags, path))
    prefix = reader.variables_prefix(path, meta)
    return TF1Model(
        path, ModelFormat.SAVED_MODEL, meta, prefix, assets=_saved_model_assets(path, meta)
    )


def _meta_checkpoint(src: Path, options: LoadOptions) -> TF1Model:
    located = reader.locate_meta_checkpoint(src)
    meta = reader.read_meta_graph(located.meta_path)
    if options.tags is not None and frozenset(meta.meta_info_def.tags) not in (
        options.tags,
        frozenset(),
    ):
        raise InputError(
            f"the .meta graph has tags {','.join(sorted(meta.meta_info_def.tags))},"
            f" not {','.join(sorted(options.tags))}.",
            path=located.meta_path,
            fix="drop --tags: a .meta file holds one graph.",
        )
    needs_values = reader.has_variables(meta.graph_def) and meta.HasField("saver_def")
    if needs_values and located.prefix is None:
        raise InputError(
            "has variables but no checkpoint beside it"
            " (no .index/.data files, no `checkpoint` state file).",
            path=located.meta_path,
            fix="copy the checkpoint files written with this .meta,"
            " or pass the checkpoint prefix (DIR/model.ckpt-N).",
        )
    if not meta.meta_info_def.tags:
        meta.meta_info_def.tags.append("serve")
    prefix = str(located.prefix) if needs_values and located.prefix is not None else None
    return TF1Model(located.meta_path, ModelFormat.META_CHECKPOINT, meta, prefix)


def _frozen_graph(path: Path, options: LoadOptions) -> TF1Model:
    meta = reader.meta_graph_from_graph_def(reader.read_graph_def(path))
    warnings = (
        ()
        if options.unfreeze
        else (
            "frozen graph: weights are constants,"
            " so the TF2 model has no trainable variables (see --unfreeze).",
        )
    )
    return TF1Model(path, ModelFormat.FROZEN_GRAPH, meta, warnings=warnings)


def _attach_signatures(model: TF1Model, definitions: tuple[SignatureFlag, ...]) -> TF1Model:
    """--signature definitions win; then the graph's SignatureDefs; then in/out collections."""
    if definitions:
        signature_flags.add_signature_defs(model.meta, list(definitions), model.path)
        return replace(model, signature_origin="--signature")
    if any(not key.startswith("__") for key in model.meta.signature_def):
        return model
    from_collections = signature_flags.collection_flag(model.meta)
    if from_collections is not None:
        signature_flags.add_signature_defs(model.meta, [from_collections], model.path)
        return replace(model, signature_origin="inputs/outputs collections")
    if model.source_format is ModelFormat.SAVED_MODEL:
        return model  # a SavedModel without signatures still has variables and assets to keep
    built = candidates.auto_signature(model.meta.graph_def)  # one clear sink: build it
    if built is not None:
        flag, warning = built
        signature_flags.add_signature_defs(
            model.meta, [signature_flags.parse_flag(flag)], model.path
        )
        return replace(
            model, signature_origin="built automatically", warnings=(*model.warnings, warning)
        )
    message, fix = candidates.no_signature_message(model.meta.graph_def)
    raise SignatureError(message, path=model.path, fix=fix)


def _unfreeze(model: TF1Model, min_elements: int) -> TF1Model:
    if model.source_format is not ModelFormat.FROZEN_GRAPH:
        raise InputError(
            "--unfreeze applies to frozen GraphDefs only.", path=model.path, fix="drop --unfreeze."
        )
    graph = copy.deepcopy(model.meta)
    values = unfreeze.unfreeze(graph, min_elements).values
    warnings = model.warnings
    if not values:
        warnings += (
            f"--unfreeze found no float constant read as NAME/read"
            f" or with ≥{min_elements} elements.",
        )
    return replace(model, initial_values=values, graph_for_conversion=graph, warnings=warnings)


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
