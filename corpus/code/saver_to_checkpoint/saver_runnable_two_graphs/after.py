"""Runnable: two graphs built one after another, each with its own `saver` (issue 15's crash).

Each `saver.save(sess, path)` must go to the Saver assigned just before it, not to the last
one in the module. Usage: python before.py CKPT_DIR STEP  (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])
PREFIX_A = os.path.join(CKPT_DIR, "encoder")
PREFIX_B = os.path.join(CKPT_DIR, "head")

with tf.Graph().as_default():
    kernel = tf.get_variable("kernel", initializer=tf.constant([[1.0, -1.0]]))
    train_a = tf.assign(kernel, kernel * 2.0)
    saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if os.path.exists(PREFIX_A + ".index"):
            saver.read(PREFIX_A).run_restore_ops(sess)
        restored_a = sess.run(kernel)
        sess.run(train_a)
        saver.write(PREFIX_A)
        saved_a = sess.run(kernel)

with tf.Graph().as_default():
    bias = tf.Variable([0.5, 1.5, 2.5], name="bias")
    scale = tf.Variable(3.0, name="scale")
    train_b = tf.group(tf.assign_add(bias, [1.0, 1.0, 1.0]), tf.assign(scale, scale + bias[0]))
    saver = tf2.train.Checkpoint(bias=bias, scale=scale)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if os.path.exists(PREFIX_B + ".index"):
            saver.read(PREFIX_B).run_restore_ops(sess)
        restored_b = sess.run([bias, scale])
        sess.run(train_b)
        saver.write(PREFIX_B)
        saved_b = sess.run([bias, scale])

print(json.dumps({
    "restored": [restored_a.tolist(), restored_b[0].tolist(), float(restored_b[1])],
    "saved": [saved_a.tolist(), saved_b[0].tolist(), float(saved_b[1])],
}))
