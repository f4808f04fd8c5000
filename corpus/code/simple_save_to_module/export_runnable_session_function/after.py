"""Runnable: the export lives in a helper that receives the session.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

inputs = tf.placeholder(tf.float32, [None, 2], name="inputs")
weights = tf.Variable([[1.0], [-1.0]], name="weights")
bias = tf.Variable([0.0], name="bias")
prediction = tf.sigmoid(tf.matmul(inputs, weights) + bias)
target = tf.placeholder(tf.float32, [None, 1])
train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.losses.log_loss(target, prediction))


def export(sess, export_dir):
    """Write the serving model for the current weights."""

    class ExportModule(tf2.Module):
        """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

        def __init__(self):
            super().__init__()
            # The trained TF1 variables, tracked under their TF1 names.
            self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

        @tf2.function(input_signature=[tf2.TensorSpec([None, 2], tf2.float32, name="inputs")])
        def serving_default(self, inputs):
            prediction = tf.sigmoid(tf.matmul(inputs, weights) + bias)
            return {"prediction": prediction}

    export_module = ExportModule()
    with sess.as_default():
        tf2.saved_model.save(export_module, export_dir, signatures={
            "serving_default": export_module.serving_default,
        })


def main(export_dir):
    rng = np.random.RandomState(3)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(6):
        batch = rng.randn(10, 2)
        sess.run(train_op, {inputs: batch, target: (batch.sum(axis=1, keepdims=True) > 0) * 1.0})
    export(sess, export_dir)


main(sys.argv[1])
