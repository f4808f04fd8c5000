"""Runnable: an export helper taking the session, tensors and path as parameters.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(16)


def export_model(session, export_path, input_tensor, output_tensor, input_name="inputs", output_name="outputs"):
    """Save for TF Serving."""
    print("Exporting trained model to", export_path)
    simple_save_tf2(
        session, export_path, inputs={input_name: input_tensor}, outputs={output_name: output_tensor}
    )


images = tf.placeholder(tf.float32, [None, 4, 4, 1], name="images")
conv = tf.layers.conv2d(images, 2, 3, padding="same", activation=tf.nn.relu)
pooled = tf.layers.max_pooling2d(conv, 2, 2)
logits = tf.layers.dense(tf.layers.flatten(pooled), 3)
train_op = tf.train.AdamOptimizer(0.01).minimize(tf.reduce_mean(tf.square(logits)))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, {images: np.random.RandomState(13).rand(2, 4, 4, 1)})
    export_model(sess, sys.argv[1], images, tf.nn.softmax(logits), output_name="probabilities")
