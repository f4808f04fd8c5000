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

tf.disable_v2_behavior()


def classifier_fn(features, labels, mode):
    hidden = tf.nn.relu(
        tf.matmul(features["x"], tf.get_variable("hidden/kernel", [4, 8]))
        + tf.get_variable("hidden/bias", [8], initializer=tf.zeros_initializer())
    )
    keep = 0.75 if mode == tf.estimator.ModeKeys.TRAIN else 1.0
    hidden = tf.nn.dropout(hidden, rate=1.0 - keep, seed=5)
    logits = tf.matmul(hidden, tf.get_variable("logits/kernel", [8, 3]))
    predictions = {
        "classes": tf.argmax(input=logits, axis=1),
        "probabilities": tf.nn.softmax(logits, name="softmax_tensor"),
    }
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {
        "accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])
    }
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def serving_input_fn():
    inputs = {"x": tf.placeholder(tf.float32, [None, 4])}
    return tf.estimator.export.ServingInputReceiver(inputs, inputs)


if __name__ == "__main__":
    MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
    rng = np.random.RandomState(3)
    train_x = rng.normal(size=(96, 4)).astype(np.float32)
    train_y = (train_x[:, 0] > 0).astype(np.int32) + (train_x[:, 1] > 0.5).astype(np.int32)

    classifier = tf.estimator.Estimator(
        model_fn=classifier_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=3)
    )
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": train_x}, y=train_y, batch_size=16, num_epochs=None, shuffle=False
    )
    eval_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": train_x}, y=train_y, num_epochs=1, shuffle=False
    )
    train_spec = tf.estimator.TrainSpec(train_input_fn, max_steps=40)
    eval_spec = tf.estimator.EvalSpec(eval_input_fn)
    tf.estimator.train_and_evaluate(classifier, train_spec, eval_spec)

    if EXPORT_BASE:
        export_dir = classifier.export_savedmodel(EXPORT_BASE, serving_input_fn)
        print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": classifier.latest_checkpoint()}))
