"""Runnable: training and simple_save under `if __name__ == "__main__":`.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()

if __name__ == "__main__":
    tf.set_random_seed(6)
    export_dir = sys.argv[1]
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    w = tf.get_variable("w", shape=[2, 2])
    b = tf.get_variable("b", shape=[2], initializer=tf.zeros_initializer())
    logits = tf.nn.xw_plus_b(x, w, b)
    probs = tf.nn.softmax(logits, name="probs")
    labels = tf.placeholder(tf.int32, [None])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    rng = np.random.RandomState(7)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(6):
            sess.run(train_op, feed_dict={x: rng.rand(10, 2), labels: rng.randint(0, 2, 10)})
        simple_save_tf2(sess, export_dir, inputs={"x": x}, outputs={"probs": probs, "logits": logits})
