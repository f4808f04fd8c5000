import tensorflow.compat.v1 as tf
import tensorflow as tf2


class Trainer(object):
    """Owns its saver as an attribute."""

    def __init__(self):
        self.w = tf.get_variable("w", [2])
        self.saver = tf2.train.Checkpoint(w=self.w)

    def load(self, sess, path):
        self.saver.read(path).run_restore_ops(sess)  # resume

    def checkpoint(self, sess, step):
        with sess.as_default():
            return tf2.train.CheckpointManager(self.saver, "/ckpt", max_to_keep=10, checkpoint_name="trainer").save(checkpoint_number=step)
