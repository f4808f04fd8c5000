import tensorflow.compat.v1 as tf


class Trainer(object):
    """Owns its saver as an attribute."""

    def __init__(self):
        self.w = tf.get_variable("w", [2])
        self.saver = tf.train.Saver([self.w], max_to_keep=10)

    def load(self, sess, path):
        self.saver.restore(sess, path)  # resume

    def checkpoint(self, sess, step):
        with sess.as_default():
            return self.saver.save(sess, "/ckpt/trainer", global_step=step)
