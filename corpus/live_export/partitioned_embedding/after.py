"""Runnable: a partitioned embedding (get_variable with a fixed_size_partitioner, three shards)
looked up with tf.nn.embedding_lookup and partition_strategy="div"; a two-tower dot product.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables
tf.set_random_seed(121)

NUM_USERS, NUM_ITEMS, DIM = 12, 10, 4


def tower(ids, vocab_size, name):
    with tf.variable_scope(name):
        table = tf.get_variable(
            "embeddings",
            [vocab_size, DIM],
            initializer=tf.truncated_normal_initializer(stddev=0.1),
            partitioner=tf.fixed_size_partitioner(3),
        )
        return tf.nn.embedding_lookup(table, ids, partition_strategy="div", max_norm=2.0)


user_ids = tf.placeholder(tf.int64, [None], name="user_ids")
item_ids = tf.placeholder(tf.int64, [None], name="item_ids")
ratings = tf.placeholder(tf.float32, [None], name="ratings")
score = tf.reduce_sum(tower(user_ids, NUM_USERS, "user") * tower(item_ids, NUM_ITEMS, "item"), axis=1)
train_op = tf.train.AdagradOptimizer(0.5).minimize(tf.losses.mean_squared_error(ratings, score))

rng = np.random.RandomState(122)


class ExportModule(tf2.Module):
    """The TF1 export as a tf.Module (tf-migrate): each signature is a tf.function."""

    def __init__(self):
        super().__init__()
        # The trained TF1 variables, tracked under their TF1 names.
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

    @tf2.function(input_signature=[
        tf2.TensorSpec([None], tf2.int64, name="user_ids"),
        tf2.TensorSpec([None], tf2.int64, name="item_ids"),
    ])
    def serving_default(self, user_ids, item_ids):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # reuse the trained TF1 variables
            score = tf.reduce_sum(tower(user_ids, NUM_USERS, "user") * tower(item_ids, NUM_ITEMS, "item"), axis=1)
        return {"score": score}


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(4):
        sess.run(
            train_op,
            {user_ids: rng.randint(0, NUM_USERS, 16), item_ids: rng.randint(0, NUM_ITEMS, 16), ratings: rng.rand(16)},
        )
    export_module = ExportModule()
    tf2.saved_model.save(export_module, sys.argv[1], signatures={
        "serving_default": export_module.serving_default,
    })
