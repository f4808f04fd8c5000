"""Runnable: everything inside main(argv), the export a Builder call at its end.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2


def build(x):
    hidden = tf.layers.dense(x, 5, activation=tf.nn.tanh, name="hidden")
    return tf.layers.dense(hidden, 1, name="out")


def main(argv):
    tf.disable_v2_behavior()
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    pred = build(x)
    train_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(tf.reduce_mean(tf.square(pred - y)))
    rng = np.random.RandomState(6)
    data_x, data_y = rng.rand(20, 3), rng.rand(20, 1)

    class ExportModule(tf2.Module):
        """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

        def __init__(self):
            super().__init__()
            # The trained TF1 variables, tracked under their TF1 names.
            self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

        @tf2.function(input_signature=[tf2.TensorSpec([None, 3], tf2.float32, name="x")])
        def serving_default(self, x):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
                pred = build(x)
            return {"pred": pred}

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train_op, {x: data_x, y: data_y})
        export_module = ExportModule()
        tf2.saved_model.save(export_module, argv[1], signatures={
            tf2.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: export_module.serving_default,
        })


main(sys.argv)
