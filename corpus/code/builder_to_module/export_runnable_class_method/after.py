"""Runnable: a trainer class whose method exports through a SavedModelBuilder.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables


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

        class ExportModule(tf2.Module):
            """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

            def __init__(self, owner):
                super().__init__()
                self.owner = owner
                # The trained TF1 variables, tracked under their TF1 names.
                self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

            @tf2.function(input_signature=[tf2.TensorSpec.from_tensor(self.x, name="x")])
            def predict(self, x):
                y = tf.squeeze(tf.matmul(x, self.owner.w), axis=1) + self.owner.b
                return {"y": y}

        export_module = ExportModule(self)
        with self.sess.as_default():
            tf2.saved_model.save(export_module, export_dir, signatures={
                "predict": export_module.predict,
            })


rng = np.random.RandomState(4)
xs = rng.rand(20, 3)
regressor = Regressor(3)
regressor.fit(xs, xs @ np.array([1.0, -2.0, 0.5]) + 0.3, steps=10)
regressor.export(sys.argv[1])
