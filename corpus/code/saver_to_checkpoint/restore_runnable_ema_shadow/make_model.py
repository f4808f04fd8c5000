"""Trains a TF1 model with an ExponentialMovingAverage and saves it (the "old" side).

Usage: python make_model.py MODEL_DIR
Graph mode, ref variables, seeded values; a few steps move the weights away from their
moving averages, so restoring the shadow values differs from restoring the weights. The raw
and shadow values go to MODEL_DIR/expected/*.npy.
"""

import os
import sys

import numpy as np
import tensorflow as tf

MODEL_DIR = sys.argv[1]
tf.compat.v1.disable_resource_variables()
v1 = tf.compat.v1

with tf.Graph().as_default():
    rng = np.random.RandomState(5)
    with v1.variable_scope("net"):
        kernel = v1.get_variable("kernel", initializer=rng.randn(2, 3).astype(np.float32))
        bias = v1.get_variable("bias", initializer=rng.randn(3).astype(np.float32))
        count = v1.get_variable("count", initializer=np.int64(0), trainable=False)
    assert kernel.op.type == "VariableV2"
    ema = v1.train.ExponentialMovingAverage(0.5)
    average = ema.apply([kernel, bias])
    train = v1.group(v1.assign(kernel, kernel * 2.0 + 1.0), v1.assign_add(bias, bias))
    step = v1.assign_add(count, 1)
    saver = v1.train.Saver()
    with v1.Session() as sess:
        sess.run(v1.variables_initializer([kernel, bias, count]))  # shadows copy these
        sess.run(v1.variables_initializer([ema.average(kernel), ema.average(bias)]))
        for _ in range(3):
            sess.run(train)
            sess.run([average, step])
        saver.save(sess, os.path.join(MODEL_DIR, "ckpt", "model.ckpt"))
        names = ("kernel", "bias", "count", "shadow_kernel", "shadow_bias")
        tensors = [kernel, bias, count, ema.average(kernel), ema.average(bias)]
        expected = dict(zip(names, sess.run(tensors)))
assert not np.allclose(expected["kernel"], expected["shadow_kernel"])
os.makedirs(os.path.join(MODEL_DIR, "expected"), exist_ok=True)
for name, value in expected.items():
    np.save(os.path.join(MODEL_DIR, "expected", name + ".npy"), value)
