"""Runnable: TF1 ref variables, Saver() over all globals, one fixed checkpoint path.

Usage: python before.py CKPT_DIR STEP  (prints the restored and saved values as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])
PREFIX = os.path.join(CKPT_DIR, "fixed")


def build():
    with tf.variable_scope("layer"):
        kernel = tf.get_variable("kernel", initializer=tf.constant([[1.0, -1.0]]))
    counter = tf.Variable(0, name="counter")
    return kernel, counter


kernel, counter = build()
train_op = tf.group(tf.assign(kernel, kernel * 2.0), tf.assign_add(counter, 1))
saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    if os.path.exists(PREFIX + ".index"):
        saver.read(PREFIX).run_restore_ops(sess)
    restored = sess.run([kernel, counter])
    sess.run(train_op)
    saver.write(PREFIX)
    saved = sess.run([kernel, counter])

print(json.dumps({
    "restored": [restored[0].tolist(), int(restored[1])],
    "saved": [saved[0].tolist(), int(saved[1])],
}))
