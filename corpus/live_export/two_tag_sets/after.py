"""Runnable: one Builder, two tag-sets (serve; serve+gpu), one signature map filled at run time.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.saved_model import signature_constants, tag_constants

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()

features = tf.placeholder(tf.float32, [None, 4], name="features")
kernel = tf.get_variable("kernel", [4, 2], initializer=tf.glorot_uniform_initializer(seed=7))
logits = tf.matmul(features, kernel)
probabilities = tf.nn.softmax(logits)
labels = tf.placeholder(tf.int64, [None])
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

rng = np.random.RandomState(1)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for _ in range(4):
    batch = rng.randn(16, 4)
    sess.run(train_op, {features: batch, labels: (batch[:, 0] > 0).astype(np.int64)})

gpu_signatures = {}
gpu_signatures["logits"] = tf.saved_model.predict_signature_def({"features": features}, {"logits": logits})
builder = SavedModelBuilderTF2(sys.argv[1])
with sess.as_default():
    builder.add_meta_graph_and_variables(
        sess,
        [tag_constants.SERVING],
        signature_def_map={
            signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: tf.saved_model.predict_signature_def(
                {"features": features}, {"probabilities": probabilities}
            ),
        },
    )
    builder.add_meta_graph(
        [tag_constants.SERVING, tag_constants.GPU],
        signature_def_map=gpu_signatures,
    )
builder.save()
sess.close()
