"""Runnable: TF1 MetaGraph loading from the latest checkpoint, tensors bound by name first.

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
The common TF1 inference shape: `latest_checkpoint`, `import_meta_graph` + `restore` into a
named graph, `get_tensor_by_name` into variables (through the graph, the session's graph and
the default graph), then `sess.run` on those variables, in a loop too.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
CKPT_DIR = os.path.join(MODEL_DIR, "ckpt")

results = {}
graph = tf.Graph()
with tf.Session(graph=graph) as sess:
    ckpt = tf.train.latest_checkpoint(CKPT_DIR)
    saver = tf.train.import_meta_graph(ckpt + ".meta")
    saver.restore(sess, ckpt)
    x = graph.get_tensor_by_name("x:0")
    scale = sess.graph.get_tensor_by_name("scale:0")
    scores = tf.get_default_graph().get_tensor_by_name("scores:0")
    probs = graph.get_tensor_by_name("probs:0")
    print("input", x.name, x.dtype, x.shape)
    results["scores"] = sess.run(scores, feed_dict={x: BATCH})
    for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
        results[f"probs_{row}"] = sess.run(probs, {x: [[row, row + 1]]})
    results["scaled_probs"], results["scaled"] = sess.run([probs, scores], {x: BATCH, scale: 2})
    results["probs"] = sess.run(probs, {x: BATCH})
    results.update(sess.run({"bias": "dense/bias:0"}))  # a ref variable: fetched by value

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
