"""Runnable: restore one scope's variables by name, reshaping them (`reshape=True`).

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
TF1 graph mode with ref variables. The variable map is built in a loop over
`tf.global_variables()`, the kernel's shape differs from the checkpoint's, and the restore
path is looked up in a dict (read once by the rewrite).
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.disable_resource_variables()

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
PATHS = {"rgb": os.path.join(MODEL_DIR, "ckpt", "model.ckpt")}

with tf.variable_scope("RGB"):
    kernel = tf.get_variable("kernel", [2, 3], initializer=tf.zeros_initializer())
    bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
other = tf.get_variable("other", [], initializer=tf.zeros_initializer())

rgb_variable_map = {}
for variable in tf.global_variables():
    if variable.name.split("/")[0] == "RGB":
        rgb_variable_map[variable.name.replace(":0", "")] = variable
rgb_saver = rgb_variable_map

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run([var.assign(tf2.reshape(reader.get_tensor(key), var.shape)) for reader in [tf2.train.load_checkpoint(PATHS["rgb"])] for key, var in rgb_saver.items()])
    values = dict(zip(("kernel", "bias", "other"), sess.run([kernel, bias, other])))

assert values["other"] == 0.0  # outside the map: not restored
for name, value in values.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
