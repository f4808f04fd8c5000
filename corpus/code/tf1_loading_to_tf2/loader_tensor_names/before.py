import tensorflow as tf
from tensorflow.python.saved_model import tag_constants

TAGS = [tag_constants.SERVING]


def predict(export_dir, batches):
    """Runs the model's tensors by name; the MetaGraphDef is never read."""
    outputs = []
    with tf.compat.v1.Session(graph=tf.Graph()) as sess:
        tf.compat.v1.saved_model.loader.load(sess, TAGS, export_dir)  # restores the variables
        x = sess.graph.get_tensor_by_name("x:0")
        scores = sess.graph.get_tensor_by_name("scores:0")
        for batch in batches:
            outputs.append(sess.run(scores, feed_dict={x: batch}))
        bias = sess.run("dense/bias/read:0")
    return outputs, bias
