"""Runnable: a GRU text classifier (dynamic_rnn: a TF1 while_loop) with a tf.cond dropout switch.

Sequence lengths are computed from the padded token ids; the serving graph keeps the loop.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(21)

VOCAB_SIZE, EMBED_DIM, HIDDEN, NUM_CLASSES = 12, 4, 5, 3

token_ids = tf.placeholder(tf.int32, [None, None], name="token_ids")
labels = tf.placeholder(tf.int32, [None], name="labels")
is_training = tf.placeholder_with_default(False, [], name="is_training")

lengths = tf.reduce_sum(tf.sign(token_ids), axis=1)
embedding = tf.get_variable("embedding", [VOCAB_SIZE, EMBED_DIM])
embedded = tf.nn.embedding_lookup(embedding, token_ids)
cell = tf.nn.rnn_cell.GRUCell(HIDDEN)
_, final_state = tf.nn.dynamic_rnn(cell, embedded, sequence_length=lengths, dtype=tf.float32)
features = tf.cond(is_training, lambda: tf.nn.dropout(final_state, rate=0.5, seed=3), lambda: final_state)
logits = tf.layers.dense(features, NUM_CLASSES, name="logits")
probabilities = tf.nn.softmax(logits, name="probabilities")
predicted = tf.argmax(logits, axis=1, name="predicted")

loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)

rng = np.random.RandomState(4)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        batch = rng.randint(1, VOCAB_SIZE, size=(6, 5))
        batch[:, 3:] *= rng.randint(0, 2, size=(6, 1))  # some sentences are padded
        sess.run(train_op, {token_ids: batch, labels: batch[:, 0] % NUM_CLASSES, is_training: True})
    tf.saved_model.simple_save(
        sess,
        sys.argv[1],
        inputs={"token_ids": token_ids},
        outputs={"probabilities": probabilities, "predicted": predicted},
    )
