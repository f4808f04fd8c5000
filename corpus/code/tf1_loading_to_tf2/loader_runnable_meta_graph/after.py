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
savers = []
imported = tf.compat.v1.wrap_function(lambda: savers.append(tf.compat.v1.train.import_meta_graph(CKPT + ".meta")), [])
saver = savers[0]
imported.prune(saver.saver_def.filename_tensor_name, saver.saver_def.restore_op_name)(tf.constant(CKPT))
pruned = imported.prune(["x:0"], "scores:0")
pruned_1 = imported.prune(["x:0"], "probs:0")
pruned_2 = imported.prune(["x:0", "scale:0"], ["scores:0", "dense/kernel/read:0"])
pruned_3 = imported.prune(["x:0"], {"probs": "probs:0", "bias": "dense/bias/read:0"})
results["scores"] = pruned(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
    results[f"probs_{row}"] = pruned_1(tf.constant([[row, row + 1]], imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
scaled, kernel = tf.nest.map_structure(lambda t: t.numpy(), pruned_2(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype), tf.constant(2, imported.graph.get_tensor_by_name("scale:0").dtype)))
results.update(tf.nest.map_structure(lambda t: t.numpy(), pruned_3(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype))))
results.update(scaled=scaled, kernel=kernel)

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
