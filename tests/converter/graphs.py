"""Tiny TF1 graphs built in-process with tf.compat.v1 (graph mode), for the stage unit tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2

W = np.array([2.0, 3.0], np.float32)
B = np.float32(0.5)


@dataclass(frozen=True)
class Linear:
    """y = x * w + b with ref variables (VariableV2), a `serving_default` signature, a step op."""

    meta: meta_graph_pb2.MetaGraphDef
    prefix: Path  # checkpoint written by tf.compat.v1.train.Saver


def linear(directory: Path, device: str = "") -> Linear:
    """Build, save a checkpoint and a .meta beside it (model.ckpt + model.ckpt.meta)."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.compat.v1.Variable(W, name="w", use_resource=False)
        b = tf.compat.v1.Variable(B, name="b", use_resource=False)
        y = tf.identity(x * w + b, name="y")
        tf.compat.v1.assign_add(w, [1.0, 1.0], name="step")
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            prefix = directory / "model.ckpt"
            saver.save(session, str(prefix))
        signature = tf.compat.v1.saved_model.predict_signature_def({"x": x}, {"y": y})
        meta = tf.compat.v1.train.export_meta_graph(graph=graph)
    meta.signature_def["serving_default"].CopyFrom(signature)
    for node in meta.graph_def.node:  # pinned after saving: the test machine may lack `device`
        node.device = device
    return Linear(meta, prefix)


def frozen_linear() -> tf.compat.v1.GraphDef:
    """The same model frozen: `w` and `b` are Consts read through `NAME/read`."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.identity(tf.constant(W, name="w"), name="w/read")
        b = tf.identity(tf.constant(B, name="b"), name="b/read")
        tf.identity(x * w + b, name="y")
    return graph.as_graph_def()


def run(graph_def: tf.compat.v1.GraphDef, fetch: str, feeds: dict[str, np.ndarray]) -> np.ndarray:
    """Import `graph_def` into a fresh graph, run the variables' initializers, then fetch."""
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
        with tf.compat.v1.Session(graph=graph) as session:
            names = {n.name for n in graph_def.node}
            session.run([init for init in ("w/Assign", "b/Assign") if init in names])
            return np.asarray(session.run(fetch, feeds))
