"""Runnable: Builder with strip_default_attrs=True (TF2's save always strips them).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

EXPORT_DIR = sys.argv[1]

pixels = tf.placeholder(tf.float32, [None, 4, 4, 1], name="pixels")
filters = tf.get_variable("filters", [2, 2, 1, 2], initializer=tf.random_normal_initializer(seed=6))
feature_map = tf.nn.relu(tf.nn.conv2d(pixels, filters, strides=[1, 1, 1, 1], padding="SAME"))
pooled = tf.reduce_max(feature_map, axis=[1, 2])
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(pooled))


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 4, 4, 1], tf2.float32, name="pixels")])
    def serving_default(self, pixels):
        feature_map = tf.nn.relu(tf.nn.conv2d(pixels, filters, strides=[1, 1, 1, 1], padding="SAME"))
        pooled = tf.reduce_max(feature_map, axis=[1, 2])
        return {"pooled": pooled}


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, {pixels: np.random.RandomState(6).rand(2, 4, 4, 1)})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, EXPORT_DIR, signatures={
        "serving_default": export_module.serving_default,
    })
