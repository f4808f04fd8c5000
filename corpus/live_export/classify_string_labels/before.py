"""Runnable: a classify signature from build_tensor_info + build_signature_def
(CLASSIFY_METHOD_NAME) over serialized tf.Examples, with string class labels as an output.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
tf.compat.v1.set_random_seed(51)

LABELS = ["setosa", "versicolor", "virginica"]
signature_constants = tf.compat.v1.saved_model.signature_constants
utils = tf.compat.v1.saved_model.utils

serialized_tf_example = tf.compat.v1.placeholder(tf.string, name="tf_example")
feature_spec = {"measurements": tf.io.FixedLenFeature(shape=[4], dtype=tf.float32)}
tf_example = tf.io.parse_example(serialized_tf_example, feature_spec)
x = tf.identity(tf_example["measurements"], name="x")
y_ = tf.compat.v1.placeholder(tf.int32, [None])

w = tf.compat.v1.get_variable("weights", [4, 3], initializer=tf.compat.v1.zeros_initializer())
b = tf.compat.v1.get_variable("bias", [3], initializer=tf.compat.v1.zeros_initializer())
logits = tf.matmul(x, w) + b
y = tf.nn.softmax(logits, name="y")
cross_entropy = tf.compat.v1.losses.sparse_softmax_cross_entropy(y_, logits)
train_step = tf.compat.v1.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

values, indices = tf.nn.top_k(y, len(LABELS))
table = tf.constant(LABELS)
prediction_classes = tf.gather(table, indices)

rng = np.random.RandomState(52)
sess = tf.compat.v1.InteractiveSession()
sess.run(tf.compat.v1.global_variables_initializer())
for _ in range(5):
    batch_x = rng.rand(10, 4).astype(np.float32)
    sess.run(train_step, feed_dict={x: batch_x, y_: (batch_x[:, 0] * 3).astype(np.int32)})

export_path = sys.argv[1]
builder = tf.compat.v1.saved_model.builder.SavedModelBuilder(export_path)

examples_info = utils.build_tensor_info(serialized_tf_example)
classes_info = utils.build_tensor_info(prediction_classes)
scores_info = utils.build_tensor_info(values)

classify_signature = tf.compat.v1.saved_model.signature_def_utils.build_signature_def(
    inputs={signature_constants.CLASSIFY_INPUTS: examples_info},
    outputs={
        signature_constants.CLASSIFY_OUTPUT_CLASSES: classes_info,
        signature_constants.CLASSIFY_OUTPUT_SCORES: scores_info,
    },
    method_name=signature_constants.CLASSIFY_METHOD_NAME,
)

builder.add_meta_graph_and_variables(
    sess,
    [tf.compat.v1.saved_model.tag_constants.SERVING],
    signature_def_map={
        signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: classify_signature,
    },
)
builder.save()
print("Exported", export_path)
