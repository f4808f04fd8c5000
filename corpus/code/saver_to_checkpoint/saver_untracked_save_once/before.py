import tensorflow as tf


class Learner:
    def save_best_model(self):
        """A Saver built only to save once, in a session the learner does not own."""
        best_path = tf.train.Saver().save(self.pruner.model.sess, FLAGS.cp_best_path)
        tf.logging.info("model saved best model to " + best_path)

    def evaluate(self, path):
        saver = tf.train.import_meta_graph(path + ".meta")
        return saver, tf.train.latest_checkpoint(path)
