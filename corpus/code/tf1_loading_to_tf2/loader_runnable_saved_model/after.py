"""Runnable: TF1 SavedModel loading through a Session, signature lookups, sess.run (ref variables).

Usage: python before.py MODEL_DIR OUT_DIR  (MODEL_DIR from make_model.py; writes OUT_DIR/*.npy)
The SavedModel has a serve and a train MetaGraph, so the TF2 load must pick by tags.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2

MODEL_DIR, OUT_DIR = sys.argv[1], sys.argv[2]
EXPORT_DIR = os.path.join(MODEL_DIR, "saved_model")


def predict(export_dir, batch):
    """The scores of the serving signature for one batch."""
    meta = tf2.saved_model.load(export_dir, tags=["serve"])
    values = meta.signatures["serving_default"](x=batch)["scores"].numpy()
    return values


batch = np.arange(6, dtype=np.float32).reshape(3, 2)
np.save(os.path.join(OUT_DIR, "scores.npy"), predict(EXPORT_DIR, batch))

meta = tf2.saved_model.load(EXPORT_DIR, tags=["serve"])
probs = meta.signatures["serving_default"](x=batch.astype(np.int64))["probs"].numpy()
np.save(os.path.join(OUT_DIR, "probs.npy"), probs)
