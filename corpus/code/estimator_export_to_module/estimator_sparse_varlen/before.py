"""Custom model_fn Estimator with a sparse VarLenFeature of tokens, hashed and embedded.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Training parses the same serialized tf.Examples with the same FEATURE_SPEC as serving does.
"""

import json
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
BUCKETS = 16
FEATURE_SPEC = {
    "tokens": tf.VarLenFeature(tf.string),
    "length": tf.FixedLenFeature([1], tf.float32),
}


def make_example(tokens, label):
    feature = {
        "tokens": tf.train.Feature(bytes_list=tf.train.BytesList(value=[t.encode() for t in tokens])),
        "length": tf.train.Feature(float_list=tf.train.FloatList(value=[len(tokens)])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString(), label


def input_fn():
    rows = [make_example([f"tok{(i * j) % 8}" for j in range(1 + i % 3)], int(i % 8 < 4)) for i in range(32)]
    serialized, labels = zip(*rows)
    dataset = tf.data.Dataset.from_tensor_slices((list(serialized), list(labels))).batch(8).repeat()
    return dataset.map(lambda examples, label: (tf.parse_example(examples, FEATURE_SPEC), label))


def model_fn(features, labels, mode):
    tokens = features["tokens"]
    ids = tf.SparseTensor(tokens.indices, tf.string_to_hash_bucket_fast(tokens.values, BUCKETS), tokens.dense_shape)
    embeddings = tf.get_variable("tokens/embeddings", [BUCKETS, 4], initializer=tf.random_normal_initializer(stddev=0.1, seed=6))
    pooled = tf.nn.safe_embedding_lookup_sparse(embeddings, ids, combiner="mean")
    inputs = tf.concat([pooled, features["length"] / 3.0], axis=1)
    logits = tf.matmul(inputs, tf.get_variable("logits/kernel", [5, 2], initializer=tf.glorot_uniform_initializer(seed=7)))
    probabilities = tf.nn.softmax(logits)
    if mode == tf.estimator.ModeKeys.PREDICT:
        outputs = {"probabilities": probabilities, "class_ids": tf.argmax(logits, axis=1)}
        export_outputs = {"serving_default": tf.estimator.export.PredictOutput(outputs)}
        return tf.estimator.EstimatorSpec(mode, predictions=outputs, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdagradOptimizer(0.5).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=13))
estimator.train(input_fn, max_steps=20)
serving_input_receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(FEATURE_SPEC)
export_dir = estimator.export_saved_model(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
