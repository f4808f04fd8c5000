"""Runnable: evaluation restores a TF1 checkpoint's moving averages into the model variables.

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
TF1 graph mode with ref variables. `ema.variables_to_restore()` maps each trainable variable
to its shadow name (`net/kernel/ExponentialMovingAverage`) and the others to their own names;
a second restore keyed by graph names reads the raw values back.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.disable_resource_variables()

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
CKPT = os.path.join(MODEL_DIR, "ckpt", "model.ckpt")

with tf.variable_scope("net"):
    kernel = tf.get_variable("kernel", [2, 3], initializer=tf.zeros_initializer())
    bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
    count = tf.get_variable("count", [], tf.int64, tf.zeros_initializer(), trainable=False)

with tf.device("/cpu:0"):
    ema = tf.train.ExponentialMovingAverage(0.5)
    variables_to_restore = ema.variables_to_restore()
shadow_saver = variables_to_restore
raw_saver = {v.op.name: v for v in tf.global_variables()}

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run([var.assign(tf2.train.load_variable(CKPT, key)) for key, var in shadow_saver.items()])
    shadow = sess.run([kernel, bias, count])
    sess.run([var.assign(tf2.train.load_variable(CKPT, key)) for key, var in raw_saver.items()])
    raw = sess.run([kernel, bias, count])

values = dict(zip(("shadow_kernel", "shadow_bias", "count", "kernel", "bias"), shadow + raw[:2]))
assert raw[2] == shadow[2]
for name, value in values.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
