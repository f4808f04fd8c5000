"""unfreeze on a real frozen graph: `NAME/read` constants become initialised ref variables."""

from __future__ import annotations

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import variable_pb2

from migrate.converter import unfreeze
from migrate.reader import meta_graph_from_graph_def
from tests.converter.graphs import B, W, frozen_linear, run

X = np.array([[1.0, -1.0]], np.float32)


def test_read_constants_become_variables_with_their_values() -> None:
    meta = meta_graph_from_graph_def(frozen_linear())
    result = unfreeze.unfreeze(meta, min_elements=16)
    assert sorted(result.values) == ["b", "w"]
    np.testing.assert_allclose(result.values["w"], W)
    ops = {node.name: node.op for node in meta.graph_def.node}
    assert ops["w"] == ops["b"] == "VariableV2"
    assert ops["w/Assign"] == "Assign" and ops["w/initial_value"] == "Const"
    # The rebuilt graph computes what the frozen one did, once its initializers ran.
    np.testing.assert_allclose(run(meta.graph_def, "y:0", {"x:0": X}), X * W + B)


def test_variables_are_registered_as_trainable() -> None:
    meta = meta_graph_from_graph_def(frozen_linear())
    unfreeze.unfreeze(meta)
    collection = meta.collection_def[tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES]
    names = []
    for raw in collection.bytes_list.value:
        variable = variable_pb2.VariableDef.FromString(raw)
        names.append(variable.variable_name)
        assert variable.trainable and variable.snapshot_name.endswith("/read:0")
    assert sorted(names) == ["b:0", "w:0"]


def test_small_constants_not_read_as_variables_stay_constants() -> None:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None], name="x")
        tf.identity(x * tf.constant(3.0, name="scale"), name="y")
    meta = meta_graph_from_graph_def(graph.as_graph_def())
    assert unfreeze.unfreeze(meta, min_elements=16).values == {}
    assert {n.name: n.op for n in meta.graph_def.node}["scale"] == "Const"
