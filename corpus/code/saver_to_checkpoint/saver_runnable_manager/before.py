"""Runnable: restore the latest checkpoint if any, take a step, save with global_step.

Usage: python before.py CKPT_DIR STEP  (prints the restored and saved values as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])

w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0]))
b = tf.Variable(0.5, name="dense/b")
train_op = tf.group(tf.assign_add(w, [0.25, -0.5]), tf.assign_add(b, 1.0))
saver = tf.train.Saver(var_list=[w, b], max_to_keep=2)  # keep two checkpoints

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    latest = tf.train.latest_checkpoint(CKPT_DIR)
    if latest:
        saver.restore(sess, latest)
    restored = sess.run([w, b])
    sess.run(train_op)
    path = saver.save(sess, os.path.join(CKPT_DIR, "model.ckpt"), global_step=STEP)
    saved = sess.run([w, b])

print(json.dumps({
    "restored_from": latest,
    "restored": [restored[0].tolist(), float(restored[1])],
    "saved_to": path,
    "saved": [saved[0].tolist(), float(saved[1])],
}))
