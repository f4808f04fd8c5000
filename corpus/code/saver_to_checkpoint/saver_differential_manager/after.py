"""Runnable: training loop with max_to_keep + global_step, resumed from latest_checkpoint.

Each run restores the newest checkpoint (TF1-written on the first resume), trains three steps
and saves after each. Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])
PREFIX = os.path.join(CKPT_DIR, "model.ckpt")

weights = tf.get_variable("weights", initializer=tf.constant([1.0, 2.0, 3.0]))
global_step = tf.train.get_or_create_global_step()
train_op = tf.group(tf.assign(weights, weights * 1.5), tf.assign_add(global_step, 1))
saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.all_variables()})

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    latest = tf.train.latest_checkpoint(CKPT_DIR)
    if latest:
        saver.read(latest).run_restore_ops(sess)
    restored = sess.run([weights, global_step])
    for _ in range(3):
        sess.run(train_op)
        tf2.train.CheckpointManager(saver, os.path.dirname(PREFIX), max_to_keep=2, checkpoint_name=os.path.basename(PREFIX)).save(checkpoint_number=sess.run(global_step))
    saved = sess.run([weights, global_step])
    latest = os.path.basename(tf.train.latest_checkpoint(CKPT_DIR))

print(json.dumps({
    "restored": [restored[0].tolist(), int(restored[1])],
    "saved": [saved[0].tolist(), int(saved[1]), latest],
}))
