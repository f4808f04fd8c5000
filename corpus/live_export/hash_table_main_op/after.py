"""Runnable: a HashTable from constants, string inputs, main_op grouping local and table inits.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables
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


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}
        self.table = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(["good", "bad", "ok"], tf.constant([2, 0, 1], tf.int64)), -1
)
        self.label_names = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(tf.constant([0, 1, 2], tf.int64), LABELS), "unknown"
)

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf2.string, name="words")])
    def serving_default(self, words):
        word_ids = self.table.lookup(words)
        logits = tf.one_hot(word_ids + 1, 4)[:, 1:] + bias
        predicted = tf.argmax(logits, axis=1)
        label = self.label_names.lookup(predicted)
        return {"label": label, "logits": logits, "ids": word_ids}


with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer(), tf.tables_initializer()])
    sess.run(train_op)
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        "serving_default": export_module.serving_default,
    })
