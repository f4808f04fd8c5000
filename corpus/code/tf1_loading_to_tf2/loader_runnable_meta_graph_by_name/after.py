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
import tensorflow as tf2

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
BATCH = np.arange(6, dtype=np.float32).reshape(3, 2)
CKPT_DIR = os.path.join(MODEL_DIR, "ckpt")

results = {}
graph = tf.Graph()
ckpt = tf.train.latest_checkpoint(CKPT_DIR)
savers = []
imported = tf2.compat.v1.wrap_function(lambda: savers.append(tf.train.import_meta_graph(ckpt + ".meta")), [])
saver = savers[0]
imported.prune(saver.saver_def.filename_tensor_name, saver.saver_def.restore_op_name)(tf2.constant(ckpt))
with imported.graph.as_default():  # fetch values: a TF1 variable (float_ref) cannot be a pruned output
    pruned = imported.prune(["x:0"], tf2.identity(imported.graph.get_tensor_by_name("scores:0")))
    pruned_1 = imported.prune(["x:0"], tf2.identity(imported.graph.get_tensor_by_name("probs:0")))
    pruned_2 = imported.prune(["x:0", "scale:0"], [tf2.identity(imported.graph.get_tensor_by_name("probs:0")), tf2.identity(imported.graph.get_tensor_by_name("scores:0"))])
    pruned_3 = imported.prune([], {"bias": tf2.identity(imported.graph.get_tensor_by_name("dense/bias:0"))})
x = imported.graph.get_tensor_by_name("x:0")
scale = imported.graph.get_tensor_by_name("scale:0")
scores = imported.graph.get_tensor_by_name("scores:0")
probs = imported.graph.get_tensor_by_name("probs:0")
print("input", x.name, x.dtype, x.shape)
results["scores"] = pruned(tf2.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
for row in range(len(BATCH)):  # python ints are fed as float32, as the placeholder says
    results[f"probs_{row}"] = pruned_1(tf2.constant([[row, row + 1]], imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
results["scaled_probs"], results["scaled"] = tf2.nest.map_structure(lambda t: t.numpy(), pruned_2(tf2.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype), tf2.constant(2, imported.graph.get_tensor_by_name("scale:0").dtype)))
results["probs"] = pruned_1(tf2.constant(BATCH, imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
results.update(tf2.nest.map_structure(lambda t: t.numpy(), pruned_3()))  # a ref variable: fetched by value

for name, value in results.items():
    np.save(os.path.join(OUT_DIR, name + ".npy"), value)
