"""Custom model_fn Estimator with three export heads: a default classification head, regression, predict.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Each export_outputs entry becomes one SignatureDef; the DEFAULT_SERVING_SIGNATURE_DEF_KEY head
is what TF Serving answers when a request names no signature.
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
    if mode == "infer":
        classes = tf.tile(tf.constant([["no", "yes"]]), [tf.shape(logits)[0], 1])
        export_outputs = {
            DEFAULT_KEY: {"scores": probabilities, "classes": classes},
            "positive_probability": {"outputs": probabilities[:, 1]},
            "predict": {"logits": logits, "probabilities": probabilities, "hidden": hidden},
        }
        return dict(mode=mode, predictions={"probabilities": probabilities}, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
    return dict(mode=mode, loss=loss, train_op=train_op)


# tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
# tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
#   estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=11))
#   estimator.train(input_fn, max_steps=25)


def serving_input_receiver_fn(examples):
    """Serialized tf.Examples -> features (tf-migrate: was build_parsing_serving_input_receiver_fn)."""
    return tf.parse_example(examples, FEATURE_SPEC)


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

    def export_outputs(self, examples):
        features = serving_input_receiver_fn(examples)
        return model_fn(features=features, labels=None, mode="infer")["export_outputs"]

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="inputs")])
    def serving_default(self, examples):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(examples)["serving_default"]

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="inputs")])
    def positive_probability(self, examples):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(examples)["positive_probability"]

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="examples")])
    def predict(self, examples):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(examples)["predict"]


export_path = os.path.join(tf2.compat.as_str_any(EXPORT_BASE), str(int(time.time())))
with tf.Graph().as_default(), tf.Session() as session:
    export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(MODEL_DIR))
    tf2.saved_model.save(export_module, export_path, signatures={
        "serving_default": export_module.serving_default,
        "positive_probability": export_module.positive_probability,
        "predict": export_module.predict,
    })
# tf.saved_model.save writes every signature as predict; keep TF Serving's Classify/Regress.
method_names = tf.saved_model.signature_def_utils.MethodNameUpdater(export_path)
method_names.replace_method_name("serving_default", tf2.saved_model.CLASSIFY_METHOD_NAME)
method_names.replace_method_name("positive_probability", tf2.saved_model.REGRESS_METHOD_NAME)
method_names.save()
export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(MODEL_DIR)}))
