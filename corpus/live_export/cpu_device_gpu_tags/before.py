"""Runnable: a graph pinned with `tf.device("/cpu:0")`, exported under the SERVING and GPU
tags (one tag-set) from main(), started by tf.app.run(); devices are kept (no clear_devices).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.saved_model import signature_constants, signature_def_utils, tag_constants

tf.disable_v2_behavior()


def build_graph():
    with tf.device("/cpu:0"):
        images = tf.placeholder(tf.float32, [None, 8, 8, 3], name="images")
        net = tf.layers.conv2d(images, 4, 3, strides=2, activation=tf.nn.relu6, name="conv")
        net = tf.reduce_mean(net, axis=[1, 2], name="global_pool")
        logits = tf.layers.dense(net, 2, name="logits")
        probabilities = tf.nn.softmax(logits, name="probabilities")
    return images, logits, probabilities


def main(_):
    tf.set_random_seed(131)
    images, logits, probabilities = build_graph()
    labels = tf.placeholder(tf.int64, [None])
    train_op = tf.train.AdamOptimizer(0.01).minimize(tf.losses.sparse_softmax_cross_entropy(labels, logits))
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    rng = np.random.RandomState(132)
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train_op, {images: rng.rand(4, 8, 8, 3), labels: rng.randint(0, 2, 4)})
        builder = tf.saved_model.builder.SavedModelBuilder(sys.argv[1])
        builder.add_meta_graph_and_variables(
            sess,
            [tag_constants.SERVING, tag_constants.GPU],
            signature_def_map={
                signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature_def_utils.predict_signature_def(
                    inputs={"images": images}, outputs={"probabilities": probabilities}
                )
            },
        )
        builder.save()


if __name__ == "__main__":
    tf.app.run(main)
