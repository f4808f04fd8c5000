import tensorflow as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here



def export(sess, export_dir, inputs, outputs):
    """Generic helper: the tensors come from the caller, so nothing here says how to compute them."""
    simple_save_tf2(sess, export_dir, inputs=inputs, outputs=outputs)


def export_by_name(sess, export_dir):
    graph = sess.graph
    simple_save_tf2(
        sess, export_dir,
        inputs={"x": graph.get_tensor_by_name("x:0")},
        outputs={"y": graph.get_tensor_by_name("y:0")},
    )
