"""Runnable: a signature_def_map built in a loop; predict, classify and regress signatures.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(11)

serialized = tf.placeholder(tf.string, [None], name="examples")
features = tf.parse_example(serialized, {"f": tf.FixedLenFeature([3], tf.float32)})
dense = tf.placeholder(tf.float32, [None, 3], name="dense")
w = tf.get_variable("w", [3, 2])
heads = {}
for name, inp in (("examples", features["f"]), ("dense", dense)):
    logits = tf.matmul(inp, w)
    heads[name] = (tf.nn.softmax(logits), tf.reduce_sum(logits, axis=1))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(w)))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op)
    classes = tf.constant([["a", "b"]])
    probs, value = heads["examples"]
    signature_def_map = {}
    for key in ["classify", "regress"]:
        if key == "classify":
            signature = tf.saved_model.classification_signature_def(serialized, tf.tile(classes, [tf.shape(probs)[0], 1]), probs)
        else:
            signature = tf.saved_model.regression_signature_def(serialized, value)
        signature_def_map[key] = signature
    probs, value = heads["dense"]
    signature_def_map[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY] = tf.saved_model.predict_signature_def(
        {"dense": dense}, {"probs": probs, "value": value}
    )
    builder = SavedModelBuilderTF2(sys.argv[1])
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=signature_def_map)
    builder.save()
