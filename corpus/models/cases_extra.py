"""Scenarios from TensorFlow's own load_v1_in_v2_test.py not covered by the core cases.

local variables initialised by legacy_init_op beside an unused "distractor" variable, a graph
function library (Defun calling Defun), and a SparseTensor *output*.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.python.framework import function as framework_function  # TF1 Defun: no public alias

from corpus.models._common import (
    SERVE,
    Case,
    GraphSpec,
    MetaGraphSpec,
    initialise,
    predict,
    ref_var,
)

v1 = tf.compat.v1


def local_variable(sess: Any) -> GraphSpec:
    start = v1.placeholder(tf.float32, [None], name="start")
    # Saved and restored, but not used by the signature: restore and pruning must agree on names.
    ref_var("distractor", np.float32(-1.0))
    v = ref_var("v", np.float32(3.0))
    local = v1.Variable(
        np.float32(2.0),
        name="local",
        trainable=False,
        collections=[v1.GraphKeys.LOCAL_VARIABLES],
        use_resource=True,
    )
    output = tf.identity(start * v * local, name="output")
    init_local = v1.local_variables_initializer()
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE], {"serving_default": predict({"start": start}, {"output": output})}
            )
        ],
        main_op=init_local,
    )


def defun_library(sess: Any) -> GraphSpec:
    @framework_function.Defun(tf.int64)
    def plus_one(x: Any) -> Any:
        return x + 1

    @framework_function.Defun(tf.int64, tf.int64)
    def scaled_plus_one(x: Any, k: Any) -> Any:
        return plus_one(x * k)

    start = v1.placeholder(tf.int64, [None], name="start")
    k = ref_var("k", np.int64(2), trainable=False)
    output = tf.identity(scaled_plus_one(start, k), name="output")
    initialise(sess)
    return GraphSpec(
        [MetaGraphSpec([SERVE], {"serving_default": predict({"start": start}, {"output": output})})]
    )


def sparse_output(sess: Any) -> GraphSpec:
    start = v1.placeholder(tf.int64, [None], name="start")
    k = ref_var("k", np.int64(2), trainable=False)
    indices = tf.expand_dims(tf.range(tf.shape(start, out_type=tf.int64)[0]), 1)
    shape = tf.shape(start, out_type=tf.int64)
    doubled = tf.SparseTensor(indices, start * k, shape)
    initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [SERVE], {"serving_default": predict({"start": start}, {"output": doubled})}
            )
        ]
    )


CASES = [
    Case(
        "local_variable",
        "A LOCAL_VARIABLES resource variable set by main_op/legacy_init_op, a ref variable v and "
        "an unused "
        "ref 'distractor'; output = start * v * local.",
        local_variable,
        ("saved_model", "frozen"),
        why_not={
            "checkpoint": "tf.train.Saver does not save local variables; "
            "a restore leaves them uninitialised"
        },
        extra={"checklist": "load_v1_in_v2_test.py: _v1_single_metagraph_saved_model"},
    ),
    Case(
        "defun_library",
        "Nested Defun functions in the GraphDef's function library: "
        "output = start * k + 1 (int64).",
        defun_library,
        ("saved_model", "checkpoint", "frozen"),
        extra={"checklist": "load_v1_in_v2_test.py: _model_with_defun"},
    ),
    Case(
        "sparse_output",
        "A SparseTensor output (coo_sparse TensorInfo) doubling an int64 input "
        "with a ref variable.",
        sparse_output,
        ("saved_model", "checkpoint", "frozen"),
        extra={"checklist": "load_v1_in_v2_test.py: _model_with_sparse_output"},
    ),
]
