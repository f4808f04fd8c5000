"""Runnable: a trainer class whose method exports through a SavedModelBuilder.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()


class Regressor:
    """Linear regression trained with plain SGD."""

    def __init__(self, n_features):
        self.x = tf.placeholder(tf.float32, [None, n_features], name="x")
        self.y_true = tf.placeholder(tf.float32, [None], name="y_true")
        self.w = tf.get_variable("w", [n_features, 1], initializer=tf.zeros_initializer())
        self.b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        self.y = tf.squeeze(tf.matmul(self.x, self.w), axis=1) + self.b
        loss = tf.reduce_mean(tf.square(self.y - self.y_true))
        self.train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())

    def fit(self, xs, ys, steps):
        for _ in range(steps):
            self.sess.run(self.train_op, {self.x: xs, self.y_true: ys})

    def export(self, export_dir):
        builder = SavedModelBuilderTF2(export_dir)
        signature = tf.saved_model.signature_def_utils.predict_signature_def(
            inputs={"x": self.x}, outputs={"y": self.y}
        )
        builder.add_meta_graph_and_variables(
            self.sess, ["serve"], signature_def_map={"predict": signature}
        )
        builder.save()


rng = np.random.RandomState(4)
xs = rng.rand(20, 3)
regressor = Regressor(3)
regressor.fit(xs, xs @ np.array([1.0, -2.0, 0.5]) + 0.3, steps=10)
regressor.export(sys.argv[1])
