"""Runnable: a model pinned to /cpu:0, exported with clear_devices=True.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def build(x):
    with tf.device("/cpu:0"):
        scale = tf.get_variable("scale", [3], initializer=tf.ones_initializer())
        shift = tf.get_variable("shift", [3], initializer=tf.zeros_initializer())
    return tf.nn.tanh(x * scale + shift)


x = tf.placeholder(tf.float64, [None, 3], name="x")
scale_out = build(tf.cast(x, tf.float32))
train_op = tf.train.RMSPropOptimizer(0.05).minimize(tf.reduce_sum(tf.abs(scale_out - 0.5)))

with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: np.random.RandomState(7).rand(4, 3)})
    builder = tf.saved_model.Builder(sys.argv[1])
    builder.add_meta_graph_and_variables(
        sess,
        ["serve"],
        signature_def_map={
            "serving_default": tf.saved_model.predict_signature_def({"x": x}, {"y": scale_out}),
        },
        clear_devices=True,
    )
    builder.save()
