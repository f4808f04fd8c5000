"""Runnable: a sparse_placeholder signature input (feature ids of a wide linear model).

A TF2 signature cannot take a SparseTensor by TensorInfo name, so the migrated program warns
and writes the TF1 SavedModel, exactly as before the migration.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(101)

NUM_FEATURES = 16

feature_ids = tf.sparse_placeholder(tf.int64, name="feature_ids")
labels = tf.placeholder(tf.float32, [None, 1], name="labels")
weights = tf.get_variable("linear/weights", [NUM_FEATURES, 1], initializer=tf.zeros_initializer())
bias = tf.get_variable("linear/bias", [1], initializer=tf.zeros_initializer())
logits = tf.nn.embedding_lookup_sparse(weights, feature_ids, None, combiner="sum") + bias
probabilities = tf.sigmoid(logits)
loss = tf.losses.sigmoid_cross_entropy(labels, logits)
train_op = tf.train.FtrlOptimizer(0.5).minimize(loss)


def batch(rng, size):
    indices = [[row, col] for row in range(size) for col in range(3)]
    values = rng.randint(0, NUM_FEATURES, len(indices))
    return tf.SparseTensorValue(indices, values, [size, 3]), (values[::3] % 2).reshape(-1, 1)


rng = np.random.RandomState(102)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(4):
        ids, y = batch(rng, 8)
        sess.run(train_op, {feature_ids: ids, labels: y})
    builder = SavedModelBuilderTF2(sys.argv[1])
    signature = tf.saved_model.signature_def_utils.build_signature_def(
        inputs={"feature_ids": tf.saved_model.utils.build_tensor_info(feature_ids)},
        outputs={"probabilities": tf.saved_model.utils.build_tensor_info(probabilities)},
        method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME,
    )
    builder.add_meta_graph_and_variables(
        sess, [tf.saved_model.tag_constants.SERVING], signature_def_map={"serving_default": signature}
    )
    builder.save()
