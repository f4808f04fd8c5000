"""Runnable: a MonitoredTrainingSession training loop checkpoints; a plain Session restores it.

Each run first restores the newest checkpoint in CKPT_DIR (written by the previous run's
MonitoredTrainingSession) with a Saver, then trains three steps under MonitoredTrainingSession,
which resumes from CKPT_DIR itself and checkpoints every two steps and at the end.
Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow as tf

tf.compat.v1.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])

features = tf.constant([[1.0, 2.0], [3.0, 4.0]])
labels = tf.constant([[1.0], [2.0]])
with tf.compat.v1.variable_scope("dense"):
    kernel = tf.compat.v1.get_variable("kernel", initializer=tf.constant([[0.5], [-1.0]]))
    bias = tf.compat.v1.get_variable("bias", initializer=tf.constant([0.1]))
global_step = tf.compat.v1.train.get_or_create_global_step()
loss = tf.reduce_mean(tf.square(tf.matmul(features, kernel) + bias - labels))
optimizer = tf.compat.v1.train.MomentumOptimizer(learning_rate=0.01, momentum=0.9)
train_op = optimizer.minimize(loss, global_step=global_step)
velocity = optimizer.get_slot(kernel, "momentum")


def snapshot(session):
    kernel_value, bias_value, velocity_value, step = session.run(
        [kernel, bias, velocity, global_step]
    )
    return [kernel_value.tolist(), bias_value.tolist(), velocity_value.tolist(), int(step)]


saver = tf.train.Checkpoint(**{v.op.name: v for v in tf.compat.v1.global_variables()})
with tf.compat.v1.Session() as sess:
    sess.run(tf.compat.v1.global_variables_initializer())
    latest = tf.compat.v1.train.latest_checkpoint(CKPT_DIR)
    if latest:
        saver.read(latest).run_restore_ops(sess)
    restored = snapshot(sess)

with tf.compat.v1.train.MonitoredTrainingSession(
    checkpoint_dir=CKPT_DIR,
    save_checkpoint_steps=2,
    save_summaries_steps=None,
    save_summaries_secs=None,
    log_step_count_steps=None,
) as mon_sess:
    for _ in range(3):
        mon_sess.run(train_op)
    saved = snapshot(mon_sess)
latest = os.path.basename(tf.compat.v1.train.latest_checkpoint(CKPT_DIR))

print(json.dumps({"restored": restored, "saved": saved + [latest]}))
