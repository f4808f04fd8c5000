"""Runnable: a model pinned to /cpu:0, exported with clear_devices=True.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables


def build(x):
    with tf.device("/cpu:0"):
        scale = tf.get_variable("scale", [3], initializer=tf.ones_initializer())
        shift = tf.get_variable("shift", [3], initializer=tf.zeros_initializer())
    return tf.nn.tanh(x * scale + shift)


x = tf.placeholder(tf.float64, [None, 3], name="x")
scale_out = build(tf.cast(x, tf.float32))
train_op = tf.train.RMSPropOptimizer(0.05).minimize(tf.reduce_sum(tf.abs(scale_out - 0.5)))


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 3], tf2.float64, name="x")])
    def serving_default(self, x):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
            scale_out = build(tf.cast(x, tf.float32))
        return {"y": scale_out}


with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: np.random.RandomState(7).rand(4, 3)})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        "serving_default": export_module.serving_default,
    })
