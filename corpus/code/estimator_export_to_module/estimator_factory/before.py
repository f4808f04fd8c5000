"""An Estimator built by a factory function and trained and exported in another (issue 15):
`build_estimator(model_dir, params)` returns a custom-model_fn `Estimator`, and `main`
calls it, trains, builds a parsing receiver and exports with a classification head plus a
predict head, `model_fn` taking `params`.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

FEATURE_SPEC = {"x": tf.FixedLenFeature([3], tf.float32)}
PARAMS = {"hidden": 5, "learning_rate": 0.2}


def input_fn():
    rng = np.random.RandomState(4)
    x = rng.uniform(-1.0, 1.0, size=(48, 3)).astype(np.float32)
    labels = (x.dot([0.5, -1.0, 2.0]) > 0).astype(np.int64)
    return tf.data.Dataset.from_tensor_slices(({"x": x}, labels)).batch(12).repeat()


def model_fn(features, labels, mode, params):
    hidden = tf.nn.tanh(tf.matmul(features["x"], tf.get_variable("hidden/kernel", [3, params["hidden"]])))
    logits = tf.matmul(hidden, tf.get_variable("logits/kernel", [params["hidden"], 2]))
    probabilities = tf.nn.softmax(logits)
    if mode == tf.estimator.ModeKeys.PREDICT:
        classes = tf.tile(tf.constant([["no", "yes"]]), [tf.shape(logits)[0], 1])
        export_outputs = {
            "serving_default": tf.estimator.export.ClassificationOutput(scores=probabilities, classes=classes),
            "logits": tf.estimator.export.PredictOutput({"logits": logits}),
        }
        return tf.estimator.EstimatorSpec(mode, predictions={"probabilities": probabilities}, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdamOptimizer(params["learning_rate"]).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def build_estimator(model_dir, params=PARAMS):
    config = tf.estimator.RunConfig(tf_random_seed=11, save_checkpoints_steps=10)
    return tf.estimator.Estimator(model_fn=model_fn, model_dir=model_dir, config=config, params=params)


def main(model_dir, export_base):
    estimator = build_estimator(model_dir)
    estimator.train(input_fn, max_steps=25)
    receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(FEATURE_SPEC)
    export_dir = estimator.export_saved_model(export_base, receiver_fn)
    print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
