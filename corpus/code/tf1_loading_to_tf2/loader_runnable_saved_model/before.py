"""Runnable: TF1 SavedModel loading through a Session, signature lookups, sess.run (ref variables).

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
The SavedModel has a serve and a train MetaGraph, so the TF2 load must pick by tags.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
EXPORT_DIR = os.path.join(MODEL_DIR, "saved_model")


def predict(export_dir, batch):
    """The scores of the serving signature for one batch."""
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta.signature_def["serving_default"]
        x_name = signature.inputs["x"].name
        y_name = signature.outputs["scores"].name
        values = sess.run(y_name, feed_dict={x_name: batch})
    return values


batch = np.arange(6, dtype=np.float32).reshape(3, 2)
np.save(os.path.join(OUT_DIR, "scores.npy"), predict(EXPORT_DIR, batch))

with tf.Session(graph=tf.Graph()) as sess:
    meta = tf.saved_model.loader.load(sess, ["serve"], EXPORT_DIR)
    probs = sess.run(
        meta.signature_def["serving_default"].outputs["probs"].name,
        feed_dict={meta.signature_def["serving_default"].inputs["x"].name: batch.astype(np.int64)},
    )
np.save(os.path.join(OUT_DIR, "probs.npy"), probs)
