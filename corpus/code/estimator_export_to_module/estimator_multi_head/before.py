"""Custom model_fn Estimator with three export heads: a default classification head, regression, predict.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Each export_outputs entry becomes one SignatureDef; the DEFAULT_SERVING_SIGNATURE_DEF_KEY head
is what TF Serving answers when a request names no signature.
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
FEATURE_SPEC = {"x": tf.FixedLenFeature([4], tf.float32)}
DEFAULT_KEY = tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY


def input_fn():
    rng = np.random.RandomState(2)
    x = rng.uniform(-1.0, 1.0, size=(32, 4)).astype(np.float32)
    labels = (x[:, 0] * x[:, 1] + x[:, 2] > 0).astype(np.int64)
    return tf.data.Dataset.from_tensor_slices(({"x": x}, labels)).batch(8).repeat()


def model_fn(features, labels, mode):
    hidden = tf.nn.relu(tf.matmul(features["x"], tf.get_variable("hidden/kernel", [4, 8], initializer=tf.glorot_uniform_initializer(seed=3)))
                        + tf.get_variable("hidden/bias", [8], initializer=tf.zeros_initializer()))
    logits = tf.matmul(hidden, tf.get_variable("logits/kernel", [8, 2], initializer=tf.glorot_uniform_initializer(seed=4)))
    logits += tf.get_variable("logits/bias", [2], initializer=tf.zeros_initializer())
    probabilities = tf.nn.softmax(logits, name="probabilities")
    if mode == tf.estimator.ModeKeys.PREDICT:
        classes = tf.tile(tf.constant([["no", "yes"]]), [tf.shape(logits)[0], 1])
        export_outputs = {
            DEFAULT_KEY: tf.estimator.export.ClassificationOutput(scores=probabilities, classes=classes),
            "positive_probability": tf.estimator.export.RegressionOutput(value=probabilities[:, 1]),
            "predict": tf.estimator.export.PredictOutput({"logits": logits, "probabilities": probabilities, "hidden": hidden}),
        }
        return tf.estimator.EstimatorSpec(mode, predictions={"probabilities": probabilities}, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=11))
estimator.train(input_fn, max_steps=25)
serving_input_receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(FEATURE_SPEC)
export_dir = estimator.export_saved_model(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
