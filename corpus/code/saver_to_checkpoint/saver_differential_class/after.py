"""Runnable: a class owns the Saver and a plain `tf.Session()` (not the default session).

`max_to_keep` + `global_step` saves in a training loop; a fresh instance resumes from
`get_checkpoint_state`. Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])


class Trainer:
    def __init__(self, ckpt_dir):
        self.prefix = os.path.join(ckpt_dir, "trainer")
        self.weights = tf.get_variable("weights", initializer=tf.constant([1.0, -2.0]))
        self.step = tf.train.get_or_create_global_step()
        self.train_op = tf.group(
            tf.assign(self.weights, self.weights * 3.0), tf.assign_add(self.step, 1)
        )
        self.sess = tf.Session()
        self.saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
        self.sess.run(tf.global_variables_initializer())

    def resume(self, ckpt_dir):
        state = tf.train.get_checkpoint_state(ckpt_dir)
        if state and state.model_checkpoint_path:
            with self.sess.graph.as_default():
                self.saver.read(state.model_checkpoint_path).run_restore_ops(self.sess)
        return self.values()

    def train(self, steps):
        for _ in range(steps):
            self.sess.run(self.train_op)
            with self.sess.as_default(), self.sess.graph.as_default():
                tf2.train.CheckpointManager(self.saver, os.path.dirname(self.prefix), max_to_keep=2, checkpoint_name=os.path.basename(self.prefix)).save(checkpoint_number=self.sess.run(self.step))
        return self.values()

    def values(self):
        weights, step = self.sess.run([self.weights, self.step])
        return [weights.tolist(), int(step)]


trainer = Trainer(CKPT_DIR)
restored = trainer.resume(CKPT_DIR)
saved = trainer.train(2)
latest = os.path.basename(tf.train.latest_checkpoint(CKPT_DIR))
print(json.dumps({"restored": restored, "saved": [*saved, latest]}))
