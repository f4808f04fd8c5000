"""Runnable: TF1 SavedModel loading with tags and signature key from constants (ref variables).

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
The first block looks names up through the `signature_def[...]` map (key from
signature_constants); the second never reads the MetaGraphDef and runs tensors by name. The
SavedModel has a serve and a train MetaGraph, so the TF2 load must pick by tags.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.saved_model import signature_constants, tag_constants

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
EXPORT_DIR = os.path.join(MODEL_DIR, "saved_model")
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
TAGS = [tag_constants.SERVING]
SIGNATURE = signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY

results = {}
with tf.Session(graph=tf.Graph()) as sess:
    meta = tf.saved_model.loader.load(sess, TAGS, EXPORT_DIR)
    signature = meta.signature_def[SIGNATURE]
    x_name = signature.inputs["x"].name
    probs_name = signature.outputs["probs"].name
    results["probs"] = sess.run(probs_name, feed_dict={x_name: BATCH})

graph = tf.Graph()
with tf.Session(graph=graph) as sess:
    tf.saved_model.loader.load(sess, TAGS, EXPORT_DIR)
    x = graph.get_tensor_by_name("x:0")
    scores = sess.graph.get_tensor_by_name("scores:0")
    results["scores"] = sess.run(scores, {x: BATCH})
    for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
        results[f"scores_{row}"] = sess.run(scores, {x: [[row, row + 1]]})
    results["scaled"], results["kernel"] = sess.run(
        ["scores:0", "dense/kernel:0"], feed_dict={x: BATCH, "scale:0": 3}
    )

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
