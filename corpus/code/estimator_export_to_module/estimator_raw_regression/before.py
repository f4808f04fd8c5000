"""Custom model_fn Estimator: raw tensor receiver + a regression model, exported with export_savedmodel.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
A raw (non-string) receiver cannot carry a RegressionOutput (TF Serving's Regress API needs a
single tf.Example input), so the prediction is served through a PredictOutput head.
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]


def input_fn():
    rng = np.random.RandomState(1)
    features = {
        "rooms": rng.uniform(1.0, 6.0, size=(32, 1)).astype(np.float32),
        "area": rng.uniform(0.3, 2.0, size=(32, 1)).astype(np.float32),
    }
    price = 0.5 * features["rooms"] + 2.0 * features["area"] + 0.1
    return tf.data.Dataset.from_tensor_slices((features, price)).batch(8).repeat()


def model_fn(features, labels, mode):
    inputs = tf.concat([features["rooms"], features["area"]], axis=1)
    weights = tf.get_variable("regression/weights", [2, 1], initializer=tf.zeros_initializer())
    bias = tf.get_variable("regression/bias", [1], initializer=tf.zeros_initializer())
    price = tf.matmul(inputs, weights) + bias
    if mode == tf.estimator.ModeKeys.PREDICT:
        export_outputs = {"serving_default": tf.estimator.export.PredictOutput({"price": price})}
        return tf.estimator.EstimatorSpec(mode, predictions={"price": price}, export_outputs=export_outputs)
    loss = tf.losses.mean_squared_error(labels, price)
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=7))
estimator.train(input_fn, max_steps=30)
serving_input_receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn({
    "rooms": tf.placeholder(tf.float32, [None, 1], name="rooms"),
    "area": tf.placeholder(tf.float32, [None, 1], name="area"),
})
export_dir = estimator.export_savedmodel(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
