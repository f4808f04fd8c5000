"""Runnable: signature dicts changed after they are built (update, item assignment, pop).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(17)

a = tf.placeholder(tf.float32, [None], name="a")
b = tf.placeholder(tf.float32, [None], name="b")
unused = tf.placeholder(tf.float32, [None], name="unused")
w = tf.Variable([0.5, -0.5], name="w")
total = a * w[0] + b * w[1]
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(total - 1.0)))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, {a: [1.0, 2.0], b: [3.0, 4.0]})
    inputs = {"a": a, "unused": unused}
    inputs.update(b=b)
    inputs.pop("unused")
    outputs = dict(total=total)
    outputs["doubled"] = total * 2
    simple_save_tf2(sess, sys.argv[1], inputs, outputs)
