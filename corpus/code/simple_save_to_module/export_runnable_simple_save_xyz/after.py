"""Runnable: simple_save's docstring example, `x, y -> z`, after a few training steps.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

EXPORT_DIR = sys.argv[1]

x = tf.placeholder(tf.float32, [None, 3], name="x")
y = tf.placeholder(tf.float32, [None, 3], name="y")
w = tf.get_variable("w", [3], initializer=tf.random_normal_initializer(seed=1))
b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
z = tf.reduce_sum(x * w + y, axis=1) + b
labels = tf.placeholder(tf.float32, [None], name="labels")
loss = tf.reduce_mean(tf.square(z - labels))
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

rng = np.random.RandomState(0)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[
        tf2.TensorSpec([None, 3], tf2.float32, name="x"),
        tf2.TensorSpec([None, 3], tf2.float32, name="y"),
    ])
    def serving_default(self, x, y):
        z = tf.reduce_sum(x * w + y, axis=1) + b
        return {"z": z}


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        xs, ys = rng.rand(8, 3), rng.rand(8, 3)
        sess.run(train_op, {x: xs, y: ys, labels: xs.sum(axis=1) - ys.sum(axis=1)})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, EXPORT_DIR, signatures={
        "serving_default": export_module.serving_default,
    })
