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
import os
import time
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables


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
    if mode == "infer":
        export_outputs = {"serving_default": {"price": price}}
        return dict(mode=mode, predictions={"price": price}, export_outputs=export_outputs)
    loss = tf.losses.mean_squared_error(labels, price)
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=tf.train.get_global_step())
    return dict(mode=mode, loss=loss, train_op=train_op)


class EstimatorExportModule(tf2.Module):
    """model_fn in PREDICT mode as a tf.Module (tf-migrate): one tf.function per export head."""

    def __init__(self, session, checkpoint):
        super().__init__()
        # Build the PREDICT graph once, as Estimator did, so variables get their TF1 names.
        tf.train.get_or_create_global_step()
        self.export_outputs(tf.placeholder(tf.float32, [None, 1]), tf.placeholder(tf.float32, [None, 1]))
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}
        # The Estimator's checkpoint, restored by TF1 variable name.
        reader = tf.train.load_checkpoint(checkpoint)
        for name, variable in self.tf1_variables.items():
            variable.load(reader.get_tensor(name), session)

    def export_outputs(self, rooms, area):
        features = serving_input_receiver_fn(rooms, area)
        return model_fn(features=features, labels=None, mode="infer")["export_outputs"]

    @tf2.function(input_signature=[
        tf2.TensorSpec([None, 1], tf.float32, name="rooms"),
        tf2.TensorSpec([None, 1], tf.float32, name="area"),
    ])
    def serving_default(self, rooms, area):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(rooms, area)["serving_default"]


if __name__ == "__main__":
    MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
    # tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
    # tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
    #   estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=7))
    #   estimator.train(input_fn, max_steps=30)


    def serving_input_receiver_fn(rooms, area):
        """Raw tensors -> features (tf-migrate: was build_raw_serving_input_receiver_fn)."""
        return {"rooms": rooms, "area": area}
    export_path = os.path.join(tf2.compat.as_str_any(EXPORT_BASE), str(int(time.time())))
    with tf.Graph().as_default(), tf.Session() as session:
        export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(MODEL_DIR))
        tf2.saved_model.save(export_module, export_path, signatures={
            "serving_default": export_module.serving_default,
        })
    export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
    print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(MODEL_DIR)}))
