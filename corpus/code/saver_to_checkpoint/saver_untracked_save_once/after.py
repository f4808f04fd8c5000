import tensorflow as tf
import os


class Learner:
    def save_best_model(self):
        """A Saver built only to save once, in a session the learner does not own."""
        with self.pruner.model.sess.as_default(), self.pruner.model.sess.graph.as_default():
            best_path = tf.train.Checkpoint(**{v.op.name: v for v in tf.compat.v1.global_variables()}).write(FLAGS.cp_best_path)
            tf.compat.v1.train.update_checkpoint_state(os.path.dirname(best_path), best_path)
            tf.compat.v1.train.export_meta_graph(filename=best_path + ".meta")
        tf.logging.info("model saved best model to " + best_path)

    def evaluate(self, path):
        # TODO(tf-migrate): META_GRAPH: load via tf.compat.v1.wrap_function + prune (docs)
        saver = tf.train.import_meta_graph(path + ".meta")
        return saver, tf.train.latest_checkpoint(path)
