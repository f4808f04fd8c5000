"""Writes a TF1 checkpoint whose kernel is stored flat (the "old" side; not rewritten).

Usage: python make_model.py MODEL_DIR
Graph mode, ref variables, seeded values: `RGB/kernel` is saved with shape [6], the reader
builds it as [2, 3] and restores with `reshape=True`. The values go to MODEL_DIR/expected/.
"""

import os
import sys

import numpy as np
import tensorflow as tf

MODEL_DIR = sys.argv[1]
tf.compat.v1.disable_resource_variables()
v1 = tf.compat.v1

with tf.Graph().as_default():
    rng = np.random.RandomState(3)
    with v1.variable_scope("RGB"):
        kernel = v1.get_variable("kernel", initializer=rng.randn(6).astype(np.float32))
        bias = v1.get_variable("bias", initializer=rng.randn(3).astype(np.float32))
    other = v1.get_variable("other", initializer=np.float32(7.0))
    assert kernel.op.type == "VariableV2"
    saver = v1.train.Saver()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        saver.save(sess, os.path.join(MODEL_DIR, "ckpt", "model.ckpt"))
        flat, bias_value = sess.run([kernel, bias])
expected = {"kernel": flat.reshape(2, 3), "bias": bias_value}
os.makedirs(os.path.join(MODEL_DIR, "expected"), exist_ok=True)
for name, value in expected.items():
    np.save(os.path.join(MODEL_DIR, "expected", name + ".npy"), value)
