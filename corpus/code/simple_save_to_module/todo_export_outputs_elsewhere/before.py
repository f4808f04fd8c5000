import tensorflow as tf


def export(sess, export_dir, inputs, outputs):
    """Generic helper: the tensors come from the caller, so nothing here says how to compute them."""
    tf.compat.v1.saved_model.simple_save(sess, export_dir, inputs=inputs, outputs=outputs)


def export_by_name(sess, export_dir):
    graph = sess.graph
    tf.compat.v1.saved_model.simple_save(
        sess, export_dir,
        inputs={"x": graph.get_tensor_by_name("x:0")},
        outputs={"y": graph.get_tensor_by_name("y:0")},
    )
