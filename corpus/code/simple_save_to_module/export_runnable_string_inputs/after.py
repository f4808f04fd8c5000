"""Runnable: string inputs: text is split, hashed into buckets and embedded.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

sentences = tf.placeholder(tf.string, [None], name="sentences")
tokens = tf.strings.split(sentences, result_type="RaggedTensor")
buckets = tf.ragged.map_flat_values(tf.strings.to_hash_bucket_fast, tokens, 16)
embedding = tf.get_variable("embedding", [16, 4], initializer=tf.random_uniform_initializer(seed=5))
vectors = tf.nn.embedding_lookup(embedding, buckets)
sentence_vectors = tf.reduce_mean(vectors, axis=1)
lengths = tf.cast(tokens.row_lengths(), tf.int32)
loss = tf.reduce_sum(tf.square(sentence_vectors))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf2.string, name="sentences")])
    def serving_default(self, sentences):
        tokens = tf.strings.split(sentences, result_type="RaggedTensor")
        buckets = tf.ragged.map_flat_values(tf.strings.to_hash_bucket_fast, tokens, 16)
        vectors = tf.nn.embedding_lookup(embedding, buckets)
        sentence_vectors = tf.reduce_mean(vectors, axis=1)
        lengths = tf.cast(tokens.row_lengths(), tf.int32)
        return {"vectors": sentence_vectors, "lengths": lengths}


with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for _ in range(3):
        session.run(train_op, {sentences: ["the cat sat", "a dog ran far away", "hello"]})
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        "serving_default": export_module.serving_default,
    })
