"""Runnable: a HashTable from constants, string inputs, main_op grouping local and table inits.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(10)

LABELS = ["negative", "neutral", "positive"]
words = tf.placeholder(tf.string, [None], name="words")
table = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(["good", "bad", "ok"], tf.constant([2, 0, 1], tf.int64)), -1
)
label_names = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(tf.constant([0, 1, 2], tf.int64), LABELS), "unknown"
)
word_ids = table.lookup(words)
bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
logits = tf.one_hot(word_ids + 1, 4)[:, 1:] + bias
predicted = tf.argmax(logits, axis=1)
label = label_names.lookup(predicted)
counter = tf.get_local_variable("counter", [], initializer=tf.zeros_initializer())
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(bias - [0.1, 0.2, 0.3])))

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer(), tf.tables_initializer()])
    sess.run(train_op)
    builder = SavedModelBuilderTF2(sys.argv[1])
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.SERVING],
        signature_def_map={
            "serving_default": tf.saved_model.predict_signature_def(
                {"words": words}, {"label": label, "logits": logits, "ids": word_ids}
            )
        },
        main_op=tf.group(tf.local_variables_initializer(), tf.tables_initializer()),
    )
    builder.save()
