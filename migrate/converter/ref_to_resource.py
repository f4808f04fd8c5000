"""GraphDef surgery: TF1 ref variables (`VariableV2`) become resource variables.

TF2 can neither lift ref variables out of an imported graph nor return ref-typed outputs,
which is why `tf.saved_model.load` hides them and cannot load some TF1 models at all.
Every decision here is driven by the op registry's `is_ref` flags, so any op that reads or
writes a ref is handled by one rule instead of a list of special cases:

- a variable op becomes `VarHandleOp` (same name, so checkpoints and signatures still match);
- a ref pass-through (`RefSwitch`, `RefEnter`, ...) becomes its plain twin carrying the handle;
- an updating op (`Assign`, `ApplyAdam`, `ScatterAdd`, ...) becomes its `Resource*`/`*VariableOp`
  twin under a new name, and its old name becomes an `Identity` of the handle that runs after
  the update, so fetching it still yields the updated value;
- any other consumer of a ref gets a `ReadVariableOp` (an `Identity` reader is turned into one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tensorflow.core.framework import (
    attr_value_pb2,
    graph_pb2,
    node_def_pb2,
    op_def_pb2,
    types_pb2,
    variable_pb2,
)
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.framework import op_def_registry

from migrate.errors import ConversionError

VARIABLE_OPS = frozenset({"VariableV2", "Variable"})
_PASS_THROUGH = {
    "RefSwitch": "Switch",
    "RefEnter": "Enter",
    "RefIdentity": "Identity",
    "RefMerge": "Merge",
    "RefExit": "Exit",
    "RefNextIteration": "NextIteration",
    "RefSelect": "Select",
}
_UPDATE_RENAMES = {
    "Assign": "AssignVariableOp",
    "AssignAdd": "AssignAddVariableOp",
    "AssignSub": "AssignSubVariableOp",
    "IsVariableInitialized": "VarIsInitializedOp",
    "CountUpTo": "ResourceCountUpTo",
}
UPDATE_SUFFIX = "/_tfm_update"
READ_SUFFIX = "/_tfm_read"
_Dtypes = dict[str, attr_value_pb2.AttrValue]


@dataclass
class RefRewrite:
    """What the surgery changed, for the report and for fixing up TensorInfos."""

    variables: list[str] = field(default_factory=list)
    rewritten_ops: dict[str, str] = field(default_factory=dict)
    value_of: dict[str, str] = field(default_factory=dict)  # handle tensor -> value tensor
    dtypes: dict[str, attr_value_pb2.AttrValue] = field(default_factory=dict)


def _op_def(op: str, node: str) -> op_def_pb2.OpDef:
    op_def = op_def_registry.get(op)
    if op_def is None:
        raise ConversionError(
            f"node '{node}' uses op '{op}', which this TensorFlow does not have.",
            fix="convert with the TensorFlow version that wrote the model, or remove the op.",
        )
    return op_def


def _arg_count(arg: op_def_pb2.OpDef.ArgDef, node: node_def_pb2.NodeDef) -> int:
    if arg.number_attr:
        return int(node.attr[arg.number_attr].i)
    if arg.type_list_attr:
        return len(node.attr[arg.type_list_attr].list.type)
    return 1


def _ref_flags(args: Iterable[op_def_pb2.OpDef.ArgDef], node: node_def_pb2.NodeDef) -> list[bool]:
    flags: list[bool] = []
    for arg in args:
        flags.extend([arg.is_ref] * _arg_count(arg, node))
    return flags


def _resource_twin(op: str) -> str | None:
    twin = _UPDATE_RENAMES.get(op) or f"Resource{op}"
    return twin if op_def_registry.get(twin) is not None else None


def _conform_attrs(node: node_def_pb2.NodeDef, dtype_attr: str | None) -> None:
    """Keep only the attrs the node's (new) op declares, filling defaults and `dtype`."""
    op_def = _op_def(node.op, node.name)
    old = {k: v for k, v in node.attr.items()}
    node.ClearField("attr")
    for attr in op_def.attr:
        if attr.name in old:
            node.attr[attr.name].CopyFrom(old[attr.name])
        elif attr.name == "dtype" and dtype_attr and dtype_attr in old:
            node.attr["dtype"].CopyFrom(old[dtype_attr])
        elif attr.HasField("default_value"):
            node.attr[attr.name].CopyFrom(attr.default_value)
    for key, value in old.items():
        if key.startswith("_") and key != "_output_shapes":
            node.attr[key].CopyFrom(value)


def _tensor(name: str) -> str:
    return name if ":" in name else f"{name}:0"


def _split_input(text: str) -> tuple[str, int]:
    name, _, index = text.partition(":")
    return name, int(index or 0)


def share_table_resources(graph_def: graph_pb2.GraphDef) -> list[str]:
    """Make every function cut from this graph reach the same table.

    TF2's loader gives each function its own copy of a `HashTableV2` unless
    `use_node_name_sharing` is set, so the table the init function fills would not be the
    table the signatures read ("Table not initialized").

    The op registry decides which ops have the flag: exports written with
    `strip_default_attrs=True` (every Estimator export) omit the attr when it is false, and
    TF2's loader then gives each function its own copy of the table all the same.
    """
    changed = []
    for node in graph_def.node:
        op_def = op_def_registry.get(node.op)
        has_flag = op_def is not None and any(
            attr.name == "use_node_name_sharing" for attr in op_def.attr
        )
        if has_flag and not node.attr["use_node_name_sharing"].b:
            node.attr["use_node_name_sharing"].b = True
            changed.append(node.name)
    return changed


def rewrite_graph(graph_def: graph_pb2.GraphDef) -> RefRewrite:
    """Rewrite `graph_def` in place so that it holds no ref-typed tensor."""
    result = RefRewrite()
    library = {
        function.signature.name: function.signature for function in graph_def.library.function
    }
    nodes = list(graph_def.node)
    ref_outputs: set[str] = set()
    for node in nodes:
        op_def = library.get(node.op) or _op_def(node.op, node.name)
        for index, is_ref in enumerate(_ref_flags(op_def.output_arg, node)):
            if is_ref:
                ref_outputs.add(f"{node.name}:{index}")
    if not ref_outputs:
        return result

    new_nodes: list[node_def_pb2.NodeDef] = []
    readers: dict[str, str] = {}

    def reader_for(tensor: str, dtype: attr_value_pb2.AttrValue) -> str:
        if tensor not in readers:
            read = _reader_node(tensor, dtype)
            new_nodes.append(read)
            readers[tensor] = f"{read.name}:0"
        return readers[tensor]

    dtypes = _ref_dtypes(nodes, ref_outputs)
    for node in nodes:
        op_def = library.get(node.op) or _op_def(node.op, node.name)
        in_refs = _ref_flags(op_def.input_arg, node)
        data_inputs = [i for i in node.input if not i.startswith("^")]
        if node.op in VARIABLE_OPS:
            _to_var_handle(node)
            result.variables.append(node.name)
            continue
        if node.op in _PASS_THROUGH:
            result.rewritten_ops[node.name] = node.op
            node.op = _PASS_THROUGH[node.op]
            node.attr["T"].type = types_pb2.DT_RESOURCE
            node.attr.pop("_output_shapes", None)
            continue
        if node.op == "Identity" and data_inputs and _tensor(data_inputs[0]) in ref_outputs:
            result.rewritten_ops[node.name] = node.op
            node.op = "ReadVariableOp"
            _conform_attrs(node, "T")
            continue
        if any(in_refs):
            _to_resource_update(node, new_nodes, result)
            continue
        for position, text in enumerate(node.input):
            if text.startswith("^") or _tensor(text) not in ref_outputs:
                continue
            node.input[position] = reader_for(_tensor(text), dtypes[_tensor(text)])
    graph_def.node.extend(new_nodes)
    for tensor in ref_outputs:
        result.value_of[tensor] = readers.get(tensor) or tensor
    result.dtypes = dtypes
    return result


def _ref_dtypes(
    nodes: Iterable[node_def_pb2.NodeDef], ref_outputs: set[str]
) -> dict[str, attr_value_pb2.AttrValue]:
    """The value dtype behind every ref tensor, found by walking back to its variable."""
    by_name = {node.name: node for node in nodes}
    found: dict[str, attr_value_pb2.AttrValue] = {}

    def dtype_of(tensor: str, seen: frozenset[str] = frozenset()) -> attr_value_pb2.AttrValue:
        if tensor in found:
            return found[tensor]
        name, _ = _split_input(tensor)
        node = by_name[name]
        if "dtype" in node.attr and node.op in VARIABLE_OPS:
            value = node.attr["dtype"]
        elif "T" in node.attr:
            value = node.attr["T"]
        elif node.input and name not in seen:
            value = dtype_of(_tensor(node.input[0]), seen | {name})
        else:
            raise ConversionError(f"cannot tell the dtype of ref tensor '{tensor}'.")
        found[tensor] = attr_value_pb2.AttrValue(type=value.type)
        return found[tensor]

    for tensor in ref_outputs:
        dtype_of(tensor)
    return found


def _to_var_handle(node: node_def_pb2.NodeDef) -> None:
    node.op = "VarHandleOp"
    if not node.attr["shared_name"].s:
        node.attr["shared_name"].s = node.name.encode()
    _conform_attrs(node, None)


def _to_resource_update(
    node: node_def_pb2.NodeDef, new_nodes: list[node_def_pb2.NodeDef], result: RefRewrite
) -> None:
    twin = _resource_twin(node.op)
    if twin is None:
        raise ConversionError(
            f"node '{node.name}' ({node.op}) updates a ref variable and has no resource-variable"
            " equivalent.",
            fix="re-export the model with tf.compat.v1.enable_resource_variables().",
        )
    result.rewritten_ops[node.name] = node.op
    old_op = node.op
    out_refs = _ref_flags(_op_def(old_op, node.name).output_arg, node)
    node.op = twin
    _conform_attrs(node, "T")
    if not any(out_refs):
        return  # e.g. IsVariableInitialized, CountUpTo: same name, value output
    # The old name must keep meaning "the variable, after this update".
    original_name = node.name
    node.name = original_name + UPDATE_SUFFIX
    handle = node.input[0]
    after = node_def_pb2.NodeDef(name=original_name, op="Identity")
    after.input.extend([handle, f"^{node.name}"])
    after.attr["T"].type = types_pb2.DT_RESOURCE
    if node.device:
        after.device = node.device
    new_nodes.append(after)
    # `^original_name` control edges now wait for the Identity, i.e. for the update.


def fix_meta_graph(meta_graph: meta_graph_pb2.MetaGraphDef, rewrite: RefRewrite) -> None:
    """Point signatures and VariableDefs at value tensors, and mark variables as resources."""
    dtypes = rewrite.dtypes
    for signature in meta_graph.signature_def.values():
        for info in list(signature.inputs.values()) + list(signature.outputs.values()):
            if info.WhichOneof("encoding") == "name" and _tensor(info.name) in rewrite.value_of:
                tensor = _tensor(info.name)
                info.name = _ensure_reader(meta_graph.graph_def, tensor, dtypes[tensor], rewrite)
            if info.dtype > 100:  # DT_*_REF = DT_* + 100
                info.dtype -= 100
    _fix_variable_defs(meta_graph, rewrite, dtypes)


def _ensure_reader(
    graph_def: graph_pb2.GraphDef,
    tensor: str,
    dtype: attr_value_pb2.AttrValue,
    rewrite: RefRewrite,
) -> str:
    value = rewrite.value_of[tensor]
    if value != tensor:
        return value
    read = _reader_node(tensor, dtype)
    graph_def.node.append(read)
    rewrite.value_of[tensor] = f"{read.name}:0"
    return rewrite.value_of[tensor]


def _reader_node(tensor: str, dtype: attr_value_pb2.AttrValue) -> node_def_pb2.NodeDef:
    """A `ReadVariableOp` giving the value behind the handle `tensor`."""
    name, index = _split_input(tensor)
    read = node_def_pb2.NodeDef(
        name=f"{name}{READ_SUFFIX}{'' if index == 0 else index}", op="ReadVariableOp"
    )
    read.input.append(tensor if index else name)
    read.attr["dtype"].CopyFrom(dtype)
    return read


def _fix_variable_defs(
    meta_graph: meta_graph_pb2.MetaGraphDef, rewrite: RefRewrite, dtypes: _Dtypes
) -> None:
    collections = meta_graph.collection_def
    trainable = set()
    if "trainable_variables" in collections:
        for raw in collections["trainable_variables"].bytes_list.value:
            proto = variable_pb2.VariableDef.FromString(raw)
            trainable.add(proto.variable_name)
    known: set[str] = set()
    for collection in collections.values():
        if collection.WhichOneof("kind") != "bytes_list":
            continue
        values = collection.bytes_list.value
        for position, raw in enumerate(values):
            try:
                proto = variable_pb2.VariableDef.FromString(raw)
            except Exception:  # noqa: BLE001 - not a VariableDef collection
                break
            if (
                not proto.variable_name
                or _split_input(proto.variable_name)[0] not in rewrite.variables
            ):
                continue
            _resourcify(
                meta_graph.graph_def, proto, rewrite, dtypes, proto.variable_name in trainable
            )
            known.add(_split_input(proto.variable_name)[0])
            values[position] = proto.SerializeToString()
    orphans = [name for name in rewrite.variables if name not in known]
    for name in orphans:  # variables kept out of every collection must still be lifted
        proto = variable_pb2.VariableDef(variable_name=f"{name}:0")
        assign = f"{name}/Assign"
        if any(node.name == assign for node in meta_graph.graph_def.node):
            proto.initializer_name = assign
        _resourcify(meta_graph.graph_def, proto, rewrite, dtypes, False)
        collections["variables"].bytes_list.value.append(proto.SerializeToString())


def _resourcify(
    graph_def: graph_pb2.GraphDef,
    proto: variable_pb2.VariableDef,
    rewrite: RefRewrite,
    dtypes: _Dtypes,
    trainable: bool,
) -> None:
    proto.is_resource = True
    proto.trainable = trainable
    handle = _tensor(proto.variable_name)
    snapshot = _tensor(proto.snapshot_name) if proto.snapshot_name else handle
    if snapshot in rewrite.value_of:  # missing, or still a ref tensor: read the handle instead
        proto.snapshot_name = _ensure_reader(graph_def, snapshot, dtypes[snapshot], rewrite)
