import tensorflow.compat.v1 as tf
from tensorflow.python.training import saver as saver_lib

weights = tf.get_variable("weights", [4])
checkpointer = saver_lib.Saver([weights], keep_checkpoint_every_n_hours=2)


def restore(sess, path):
    checkpointer.restore(sess, path)
