"""Runnable: TF Serving versioned exports in a loop (export_base/<version>), training between
them; the latest version is then published as EXPORT_DIR.

Usage: python before.py EXPORT_DIR SCRATCH_DIR  (versions go to SCRATCH_DIR/<run>/<version>)
"""

import os
import shutil
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
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
for version in range(1, 4):
    for _ in range(2):
        batch = rng.rand(8, 3)
        sess.run(train_op, {x: batch, target: batch.sum(axis=1, keepdims=True)})
    export_path = os.path.join(export_base, str(version))
    print("Exporting version", version, "at step", sess.run(global_step), "to", export_path)
    tf.saved_model.simple_save(sess, export_path, inputs={"x": x}, outputs={"prediction": prediction})
sess.close()

latest = os.path.join(export_base, str(max(int(v) for v in os.listdir(export_base))))
shutil.copytree(latest, sys.argv[1])
