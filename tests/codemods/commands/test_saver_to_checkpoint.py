"""saver_to_checkpoint as before/after strings (CodemodTest: through engine.rewrite_code)."""

from __future__ import annotations

from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from tests.codemods.codemod_test import CodemodTest


class TestSaverToCheckpoint(CodemodTest):
    TRANSFORM = SaverToCheckpoint

    def test_no_change_without_saver(self) -> None:
        """TF2 checkpoint code and latest_checkpoint are left alone."""
        code = """
            import tensorflow as tf
            ckpt = tf.train.Checkpoint(v=v)
            path = tf.train.latest_checkpoint("/tmp")
        """
        self.assertCodemod(code, code, expected_warnings=[])

    def test_no_change_for_lookalike(self) -> None:
        """A Saver that is not TensorFlow's is not touched."""
        code = """
            from mylib.train import Saver
            saver = Saver([v])
            saver.restore(sess, "p")
        """
        self.assertCodemod(code, code)

    def test_list_saver_with_global_step(self) -> None:
        """var_list + max_to_keep + global_step become Checkpoint + CheckpointManager."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w, b], max_to_keep=2)
            with tf.Session() as sess:
                saver.save(sess, "/ckpt/model", global_step=step)
        """
        after = """
            import tensorflow as tf
            saver = tf.train.Checkpoint(w=w, b=b)
            with tf.Session() as sess:
                tf.train.CheckpointManager(saver, "/ckpt", max_to_keep=2, \\
                    checkpoint_name="model").save(checkpoint_number=step)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_restore_uses_read(self) -> None:
        """restore(sess, path) becomes read(path).run_restore_ops(sess) (TF1-compatible)."""
        before = """
            import tensorflow.compat.v1 as tf
            saver = tf.train.Saver([w])
            saver.restore(sess, path)
        """
        after = """
            import tensorflow.compat.v1 as tf
            import tensorflow as tf2

            saver = tf2.train.Checkpoint(w=w)
            saver.read(path).run_restore_ops(sess)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_dict_saver_restore_reads_keys_by_name(self) -> None:
        """A restore-only dict Saver becomes its dict; restore assigns each key's saved value."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver({"old": w, "scope/b": b}, sharded=True)
            with tf.Session() as sess:
                saver.restore(sess, path)
        """
        after = """
            import tensorflow as tf
            saver = {"old": w, "scope/b": b}
            with tf.Session() as sess:
                sess.run([var.assign(tf.train.load_variable(path, key)) for key, var in \\
                    saver.items()])
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_dict_saver_restore_eager(self) -> None:
        """With sess=None (eager) the assignments happen directly, no session run."""
        before = """
            import tensorflow.compat.v1 as tf
            saver = tf.train.Saver({"old": w})
            saver.restore(None, path)
        """
        after = """
            import tensorflow.compat.v1 as tf
            import tensorflow as tf2

            saver = {"old": w}
            [var.assign(tf2.train.load_variable(path, key)) for key, var in saver.items()]
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_dict_saver_saved_and_restored_is_refused(self) -> None:
        """Saving would write Checkpoint keys the dict-key restore cannot read: TODO."""
        warning = (
            "SAVER_DICT_KEYS: saved and restored under dict keys; only tf.compat.v1 Saver "
            "writes those"
        )
        before = """
            import tensorflow as tf
            saver = tf.train.Saver({"old": w})
            with tf.Session() as sess:
                saver.restore(sess, path)
                saver.save(sess, path)
        """
        after = f"""
            import tensorflow as tf
            # TODO(tf-migrate): {warning}
            saver = tf.train.Saver({{"old": w}})
            with tf.Session() as sess:
                saver.restore(sess, path)
                saver.save(sess, path)
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_dict_saver_restore_needs_plain_keys(self) -> None:
        """A computed value or a `:0` key keep the Saver."""
        for saver_args, path, code in (
            ('{"a": vs[0]}', "p", "SAVER_DICT_KEYS"),
            ('{"a:0": w}', "p", "SAVER_DICT_KEYS"),
        ):
            before = f"""
                import tensorflow as tf
                saver = tf.train.Saver({saver_args})
                saver.restore(sess, {path})
            """
            outcome = self.rewrite(before)
            assert [f.code for f in outcome.findings] == [code], (saver_args, path)
            assert "tf.train.Saver(" in outcome.code

    def test_computed_var_list_is_refused(self) -> None:
        """A var_list computed at run time is not guessed."""
        before = """
            import tensorflow as tf
            def make():
                s = tf.train.Saver(var_list=get_vars())
                return s
        """
        after = """
            import tensorflow as tf
            def make():
                # TODO(tf-migrate): SAVER_VARLIST: the variable set is computed at run time; \\
                    list the variables explicitly
                s = tf.train.Saver(var_list=get_vars())
                return s
        """
        self.assertCodemod(
            before, after,
            expected_warnings=[
                "SAVER_VARLIST: the variable set is computed at run time; list the variables "
                "explicitly"
            ],
        )  # fmt: skip

    def test_plain_session_save_runs_with_it_as_default(self) -> None:
        """A save in a `tf.Session()` that is not the default one runs with it as default
        (and its graph), where Checkpoint looks for both."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            sess = tf.Session()
            # before the save
            saver.save(sess, "p")
        """
        after = """
            import tensorflow as tf
            saver = tf.train.Checkpoint(w=w)
            sess = tf.Session()
            # before the save
            with sess.as_default(), sess.graph.as_default():
                saver.write("p")
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_monitored_session_is_refused(self) -> None:
        """A MonitoredTrainingSession is never the default session and has no as_default()
        (TF1's save refused it too), so the whole Saver keeps its TODO."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            with tf.train.MonitoredTrainingSession() as sess:
                saver.save(sess, "p")
            def save(session):
                saver.save(session, "q")
        """
        warning = "SAVER_SESSION: save inside `with sess.as_default():` so Checkpoint finds it"
        after = f"""
            import tensorflow as tf
            # TODO(tf-migrate): {warning}
            saver = tf.train.Saver([w])
            with tf.train.MonitoredTrainingSession() as sess:
                saver.save(sess, "p")
            def save(session):
                saver.save(session, "q")
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_saver_param_shadowing_is_not_a_use(self) -> None:
        """A function parameter named like the saver is a different object."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            def helper(saver):
                saver.anything()
            with tf.Session() as s:
                saver.save(s, "p")
        """
        after = """
            import tensorflow as tf
            saver = tf.train.Checkpoint(w=w)
            def helper(saver):
                saver.anything()
            with tf.Session() as s:
                saver.write("p")
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_inspect_checkpoint_import_removed(self) -> None:
        """print_tensors_in_checkpoint_file uses tf.train readers; the import goes."""
        before = """
            from tensorflow.python.tools.inspect_checkpoint import print_tensors_in_checkpoint_file
            print_tensors_in_checkpoint_file(path, "w", False)
        """
        after = """
            import tensorflow as tf

            print(tf.train.load_checkpoint(path).get_tensor("w"))
        """
        self.assertCodemod(before, after, expected_warnings=[])
