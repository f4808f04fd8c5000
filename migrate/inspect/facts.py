"""Facts about one graph, read from its protobuf: signatures, variables, assets, devices, ops.

Everything here treats the proto as hostile: enum values may be unknown, shapes negative or huge,
names missing, collections of the wrong kind. Nothing is imported into a tf.Graph or run.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import message
from tensorflow.core.framework import graph_pb2, tensor_shape_pb2, types_pb2, variable_pb2
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.framework import op_def_registry

from migrate.inspect import legacy
from migrate.security.assets import asset_file_defs
from migrate.security.scan import called_functions

REF_VARIABLE_OPS = frozenset({"VariableV2", "Variable"})
RESOURCE_VARIABLE_OPS = frozenset({"VarHandleOp"})
# Stateful by registry, but only variable plumbing: not worth flagging in a signature.
_PLUMBING = frozenset(
    {
        "VariableV2",
        "Variable",
        "VarHandleOp",
        "ReadVariableOp",
        "VarIsInitializedOp",
        "Placeholder",
        "HashTableV2",
        "HashTable",
        "MutableHashTableV2",
        "LookupTableFindV2",
        "LookupTableFind",
        "LookupTableSizeV2",
        "PartitionedCall",
        "StatefulPartitionedCall",
        "IsVariableInitialized",
    }
)
_SIZES = {
    types_pb2.DT_FLOAT: 4,
    types_pb2.DT_DOUBLE: 8,
    types_pb2.DT_HALF: 2,
    types_pb2.DT_BFLOAT16: 2,
    types_pb2.DT_INT8: 1,
    types_pb2.DT_UINT8: 1,
    types_pb2.DT_BOOL: 1,
    types_pb2.DT_INT16: 2,
    types_pb2.DT_UINT16: 2,
    types_pb2.DT_INT32: 4,
    types_pb2.DT_UINT32: 4,
    types_pb2.DT_INT64: 8,
    types_pb2.DT_UINT64: 8,
    types_pb2.DT_COMPLEX64: 8,
    types_pb2.DT_COMPLEX128: 16,
}
CLASSIFY, REGRESS = "tensorflow/serving/classify", "tensorflow/serving/regress"
INIT_COLLECTIONS = {
    "saved_model_main_op": "main_op",
    "legacy_init_op": "legacy_init_op",
    "table_initializer": "table_initializer",
    "init_op": "init_op",
    "local_init_op": "local_init_op",
}


def dtype_name(value: int) -> str:
    """'float32', 'float32_ref', or 'invalid(77)' for an enum TF does not have."""
    ref = value > 100
    base = value - 100 if ref else value
    try:
        name = types_pb2.DataType.Name(base)
    except ValueError:
        return f"invalid({value})"
    short = {"DT_FLOAT": "float32", "DT_DOUBLE": "float64", "DT_HALF": "float16"}.get(
        name, name[3:].lower()
    )
    return str(short) + ("_ref" if ref else "")


def shape_list(shape: tensor_shape_pb2.TensorShapeProto) -> list[int] | None:
    """Dims with -1 for unknown; None for unknown rank."""
    if shape.unknown_rank:
        return None
    return [d.size if d.size >= 0 else -1 for d in shape.dim]


def nbytes(dtype: int, shape: list[int] | None) -> int | None:
    size = _SIZES.get(dtype - 100 if dtype > 100 else dtype)
    if size is None or shape is None or any(d < 0 for d in shape):
        return None
    return size * math.prod(shape)


def node_name(ref: str) -> str:
    return ref.lstrip("^").split(":", 1)[0]


def _tensor(info: meta_graph_pb2.TensorInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "dtype": dtype_name(info.dtype),
        "shape": shape_list(info.tensor_shape),
    }
    if info.HasField("coo_sparse"):
        entry["sparse"] = True
        entry["name"] = info.coo_sparse.values_tensor_name
    elif info.HasField("composite_tensor"):
        entry["name"] = None
        entry["composite"] = True
    else:
        entry["name"] = info.name
    return entry


def _tensor_nodes(info: meta_graph_pb2.TensorInfo) -> list[str]:
    sparse = info.coo_sparse
    names = [
        info.name,
        sparse.indices_tensor_name,
        sparse.values_tensor_name,
        sparse.dense_shape_tensor_name,
    ]
    return [node_name(name) for name in names if name]


def _is_stateful(op: str) -> bool:
    """Registry-stateful, or a TF1 op that updates a ref input in place (Assign, ApplyAdam...)."""
    op_def = op_def_registry.get(op)
    if op_def is None:
        return False
    mutates_ref = any(arg.is_ref for arg in op_def.input_arg) and not op.startswith("Ref")
    return op_def.is_stateful or mutates_ref


def stateful_ops(
    graph: graph_pb2.GraphDef, roots: Iterable[str], library: Mapping[str, Any]
) -> list[str]:
    """Stateful op types that running `roots` executes, through called functions too."""
    by_name = {node.name: node for node in graph.node}
    found: set[str] = set()
    seen: set[str] = set()
    stack = [r for r in roots if r in by_name]
    functions: list[str] = []
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        node = by_name[name]
        if node.op not in _PLUMBING and _is_stateful(node.op):
            found.add(node.op)
        functions += called_functions(node, library)
        stack.extend(node_name(ref) for ref in node.input if node_name(ref) in by_name)
    done: set[str] = set()
    while functions:
        fn = functions.pop()
        if fn in done:
            continue
        done.add(fn)
        for node in library[fn].node_def:
            if node.op not in _PLUMBING and _is_stateful(node.op):
                found.add(node.op)
            functions += called_functions(node, library)
    return sorted(found)


def signatures(
    meta: meta_graph_pb2.MetaGraphDef, library: Mapping[str, Any]
) -> list[dict[str, Any]]:
    result = []
    for key in sorted(meta.signature_def):
        if key.startswith("__saved_model"):  # TF2's init op, stored as a signature
            continue
        signature = meta.signature_def[key]
        roots = [n for info in signature.outputs.values() for n in _tensor_nodes(info)]
        result.append(
            {
                "key": key,
                "method_name": signature.method_name,
                "inputs": {k: _tensor(v) for k, v in sorted(signature.inputs.items())},
                "outputs": {k: _tensor(v) for k, v in sorted(signature.outputs.items())},
                "stateful_ops": stateful_ops(meta.graph_def, roots, library),
            }
        )
    return result


def _variable_defs(
    meta: meta_graph_pb2.MetaGraphDef, collection: str
) -> list[variable_pb2.VariableDef]:
    if collection not in meta.collection_def:
        return []
    defs = []
    for raw in meta.collection_def[collection].bytes_list.value:
        variable = variable_pb2.VariableDef()
        try:
            variable.ParseFromString(raw)
        except message.DecodeError:  # a junk entry: skip it, the graph's own nodes still count
            continue
        defs.append(variable)
    return defs


def _trainable_names(meta: meta_graph_pb2.MetaGraphDef | None) -> set[str] | None:
    if meta is None:
        return None
    names = {node_name(v.variable_name) for v in _variable_defs(meta, "trainable_variables")}
    names |= {
        node_name(v.variable_name)
        for c in ("variables", "local_variables")
        for v in _variable_defs(meta, c)
        if v.trainable
    }
    saved = [n.variable for n in meta.object_graph_def.nodes if n.WhichOneof("kind") == "variable"]
    names |= {v.name for v in saved if v.trainable}
    if not names and not meta.collection_def and not saved:
        return None
    return names


def variables(
    graph: graph_pb2.GraphDef, meta: meta_graph_pb2.MetaGraphDef | None
) -> dict[str, Any]:
    trainable = _trainable_names(meta)
    items = []
    for node in graph.node:
        if node.op not in REF_VARIABLE_OPS | RESOURCE_VARIABLE_OPS:
            continue
        dtype = node.attr["dtype"].type
        shape = shape_list(node.attr["shape"].shape)
        items.append(
            {
                "name": node.name,
                "dtype": dtype_name(dtype),
                "shape": shape,
                "bytes": nbytes(dtype, shape),
                "kind": "ref" if node.op in REF_VARIABLE_OPS else "resource",
                "trainable": None if trainable is None else node.name in trainable,
            }
        )
    sizes = [v["bytes"] for v in items]
    return {
        "count": len(items),
        "ref": sum(v["kind"] == "ref" for v in items),
        "resource": sum(v["kind"] == "resource" for v in items),
        "trainable": None if trainable is None else sum(bool(v["trainable"]) for v in items),
        "bytes": sum(s for s in sizes if s is not None),
        "bytes_unknown": sum(s is None for s in sizes),
        "items": items,
    }


def constant_bytes(graph: graph_pb2.GraphDef) -> int:
    """Weights frozen into Const nodes (what makes a frozen GraphDef approach the 2 GiB limit)."""
    total = 0
    for node in graph.node:
        if node.op == "Const":
            tensor = node.attr["value"].tensor
            size = nbytes(tensor.dtype, shape_list(tensor.tensor_shape))
            total += (
                size
                if size is not None
                else len(tensor.tensor_content) + sum(len(s) for s in tensor.string_val)
            )
    return total


def assets(meta: meta_graph_pb2.MetaGraphDef) -> list[dict[str, str]]:
    return [{"filename": a.filename, "tensor": a.tensor_info.name} for a in asset_file_defs(meta)]


def initializers(meta: meta_graph_pb2.MetaGraphDef) -> list[dict[str, Any]]:
    found = []
    for collection, kind in INIT_COLLECTIONS.items():
        if collection in meta.collection_def:
            nodes = list(meta.collection_def[collection].node_list.value)
            if nodes:
                found.append({"kind": kind, "nodes": nodes})
    return found


def _all_nodes(graph: graph_pb2.GraphDef) -> Iterable[Any]:
    yield from graph.node
    for function in graph.library.function:
        yield from function.node_def


def devices(graph: graph_pb2.GraphDef) -> dict[str, int]:
    """Explicit device strings and how many nodes carry each (e.g. '/device:GPU:0': 3)."""
    return dict(sorted(Counter(node.device for node in _all_nodes(graph) if node.device).items()))


def unknown_ops(graph: graph_pb2.GraphDef) -> list[str]:
    """Ops the installed TensorFlow does not register (removed, contrib, or custom)."""
    library = {f.signature.name for f in graph.library.function}
    ops = {node.op for node in _all_nodes(graph)}
    return sorted(op for op in ops if op not in library and op_def_registry.get(op) is None)


def graph_facts(
    graph: graph_pb2.GraphDef, meta: meta_graph_pb2.MetaGraphDef | None
) -> dict[str, Any]:
    """Everything `inspect` reports about one graph (a MetaGraphDef's, or a frozen GraphDef)."""
    library = {f.signature.name: f for f in graph.library.function}
    facts: dict[str, Any] = {
        "tags": sorted(meta.meta_info_def.tags) if meta is not None else [],
        "signatures": signatures(meta, library) if meta is not None else [],
        "variables": variables(graph, meta),
        "constant_bytes": constant_bytes(graph),
        "assets": assets(meta) if meta is not None else [],
        "initializers": initializers(meta) if meta is not None else [],
        "devices": devices(graph),
        "unknown_ops": unknown_ops(graph),
        "nodes": len(graph.node),
        "functions": len(library),
    }
    facts.update(legacy.graph_entry(graph, bool(facts["signatures"])))
    return facts
