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
import tensorflow as tf2

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
EXPORT_DIR = os.path.join(MODEL_DIR, "saved_model")
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
TAGS = [tag_constants.SERVING]
SIGNATURE = signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY

results = {}
meta = tf2.saved_model.load(EXPORT_DIR, tags=["serve"])
results["probs"] = meta.signatures[SIGNATURE](x=BATCH)["probs"].numpy()

graph = tf.Graph()
loaded = tf2.saved_model.load(EXPORT_DIR, tags=["serve"])
with loaded.graph.as_default():  # fetch values: a TF1 variable (float_ref) cannot be a pruned output
    pruned = loaded.prune(["x:0"], tf2.identity(loaded.graph.get_tensor_by_name("scores:0")))
    pruned_1 = loaded.prune(["x:0", "scale:0"], [tf2.identity(loaded.graph.get_tensor_by_name("scores:0")), tf2.identity(loaded.graph.get_tensor_by_name("dense/kernel:0"))])
x = loaded.graph.get_tensor_by_name("x:0")
scores = loaded.graph.get_tensor_by_name("scores:0")
results["scores"] = pruned(tf2.constant(BATCH, loaded.graph.get_tensor_by_name("x:0").dtype)).numpy()
for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
    results[f"scores_{row}"] = pruned(tf2.constant([[row, row + 1]], loaded.graph.get_tensor_by_name("x:0").dtype)).numpy()
results["scaled"], results["kernel"] = tf2.nest.map_structure(lambda t: t.numpy(), pruned_1(tf2.constant(BATCH, loaded.graph.get_tensor_by_name("x:0").dtype), tf2.constant(3, loaded.graph.get_tensor_by_name("scale:0").dtype)))

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
