import tensorflow as tf
from tensorflow.python.saved_model import tag_constants

TAGS = [tag_constants.SERVING]


def predict(export_dir, batches):
    """Runs the model's tensors by name; the MetaGraphDef is never read."""
    outputs = []
    loaded = tf.saved_model.load(export_dir, tags=["serve"])  # restores the variables
    with loaded.graph.as_default():  # fetch values: a TF1 variable (float_ref) cannot be a pruned output
        pruned = loaded.prune(["x:0"], tf.identity(loaded.graph.get_tensor_by_name("scores:0")))
        pruned_1 = loaded.prune([], tf.identity(loaded.graph.get_tensor_by_name("dense/bias/read:0")))
    x = loaded.graph.get_tensor_by_name("x:0")
    scores = loaded.graph.get_tensor_by_name("scores:0")
    for batch in batches:
        outputs.append(pruned(tf.constant(batch, loaded.graph.get_tensor_by_name("x:0").dtype)).numpy())
    bias = pruned_1().numpy()
    return outputs, bias
