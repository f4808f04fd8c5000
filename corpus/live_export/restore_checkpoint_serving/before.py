"""Runnable: train and checkpoint, then a separate serving export rebuilds the inference graph
in a fresh graph and session, restores the latest checkpoint and exports with a Builder.

The serving graph has no optimizer: Adam's slot variables stay in the checkpoint only.
Usage: python before.py EXPORT_DIR SCRATCH_DIR  (checkpoints go to SCRATCH_DIR/<run>)
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

FLAGS_checkpoint_dir = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]))


def inference(images, is_training):
    net = tf.layers.conv2d(images, 4, 3, activation=tf.nn.relu, name="conv1")
    net = tf.layers.max_pooling2d(net, 2, 2, name="pool1")
    net = tf.layers.flatten(net)
    net = tf.layers.dropout(net, rate=0.3, training=is_training, seed=5)
    return tf.layers.dense(net, 3, name="fc")


def train():
    with tf.Graph().as_default():
        tf.set_random_seed(31)
        images = tf.placeholder(tf.float32, [None, 6, 6, 1])
        labels = tf.placeholder(tf.int64, [None])
        logits = inference(images, is_training=True)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
        saver = tf.train.Saver()
        rng = np.random.RandomState(32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op, {images: rng.rand(8, 6, 6, 1), labels: rng.randint(0, 3, 8)})
            saver.save(sess, os.path.join(FLAGS_checkpoint_dir, "model.ckpt"), global_step=global_step)


def export(export_path):
    with tf.Graph().as_default():
        serialized = tf.placeholder(tf.float32, [None, 6, 6, 1], name="images")
        logits = inference(serialized, is_training=False)
        scores, classes = tf.nn.top_k(tf.nn.softmax(logits), k=3)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            checkpoint = tf.train.latest_checkpoint(FLAGS_checkpoint_dir)
            saver.restore(sess, checkpoint)
            print("Restored", checkpoint)
            builder = tf.saved_model.builder.SavedModelBuilder(export_path)
            predict_inputs = {"images": tf.saved_model.utils.build_tensor_info(serialized)}
            predict_outputs = {
                "scores": tf.saved_model.utils.build_tensor_info(scores),
                "classes": tf.saved_model.utils.build_tensor_info(classes),
            }
            signature = tf.saved_model.signature_def_utils.build_signature_def(
                inputs=predict_inputs,
                outputs=predict_outputs,
                method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME,
            )
            builder.add_meta_graph_and_variables(
                sess,
                [tf.saved_model.tag_constants.SERVING],
                signature_def_map={"predict_images": signature},
                strip_default_attrs=True,
            )
            builder.save()


train()
export(sys.argv[1])
