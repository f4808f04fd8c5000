"""Custom model_fn Estimator whose serving receiver applies the same preprocessing as input_fn.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
The receiver is hand-written (tf.placeholder + tf.parse_example) so that `preprocess`, shared
with training, runs inside the exported graph; the head is a RegressionOutput.
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


def serving_input_receiver_fn(serialized):
    features = tf.parse_example(serialized, FEATURE_SPEC)
    # tf-migrate: the placeholders are parameters; returns the features
    return preprocess(features)


def model_fn(features, labels, mode):
    weights = tf.get_variable("spend/weights", [2, 1], initializer=tf.zeros_initializer())
    bias = tf.get_variable("spend/bias", [1], initializer=tf.zeros_initializer())
    spend = tf.matmul(features["dense"], weights) + bias
    if mode == "infer":
        export_outputs = {"serving_default": {"outputs": tf.squeeze(spend, axis=1)}}
        return dict(mode=mode, predictions={"spend": spend}, export_outputs=export_outputs)
    loss = tf.losses.mean_squared_error(labels, spend)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=tf.train.get_global_step())
    return dict(mode=mode, loss=loss, train_op=train_op)


# tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
# tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
#   estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=5))
#   estimator.train(input_fn, max_steps=40)


class EstimatorExportModule(tf2.Module):
    """model_fn in PREDICT mode as a tf.Module (tf-migrate): one tf.function per export head."""

    def __init__(self, session, checkpoint):
        super().__init__()
        # Build the PREDICT graph once, as Estimator did, so variables get their TF1 names.
        tf.train.get_or_create_global_step()
        self.export_outputs(tf.placeholder(tf.string, [None]))
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}
        # The Estimator's checkpoint, restored by TF1 variable name.
        reader = tf.train.load_checkpoint(checkpoint)
        for name, variable in self.tf1_variables.items():
            variable.load(reader.get_tensor(name), session)

    def export_outputs(self, serialized):
        features = serving_input_receiver_fn(serialized)
        return model_fn(features=features, labels=None, mode="infer")["export_outputs"]

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="inputs")])
    def serving_default(self, serialized):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(serialized)["serving_default"]


export_path = os.path.join(tf2.compat.as_str_any(EXPORT_BASE), str(int(time.time())))
with tf.Graph().as_default(), tf.Session() as session:
    export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(MODEL_DIR))
    tf2.saved_model.save(export_module, export_path, signatures={
        "serving_default": export_module.serving_default,
    })
# tf.saved_model.save writes every signature as predict; keep TF Serving's Classify/Regress.
method_names = tf.saved_model.signature_def_utils.MethodNameUpdater(export_path)
method_names.replace_method_name("serving_default", tf2.saved_model.REGRESS_METHOD_NAME)
method_names.save()
export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(MODEL_DIR)}))
