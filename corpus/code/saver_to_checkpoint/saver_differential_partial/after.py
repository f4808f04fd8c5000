"""Runnable: fine-tune restore of a computed subset, full save of tf.global_variables().

`finetune` restores only the `net/` trainables (not `global_step`, not `head/w`); `saver`
saves everything. Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])
PREFIX = os.path.join(CKPT_DIR, "model")

with tf.variable_scope("net"):
    kernel = tf.get_variable("kernel", initializer=tf.constant([[1.0, -1.0]]))
    bias = tf.get_variable("bias", initializer=tf.constant([0.25]))
with tf.variable_scope("head"):
    head = tf.get_variable("w", initializer=tf.constant([2.0]))
step = tf.Variable(0, trainable=False, name="global_step")
train_op = tf.group(
    tf.assign(kernel, kernel * 2.0),
    tf.assign_add(bias, [1.0]),
    tf.assign(head, head * 3.0),
    tf.assign_add(step, 1),
)
finetune = tf2.train.Checkpoint(**{v.op.name: v for v in tf.trainable_variables() if v.name.startswith("net/")})
saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    if os.path.exists(PREFIX + ".index"):
        finetune.read(PREFIX).run_restore_ops(sess)
    restored = sess.run([kernel, bias, head, step])
    sess.run(train_op)
    saver.write(PREFIX)
    saved = sess.run([kernel, bias, head, step])

print(json.dumps({
    "restored": [restored[0].tolist(), restored[1].tolist(), restored[2].tolist(), int(restored[3])],
    "saved": [saved[0].tolist(), saved[1].tolist(), saved[2].tolist(), int(saved[3])],
}))
