"""Runnable: simple_save's docstring example, `x, y -> z`, after a few training steps.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()

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
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        xs, ys = rng.rand(8, 3), rng.rand(8, 3)
        sess.run(train_op, {x: xs, y: ys, labels: xs.sum(axis=1) - ys.sum(axis=1)})
    simple_save_tf2(sess, EXPORT_DIR, inputs={"x": x, "y": y}, outputs={"z": z})
