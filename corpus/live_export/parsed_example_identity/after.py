"""Runnable: the signature input is tf.identity of a parsed tf.Example feature.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(3)


def serving_features():
    serialized = tf.placeholder(tf.string, [None], name="tf_example")
    parsed = tf.parse_example(serialized, {"x": tf.FixedLenFeature([2], tf.float32)})
    return serialized, tf.identity(parsed["x"], name="x")


serialized, x = serving_features()
w = tf.Variable(tf.random_normal([2, 1]), name="w")
y = tf.matmul(x, w, name="y")
loss = tf.reduce_mean(tf.square(y - 1.0))
train_op = tf.train.AdamOptimizer(0.1).minimize(loss)

rng = np.random.RandomState(4)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: rng.rand(8, 2)})
    simple_save_tf2(sess, sys.argv[1], {"x": x}, {"y": y})
