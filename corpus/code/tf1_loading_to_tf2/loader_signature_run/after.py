import numpy as np
import tensorflow.compat.v1 as tf
import tensorflow as tf2


def predict(export_dir, batch):
    """Serve one batch from a TF1 SavedModel."""
    meta = tf2.saved_model.load(export_dir, tags=["serve"])
    batch = np.asarray(batch, np.float32)  # preprocessing stays
    scores = meta.signatures["serving_default"](x=batch)["y"].numpy()
    return scores
