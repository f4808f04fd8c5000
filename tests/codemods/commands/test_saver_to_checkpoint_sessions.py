"""saver_to_checkpoint: saves in sessions that are not the default, and the TF1 state file."""

from __future__ import annotations

from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from tests.codemods.codemod_test import CodemodTest


class TestSaverSessions(CodemodTest):
    TRANSFORM = SaverToCheckpoint

    def test_session_parameter_save_runs_with_it_as_default(self) -> None:
        """TF1's save accepted only a SessionInterface, which has as_default() and a graph:
        a session parameter (or `self.sess` set from one) is wrapped like a tf.Session, and
        the Saver's restores run in that session's graph."""
        before = """
            import tensorflow as tf
            class Model:
                def __init__(self, sess):
                    self.sess = sess
                    self.saver = tf.train.Saver(max_to_keep=3)
                def save(self, path, step):
                    self.saver.save(self.sess, path, global_step=step)
                def load(self, path):
                    self.saver.restore(self.sess, path)
        """
        after = """
            import tensorflow as tf
            import os

            class Model:
                def __init__(self, sess):
                    self.sess = sess
                    self.saver = tf.train.Checkpoint(**{v.op.name: v for v in \\
                        tf.compat.v1.global_variables()})
                def save(self, path, step):
                    with self.sess.as_default(), self.sess.graph.as_default():
                        tf.train.CheckpointManager(self.saver, os.path.dirname(path), \\
                            max_to_keep=3, checkpoint_name=os.path.basename(path)).save(\\
                            checkpoint_number=step)
                def load(self, path):
                    with self.sess.graph.as_default():
                        self.saver.read(path).run_restore_ops(self.sess)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_session_bound_to_a_monitored_session_is_refused(self) -> None:
        """`sess = tf.train.MonitoredSession(...)` anywhere: TF1's save failed on it."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            def run():
                sess = tf.train.MonitoredSession()
                saver.save(sess, "p")
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_SESSION"]
        assert "saver.save(sess" in outcome.code

    def test_eager_module_is_refused(self) -> None:
        """An eager program passes sess=None: `None.as_default()` would crash."""
        before = """
            import tensorflow as tf
            tf.enable_eager_execution()
            saver = tf.train.Saver([w])
            def save(sess):
                saver.save(sess, "p")
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_SESSION"]

    def test_save_without_step_updates_the_state_file(self) -> None:
        """With latest_checkpoint in the module, a save without global_step also records the
        path in the `checkpoint` state file, as TF1's Saver did."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            with tf.Session() as sess:
                saver.restore(sess, tf.train.latest_checkpoint(DIR))
                saver.save(sess, PREFIX)
                path = saver.save(sess, make_path())
        """
        after = """
            import tensorflow as tf
            import os

            saver = tf.train.Checkpoint(w=w)
            with tf.Session() as sess:
                saver.read(tf.train.latest_checkpoint(DIR)).run_restore_ops(sess)
                saver.write(PREFIX)
                tf.compat.v1.train.update_checkpoint_state(os.path.dirname(PREFIX), PREFIX)
                path = saver.write(make_path())
                tf.compat.v1.train.update_checkpoint_state(os.path.dirname(path), path)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_state_save_inside_an_expression_is_refused(self) -> None:
        """No statement to follow with the state update, and an impure path: TODO."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            with tf.Session() as sess:
                print(saver.save(sess, make_path()))
            tf.train.latest_checkpoint(DIR)
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_STATE"]

    def test_save_in_a_module_that_imports_meta_graphs_is_refused(self) -> None:
        """TF1 wrote `<path>.meta` that the module may import back; Checkpoint writes none. With
        `write_meta_graph=False` there was no .meta to miss."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            with tf.Session() as sess:
                saver.save(sess, "./trained-model")
            with tf.Session() as sess:
                tf.train.import_meta_graph("./trained-model.meta").restore(sess, "./trained-model")
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_META"]
        assert 'saver.save(sess, "./trained-model")' in outcome.code
        no_meta = before.replace(
            'saver.save(sess, "./trained-model")', 'saver.save(sess, "./m", write_meta_graph=False)'
        )
        assert 'saver.write("./m")' in self.rewrite(no_meta).code

    def test_all_globals_save_exports_the_meta_graph_it_wrote(self) -> None:
        """A Saver over all globals: the `.meta` is exported after the write (the Saver that
        import_meta_graph makes from it restores the same set); a numbered bare save has no
        path to name it after, and keeps the TODO."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver()
            with tf.Session() as sess:
                saver.save(sess, PREFIX)
                path = saver.save(sess, PREFIX, global_step=step)
            tf.train.import_meta_graph(PREFIX + ".meta")
        """
        after = """
            import tensorflow as tf
            import os

            saver = tf.train.Checkpoint(**{v.op.name: v for v in tf.compat.v1.global_variables()})
            with tf.Session() as sess:
                saver.write(PREFIX)
                tf.compat.v1.train.export_meta_graph(filename=PREFIX + ".meta")
                path = tf.train.CheckpointManager(saver, os.path.dirname(PREFIX), max_to_keep=5, \\
                    checkpoint_name=os.path.basename(PREFIX)).save(checkpoint_number=step)
                tf.compat.v1.train.export_meta_graph(filename=path + ".meta")
            tf.train.import_meta_graph(PREFIX + ".meta")
        """
        self.assertCodemod(before, after, expected_warnings=[])
        numbered = before.replace("path = saver.save", "saver.save")
        assert [f.code for f in self.rewrite(numbered).findings] == ["SAVER_META"]

    def test_session_parameter_defaulting_to_none_is_refused(self) -> None:
        """`def save(sess=None)` is how eager callers (sess=None) are served: no wrap."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            def save(sess=None):
                saver.save(sess, "p")
        """
        assert [f.code for f in self.rewrite(before).findings] == ["SAVER_SESSION"]

    def test_saver_built_only_to_save_once(self) -> None:
        """`tf.train.Saver().save(sess, p)`: nothing else can reach that Saver, so it becomes
        a Checkpoint written in the session, with the same follow-ups as a named Saver."""
        before = """
            import tensorflow as tf
            def save_best(model):
                best = tf.train.Saver().save(model.sess, BEST)
                return best
            def load(d):
                return tf.train.latest_checkpoint(d)
        """
        after = """
            import tensorflow as tf
            import os

            def save_best(model):
                with model.sess.as_default(), model.sess.graph.as_default():
                    best = tf.train.Checkpoint(**{v.op.name: v for v in \\
                        tf.compat.v1.global_variables()}).write(BEST)
                    tf.compat.v1.train.update_checkpoint_state(os.path.dirname(best), best)
                return best
            def load(d):
                return tf.train.latest_checkpoint(d)
        """
        self.assertCodemod(before, after, expected_warnings=[])
