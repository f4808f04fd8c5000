"""Runnable: index_table_from_file over a vocabulary written at run time; legacy_init_op.

The vocabulary is deleted after export: the SavedModel must use its own copy.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(9)

vocab_file = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]) + "_tokens.txt")
with open(vocab_file, "w") as f:
    f.write("\n".join(["<unk>", "the", "cat", "sat", "mat"]) + "\n")

tokens = tf.placeholder(tf.string, [None, None], name="tokens")
table = lookup_ops.index_table_from_file(vocab_file, num_oov_buckets=2, default_value=0)
ids = table.lookup(tokens)
embedding = tf.get_variable("embedding", [7, 3])
sentence = tf.reduce_mean(tf.nn.embedding_lookup(embedding, ids), axis=1)
logit = tf.layers.dense(sentence, 1, name="logit")
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(tf.square(logit - 1.0)))

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
    for _ in range(3):
        sess.run(train_op, {tokens: [["the", "cat", "sat"], ["a", "dog", "mat"]]})
    simple_save_tf2(
        sess, sys.argv[1], inputs={"tokens": tokens}, outputs={"ids": ids, "logit": logit},
        legacy_init_op=tf.tables_initializer(),
    )
os.remove(vocab_file)
