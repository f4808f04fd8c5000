"""Runnable: TF Serving versioned exports in a loop (export_base/<version>), training between
them; the latest version is then published as EXPORT_DIR.

Usage: python before.py EXPORT_DIR SCRATCH_DIR  (versions go to SCRATCH_DIR/<run>/<version>)
"""

import os
import shutil
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables
tf.set_random_seed(71)

export_base = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]))

x = tf.placeholder(tf.float32, [None, 3], name="x")
target = tf.placeholder(tf.float32, [None, 1], name="target")
hidden = tf.layers.dense(x, 4, activation=tf.tanh, name="hidden")
prediction = tf.layers.dense(hidden, 1, name="prediction")
loss = tf.losses.mean_squared_error(target, prediction)
global_step = tf.train.get_or_create_global_step()
train_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss, global_step=global_step)

rng = np.random.RandomState(72)
sess = tf.Session()
sess.run(tf.global_variables_initializer())


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 3], tf2.float32, name="x")])
    def serving_default(self, x):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
            hidden = tf.layers.dense(x, 4, activation=tf.tanh, name="hidden")
            prediction = tf.layers.dense(hidden, 1, name="prediction")
        return {"prediction": prediction}


for version in range(1, 4):
    for _ in range(2):
        batch = rng.rand(8, 3)
        sess.run(train_op, {x: batch, target: batch.sum(axis=1, keepdims=True)})
    export_path = os.path.join(export_base, str(version))
    print("Exporting version", version, "at step", sess.run(global_step), "to", export_path)
    export_module = ExportModule()
    with sess.as_default():
        tf2.saved_model.save(export_module, export_path, signatures={
            "serving_default": export_module.serving_default,
        })
sess.close()

latest = os.path.join(export_base, str(max(int(v) for v in os.listdir(export_base))))
shutil.copytree(latest, sys.argv[1])
