"""Runnable: predict_signature_def with several inputs and outputs of float, int64 and string
dtypes (a click model over a dense vector, a category id and a hashed country string).

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(61)

NUM_CATEGORIES, COUNTRY_BUCKETS = 6, 5

dense = tf.placeholder(tf.float32, [None, 3], name="dense")
category_id = tf.placeholder(tf.int64, [None], name="category_id")
country = tf.placeholder(tf.string, [None], name="country")
clicked = tf.placeholder(tf.float32, [None], name="clicked")

category_embeddings = tf.get_variable("category_embeddings", [NUM_CATEGORIES, 2])
country_embeddings = tf.get_variable("country_embeddings", [COUNTRY_BUCKETS, 2])
country_bucket = tf.string_to_hash_bucket_fast(country, COUNTRY_BUCKETS)
net = tf.concat(
    [
        dense,
        tf.nn.embedding_lookup(category_embeddings, category_id),
        tf.nn.embedding_lookup(country_embeddings, country_bucket),
    ],
    axis=1,
)
net = tf.layers.dense(net, 4, activation=tf.nn.relu, name="hidden")
logit = tf.squeeze(tf.layers.dense(net, 1, name="logit"), axis=1)
probability = tf.sigmoid(logit)
decision = tf.cast(probability > 0.5, tf.int64)
decision_name = tf.gather(tf.constant(["skip", "click"]), decision)

loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=clicked, logits=logit))
train_op = tf.train.AdagradOptimizer(0.2).minimize(loss)

rng = np.random.RandomState(62)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(4):
        feed = {
            dense: rng.rand(8, 3),
            category_id: rng.randint(0, NUM_CATEGORIES, 8),
            country: rng.choice([b"fr", b"de", b"us", b"jp"], 8),
            clicked: rng.randint(0, 2, 8).astype(np.float32),
        }
        sess.run(train_op, feed)

    signature = tf.saved_model.signature_def_utils.predict_signature_def(
        inputs={"dense": dense, "category_id": category_id, "country": country},
        outputs={
            "probability": probability,
            "decision": decision,
            "decision_name": decision_name,
            "country_bucket": country_bucket,
        },
    )
    builder = SavedModelBuilderTF2(sys.argv[1])
    builder.add_meta_graph_and_variables(
        sess, [tf.saved_model.tag_constants.SERVING], signature_def_map={"serving_default": signature}
    )
    builder.save()
