"""Runnable: Builder with a vocabulary asset, a lookup table and main_op.

Usage: python before.py EXPORT_DIR SCRATCH_DIR  (the vocabulary is written to SCRATCH_DIR)
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

EXPORT_DIR, SCRATCH = sys.argv[1], sys.argv[2]
VOCAB = os.path.join(SCRATCH, "vocab.txt")
with open(VOCAB, "w") as f:
    f.write("apple\nbanana\ncherry\n")

words = tf.placeholder(tf.string, [None], name="words")
table = tf.lookup.StaticVocabularyTable(
    tf.lookup.TextFileInitializer(
        VOCAB, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
        tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER,
    ),
    num_oov_buckets=1,
)
ids = table.lookup(words)
embeddings = tf.get_variable("embeddings", [4, 2], initializer=tf.random_normal_initializer(seed=3))
scores = tf.reduce_sum(tf.nn.embedding_lookup(embeddings, ids), axis=1)
labels = tf.placeholder(tf.float32, [None])
train_op = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_mean(tf.square(scores - labels)))


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}
        self.vocab = tf2.saved_model.Asset(VOCAB)
        self.table = tf.lookup.StaticVocabularyTable(
    tf.lookup.TextFileInitializer(
        self.vocab, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
        tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER,
    ),
    num_oov_buckets=1,
)

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf2.string, name="words")])
    def serving_default(self, words):
        ids = self.table.lookup(words)
        scores = tf.reduce_sum(tf.nn.embedding_lookup(embeddings, ids), axis=1)
        return {"ids": ids, "scores": scores}


with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
    for _ in range(3):
        sess.run(train_op, {words: ["apple", "cherry", "kiwi"], labels: [1.0, -1.0, 0.0]})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, EXPORT_DIR, signatures={
        "serving_default": export_module.serving_default,
    })
