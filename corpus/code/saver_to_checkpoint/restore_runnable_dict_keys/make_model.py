"""Writes a TF1 checkpoint under custom dict keys (the "old" side; not rewritten).

Usage: python make_model.py MODEL_DIR
Graph mode, ref variables, seeded values; `Saver({"old/kernel": ..., "old_bias": ...})` stores
them under the dict keys, not the variables' graph names. The saved values go to
MODEL_DIR/expected/*.npy.
"""

import os
import sys

import numpy as np
import tensorflow as tf

MODEL_DIR = sys.argv[1]
tf.compat.v1.disable_resource_variables()

with tf.Graph().as_default():
    rng = np.random.RandomState(11)
    kernel = tf.compat.v1.get_variable("writer_kernel", initializer=rng.randn(2, 3).astype(np.float32))
    bias = tf.compat.v1.get_variable("writer_bias", initializer=rng.randn(3).astype(np.float32))
    steps = tf.compat.v1.get_variable("writer_steps", initializer=np.int64(41))
    assert kernel.op.type == "VariableV2"
    saver = tf.compat.v1.train.Saver({"old/kernel": kernel, "old_bias": bias, "global_steps": steps})
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        saver.save(sess, os.path.join(MODEL_DIR, "ckpt", "model.ckpt"))
        expected = dict(zip(("kernel", "bias", "steps"), sess.run([kernel, bias, steps])))
os.makedirs(os.path.join(MODEL_DIR, "expected"), exist_ok=True)
for name, value in expected.items():
    np.save(os.path.join(MODEL_DIR, "expected", name + ".npy"), value)
