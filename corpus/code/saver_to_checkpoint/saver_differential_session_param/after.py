"""Runnable: a model handed a session for its own graph; saves without `global_step`.

The session is a parameter (TF1's save accepted only a real session) and its graph is not
the default graph; each run saves to a new path, found again through `latest_checkpoint`, so the
rewrite must record it in the `checkpoint` state file as TF1's Saver did.
Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])


class Model:
    def __init__(self, sess, graph):
        self.sess = sess
        with graph.as_default():
            self.weights = tf.get_variable("weights", initializer=tf.constant([1.0, -2.0]))
            self.scale = tf.assign(self.weights, self.weights * 3.0)
            self.saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
            self.init = tf.global_variables_initializer()

    def save(self, prefix):
        with self.sess.as_default(), self.sess.graph.as_default():
            path = self.saver.write(prefix)
            tf.train.update_checkpoint_state(os.path.dirname(path), path)
        return path

    def load(self, ckpt_dir):
        latest = tf.train.latest_checkpoint(ckpt_dir)
        if latest:
            with self.sess.graph.as_default():
                self.saver.read(latest).run_restore_ops(self.sess)
        else:
            self.sess.run(self.init)
        return self.sess.run(self.weights).tolist()


graph = tf.Graph()
model = Model(tf.Session(graph=graph), graph)
restored = model.load(CKPT_DIR)
model.sess.run(model.scale)
written = model.save(os.path.join(CKPT_DIR, "model-%d" % STEP))
saved = model.sess.run(model.weights).tolist()
latest = os.path.basename(tf.train.latest_checkpoint(CKPT_DIR))
print(json.dumps({"restored": restored, "saved": [saved, os.path.basename(written), latest]}))
