"""Runnable: a class owning its graph, session and saver; checkpoint, restore, then export.

Usage: python before.py EXPORT_DIR SCRATCH_DIR  (checkpoints go to SCRATCH_DIR/<run>)
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()


class Model(object):
    def __init__(self, checkpoint_dir):
        self.checkpoint_dir = checkpoint_dir
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(7)
            self.x = tf.placeholder(tf.float32, [None, 4], name="x")
            self.y = tf.placeholder(tf.float32, [None], name="y")
            with tf.variable_scope("linear"):
                w = tf.get_variable("w", [4, 1])
                b = tf.get_variable("b", [], initializer=tf.constant_initializer(0.1))
            self.output = tf.add(tf.squeeze(tf.matmul(self.x, w), 1), b, name="output")
            self.global_step = tf.train.get_or_create_global_step()
            loss = tf.reduce_mean(tf.square(self.output - self.y))
            self.train_op = tf.train.AdagradOptimizer(0.3).minimize(loss, global_step=self.global_step)
            self.saver = tf.train.Saver(max_to_keep=2)
            init = tf.global_variables_initializer()
        self.sess = tf.Session(graph=self.graph)
        self.sess.run(init)

    def train(self, steps):
        rng = np.random.RandomState(8)
        for _ in range(steps):
            self.sess.run(self.train_op, {self.x: rng.rand(8, 4), self.y: rng.rand(8)})
        self.saver.save(self.sess, os.path.join(self.checkpoint_dir, "model.ckpt"), global_step=self.global_step)

    def restore(self):
        self.saver.restore(self.sess, tf.train.latest_checkpoint(self.checkpoint_dir))

    def export(self, export_dir):
        with self.graph.as_default():
            builder = SavedModelBuilderTF2(export_dir)
            signature = tf.saved_model.signature_def_utils.predict_signature_def(
                inputs={"x": self.x}, outputs={"output": self.output}
            )
            builder.add_meta_graph_and_variables(
                self.sess, ["serve"], signature_def_map={"serving_default": signature}, saver=self.saver
            )
            builder.save()


checkpoints = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]))
model = Model(checkpoints)
model.train(3)
model.restore()
model.export(sys.argv[1])
