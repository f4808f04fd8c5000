"""Runnable: outputs built under variable_scope, name_scope and tf.device; a name bound twice.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(8)

x = tf.placeholder(tf.float32, [None, 3], name="x")
with tf.device("/cpu:0"):
    with tf.variable_scope("encoder"):
        h = tf.layers.dense(x, 4, activation=tf.nn.relu, name="h")
        h = tf.layers.dense(h, 4, activation=tf.nn.relu, name="h2")
    with tf.name_scope("head"):
        out = tf.reduce_sum(h, axis=1, name="out")
        out = tf.nn.sigmoid(out, name="prob")
loss = tf.reduce_mean(tf.square(out - 0.5))
train_op = tf.train.RMSPropOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: np.random.RandomState(9).rand(6, 3)})
    simple_save_tf2(sess, sys.argv[1], {"x": x}, {"prob": out, "hidden": h})
