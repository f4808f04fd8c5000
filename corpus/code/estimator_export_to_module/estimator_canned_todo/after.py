"""Canned estimator (LinearRegressor) exported with a parsing receiver built from its feature columns.

Usage: python before.py MODEL_DIR EXPORT_BASE   (TF <= 2.15 with tensorflow-estimator)
Canned estimators are not re-implemented by the codemod: its export site gets a TODO pointing to
`tf-migrate convert` of the exported SavedModel (this case's tf215_export/).
"""

import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

MODEL_DIR, EXPORT_BASE = sys.argv[1], sys.argv[2]
FEATURE_COLUMNS = [
    tf.feature_column.numeric_column("size", shape=(2,)),
    tf.feature_column.categorical_column_with_hash_bucket("city", hash_bucket_size=8),
]


def input_fn():
    rng = np.random.RandomState(4)
    size = rng.uniform(0.0, 2.0, size=(32, 2)).astype(np.float32)
    city = np.array([[b"tok%d" % (i % 5)] for i in range(32)])
    price = (size.sum(axis=1, keepdims=True) + (city == b"tok1")).astype(np.float32)
    return tf.data.Dataset.from_tensor_slices(({"size": size, "city": city}, price)).batch(8).repeat()


estimator = tf.estimator.LinearRegressor(FEATURE_COLUMNS, model_dir=MODEL_DIR, config=tf.estimator.RunConfig(tf_random_seed=17))
estimator.train(input_fn, max_steps=20)
feature_spec = tf.feature_column.make_parse_example_spec(FEATURE_COLUMNS)
serving_input_receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(feature_spec)
# TODO(tf-migrate): ESTIMATOR_CANNED: canned LinearRegressor is not re-implemented; export it under TF <= 2.15 and run `tf-migrate convert <its export> <out>` (docs/converter.md)
export_dir = estimator.export_saved_model(EXPORT_BASE, serving_input_receiver_fn)
print(json.dumps({"export_dir": export_dir.decode(), "checkpoint": estimator.latest_checkpoint()}))
