"""TF 1.0-1.4 graph semantics that today's TensorFlow reads differently, restored before import.

A GraphDef records the version that produced it (`versions.producer`), and TF still honours old
meanings for old producers when it imports the graph into a Session. The converted model's
functions are built at today's version, so those meanings must be written out explicitly:

- producer <= 21: a Placeholder whose `shape` attr is empty meant *unknown*, not scalar (TF 1.0
  wrote every non-fully-defined placeholder that way). Today it is a scalar, and ParseExample
  rejects it ("Shape must be rank 1 but is rank 0"). Restored: unknown rank, or `[-1]` where it
  feeds ParseExample's serialized input.
- producer < 20: reduction ops accepted axis tensors of any rank; today only scalars or vectors.
  Restored: the constant axis is flattened.
- ops deprecated at GraphDef version V run only in graphs produced before V. Where TF names a
  drop-in replacement (same inputs, outputs and attrs) the node is renamed to it; `TopK` becomes
  `TopKV2` with `k` as an input; any other such op is reported (see docs/converter.md).

`scan` is pure (inspect uses it); `rewrite` edits a MetaGraphDef in place (convert).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Any

from tensorflow.core.framework import graph_pb2, op_def_pb2, tensor_shape_pb2
from tensorflow.core.protobuf import meta_graph_pb2

PLACEHOLDER_LEGACY_MAX = 21  # GraphDef version 22: "Placeholder now can specify scalar shapes"
REDUCTION_LEGACY_BELOW = 20  # version 20: reduction indices must be a scalar or a vector
_REDUCTIONS = frozenset({"Sum", "Mean", "Prod", "Max", "Min", "All", "Any"})
_PLACEHOLDERS = frozenset({"Placeholder", "PlaceholderV2"})


@dataclass(frozen=True)
class LegacyFinding:
    """One node relying on an old meaning; `action` is what convert does, `handled` if it can."""

    node: str
    op: str
    kind: str
    action: str
    handled: bool

    def describe(self) -> str:
        return f"{self.op} '{self.node}': {self.action}"

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@functools.cache
def deprecated_ops() -> dict[str, tuple[int, str]]:
    """Op -> (GraphDef version that removed it, TF's explanation), from the op registry."""
    from tensorflow.python.client import pywrap_tf_session  # noqa: PLC0415

    buffer = pywrap_tf_session.TF_GetAllOpList()
    ops = op_def_pb2.OpList.FromString(pywrap_tf_session.TF_GetBuffer(buffer))
    return {
        op.name: (op.deprecation.version, op.deprecation.explanation)
        for op in ops.op
        if op.HasField("deprecation")
    }


@functools.cache
def drop_in_replacements() -> dict[str, str]:
    """Deprecated op -> the op TF names instead, when its inputs, outputs and attrs match."""
    from tensorflow.python.framework import op_def_registry  # noqa: PLC0415

    found = {"PlaceholderV2": "Placeholder"}
    for name, (_, explanation) in deprecated_ops().items():
        named = re.search(r"(?:Use|Replaced by) ([A-Z][A-Za-z0-9]+)", explanation)
        old, new = op_def_registry.get(name), named and op_def_registry.get(named.group(1))
        if old is None or not new:
            continue
        if _args(old.input_arg) == _args(new.input_arg) and _args(old.output_arg) == _args(
            new.output_arg
        ):
            if {a.name for a in old.attr} <= {a.name for a in new.attr}:
                found[name] = new.name
    return found


def _args(args: Any) -> list[tuple[str, int, str, str]]:
    return [(a.name, a.type, a.type_attr, a.number_attr) for a in args]


def scan(graph_def: graph_pb2.GraphDef) -> list[LegacyFinding]:
    """What `rewrite` would change (or refuse), without changing anything."""
    return _visit(graph_def, apply=False)


def rewrite(meta: meta_graph_pb2.MetaGraphDef) -> list[LegacyFinding]:
    """Restore every legacy meaning in `meta` (its graph and signature TensorInfos), in place."""
    findings = _visit(meta.graph_def, apply=True)
    shapes = {f.node: meta.graph_def for f in findings if f.kind == "placeholder_shape"}
    if shapes:
        nodes = {n.name: n for n in meta.graph_def.node if n.name in shapes}
        for signature in meta.signature_def.values():
            for info in signature.inputs.values():
                node = nodes.get(info.name.split(":")[0])
                if node is not None and info.WhichOneof("encoding") == "name":
                    info.tensor_shape.CopyFrom(node.attr["shape"].shape)
    return findings


def apply(meta: meta_graph_pb2.MetaGraphDef, path: Any) -> list[str]:
    """The pipeline stage: rewrite, return warnings, refuse (exit 2) what cannot be restored."""
    from migrate.errors import ConversionError  # noqa: PLC0415

    findings = rewrite(meta)
    refused = [f for f in findings if not f.handled]
    if refused:
        raise ConversionError(
            f"the graph relies on ops today's TensorFlow removed: {refused[0].describe()}",
            path=path,
            fix="re-export the model with TF >= 1.4, or replace the op as TF suggests.",
        )
    return [f"TF 1.0-era semantics: {f.describe()}" for f in findings]


def _visit(graph_def: graph_pb2.GraphDef, apply: bool) -> list[LegacyFinding]:
    producer = graph_def.versions.producer
    nodes = {n.name: n for n in graph_def.node}
    findings: list[LegacyFinding] = []
    for node in list(graph_def.node):
        if node.op in _PLACEHOLDERS and producer <= PLACEHOLDER_LEGACY_MAX:
            findings += _placeholder(node, graph_def, apply)
        if node.op in _REDUCTIONS and producer < REDUCTION_LEGACY_BELOW:
            findings += _reduction(node, nodes, apply)
        removed = deprecated_ops().get(node.op)
        if removed is not None and producer < removed[0]:
            findings.append(_deprecated(node, graph_def, removed, producer, apply))
    return findings


def _placeholder(node: Any, graph_def: graph_pb2.GraphDef, apply: bool) -> list[LegacyFinding]:
    shape = node.attr["shape"].shape if "shape" in node.attr else None
    if shape is None or shape.unknown_rank or shape.dim:
        return []
    parses = any(
        user.op == "ParseExample" and user.input and user.input[0].split(":")[0] == node.name
        for user in graph_def.node
    )
    restored = tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=-1)]
    )
    if not parses:
        restored = tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    if apply:
        node.attr["shape"].shape.CopyFrom(restored)
    target = "a vector [-1] (it feeds ParseExample)" if parses else "unknown"
    return [
        LegacyFinding(
            node.name,
            node.op,
            "placeholder_shape",
            f"`shape {{}}` meant 'unknown' before GraphDef 22 (this graph: "
            f"{graph_def.versions.producer}); today it is a scalar. Convert makes it {target}.",
            True,
        )
    ]


def _reduction(node: Any, nodes: dict[str, Any], apply: bool) -> list[LegacyFinding]:
    axis = nodes.get(node.input[1].split(":")[0]) if len(node.input) > 1 else None
    if axis is None or axis.op != "Const":
        return []
    shape = axis.attr["value"].tensor.tensor_shape
    rank = len(shape.dim)
    if rank <= 1:
        return []
    if apply:
        size = 1
        for dim in shape.dim:
            size *= dim.size
        shape.ClearField("dim")
        shape.dim.add(size=size)
    return [
        LegacyFinding(
            node.name,
            node.op,
            "reduction_indices",
            f"axis '{axis.name}' has rank {rank}, allowed before "
            "GraphDef 20 only; convert flattens it to a vector (same axes).",
            True,
        )
    ]


def _deprecated(
    node: Any, graph_def: graph_pb2.GraphDef, removed: tuple[int, str], producer: int, apply: bool
) -> LegacyFinding:
    version, explanation = removed
    op = node.op
    said = explanation.rstrip(".")
    where = f"removed at GraphDef {version} (this graph: {producer}); TF says: {said}"
    replacement = drop_in_replacements().get(node.op)
    if node.op == "TopK":
        if apply:
            _top_k_v2(node, graph_def)
        return LegacyFinding(node.name, "TopK", "deprecated_op", f"{where}. Becomes TopKV2.", True)
    if replacement is not None:
        if apply:
            node.op = replacement
        return LegacyFinding(
            node.name,
            op,
            "deprecated_op",
            f"{where}. Renamed to {replacement} (same inputs and attrs).",
            True,
        )
    return LegacyFinding(
        node.name,
        node.op,
        "deprecated_op",
        f"{where}. No drop-in replacement: the converted model cannot run it.",
        False,
    )


def _top_k_v2(node: Any, graph_def: graph_pb2.GraphDef) -> None:
    """`k` moves from an attr to an int32 input."""
    from tensorflow.python.framework import tensor_util  # noqa: PLC0415

    k = graph_def.node.add(name=f"{node.name}/k", op="Const")
    k.attr["dtype"].type = 3  # DT_INT32
    k.attr["value"].tensor.CopyFrom(tensor_util.make_tensor_proto(node.attr["k"].i, "int32"))
    node.op = "TopKV2"
    del node.attr["k"]
    data = [i for i in node.input if not i.startswith("^")]
    control = [i for i in node.input if i.startswith("^")]
    node.ClearField("input")
    node.input.extend([*data, k.name, *control])
