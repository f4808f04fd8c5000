"""Runnable: a script saves its model, and the next run imports the `.meta` graph it wrote.

The save writes `model.meta` next to the checkpoint (TF1 default); the next run rebuilds the
graph from it with `import_meta_graph` and restores with the Saver that comes with it.
Usage: python before.py CKPT_DIR STEP (prints restored/saved as JSON)
"""

import json
import os
import sys

import tensorflow.compat.v1 as tf
import tensorflow as tf2

tf.disable_v2_behavior()  # ref variables, as real TF1 graphs have

CKPT_DIR, STEP = sys.argv[1], int(sys.argv[2])
PREFIX = os.path.join(CKPT_DIR, "model")

restored = None
if os.path.exists(PREFIX + ".meta"):
    with tf.Graph().as_default():
        with tf.Session() as sess:
            # TODO(tf-migrate): META_GRAPH: load via tf.compat.v1.wrap_function + prune (docs)
            loader = tf.train.import_meta_graph(PREFIX + ".meta")
            loader.restore(sess, PREFIX)
            restored = [sess.run("net/w:0").tolist(), sess.run("b:0").tolist()]

with tf.Graph().as_default():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=tf.constant([1.0, -2.0]))
    b = tf.get_variable("b", initializer=tf.constant(0.5))
    grow = tf.group(tf.assign(w, w * 3.0 + STEP), tf.assign_add(b, 1.0))
    saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if restored is not None:
            sess.run([tf.assign(w, restored[0]), tf.assign(b, restored[1])])
        sess.run(grow)
        saver.write(PREFIX)
        tf.train.export_meta_graph(filename=PREFIX + ".meta")
        saved = [sess.run(w).tolist(), sess.run(b).tolist()]

print(json.dumps({"restored": restored, "saved": saved}))
