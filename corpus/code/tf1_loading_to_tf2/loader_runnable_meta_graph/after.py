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
with imported.graph.as_default():  # fetch values: a TF1 variable (float_ref) cannot be a pruned output
    pruned = imported.prune(["x:0"], tf.identity(imported.graph.get_tensor_by_name("scores:0")))
    pruned_1 = imported.prune(["x:0"], tf.identity(imported.graph.get_tensor_by_name("probs:0")))
    pruned_2 = imported.prune(["x:0", "scale:0"], [tf.identity(imported.graph.get_tensor_by_name("scores:0")), tf.identity(imported.graph.get_tensor_by_name("dense/kernel/read:0"))])
    pruned_3 = imported.prune(["x:0"], {"probs": tf.identity(imported.graph.get_tensor_by_name("probs:0")), "bias": tf.identity(imported.graph.get_tensor_by_name("dense/bias/read:0"))})
results["scores"] = pruned(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
    results[f"probs_{row}"] = pruned_1(tf.constant([[row, row + 1]], imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
scaled, kernel = tf.nest.map_structure(lambda t: t.numpy(), pruned_2(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype), tf.constant(2, imported.graph.get_tensor_by_name("scale:0").dtype)))
results.update(tf.nest.map_structure(lambda t: t.numpy(), pruned_3(tf.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype))))
results.update(scaled=scaled, kernel=kernel)

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
