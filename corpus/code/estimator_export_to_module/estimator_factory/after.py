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
import os
import time
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

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
    if mode == "infer":
        classes = tf.tile(tf.constant([["no", "yes"]]), [tf.shape(logits)[0], 1])
        export_outputs = {
            "serving_default": {"scores": probabilities, "classes": classes},
            "logits": {"logits": logits},
        }
        return dict(mode=mode, predictions={"probabilities": probabilities}, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdamOptimizer(params["learning_rate"]).minimize(loss, global_step=tf.train.get_global_step())
    return dict(mode=mode, loss=loss, train_op=train_op)


# tf-migrate: this Estimator factory is only called by the training commented out. Was:
#   def build_estimator(model_dir, params=PARAMS):
#       config = tf.estimator.RunConfig(tf_random_seed=11, save_checkpoints_steps=10)
#       return tf.estimator.Estimator(model_fn=model_fn, model_dir=model_dir, config=config, params=params)


def main(model_dir, export_base):
    # tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
    # tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
    #   estimator = build_estimator(model_dir)
    #   estimator.train(input_fn, max_steps=25)

    def receiver_fn(examples):
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
            features = receiver_fn(examples)
            return model_fn(features=features, labels=None, mode="infer", params=PARAMS)["export_outputs"]

        @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="inputs")])
        def serving_default(self, examples):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
                return self.export_outputs(examples)["serving_default"]

        @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="examples")])
        def logits(self, examples):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
                return self.export_outputs(examples)["logits"]

    export_path = os.path.join(tf2.compat.as_str_any(export_base), str(int(time.time())))
    with tf.Graph().as_default(), tf.Session() as session:
        export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(model_dir))
        tf2.saved_model.save(export_module, export_path, signatures={
            "serving_default": export_module.serving_default,
            "logits": export_module.logits,
        })
    # tf.saved_model.save writes every signature as predict; keep TF Serving's Classify/Regress.
    method_names = tf.saved_model.signature_def_utils.MethodNameUpdater(export_path)
    method_names.replace_method_name("serving_default", tf2.saved_model.CLASSIFY_METHOD_NAME)
    method_names.save()
    export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
    print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(model_dir)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
