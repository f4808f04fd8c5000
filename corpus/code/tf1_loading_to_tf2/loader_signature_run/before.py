import numpy as np
import tensorflow.compat.v1 as tf


def predict(export_dir, batch):
    """Serve one batch from a TF1 SavedModel."""
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta.signature_def["serving_default"]
        x_name = signature.inputs["x"].name
        y_name = signature.outputs["y"].name
        batch = np.asarray(batch, np.float32)  # preprocessing stays
        scores = sess.run(y_name, feed_dict={x_name: batch})
    return scores
