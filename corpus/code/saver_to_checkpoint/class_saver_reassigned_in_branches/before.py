# tflearn's estimators/base.py shape: one method assigns `self.saver` in two `if` blocks, the
# second one followed by a restore. A second rewrite must change nothing (issue 15).
import tensorflow.compat.v1 as tf


class BaseEstimator:
    def __init__(self, session):
        self.session = session
        self._is_initialized = False
        self._to_be_restored = False

    def _init_graph(self):
        if not self._is_initialized:
            self.saver = tf.train.Saver()
            self.session.run(tf.global_variables_initializer())
            self._is_initialized = True
        if self._to_be_restored:
            self.saver = tf.train.Saver()
            self.saver.restore(self.session, self._to_be_restored)
            self._to_be_restored = False
