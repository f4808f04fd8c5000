"""Runnable: inputs/outputs dicts built in loops at run time, keys from module constants.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(1)

FEATURES = ["age", "income", "score"]
PRED_KEY = "prediction"

placeholders = {name: tf.placeholder(tf.float32, [None], name=name) for name in FEATURES}
stacked = tf.stack([placeholders[name] for name in FEATURES], axis=1)
weights = tf.get_variable("weights", [len(FEATURES), 1])
prediction = tf.squeeze(tf.matmul(stacked, weights), axis=1)
target = tf.placeholder(tf.float32, [None])
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(tf.losses.mean_squared_error(target, prediction))

rng = np.random.RandomState(0)
feed = {placeholders[name]: rng.rand(16) for name in FEATURES}
feed[target] = rng.rand(16)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(5):
        sess.run(train_op, feed)
    inputs = {}
    for name in FEATURES:
        inputs[name] = placeholders[name]
    outputs = {PRED_KEY: prediction}
    for i, name in enumerate(FEATURES):
        outputs["weight_" + name] = weights[i, 0] * placeholders[name]
    simple_save_tf2(sess, sys.argv[1], inputs=inputs, outputs=outputs)
