"""Runnable: one Builder, two tag-sets (serve; serve+gpu) with different signatures.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.saved_model import signature_constants, tag_constants
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

features = tf.placeholder(tf.float32, [None, 4], name="features")
kernel = tf.get_variable("kernel", [4, 2], initializer=tf.glorot_uniform_initializer(seed=7))
logits = tf.matmul(features, kernel)
probabilities = tf.nn.softmax(logits)
labels = tf.placeholder(tf.int64, [None])
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

rng = np.random.RandomState(1)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for _ in range(4):
    batch = rng.randn(16, 4)
    sess.run(train_op, {features: batch, labels: (batch[:, 0] > 0).astype(np.int64)})


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 4], tf2.float32, name="features")])
    def serving_default(self, features):
        logits = tf.matmul(features, kernel)
        probabilities = tf.nn.softmax(logits)
        return {"probabilities": probabilities}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 4], tf2.float32, name="features")])
    def logits(self, features):
        logits = tf.matmul(features, kernel)
        return {"logits": logits}


with sess.as_default():
    # tf-migrate: TF2 writes one MetaGraph tagged 'serve' (TF1 tag-sets: [['serve'], ['serve', 'gpu']])
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        tf2.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: export_module.serving_default,
        "logits": export_module.logits,
    })
sess.close()
