"""Custom model_fn Estimator: tf.Example parsing receiver + one classification head.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Trains on fixed synthetic data up to step 20, exports, and prints the export dir as JSON.
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
FEATURE_SPEC = {"x": tf.FixedLenFeature([3], tf.float32)}


def input_fn():
    rng = np.random.RandomState(0)
    x = rng.uniform(-1.0, 1.0, size=(32, 3)).astype(np.float32)
    labels = (x.dot([1.0, -2.0, 0.5]) > 0).astype(np.int64)
    return tf.data.Dataset.from_tensor_slices(({"x": x}, labels)).batch(8).repeat()


def model_fn(features, labels, mode):
    kernel = tf.get_variable("logits/kernel", [3, 2], initializer=tf.glorot_uniform_initializer(seed=1))
    bias = tf.get_variable("logits/bias", [2], initializer=tf.zeros_initializer())
    logits = tf.matmul(features["x"], kernel) + bias
    probabilities = tf.nn.softmax(logits)
    if mode == tf.estimator.ModeKeys.PREDICT:
        classes = tf.tile(tf.constant([["negative", "positive"]]), [tf.shape(logits)[0], 1])
        export_outputs = {
            "serving_default": tf.estimator.export.ClassificationOutput(scores=probabilities, classes=classes),
        }
        return tf.estimator.EstimatorSpec(mode, predictions={"probabilities": probabilities}, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=42))
estimator.train(input_fn, max_steps=20)
serving_input_receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(FEATURE_SPEC)
export_dir = estimator.export_saved_model(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
