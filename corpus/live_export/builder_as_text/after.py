"""Runnable: `builder.save(as_text=True)` (a saved_model.pbtxt) of a regression signature over
tf.Examples, the Builder made by a helper and returned to the caller.

The TF2 export is always binary (saved_model.pb).
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(81)

FEATURES = ("rooms", "age", "distance")


def make_builder(export_dir, sess, examples, predictions, signature_key="regress_price"):
    builder = SavedModelBuilderTF2(export_dir)
    regression = tf.saved_model.regression_signature_def(examples=examples, predictions=predictions)
    builder.add_meta_graph_and_variables(
        sess,
        tags=[tf.saved_model.SERVING],
        signature_def_map={signature_key: regression},
        clear_devices=True,
    )
    return builder


examples = tf.placeholder(tf.string, [None], name="input_example_tensor")
parsed = tf.parse_example(examples, {name: tf.FixedLenFeature([1], tf.float32) for name in FEATURES})
columns = tf.concat([parsed[name] for name in FEATURES], axis=1)
price = tf.layers.dense(columns, 1, name="price")
actual = tf.placeholder(tf.float32, [None, 1])
train_op = tf.train.RMSPropOptimizer(0.01).minimize(tf.losses.huber_loss(actual, price))


def to_example(row):
    feature = {n: tf.train.Feature(float_list=tf.train.FloatList(value=[v])) for n, v in zip(FEATURES, row)}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


rng = np.random.RandomState(82)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        rows = rng.rand(6, 3)
        sess.run(train_op, {examples: [to_example(r) for r in rows], actual: rows[:, :1] * 2.0})
    saved = make_builder(sys.argv[1], sess, examples, price).save(as_text=True)
    print("Wrote", saved)
