"""The common script shape (issue 15, e.g. SageMaker's MNIST script): a custom `model_fn` with no
`export_outputs` (Estimator serves `PredictOutput(predictions)` as serving_default), a receiver
whose placeholders are one dict, and under `if __name__ == "__main__":` the Estimator, its
`numpy_input_fn`s, `TrainSpec`/`EvalSpec`, `train_and_evaluate`, and the export under a nested
`if`, with the old `export_savedmodel` name.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
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


def classifier_fn(features, labels, mode):
    hidden = tf.nn.relu(
        tf.matmul(features["x"], tf.get_variable("hidden/kernel", [4, 8]))
        + tf.get_variable("hidden/bias", [8], initializer=tf.zeros_initializer())
    )
    keep = 0.75 if mode == "train" else 1.0
    hidden = tf.nn.dropout(hidden, rate=1.0 - keep, seed=5)
    logits = tf.matmul(hidden, tf.get_variable("logits/kernel", [8, 3]))
    predictions = {
        "classes": tf.argmax(input=logits, axis=1),
        "probabilities": tf.nn.softmax(logits, name="softmax_tensor"),
    }
    if mode == "infer":
        return dict(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == "train":
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return dict(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {
        "accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])
    }
    return dict(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def serving_input_fn(x):
    inputs = {"x": x}
    # tf-migrate: the placeholders are parameters; returns the features
    return inputs


class EstimatorExportModule(tf2.Module):
    """model_fn in PREDICT mode as a tf.Module (tf-migrate): one tf.function per export head."""

    def __init__(self, session, checkpoint):
        super().__init__()
        # Build the PREDICT graph once, as Estimator did, so variables get their TF1 names.
        tf.train.get_or_create_global_step()
        self.export_outputs(tf.placeholder(tf.float32, [None, 4]))
        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}
        # The Estimator's checkpoint, restored by TF1 variable name.
        reader = tf.train.load_checkpoint(checkpoint)
        for name, variable in self.tf1_variables.items():
            variable.load(reader.get_tensor(name), session)

    def export_outputs(self, x):
        features = serving_input_fn(x)
        predictions = classifier_fn(features=features, labels=None, mode="infer")["predictions"]
        # Estimator's default head; a lone tensor is named "output"
        if not isinstance(predictions, dict):
            predictions = {"output": predictions}
        return {"serving_default": predictions}

    @tf2.function(input_signature=[tf2.TensorSpec([None, 4], tf.float32, name="x")])
    def serving_default(self, x):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(x)["serving_default"]


if __name__ == "__main__":
    MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
    rng = np.random.RandomState(3)
    train_x = rng.normal(size=(96, 4)).astype(np.float32)
    train_y = (train_x[:, 0] > 0).astype(np.int32) + (train_x[:, 1] > 0.5).astype(np.int32)

    # tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
    # tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
    #   classifier = tf.estimator.Estimator(
    #       model_fn=classifier_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=3)
    #   )
    #   train_input_fn = tf.estimator.inputs.numpy_input_fn(
    #       x={"x": train_x}, y=train_y, batch_size=16, num_epochs=None, shuffle=False
    #   )
    #   eval_input_fn = tf.estimator.inputs.numpy_input_fn(
    #       x={"x": train_x}, y=train_y, num_epochs=1, shuffle=False
    #   )
    #   train_spec = tf.estimator.TrainSpec(train_input_fn, max_steps=40)
    #   eval_spec = tf.estimator.EvalSpec(eval_input_fn)
    #   tf.estimator.train_and_evaluate(classifier, train_spec, eval_spec)

    if EXPORT_BASE:
        export_path = os.path.join(tf2.compat.as_str_any(EXPORT_BASE), str(int(time.time())))
        with tf.Graph().as_default(), tf.Session() as session:
            export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(MODEL_DIR))
            tf2.saved_model.save(export_module, export_path, signatures={
                "serving_default": export_module.serving_default,
            })
        export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
        print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(MODEL_DIR)}))
