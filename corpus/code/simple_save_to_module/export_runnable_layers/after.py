"""Runnable: a tf.compat.v1.layers model (needs tf-keras, TF_USE_LEGACY_KERAS=1).

Its initializers are unseeded, so both runs share one initial checkpoint: the first run
writes SCRATCH_DIR/init.ckpt, the second restores it before training.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

EXPORT_DIR = sys.argv[1]
INIT = os.path.join(sys.argv[2], "init.ckpt")


def model(images):
    with tf.variable_scope("classifier"):
        hidden = tf.layers.dense(images, 8, activation=tf.nn.relu, name="hidden")
        return tf.layers.dense(hidden, 3, name="logits")


images = tf.placeholder(tf.float32, [None, 5], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
logits = model(images)
classes = tf.argmax(logits, axis=1)
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
init_saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})

rng = np.random.RandomState(2)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 5], tf2.float32, name="images")])
    def serving_default(self, images):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
            logits = model(images)
            classes = tf.argmax(logits, axis=1)
        return {"logits": logits, "classes": classes}


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    if os.path.exists(INIT + ".index"):
        init_saver.read(INIT).run_restore_ops(sess)
    else:
        init_saver.write(INIT)
    for _ in range(5):
        batch = rng.randn(32, 5).astype(np.float32)
        sess.run(train_op, {images: batch, labels: np.argmax(batch[:, :3], axis=1)})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, EXPORT_DIR, signatures={
        "serving_default": export_module.serving_default,
    })
