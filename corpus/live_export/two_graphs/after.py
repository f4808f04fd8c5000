"""Runnable: two graphs built one after another, each with `saver = tf.train.Saver()`.

The first model is exported next to EXPORT_DIR (EXPORT_DIR_first), the second to EXPORT_DIR.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import shutil
import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
scratch = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]))
shutil.rmtree(sys.argv[1] + "_first", ignore_errors=True)

with tf.Graph().as_default():
    tf.set_random_seed(12)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.layers.dense(x, 1, name="first")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, os.path.join(scratch, "first.ckpt"))
        simple_save_tf2(sess, sys.argv[1] + "_first", {"x": x}, {"y": y})

with tf.Graph().as_default():
    tf.set_random_seed(13)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.layers.dense(tf.layers.dense(x, 3, name="second_a"), 1, name="second_b")
    train_op = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_mean(tf.square(y - 2.0)))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train_op, {x: np.random.RandomState(10).rand(4, 2)})
        saver.save(sess, os.path.join(scratch, "second.ckpt"))
        simple_save_tf2(sess, sys.argv[1], {"x": x}, {"y": y})
