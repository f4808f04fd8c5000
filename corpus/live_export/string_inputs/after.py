"""Runnable: string inputs: text is split, hashed into buckets and embedded.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow.compat.v1 as tf


# tf-migrate: the live export block (codemods/live_export_template.py) goes here


tf.disable_v2_behavior()

sentences = tf.placeholder(tf.string, [None], name="sentences")
tokens = tf.strings.split(sentences, result_type="RaggedTensor")
buckets = tf.ragged.map_flat_values(tf.strings.to_hash_bucket_fast, tokens, 16)
embedding = tf.get_variable("embedding", [16, 4], initializer=tf.random_uniform_initializer(seed=5))
vectors = tf.nn.embedding_lookup(embedding, buckets)
sentence_vectors = tf.reduce_mean(vectors, axis=1)
lengths = tf.cast(tokens.row_lengths(), tf.int32)
loss = tf.reduce_sum(tf.square(sentence_vectors))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for _ in range(3):
        session.run(train_op, {sentences: ["the cat sat", "a dog ran far away", "hello"]})
    simple_save_tf2(
        session,
        sys.argv[1],
        inputs={"sentences": sentences},
        outputs={"vectors": sentence_vectors, "lengths": lengths},
    )
