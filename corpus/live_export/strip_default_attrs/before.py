"""Runnable: Builder with strip_default_attrs=True (TF2's save always strips them).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

EXPORT_DIR = sys.argv[1]

pixels = tf.placeholder(tf.float32, [None, 4, 4, 1], name="pixels")
filters = tf.get_variable("filters", [2, 2, 1, 2], initializer=tf.random_normal_initializer(seed=6))
feature_map = tf.nn.relu(tf.nn.conv2d(pixels, filters, strides=[1, 1, 1, 1], padding="SAME"))
pooled = tf.reduce_max(feature_map, axis=[1, 2])
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(pooled))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, {pixels: np.random.RandomState(6).rand(2, 4, 4, 1)})
    builder = tf.saved_model.Builder(EXPORT_DIR)
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.SERVING],
        signature_def_map={
            "serving_default": tf.saved_model.predict_signature_def(
                inputs={"pixels": pixels}, outputs={"pooled": pooled}
            )
        },
        strip_default_attrs=True,
    )
    builder.save()
