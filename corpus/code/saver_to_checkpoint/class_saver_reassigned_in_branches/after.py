# tflearn's estimators/base.py shape: one method assigns `self.saver` in two `if` blocks, the
# second one followed by a restore. A second rewrite must change nothing (issue 15).
import tensorflow.compat.v1 as tf
import tensorflow as tf2


class BaseEstimator:
    def __init__(self, session):
        self.session = session
        self._is_initialized = False
        self._to_be_restored = False

    def _init_graph(self):
        if not self._is_initialized:
            self.saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
            self.session.run(tf.global_variables_initializer())
            self._is_initialized = True
        if self._to_be_restored:
            self.saver = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
            self.saver.read(self._to_be_restored).run_restore_ops(self.session)
            self._to_be_restored = False
