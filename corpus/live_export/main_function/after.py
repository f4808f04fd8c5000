"""Runnable: everything inside main(argv), the export a Builder call at its end.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here



def build(x):
    hidden = tf.layers.dense(x, 5, activation=tf.nn.tanh, name="hidden")
    return tf.layers.dense(hidden, 1, name="out")


def main(argv):
    tf.disable_v2_behavior()
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    pred = build(x)
    train_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(tf.reduce_mean(tf.square(pred - y)))
    rng = np.random.RandomState(6)
    data_x, data_y = rng.rand(20, 3), rng.rand(20, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train_op, {x: data_x, y: data_y})
        builder = SavedModelBuilderTF2(argv[1])
        sig = tf.saved_model.signature_def_utils.build_signature_def(
            inputs={"x": tf.saved_model.utils.build_tensor_info(x)},
            outputs={"pred": tf.saved_model.utils.build_tensor_info(pred)},
            method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME,
        )
        builder.add_meta_graph_and_variables(
            sess, [tf.saved_model.tag_constants.SERVING],
            signature_def_map={tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig},
        )
        builder.save()


main(sys.argv)
