"""`--unfreeze`: turn a frozen graph's float weights back into trainable variables.

A frozen graph keeps each former variable as a `Const` (usually still read through `NAME/read`).
We give each such constant back its TF1 shape as a ref variable with an initializer and a
VariableDef in the `variables`/`trainable_variables` collections, so the ordinary ref → resource
rewrite, import and export apply unchanged; the values are assigned after import.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import attr_value_pb2, node_def_pb2, variable_pb2
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.framework import tensor_shape, tensor_util

_FLOAT_TYPES = frozenset(
    dtype.as_datatype_enum for dtype in (tf.float16, tf.bfloat16, tf.float32, tf.float64)
)


@dataclass(frozen=True)
class Unfrozen:
    """Variable name -> its value, to assign once the graph is imported."""

    values: dict[str, np.ndarray]


def unfreeze(meta: meta_graph_pb2.MetaGraphDef, min_elements: int = 16) -> Unfrozen:
    """Constants read as `NAME/read`, or float ones of >= `min_elements`, become variables."""
    graph_def = meta.graph_def
    names = {node.name for node in graph_def.node}
    read_targets = {
        node.input[0]
        for node in graph_def.node
        if node.op == "Identity" and node.input and node.name == f"{node.input[0]}/read"
    }
    values: dict[str, np.ndarray] = {}
    added: list[node_def_pb2.NodeDef] = []
    for node in graph_def.node:
        if node.op != "Const" or node.attr["dtype"].type not in _FLOAT_TYPES:
            continue
        value = tensor_util.MakeNdarray(node.attr["value"].tensor)
        if node.name not in read_targets and value.size < min_elements:
            continue
        if f"{node.name}/initial_value" in names or f"{node.name}/Assign" in names:
            continue  # would clash with names we are about to add
        added += _to_variable(node, value)
        values[node.name] = value
        _register(
            meta,
            node.name,
            f"{node.name}/read:0" if node.name in read_targets else f"{node.name}:0",
        )
    graph_def.node.extend(added)
    return Unfrozen(values)


def _to_variable(node: node_def_pb2.NodeDef, value: np.ndarray) -> list[node_def_pb2.NodeDef]:
    """Const NAME -> VariableV2 NAME + NAME/initial_value + NAME/Assign, as TF1 builds them."""
    initial = node_def_pb2.NodeDef(name=f"{node.name}/initial_value", op="Const")
    initial.attr["dtype"].CopyFrom(node.attr["dtype"])
    initial.attr["value"].CopyFrom(node.attr["value"])
    dtype = node.attr["dtype"].type
    node.op = "VariableV2"
    node.ClearField("attr")
    node.attr["dtype"].type = dtype
    node.attr["shape"].shape.CopyFrom(tensor_shape.TensorShape(value.shape).as_proto())
    node.attr["container"].s = b""
    node.attr["shared_name"].s = b""
    assign = node_def_pb2.NodeDef(
        name=f"{node.name}/Assign", op="Assign", input=[node.name, initial.name]
    )
    assign.attr["T"].type = dtype
    assign.attr["validate_shape"].CopyFrom(attr_value_pb2.AttrValue(b=True))
    assign.attr["use_locking"].CopyFrom(attr_value_pb2.AttrValue(b=True))
    return [initial, assign]


def _register(meta: meta_graph_pb2.MetaGraphDef, name: str, snapshot: str) -> None:
    variable = variable_pb2.VariableDef(
        variable_name=f"{name}:0",
        initial_value_name=f"{name}/initial_value:0",
        initializer_name=f"{name}/Assign",
        snapshot_name=snapshot,
        trainable=True,
    ).SerializeToString()
    for collection in (
        tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
        tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES,
    ):
        meta.collection_def[collection].bytes_list.value.append(variable)
