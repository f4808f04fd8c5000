"""Find denylisted ops in a graph and in every function of its library, before anything runs.

Ops are found wherever they can execute: GraphDef nodes, bodies of library functions reached by
direct calls (TF1 `Defun`: the node's op *is* the function name), `PartitionedCall`-style `f`
attributes, control-flow branch/body attributes, and functions nothing calls (a hostile model could
reach them some other way, so they are scanned too). Checkpoint and vocabulary ops are exempt only
when their path input is the saver filename tensor or an asset tensor, through a call chain if need
be (TF2 SavedModels save and restore inside `__inference__traced_*` functions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tensorflow.core.framework import function_pb2, graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saver_pb2

from migrate.errors import UnsafeModelError
from migrate.security.assets import asset_file_defs
from migrate.security.denylist import (
    ASSET_PATH_INPUTS,
    CHECKPOINT_PATH_INPUTS,
    DEFAULT_DENYLIST,
    PATH_PASS_THROUGH,
    Denied,
)

_CALL_OPS = frozenset({"PartitionedCall", "StatefulPartitionedCall"})
_VARIABLE_USERS = frozenset({"AssignVariableOp", "ReadVariableOp", "VarIsInitializedOp"})
_MAX_FUNCTION_VISITS = 20_000  # hostile libraries cannot make the walk explode
_MAX_TRACE_DEPTH = 64
CHECKPOINT, ASSET = "checkpoint", "asset"


@dataclass(frozen=True)
class Finding:
    """A denylisted op: where it is (node, and the library function holding it) and why."""

    op: str
    node: str
    function: str | None
    category: str
    reason: str

    def where(self) -> str:
        return f"node '{self.node}'" + (
            f" in function '{self.function}'" if self.function else " in the graph"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "node": self.node,
            "function": self.function,
            "category": self.category,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ScanReport:
    """What a scan saw: the findings left after `allow_ops`, and what was allowed."""

    source: Path
    findings: tuple[Finding, ...]
    allowed: tuple[Finding, ...] = ()
    dormant: tuple[Finding, ...] = ()
    nodes_scanned: int = 0
    functions_scanned: int = 0

    @property
    def clean(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "clean": self.clean,
            "findings": [f.to_json() for f in self.findings],
            "allowed": [f.to_json() for f in self.allowed],
            "dormant": [f.to_json() for f in self.dormant],
            "nodes_scanned": self.nodes_scanned,
            "functions_scanned": self.functions_scanned,
        }


def _node_name(ref: str) -> str:
    """'^a', 'a:1', 'fn_node:output:0' -> the producing node (or function argument) name."""
    return ref.lstrip("^").split(":", 1)[0]


def _data_inputs(node: Any) -> list[str]:
    return [ref for ref in node.input if not ref.startswith("^")]


def called_functions(node: Any, library: Mapping[str, function_pb2.FunctionDef]) -> list[str]:
    """Every library function a node can run: its op, and function-valued attributes."""
    names = [node.op] if node.op in library else []
    for value in node.attr.values():
        if value.HasField("func"):
            names.append(value.func.name)
        if value.HasField("list"):
            names.extend(item.name for item in value.list.func)
    return [name for name in names if name in library]


@dataclass
class _Walk:
    library: Mapping[str, function_pb2.FunctionDef]
    denylist: Mapping[str, Denied]
    allow: frozenset[str]
    findings: dict[tuple[str, str, str | None], Finding] = field(default_factory=dict)
    visited: set[tuple[str, frozenset[tuple[str, str]]]] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)
    nodes: int = 0

    def scope(
        self, nodes: Iterable[Any], function: str | None, roots: frozenset[tuple[str, str]]
    ) -> None:
        """Scan one graph or function body; `roots` are (kind, name) values the loader feeds."""
        by_name = {node.name: node for node in nodes}
        for node in by_name.values():
            self.nodes += 1
            denied = self.denylist.get(node.op)
            if denied is not None and not self._exempt(node, by_name, roots):
                key = (node.op, node.name, function)
                self.findings.setdefault(
                    key, Finding(node.op, node.name, function, denied.category, denied.reason)
                )
            for name in called_functions(node, self.library):
                self.call(name, self._trusted_args(node, name, by_name, roots))

    def call(self, name: str, roots: frozenset[tuple[str, str]]) -> None:
        key = (name, roots)
        if key in self.visited:
            return
        if len(self.visited) >= _MAX_FUNCTION_VISITS:
            raise UnsafeModelError(
                "function library too deeply nested or too large to scan (over"
                f" {_MAX_FUNCTION_VISITS} visits).",
                fix="this model is refused; re-export it from its source code.",
            )
        self.visited.add(key)
        self.reached.add(name)
        self.scope(self.library[name].node_def, name, roots)

    def _exempt(
        self, node: Any, by_name: Mapping[str, Any], roots: frozenset[tuple[str, str]]
    ) -> bool:
        for kind, table in ((CHECKPOINT, CHECKPOINT_PATH_INPUTS), (ASSET, ASSET_PATH_INPUTS)):
            indices = table.get(node.op)
            if indices is None:
                continue
            inputs = _data_inputs(node)
            return all(
                i < len(inputs) and self._traces(inputs[i], kind, by_name, roots, 0)
                for i in indices
            )
        return False

    def _traces(
        self,
        ref: str,
        kind: str,
        by_name: Mapping[str, Any],
        roots: frozenset[tuple[str, str]],
        depth: int,
    ) -> bool:
        """Does this path value come only from a trusted root (the saver filename, an asset)?"""
        name = _node_name(ref)
        if (kind, name) in roots:
            return True
        node = by_name.get(name)
        if node is None or depth > _MAX_TRACE_DEPTH:
            return False
        if node.op == "ReadVariableOp":
            inputs = _data_inputs(node)
            return bool(inputs) and self._trusted_variable(
                _node_name(inputs[0]), kind, by_name, roots, depth + 1
            )
        if node.op not in PATH_PASS_THROUGH:
            return False
        inputs = _data_inputs(node)
        indices = PATH_PASS_THROUGH[node.op]
        chosen = inputs if indices is None else [inputs[i] for i in indices if i < len(inputs)]
        return bool(chosen) and all(
            self._traces(r, kind, by_name, roots, depth + 1) for r in chosen
        )

    def _trusted_variable(
        self,
        handle: str,
        kind: str,
        by_name: Mapping[str, Any],
        roots: frozenset[tuple[str, str]],
        depth: int,
    ) -> bool:
        """TF2 keeps an asset's path in a variable: trusted if every write to it is trusted and
        the handle goes nowhere else (not into a call that could write to it)."""
        if handle not in by_name or by_name[handle].op != "VarHandleOp":
            return False
        users = [
            n for n in by_name.values() if any(_node_name(r) == handle for r in _data_inputs(n))
        ]
        assigns = [
            n
            for n in users
            if n.op == "AssignVariableOp" and _node_name(_data_inputs(n)[0]) == handle
        ]
        if not assigns or any(n.op not in _VARIABLE_USERS for n in users):
            return False
        return all(
            len(_data_inputs(n)) > 1
            and self._traces(_data_inputs(n)[1], kind, by_name, roots, depth)
            for n in assigns
        )

    def _trusted_args(
        self,
        node: Any,
        function: str,
        by_name: Mapping[str, Any],
        roots: frozenset[tuple[str, str]],
    ) -> frozenset[tuple[str, str]]:
        """Which arguments of a direct or Partitioned call carry a trusted path into the body."""
        if not roots or not (
            node.op == function or (node.op in _CALL_OPS and node.attr["f"].func.name == function)
        ):
            return frozenset()
        args = [arg.name for arg in self.library[function].signature.input_arg]
        inputs = _data_inputs(node)
        if len(args) != len(inputs):
            return frozenset()
        kinds = {kind for kind, _ in roots}
        return frozenset(
            (kind, arg)
            for arg, ref in zip(args, inputs, strict=False)
            for kind in kinds
            if self._traces(ref, kind, by_name, roots, 0)
        )


def _roots(
    saver_def: saver_pb2.SaverDef | None, asset_tensors: Iterable[str]
) -> frozenset[tuple[str, str]]:
    roots = {(ASSET, _node_name(name)) for name in asset_tensors if name}
    if saver_def is not None and saver_def.filename_tensor_name:
        roots.add((CHECKPOINT, _node_name(saver_def.filename_tensor_name)))
    return frozenset(roots)


def meta_graph_asset_tensors(
    meta: meta_graph_pb2.MetaGraphDef, source: Path | None = None
) -> list[str]:
    """Tensors the SavedModel loader feeds asset paths to (asset_file_def, TF1 collection)."""
    names = [asset.tensor_info.name for asset in asset_file_defs(meta, source)]
    if "asset_filepaths" in meta.collection_def:
        names.extend(meta.collection_def["asset_filepaths"].node_list.value)
    return names


def _run_roots(meta: meta_graph_pb2.MetaGraphDef) -> list[str]:
    """Nodes our tools (and TF's loaders) run: signature tensors, the restore op, init/train ops."""
    names: list[str] = []
    for signature in meta.signature_def.values():
        for info in [*signature.inputs.values(), *signature.outputs.values()]:
            sparse = info.coo_sparse
            names += [
                info.name,
                sparse.indices_tensor_name,
                sparse.values_tensor_name,
                sparse.dense_shape_tensor_name,
            ]
    if meta.HasField("saver_def"):
        names += [meta.saver_def.restore_op_name, meta.saver_def.save_tensor_name]
    for collection in meta.collection_def.values():
        names += list(collection.node_list.value)
    return [_node_name(name) for name in names if name]


def _reachable(graph_def: graph_pb2.GraphDef, roots: Iterable[str]) -> set[str]:
    """Top-level nodes that running `roots` can execute (data and control inputs, transitively)."""
    by_name = {node.name: node for node in graph_def.node}
    seen: set[str] = set()
    stack = [name for name in roots if name in by_name]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(_node_name(ref) for ref in by_name[name].input if _node_name(ref) in by_name)
    return seen


def scan_graph_def(
    graph_def: graph_pb2.GraphDef | meta_graph_pb2.MetaGraphDef,
    *,
    source: Path,
    allow_ops: frozenset[str] = frozenset(),
    saver_def: saver_pb2.SaverDef | None = None,
    asset_tensors: Iterable[str] = (),
    denylist: Mapping[str, Denied] = DEFAULT_DENYLIST,
) -> ScanReport:
    """Every denylisted op in the graph and its function library; nothing is executed.

    Pass a MetaGraphDef (preferred) so the model's own Saver and asset initializers are recognised
    and checkpoint ops nothing can run (a leftover training Saver) are reported as `dormant`; with a
    bare GraphDef pass `saver_def` / `asset_tensors`, or every checkpoint op is a finding.
    """
    runnable: set[str] | None = None
    if isinstance(graph_def, meta_graph_pb2.MetaGraphDef):
        meta = graph_def
        runnable = _reachable(meta.graph_def, _run_roots(meta))
        saver_def = meta.saver_def if meta.HasField("saver_def") else saver_def
        asset_tensors = [*asset_tensors, *meta_graph_asset_tensors(meta, Path(source))]
        graph_def = meta.graph_def
    library = {fn.signature.name: fn for fn in graph_def.library.function}
    walk = _Walk(library, denylist, frozenset(allow_ops))
    walk.scope(graph_def.node, None, _roots(saver_def, asset_tensors))
    for name in library:  # functions nothing calls can still be reached by a hostile model
        if name not in walk.reached:
            walk.call(name, frozenset())
    found = sorted(walk.findings.values(), key=lambda f: (f.function or "", f.node, f.op))
    dormant = [
        f
        for f in found
        if runnable is not None
        and f.function is None
        and f.op in CHECKPOINT_PATH_INPUTS
        and f.node not in runnable
    ]
    live = [f for f in found if f not in dormant]
    return ScanReport(
        source=Path(source),
        findings=tuple(f for f in live if f.op not in walk.allow),
        allowed=tuple(f for f in live if f.op in walk.allow),
        dormant=tuple(dormant),
        nodes_scanned=walk.nodes,
        functions_scanned=len(walk.reached),
    )


def refusal_message(report: ScanReport) -> str:
    """One line: the first finding in full, then how many more and which ops."""
    first = report.findings[0]
    ops = sorted({f.op for f in report.findings})
    more = len(report.findings) - 1
    text = f"refused: op {first.op} ({first.category}: {first.reason}) at {first.where()}"
    if more:
        text += f", and {more} more finding(s) with op(s) {', '.join(ops)}"
    return text + "."


def allow_fix(report: ScanReport) -> str:
    ops = sorted({f.op for f in report.findings})
    flags = " ".join(f"--allow-op {op}" for op in ops)
    return f"if you trust this model, pass {flags} (see docs/security.md)."


def ensure_safe(
    graph_def: graph_pb2.GraphDef | meta_graph_pb2.MetaGraphDef,
    *,
    source: Path,
    allow_ops: frozenset[str] = frozenset(),
    saver_def: saver_pb2.SaverDef | None = None,
    asset_tensors: Iterable[str] = (),
) -> ScanReport:
    """`scan_graph_def`, raising `UnsafeModelError` (exit 1) if anything survives `allow_ops`."""
    report = scan_graph_def(
        graph_def,
        source=source,
        allow_ops=allow_ops,
        saver_def=saver_def,
        asset_tensors=asset_tensors,
    )
    if not report.clean:
        raise UnsafeModelError(refusal_message(report), path=source, fix=allow_fix(report))
    return report
