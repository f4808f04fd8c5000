import tensorflow.compat.v1 as tf
import tensorflow as tf2

weights = tf.get_variable("weights", [4])
checkpointer = tf2.train.Checkpoint(weights=weights)


def restore(sess, path):
    checkpointer.read(path).run_restore_ops(sess)
