"""wrapped_graph on a real tf.compat.v1 graph: import lifts trainable resource variables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2

from migrate.converter import ref_to_resource, wrapped_graph
from migrate.errors import ConversionError, SignatureError
from tests.converter.graphs import B, W, linear

X = np.array([[1.0, 2.0]], np.float32)


def _rewritten(directory: Path, device: str = "") -> tuple[meta_graph_pb2.MetaGraphDef, str]:
    directory.mkdir(parents=True, exist_ok=True)
    model = linear(directory, device)
    rewrite = ref_to_resource.rewrite_graph(model.meta.graph_def)
    ref_to_resource.fix_meta_graph(model.meta, rewrite)
    return model.meta, str(model.prefix)


def test_import_restores_trainable_resource_variables(tmp_path: Path) -> None:
    meta, prefix = _rewritten(tmp_path)
    graph = wrapped_graph.import_meta_graph(meta, prefix, {})
    variables = {v.name.split(":")[0]: v for v in graph.variables}
    assert sorted(variables) == ["b", "w"]
    assert all(v.trainable for v in variables.values())
    assert all(v.handle.dtype == tf.resource for v in variables.values())
    np.testing.assert_allclose(variables["w"].numpy(), W)
    np.testing.assert_allclose(variables["b"].numpy(), B)
    assert graph.cleared_pins == ()


def test_initial_values_and_pruned_signature(tmp_path: Path) -> None:
    meta, _ = _rewritten(tmp_path)
    # No checkpoint: the values come from initial_values (as --unfreeze gives them).
    values = {"w": np.array([10.0, 20.0], np.float32), "b": np.float32(1.0)}
    graph = wrapped_graph.import_meta_graph(meta, None, {}, values)
    info = wrapped_graph.signature_infos(meta)["serving_default"]
    function = wrapped_graph.prune_signature(graph, info)
    np.testing.assert_allclose(function(x=tf.constant(X))["y"], X * [10.0, 20.0] + 1.0)


def test_device_pins_are_reported_as_cleared(tmp_path: Path) -> None:
    meta, prefix = _rewritten(tmp_path, device="/device:GPU:0")
    graph = wrapped_graph.import_meta_graph(meta, prefix, {})
    assert graph.cleared_pins == ("/device:GPU:0",)


def test_signature_naming_a_missing_tensor_is_a_signature_error(tmp_path: Path) -> None:
    meta, prefix = _rewritten(tmp_path)
    graph = wrapped_graph.import_meta_graph(meta, prefix, {})
    info = wrapped_graph.signature_infos(meta)["serving_default"]
    info.outputs["y"].name = "nowhere:0"
    with pytest.raises(SignatureError, match="names a tensor the graph lacks"):
        wrapped_graph.prune_signature(graph, info)


def test_checkpoint_of_another_graph_is_a_conversion_error(tmp_path: Path) -> None:
    meta, _ = _rewritten(tmp_path / "model")
    other = tf.Graph()
    with other.as_default():
        tf.compat.v1.Variable([1.0], name="unrelated", use_resource=False)
        with tf.compat.v1.Session(graph=other) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            prefix = tf.compat.v1.train.Saver().save(session, str(tmp_path / "other.ckpt"))
    with pytest.raises(ConversionError, match="lacks variable"):
        wrapped_graph.import_meta_graph(meta, prefix, {})
