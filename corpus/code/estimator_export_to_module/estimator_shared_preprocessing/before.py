"""Custom model_fn Estimator whose serving receiver applies the same preprocessing as input_fn.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
The receiver is hand-written (tf.placeholder + tf.parse_example) so that `preprocess`, shared
with training, runs inside the exported graph; the head is a RegressionOutput.
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
FEATURE_SPEC = {
    "age": tf.FixedLenFeature([1], tf.float32),
    "income": tf.FixedLenFeature([1], tf.float32),
}


def preprocess(features):
    """Scale raw features the same way for training and serving."""
    age = (features["age"] - 40.0) / 10.0
    income = tf.log1p(tf.maximum(features["income"], 0.0))
    return {"dense": tf.concat([age, income], axis=1)}


def input_fn():
    rng = np.random.RandomState(3)
    raw = {
        "age": rng.uniform(20.0, 70.0, size=(32, 1)).astype(np.float32),
        "income": rng.uniform(0.0, 9.0, size=(32, 1)).astype(np.float32),
    }
    spend = (0.02 * raw["age"] + 0.3 * np.log1p(raw["income"])).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((raw, spend)).batch(8).repeat()
    return dataset.map(lambda features, label: (preprocess(features), label))


def serving_input_receiver_fn():
    serialized = tf.placeholder(tf.string, shape=[None], name="input_example_tensor")
    features = tf.parse_example(serialized, FEATURE_SPEC)
    return tf.estimator.export.ServingInputReceiver(preprocess(features), {"examples": serialized})


def model_fn(features, labels, mode):
    weights = tf.get_variable("spend/weights", [2, 1], initializer=tf.zeros_initializer())
    bias = tf.get_variable("spend/bias", [1], initializer=tf.zeros_initializer())
    spend = tf.matmul(features["dense"], weights) + bias
    if mode == tf.estimator.ModeKeys.PREDICT:
        export_outputs = {"serving_default": tf.estimator.export.RegressionOutput(value=tf.squeeze(spend, axis=1))}
        return tf.estimator.EstimatorSpec(mode, predictions={"spend": spend}, export_outputs=export_outputs)
    loss = tf.losses.mean_squared_error(labels, spend)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=5))
estimator.train(input_fn, max_steps=40)
export_dir = estimator.export_saved_model(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
