"""Runnable: TF1 MetaGraph + checkpoint loading through a Session (ref variables).

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
"""

import os
import sys

import numpy as np
import tensorflow as tf

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
CKPT = os.path.join(MODEL_DIR, "ckpt", "model.ckpt")

results = {}
with tf.compat.v1.Session(graph=tf.Graph()) as sess:
    saver = tf.compat.v1.train.import_meta_graph(CKPT + ".meta")
    saver.restore(sess, CKPT)
    results["scores"] = sess.run("scores:0", feed_dict={"x:0": BATCH})
    for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
        results[f"probs_{row}"] = sess.run("probs:0", {"x:0": [[row, row + 1]]})
    scaled, kernel = sess.run(["scores:0", "dense/kernel/read:0"], feed_dict={"x:0": BATCH, "scale:0": 2})
    results.update(sess.run({"probs": "probs:0", "bias": "dense/bias/read:0"}, feed_dict={"x:0": BATCH}))
results.update(scaled=scaled, kernel=kernel)

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
