"""Runnable: resource variables (tf.enable_resource_variables) and a tf.Variable counter.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()
tf.set_random_seed(14)

x = tf.placeholder(tf.float32, [None, 4], name="x")
kernel = tf.get_variable("kernel", [4, 2])
scale = tf.Variable(1.5, name="scale", trainable=False)
y = tf.nn.relu(tf.matmul(x, kernel)) * scale
train_op = tf.train.AdamOptimizer(0.05).minimize(tf.reduce_mean(tf.square(y - 1.0)))
bump = scale.assign_add(0.5)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 4], tf2.float32, name="x")])
    def serving_default(self, x):
        y = tf.nn.relu(tf.matmul(x, kernel)) * scale
        return {"y": y}


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: np.random.RandomState(11).rand(5, 4)})
        sess.run(bump)  # not in the same run: train_op reads scale, unordered with the bump
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        "serving_default": export_module.serving_default,
    })
