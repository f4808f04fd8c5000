"""Custom model_fn Estimator with a sparse VarLenFeature of tokens, hashed and embedded.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Training parses the same serialized tf.Examples with the same FEATURE_SPEC as serving does.
"""

import json
import sys

import tensorflow.compat.v1 as tf
import os
import time
import tensorflow as tf2

tf.disable_v2_behavior()
tf.enable_resource_variables()  # tf.saved_model.save needs resource variables

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
BUCKETS = 16
FEATURE_SPEC = {
    "tokens": tf.VarLenFeature(tf.string),
    "length": tf.FixedLenFeature([1], tf.float32),
}


def make_example(tokens, label):
    feature = {
        "tokens": tf.train.Feature(bytes_list=tf.train.BytesList(value=[t.encode() for t in tokens])),
        "length": tf.train.Feature(float_list=tf.train.FloatList(value=[len(tokens)])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString(), label


def input_fn():
    rows = [make_example([f"tok{(i * j) % 8}" for j in range(1 + i % 3)], int(i % 8 < 4)) for i in range(32)]
    serialized, labels = zip(*rows)
    dataset = tf.data.Dataset.from_tensor_slices((list(serialized), list(labels))).batch(8).repeat()
    return dataset.map(lambda examples, label: (tf.parse_example(examples, FEATURE_SPEC), label))


def model_fn(features, labels, mode):
    tokens = features["tokens"]
    ids = tf.SparseTensor(tokens.indices, tf.string_to_hash_bucket_fast(tokens.values, BUCKETS), tokens.dense_shape)
    embeddings = tf.get_variable("tokens/embeddings", [BUCKETS, 4], initializer=tf.random_normal_initializer(stddev=0.1, seed=6))
    pooled = tf.nn.safe_embedding_lookup_sparse(embeddings, ids, combiner="mean")
    inputs = tf.concat([pooled, features["length"] / 3.0], axis=1)
    logits = tf.matmul(inputs, tf.get_variable("logits/kernel", [5, 2], initializer=tf.glorot_uniform_initializer(seed=7)))
    probabilities = tf.nn.softmax(logits)
    if mode == "infer":
        outputs = {"probabilities": probabilities, "class_ids": tf.argmax(logits, axis=1)}
        export_outputs = {"serving_default": outputs}
        return dict(mode=mode, predictions=outputs, export_outputs=export_outputs)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.AdagradOptimizer(0.5).minimize(loss, global_step=tf.train.get_global_step())
    return dict(mode=mode, loss=loss, train_op=train_op)


# tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated (train with Keras or a custom loop).
# tf-migrate: the export below restores the latest checkpoint in model_dir. Was:
#   estimator = tf.estimator.Estimator(model_fn, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=13))
#   estimator.train(input_fn, max_steps=20)


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

    @tf2.function(input_signature=[tf2.TensorSpec([None], tf.string, name="examples")])
    def serving_default(self, examples):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):  # the restored variables
            return self.export_outputs(examples)["serving_default"]


export_path = os.path.join(tf2.compat.as_str_any(EXPORT_BASE), str(int(time.time())))
with tf.Graph().as_default(), tf.Session() as session:
    export_module = EstimatorExportModule(session, tf.train.latest_checkpoint(MODEL_DIR))
    tf2.saved_model.save(export_module, export_path, signatures={
        "serving_default": export_module.serving_default,
    })
export_dir = tf2.compat.as_bytes(export_path)  # export_saved_model returned bytes
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": tf.train.latest_checkpoint(MODEL_DIR)}))
