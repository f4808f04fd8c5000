"""Runnable: two graphs built one after another, each with `saver = tf.train.Saver()`.

The first model is exported next to EXPORT_DIR (EXPORT_DIR_first), the second to EXPORT_DIR.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import shutil
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables
scratch = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]))
shutil.rmtree(sys.argv[1] + "_first", ignore_errors=True)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 2], tf2.float32, name="x")])
    def serving_default(self, x):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
            y = tf.layers.dense(x, 1, name="first")
        return {"y": y}


with tf.Graph().as_default():
    tf.set_random_seed(12)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.layers.dense(x, 1, name="first")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.write(os.path.join(scratch, "first.ckpt"))
        export_module = ExportModule()
        tf2.saved_model.save(export_module, sys.argv[1] + "_first", signatures={
            "serving_default": export_module.serving_default,
        })

with tf.Graph().as_default():
    tf.set_random_seed(13)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.layers.dense(tf.layers.dense(x, 3, name="second_a"), 1, name="second_b")
    train_op = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_mean(tf.square(y - 2.0)))
    saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train_op, {x: np.random.RandomState(10).rand(4, 2)})
        saver.write(os.path.join(scratch, "second.ckpt"))
        simple_save_tf2(sess, sys.argv[1], {"x": x}, {"y": y})
