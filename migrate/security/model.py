"""Scan a whole model on disk: every MetaGraphDef / GraphDef, and the paths the model stores.

Asset file names must stay inside `assets/` (refused otherwise). A checkpoint directory's
`checkpoint` state file often holds absolute paths (TF1's Saver wrote them by default), so those are
*sanitized* instead: we only ever look for the file's base name inside the checkpoint directory,
and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tensorflow.core.protobuf import meta_graph_pb2

from migrate.errors import MigrateError
from migrate.reader import (
    ModelFormat,
    ModelRef,
    check_contained_path,
    read_graph_def,
    read_meta_graph,
    read_saved_model,
    read_state_prefix,
)
from migrate.security.assets import asset_file_defs
from migrate.security.scan import ScanReport, scan_graph_def

__all__ = [
    "ModelScan",
    "PathProblem",
    "asset_file_defs",
    "check_assets",
    "checkpoint_prefix",
    "scan_model",
]


@dataclass(frozen=True)
class PathProblem:
    """A path stored in the model that leaves its directory: refused, or replaced by its name."""

    path_in_model: str
    where: str
    message: str
    refused: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "path_in_model": self.path_in_model,
            "where": self.where,
            "message": self.message,
            "refused": self.refused,
        }


@dataclass
class ModelScan:
    ref: ModelRef
    graphs: list[tuple[str, ScanReport]] = field(default_factory=list)
    paths: list[PathProblem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return all(report.clean for _, report in self.graphs) and not any(
            p.refused for p in self.paths
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.ref.path),
            "kind": self.ref.format.label,
            "clean": self.clean,
            "graphs": [{"graph": label, **report.to_json()} for label, report in self.graphs],
            "paths": [p.to_json() for p in self.paths],
        }


def check_assets(model_dir: Path, meta: meta_graph_pb2.MetaGraphDef) -> list[PathProblem]:
    problems = []
    for asset in asset_file_defs(meta, model_dir):
        try:
            check_contained_path(asset.filename, model_dir / "assets")
        except MigrateError as error:
            problems.append(
                PathProblem(
                    asset.filename,
                    f"asset for tensor '{asset.tensor_info.name}'",
                    error.message,
                    True,
                )
            )
    return problems


def checkpoint_prefix(meta_path: Path) -> tuple[Path | None, list[PathProblem]]:
    """The checkpoint a `.meta` belongs to: the state file's choice, kept inside the dir."""
    folder = meta_path.parent
    fallback = meta_path.with_suffix("")
    state = read_state_prefix(folder)
    if state is None:
        return (fallback if Path(f"{fallback}.index").is_file() else None), []
    if state.note is None:
        return state.prefix, []
    where = "checkpoint state model_checkpoint_path"
    return state.prefix, [PathProblem(state.named, where, state.note, False)]


def scan_model(ref: ModelRef, allow_ops: frozenset[str] = frozenset()) -> ModelScan:
    """Read (never run) the model behind `ref` and scan each graph and its stored paths."""
    result = ModelScan(ref)
    if ref.format is ModelFormat.SAVED_MODEL:
        target, proto = read_saved_model(ref.path)
        for index, meta in enumerate(proto.meta_graphs):
            label = (
                f"tags {','.join(sorted(meta.meta_info_def.tags)) or '(none)'} (meta graph {index})"
            )
            result.graphs.append((label, scan_graph_def(meta, source=target, allow_ops=allow_ops)))
            result.paths += [p for p in check_assets(ref.path, meta) if p not in result.paths]
    elif ref.format is ModelFormat.META_CHECKPOINT:
        meta = read_meta_graph(ref.path)
        result.graphs.append(
            ("meta graph", scan_graph_def(meta, source=ref.path, allow_ops=allow_ops))
        )
        result.paths += checkpoint_prefix(ref.path)[1]
    else:
        graph = read_graph_def(ref.path)
        result.graphs.append(("graph", scan_graph_def(graph, source=ref.path, allow_ops=allow_ops)))
    return result
