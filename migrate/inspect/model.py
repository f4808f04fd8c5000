"""Inspect one model: read its protos, gather facts per graph, check its files, give a verdict."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from migrate.inspect import facts, hard_pin, legacy
from migrate.reader import ModelFormat, ModelRef, read_graph_def, read_meta_graph, read_saved_model
from migrate.security.model import check_assets, checkpoint_prefix
from migrate.security.scan import scan_graph_def

READY, ATTENTION, BLOCKED = "ready", "attention", "blocked"


def checkpoint_files(prefix: Path | None) -> dict[str, Any]:
    """Is the checkpoint there, whole? Index present and every data shard `-0000i-of-0000N`."""
    if prefix is None:
        return {"prefix": None, "index": False, "shards": 0, "missing_shards": []}
    pattern = re.compile(re.escape(prefix.name) + r"\.data-(\d{5})-of-(\d{5})$")
    found: set[int] = set()
    total = 0
    try:
        names = [p.name for p in prefix.parent.iterdir()] if prefix.parent.is_dir() else []
    except OSError:
        names = []
    for name in names:
        match = pattern.match(name)
        if match:
            found.add(int(match.group(1)))
            total = max(total, int(match.group(2)))
    missing = [f"{prefix.name}.data-{i:05d}-of-{total:05d}" for i in range(total) if i not in found]
    if total == 0 and Path(f"{prefix}.index").is_file():
        missing = [f"{prefix.name}.data-00000-of-NNNNN (no data file at all)"]
    return {
        "prefix": str(prefix),
        "index": Path(f"{prefix}.index").is_file(),
        "shards": total,
        "missing_shards": missing,
    }


def _written_by(meta: Any, graph: Any) -> dict[str, Any]:
    info = meta.meta_info_def if meta is not None else None
    return {
        "tensorflow_version": (info.tensorflow_version or None) if info is not None else None,
        "tensorflow_git_version": (info.tensorflow_git_version or None)
        if info is not None
        else None,
        "graph_producer": graph.versions.producer if graph.HasField("versions") else None,
    }


def inspect_model(ref: ModelRef, allow_ops: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The JSON-able record for one model (see docs/inspect.schema.json)."""
    record: dict[str, Any] = {
        "path": str(ref.path),
        "format": ref.format.label,
        "version": ref.version,
        "serving_base": str(ref.serving_base) if ref.serving_base else None,
    }
    graphs: list[tuple[Any, Any]] = []  # (meta or None, graph_def)
    paths: list[Any] = []
    if ref.format is ModelFormat.SAVED_MODEL:
        target, proto = read_saved_model(ref.path)
        record["proto_bytes"] = target.stat().st_size
        graphs = [(meta, meta.graph_def) for meta in proto.meta_graphs]
        for meta, _ in graphs:
            paths += [p for p in check_assets(ref.path, meta) if p not in paths]
        prefix = ref.path / "variables" / "variables"
        has_saver = any(meta.HasField("saver_def") for meta, _ in graphs)
        record["checkpoint"] = checkpoint_files(
            prefix if has_saver or Path(f"{prefix}.index").exists() else None
        )
    elif ref.format is ModelFormat.META_CHECKPOINT:
        meta = read_meta_graph(ref.path)
        record["proto_bytes"] = ref.path.stat().st_size
        graphs = [(meta, meta.graph_def)]
        meta_prefix, paths = checkpoint_prefix(ref.path)
        record["checkpoint"] = checkpoint_files(meta_prefix)
    else:
        graph = read_graph_def(ref.path)
        record["proto_bytes"] = ref.path.stat().st_size
        graphs = [(None, graph)]
        record["checkpoint"] = None
    record["written_by"] = _written_by(*graphs[0])
    record["tag_sets"] = [sorted(meta.meta_info_def.tags) for meta, _ in graphs if meta is not None]
    record["graphs"] = []
    for meta, graph in graphs:
        entry = facts.graph_facts(graph, meta)
        scan = scan_graph_def(
            meta if meta is not None else graph, source=ref.path, allow_ops=allow_ops
        )
        entry["scan"] = {
            "findings": [f.to_json() for f in scan.findings],
            "allowed": [f.op for f in scan.allowed],
        }
        record["graphs"].append(entry)
    record["paths"] = [p.to_json() for p in paths]
    record["verdict"] = verdict(record)
    return record


def verdict(record: dict[str, Any]) -> dict[str, Any]:
    """What `convert` will do with this model, and what needs a human first."""
    blocked: list[str] = []
    attention: list[str] = []
    does: list[str] = []
    graphs = record["graphs"]
    ref_vars = max((g["variables"]["ref"] for g in graphs), default=0)
    for graph in graphs:
        for finding in graph["scan"]["findings"]:
            where = f"function '{finding['function']}'" if finding["function"] else "the graph"
            blocked.append(
                f"{finding['op']} ({finding['category']}) in node '{finding['node']}' of {where}: "
                f"refused unless --allow-op {finding['op']}"
            )
        if graph["unknown_ops"]:
            blocked.append(
                f"ops unknown to TensorFlow {_tf_version()}: {', '.join(graph['unknown_ops'])}"
            )
    for problem in record["paths"]:
        (blocked if problem["refused"] else attention).append(
            f"{problem['where']}: {problem['message']}"
        )
    checkpoint = record.get("checkpoint")
    if checkpoint and checkpoint["prefix"] and not checkpoint["index"]:
        blocked.append(f"checkpoint index {Path(checkpoint['prefix']).name}.index is missing")
    if checkpoint and checkpoint["missing_shards"]:
        blocked.append(
            f"checkpoint data shard(s) missing: {', '.join(checkpoint['missing_shards'])}"
        )
    if (
        record["format"] == ModelFormat.META_CHECKPOINT.label
        and checkpoint
        and checkpoint["prefix"] is None
    ):
        blocked.append(
            "no checkpoint found beside the .meta (checkpoint state file or <name>.index)"
        )
    if len(record["tag_sets"]) > 1:
        listing = "; ".join(",".join(t) or "(none)" for t in record["tag_sets"])
        attention.append(
            f"{len(record['tag_sets'])} tag-sets ({listing}): choose one with convert --tags"
        )
    signatures = [s for g in graphs for s in g["signatures"]]
    if record["format"] != ModelFormat.SAVED_MODEL.label:
        attention.append(
            "no SignatureDefs in this format: name inputs and outputs with convert --signature"
        )
    elif not signatures:
        attention.append("no signatures: only variables and assets would be exported")
    stateful = sorted({s["key"] for s in signatures if s["stateful_ops"]})
    if stateful:
        attention.append(
            f"stateful signature(s) {', '.join(stateful)}: verify parity with verify --sequence"
        )
    pinned = sorted({d for g in graphs for d in g["devices"] if hard_pin(d)})
    if pinned:
        attention.append(
            f"device pins {', '.join(pinned)}: cleared on conversion, reported as warnings"
        )
    written = record["written_by"]["tensorflow_version"] or ""
    if written.startswith("2.") and ref_vars == 0:
        attention.append(f"written by TF {written}: already a TF2 model, conversion is not needed")
    if ref_vars:
        does.append(f"rewrite {ref_vars} ref variable(s) to trainable resource variables")
    methods = {s["method_name"] for s in signatures}
    if methods & {facts.CLASSIFY, facts.REGRESS}:
        does.append("keep classify/regress method names")
    if any(g["assets"] for g in graphs):
        does.append("copy assets into the TF2 model")
    if record["format"] == ModelFormat.FROZEN_GRAPH.label:
        does.append("import the frozen GraphDef (weights stay constants unless --unfreeze)")
    legacy.judge(graphs, attention, blocked, does)
    status = BLOCKED if blocked else ATTENTION if attention else READY
    return {"status": status, "convert_will": does, "attention": attention, "blocked": blocked}


def _tf_version() -> str:
    import tensorflow as tf  # noqa: PLC0415 - already imported by the proto modules

    return str(tf.__version__)
