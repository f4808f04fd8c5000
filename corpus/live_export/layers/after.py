"""Runnable: a tf.compat.v1.layers model (needs tf-keras, TF_USE_LEGACY_KERAS=1).

Its initializers are unseeded, so both runs share one initial checkpoint: the first run
writes SCRATCH_DIR/init.ckpt, the second restores it before training.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()

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
init_saver = tf.train.Saver()

rng = np.random.RandomState(2)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    if os.path.exists(INIT + ".index"):
        init_saver.restore(sess, INIT)
    else:
        init_saver.save(sess, INIT)
    for _ in range(5):
        batch = rng.randn(32, 5).astype(np.float32)
        sess.run(train_op, {images: batch, labels: np.argmax(batch[:, :3], axis=1)})
    simple_save_tf2(
        sess, EXPORT_DIR,
        inputs={"images": images},
        outputs={"logits": logits, "classes": classes},
    )
