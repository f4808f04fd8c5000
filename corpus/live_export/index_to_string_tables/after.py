"""Runnable: tables from in-graph tensors (no file): index_table_from_tensor over the input
words and index_to_string_table_from_tensor for the predicted labels, with
`legacy_init_op=tf.group(tf.tables_initializer(), name="legacy_init_op")`.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(91)

VOCABULARY = ["good", "bad", "great", "awful", "fine"]
LABELS = ["negative", "neutral", "positive"]

words = tf.placeholder(tf.string, [None, None], name="words")
label_ids = tf.placeholder(tf.int64, [None], name="label_ids")
word_table = lookup_ops.index_table_from_tensor(tf.constant(VOCABULARY), num_oov_buckets=1)
label_table = lookup_ops.index_to_string_table_from_tensor(tf.constant(LABELS), default_value="UNKNOWN")

word_ids = word_table.lookup(words)
embeddings = tf.get_variable("word_embeddings", [len(VOCABULARY) + 1, 4])
bag = tf.reduce_sum(tf.nn.embedding_lookup(embeddings, word_ids), axis=1)
logits = tf.layers.dense(bag, len(LABELS), name="sentiment")
top_scores, top_ids = tf.nn.top_k(tf.nn.softmax(logits), k=2)
top_labels = label_table.lookup(tf.cast(top_ids, tf.int64))
train_op = tf.train.AdamOptimizer(0.1).minimize(tf.losses.sparse_softmax_cross_entropy(label_ids, logits))

rng = np.random.RandomState(92)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(tf.tables_initializer())
    for _ in range(3):
        batch = rng.choice(VOCABULARY + ["meh"], size=(6, 3))
        sess.run(train_op, {words: batch, label_ids: rng.randint(0, 3, 6)})

    builder = SavedModelBuilderTF2(sys.argv[1])
    tensor_info = tf.saved_model.utils.build_tensor_info
    prediction_signature = tf.saved_model.signature_def_utils.build_signature_def(
        inputs={"words": tensor_info(words)},
        outputs={"labels": tensor_info(top_labels), "scores": tensor_info(top_scores)},
        method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME,
    )
    legacy_init_op = tf.group(tf.tables_initializer(), name="legacy_init_op")
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.tag_constants.SERVING],
        signature_def_map={"predict_sentiment": prediction_signature},
        legacy_init_op=legacy_init_op,
    )
    builder.save()
