"""Custom model_fn Estimator built and exported inside `if __name__ == "__main__":` (issue 15).

The program is estimator_raw_regression's with its script part under the main guard, where most
scripts build their Estimator: the same graph, seed and steps, so that case's TF 2.15 fixtures
(`tf215_model_dir`, `tf215_export`) are this program's too (copied).

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
A raw (non-string) receiver cannot carry a RegressionOutput (TF Serving's Regress API needs a
single tf.Example input), so the prediction is served through a PredictOutput head.
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


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


if __name__ == "__main__":
    MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
    estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=7))
    estimator.train(input_fn, max_steps=30)
    serving_input_receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn({
        "rooms": tf.placeholder(tf.float32, [None, 1], name="rooms"),
        "area": tf.placeholder(tf.float32, [None, 1], name="area"),
    })
    export_dir = estimator.export_savedmodel(EXPORT_BASE, serving_input_receiver_fn)
    print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
