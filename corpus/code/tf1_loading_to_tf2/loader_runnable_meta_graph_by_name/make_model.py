"""Writes the TF1 model the runnable loader cases load (not rewritten: it is the "old" side).

Usage: python make_model.py MODEL_DIR
Graph mode, ref variables (VariableV2), seeded values assigned after initialisation, so only
a real restore reproduces them. Writes MODEL_DIR/ckpt/model.ckpt-3 (zeros) and model.ckpt-7 (the
seeded values, the latest checkpoint) with their .meta files, and the TF1 outputs for BATCH in
MODEL_DIR/expected/*.npy.
"""

import os
import sys

import numpy as np
import tensorflow as tf

MODEL_DIR = sys.argv[1]
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
tf.compat.v1.disable_resource_variables()

with tf.Graph().as_default():
    x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
    scale = tf.compat.v1.placeholder_with_default(1.0, [], name="scale")
    with tf.compat.v1.variable_scope("dense"):
        kernel = tf.compat.v1.get_variable("kernel", [2, 3], initializer=tf.compat.v1.zeros_initializer())
        bias = tf.compat.v1.get_variable("bias", [3], initializer=tf.compat.v1.zeros_initializer())
    scores = tf.identity((tf.matmul(x, kernel) + bias) * scale, name="scores")
    probs = tf.nn.softmax(scores, name="probs")
    assert kernel.op.type == "VariableV2"
    rng = np.random.RandomState(7)
    saver = tf.compat.v1.train.Saver()
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        saver.save(sess, os.path.join(MODEL_DIR, "ckpt", "model.ckpt"), global_step=3)
        sess.run([kernel.assign(rng.randn(2, 3).astype(np.float32)), bias.assign(rng.randn(3).astype(np.float32))])
        saver.save(sess, os.path.join(MODEL_DIR, "ckpt", "model.ckpt"), global_step=7)
        expected = {"scores": sess.run(scores, {x: BATCH}), "probs": sess.run(probs, {x: BATCH})}
os.makedirs(os.path.join(MODEL_DIR, "expected"), exist_ok=True)
for name, value in expected.items():
    np.save(os.path.join(MODEL_DIR, "expected", name + ".npy"), value)
