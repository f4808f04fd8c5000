"""Runnable: export from a restored .meta graph, tensors fetched by name.

The first part trains and writes a checkpoint; the second imports the meta graph in a new graph,
restores it and exports the tensors it finds by name.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
prefix = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]), "model")

with tf.Graph().as_default():
    tf.set_random_seed(15)
    x = tf.placeholder(tf.float32, [None, 3], name="input")
    out = tf.layers.dense(x, 2, activation=tf.nn.sigmoid, name="dense")
    tf.identity(out, name="output")
    train_op = tf.train.GradientDescentOptimizer(0.2).minimize(tf.reduce_sum(out))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op, {x: np.random.RandomState(12).rand(4, 3)})
        tf.train.Saver().save(sess, prefix)

with tf.Graph().as_default() as graph:
    with tf.Session() as sess:
        saver = tf.train.import_meta_graph(prefix + ".meta")
        saver.restore(sess, prefix)
        inputs = {"input": graph.get_tensor_by_name("input:0")}
        outputs = {"output": graph.get_tensor_by_name("output:0")}
        simple_save_tf2(sess, sys.argv[1], inputs, outputs)
