"""Runnable: `main_op=main_op()` re-initializes every variable on load (TF1 serves initial values).

The TF2 export cannot run that on load, so the migrated program warns and writes the TF1
SavedModel, exactly as before the migration.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 2], name="x")
w = tf.get_variable("w", [2, 1], initializer=tf.constant_initializer(0.5))
y = tf.matmul(x, w, name="y")
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(y - 1.0)))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, {x: [[1.0, 2.0]]})
    builder = tf.saved_model.builder.SavedModelBuilder(sys.argv[1])
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.tag_constants.SERVING],
        signature_def_map={"serving_default": tf.saved_model.predict_signature_def({"x": x}, {"y": y})},
        main_op=tf.saved_model.main_op.main_op(),
    )
    builder.save()
