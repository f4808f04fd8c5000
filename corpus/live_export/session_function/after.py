"""Runnable: the export lives in a helper that receives the session.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()

inputs = tf.placeholder(tf.float32, [None, 2], name="inputs")
weights = tf.Variable([[1.0], [-1.0]], name="weights")
bias = tf.Variable([0.0], name="bias")
prediction = tf.sigmoid(tf.matmul(inputs, weights) + bias)
target = tf.placeholder(tf.float32, [None, 1])
train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.losses.log_loss(target, prediction))


def export(sess, export_dir):
    """Write the serving model for the current weights."""
    simple_save_tf2(
        sess, export_dir, inputs={"inputs": inputs}, outputs={"prediction": prediction}
    )


def main(export_dir):
    rng = np.random.RandomState(3)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(6):
        batch = rng.randn(10, 2)
        sess.run(train_op, {inputs: batch, target: (batch.sum(axis=1, keepdims=True) > 0) * 1.0})
    export(sess, export_dir)


main(sys.argv[1])
