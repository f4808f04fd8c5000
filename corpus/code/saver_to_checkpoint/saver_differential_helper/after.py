"""Runnable: the Savers are handed to module-level helpers that save and restore with them.

A fine-tuning script: `load(loader, ...)` restores a subset through one Saver, `save(saver,
...)` writes numbered checkpoints (`max_to_keep=2`) through another; the next run resumes
from `latest_checkpoint`. Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])


def save(saver, sess, logdir, step):
    checkpoint_path = os.path.join(logdir, "model.ckpt")
    with sess.as_default(), sess.graph.as_default():
        tf2.train.CheckpointManager(saver, os.path.dirname(checkpoint_path), max_to_keep=2, checkpoint_name=os.path.basename(checkpoint_path)).save(checkpoint_number=step)


def load(saver, sess, ckpt_path):
    saver.read(ckpt_path).run_restore_ops(sess)


def main():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=tf.constant([1.0, -2.0]))
    head = tf.get_variable("head", initializer=tf.constant(0.5))
    train = tf.group(tf.assign(w, w * 3.0 + STEP), tf.assign_add(head, 1.0))
    restore_var = [v for v in tf.global_variables() if v.name.startswith("net/")]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
    latest = tf.train.latest_checkpoint(CKPT_DIR)
    if latest is not None:
        loader = tf2.train.Checkpoint(**{v.op.name: v for v in restore_var})
        load(loader, sess, latest)
    restored = [sess.run(w).tolist(), float(sess.run(head))]
    for step in range(2):
        sess.run(train)
        save(saver, sess, CKPT_DIR, STEP * 10 + step)
    saved = [sess.run(w).tolist(), float(sess.run(head))]
    kept = sorted(os.path.basename(p) for p in tf.train.get_checkpoint_state(CKPT_DIR).all_model_checkpoint_paths)
    print(json.dumps({"restored": restored, "saved": [saved, kept]}))


if __name__ == "__main__":
    main()
