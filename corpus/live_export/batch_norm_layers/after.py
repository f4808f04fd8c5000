"""Runnable: tf.layers batch norm + dropout behind a training flag (non-trainable moving stats).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(18)

x = tf.placeholder(tf.float32, [None, 4], name="x")
training = tf.placeholder_with_default(False, [], name="training")
h = tf.layers.dense(x, 6, name="fc")
h = tf.layers.batch_normalization(h, training=training, name="bn")
h = tf.layers.dropout(tf.nn.relu(h), rate=0.5, training=training)
out = tf.layers.dense(h, 1, name="out")
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.AdamOptimizer(0.01).minimize(tf.reduce_mean(tf.square(out - 1.0)))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: np.random.RandomState(14).rand(8, 4), training: True})
    simple_save_tf2(sess, sys.argv[1], {"x": x}, {"out": out})
