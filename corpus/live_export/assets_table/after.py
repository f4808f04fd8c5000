"""Runnable: Builder with a vocabulary asset, a lookup table and main_op.

Usage: python before.py EXPORT_DIR SCRATCH_DIR  (the vocabulary is written to SCRATCH_DIR)
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()

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

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
    for _ in range(3):
        sess.run(train_op, {words: ["apple", "cherry", "kiwi"], labels: [1.0, -1.0, 0.0]})
    builder = SavedModelBuilderTF2(EXPORT_DIR)
    signature = tf.saved_model.predict_signature_def(
        inputs={"words": words}, outputs={"ids": ids, "scores": scores}
    )
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.tag_constants.SERVING],
        signature_def_map={"serving_default": signature},
        assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
        main_op=tf.tables_initializer(),
    )
    builder.save()
