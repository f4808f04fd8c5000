"""Variables and graph shapes: ref vs resource, partitioned, tag-sets, device pins, unfed inputs.

Each function builds into `sess.graph` (the default graph), initialises and maybe trains, and
returns the signatures to write. Names are fixed so tests and docs can refer to tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from corpus.models._common import (
    SERVE,
    Case,
    GraphSpec,
    MetaGraphSpec,
    initialise,
    predict,
    ref_var,
    rng,
    train,
)

v1 = tf.compat.v1
_X_TRAIN = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
_Y_TRAIN = np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)


def _linear(sess: Any, use_resource: bool) -> GraphSpec:
    r = rng()
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    w = v1.Variable(r.normal(size=(3, 2)).astype(np.float32), name="W", use_resource=use_resource)
    b = v1.Variable(r.normal(size=(2,)).astype(np.float32), name="b", use_resource=use_resource)
    y = tf.identity(tf.matmul(x, w) + b, name="y")
    # Training reads constant data, so serving needs nothing but x.
    loss = tf.reduce_mean(tf.square(tf.matmul(_X_TRAIN, w) + b - _Y_TRAIN), name="loss")
    initialise(sess)
    train(sess, loss, steps=2)
    return GraphSpec([MetaGraphSpec([SERVE], {"serving_default": predict({"x": x}, {"y": y})})])


def linear_ref(sess: Any) -> GraphSpec:
    return _linear(sess, use_resource=False)


def resource_vars(sess: Any) -> GraphSpec:
    return _linear(sess, use_resource=True)


def partitioned(sess: Any) -> GraphSpec:
    ids = v1.placeholder(tf.int64, [None], name="ids")
    emb = v1.get_variable(
        "emb",
        shape=[10, 4],
        initializer=v1.random_normal_initializer(
            seed=7
        ),  # constant_initializer cannot slice per part
        partitioner=v1.fixed_size_partitioner(2),
        use_resource=False,
    )
    vectors = tf.identity(v1.nn.embedding_lookup(emb, ids), name="vectors")
    norms = tf.reduce_sum(tf.square(vectors), axis=1, name="norms")
    loss = tf.reduce_sum(tf.square(v1.nn.embedding_lookup(emb, tf.constant([1, 7], tf.int64))))
    initialise(sess)
    train(sess, loss, steps=1)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE],
                {"serving_default": predict({"ids": ids}, {"vectors": vectors, "norms": norms})},
            )
        ]
    )


def two_tag_sets(sess: Any) -> GraphSpec:
    x = v1.placeholder(tf.float32, [None], name="x")
    scale = ref_var("scale", np.float32(3.0))
    y = tf.identity(x * scale, name="y")
    y2 = tf.identity(2.0 * y, name="y_doubled")
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec([SERVE], {"serving_default": predict({"x": x}, {"y": y})}),
            MetaGraphSpec([SERVE, "gpu"], {"serving_default": predict({"x": x}, {"y": y2})}),
        ]
    )


def no_inputs(sess: Any) -> GraphSpec:
    table = ref_var("table", rng().normal(size=(2, 3)).astype(np.float32))
    bias = ref_var("bias", np.float32(0.5), trainable=False)
    total = tf.identity(tf.reduce_sum(table) * 2.0 + bias, name="total")
    initialise(sess)
    return GraphSpec([MetaGraphSpec([SERVE], {"serving_default": predict({}, {"total": total})})])


def gpu_pinned(sess: Any) -> GraphSpec:
    r = rng()
    x = v1.placeholder(tf.float32, [None, 2], name="x")
    w = ref_var("W", r.normal(size=(2, 2)).astype(np.float32))
    b = ref_var("b", r.normal(size=(2,)).astype(np.float32))
    with tf.device("/device:GPU:0"):
        product = tf.matmul(x, w, name="gpu_matmul")
    y = tf.identity(product + b, name="y")
    initialise(sess)
    return GraphSpec([MetaGraphSpec([SERVE], {"serving_default": predict({"x": x}, {"y": y})})])


def training_placeholder(sess: Any) -> GraphSpec:
    r = rng()
    x = v1.placeholder(tf.float32, [None, 2], name="X")
    label = v1.placeholder(tf.float32, [None, 1], name="Y")  # fed only by training
    w = ref_var("W", r.normal(size=(2, 1)).astype(np.float32))
    b = ref_var("b", np.zeros([1], np.float32))
    pred = tf.add(tf.matmul(x, w), b, name="pred")
    loss = tf.reduce_mean(tf.square(pred - label), name="loss")
    initialise(sess)
    train(sess, loss, steps=3, feed={x: _X_TRAIN[:, :2], label: _Y_TRAIN[:, :1]})
    return GraphSpec(
        [MetaGraphSpec([SERVE], {"serving_default": predict({"x": x}, {"pred": pred})})]
    )


ALL_FORMS = ("saved_model", "checkpoint", "frozen")
ONLY_SAVED_MODEL = ("saved_model",)

CASES = [
    Case(
        "linear_ref",
        "Ref variables W, b (VariableV2), trained 2 steps; y = xW + b.",
        linear_ref,
        ALL_FORMS,
    ),
    Case(
        "resource_vars",
        "The linear_ref model built with resource variables (VarHandleOp), trained 2 steps.",
        resource_vars,
        ALL_FORMS,
    ),
    Case(
        "partitioned",
        "A ref embedding split by fixed_size_partitioner(2) (emb/part_0, emb/part_1), looked up by "
        "int64 ids.",
        partitioned,
        ALL_FORMS,
        value_ranges={"ids": (0, 9)},
    ),
    Case(
        "two_tag_sets",
        "Two MetaGraphDefs: {serve} gives y = 3x, {serve, gpu} gives 6x under the same signature "
        "key.",
        two_tag_sets,
        ONLY_SAVED_MODEL,
        why_not={
            "checkpoint": "tag-sets exist only in SavedModels",
            "frozen": "tag-sets exist only in SavedModels",
        },
    ),
    Case(
        "no_inputs",
        "A signature with no inputs returning a variable-derived scalar.",
        no_inputs,
        ALL_FORMS,
    ),
    Case(
        "gpu_pinned",
        "A MatMul hard-pinned to /device:GPU:0 (written with clear_devices=False).",
        gpu_pinned,
        ALL_FORMS,
    ),
    Case(
        "training_placeholder",
        "Label placeholder Y and a train op in the graph; serving feeds only X (X -> pred, like "
        "tf2onnx).",
        training_placeholder,
        ALL_FORMS,
    ),
]
