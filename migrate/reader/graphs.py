"""Questions about a parsed model that every reader asks: which MetaGraphDef, which checkpoint."""

from __future__ import annotations

from pathlib import Path

from tensorflow.core.framework import graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

from migrate.errors import InputError, TagError

_VARIABLE_OPS = frozenset({"VariableV2", "Variable", "VarHandleOp", "AutoReloadVariable"})


def tag_sets(proto: saved_model_pb2.SavedModel) -> list[frozenset[str]]:
    return [frozenset(meta.meta_info_def.tags) for meta in proto.meta_graphs]


def select_meta_graph(
    proto: saved_model_pb2.SavedModel, tags: frozenset[str] | None, path: Path
) -> meta_graph_pb2.MetaGraphDef:
    """Pick the MetaGraphDef for `tags`; with several and none asked for, say which exist."""
    available = tag_sets(proto)
    listing = "; ".join(",".join(sorted(tags_)) or "(no tags)" for tags_ in available)
    if tags is None:
        if len(available) == 1:
            return proto.meta_graphs[0]
        raise TagError(
            f"holds {len(available)} MetaGraphDefs with tag-sets: {listing}.",
            path=path,
            fix="choose one with --tags, e.g. --tags " + ",".join(sorted(available[0])) + ".",
        )
    for meta in proto.meta_graphs:
        if frozenset(meta.meta_info_def.tags) == tags:
            return meta
    raise TagError(
        f"has no MetaGraphDef with tags {','.join(sorted(tags)) or '(none)'};"
        f" available: {listing}.",
        path=path,
        fix="pass one of the available tag-sets to --tags.",
    )


def variables_prefix(path: Path, meta: meta_graph_pb2.MetaGraphDef) -> str | None:
    """The checkpoint prefix a SavedModel's Saver restores from, checked to exist."""
    if not meta.HasField("saver_def"):
        return None
    prefix = path / "variables" / "variables"
    if Path(f"{prefix}.index").is_file() or Path(str(prefix)).is_file():
        return str(prefix)
    raise InputError(
        "the model has variables but variables/variables.index is missing.",
        path=path / "variables",
        fix="copy the whole SavedModel directory, including variables/.",
    )


def has_variables(graph_def: graph_pb2.GraphDef) -> bool:
    return any(node.op in _VARIABLE_OPS for node in graph_def.node)


def meta_graph_from_graph_def(graph_def: graph_pb2.GraphDef) -> meta_graph_pb2.MetaGraphDef:
    """Wrap a frozen GraphDef so the MetaGraphDef path (rewrite, import, prune) applies as is."""
    meta = meta_graph_pb2.MetaGraphDef()
    meta.graph_def.CopyFrom(graph_def)
    meta.meta_info_def.tags.append("serve")
    return meta
