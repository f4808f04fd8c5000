"""Runnable: restore a checkpoint written under custom dict keys into differently named variables.

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
TF1 graph mode with ref variables; the variables' own names match no checkpoint key.
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

with tf.variable_scope("layer"):
    kernel = tf.get_variable("kernel", [2, 3], initializer=tf.zeros_initializer())
    bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
steps = tf.get_variable("steps", [], tf.int64, initializer=tf.zeros_initializer())
saver = {"old/kernel": kernel, "old_bias": bias, "global_steps": steps}

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run([var.assign(tf2.train.load_variable(CKPT, key)) for key, var in saver.items()])
    values = dict(zip(("kernel", "bias", "steps"), sess.run([kernel, bias, steps])))

for name, value in values.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
