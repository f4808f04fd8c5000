"""saver_to_checkpoint: computed var_lists read through names, concatenations, EMA dicts."""

from __future__ import annotations

from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from tests.codemods.codemod_test import CodemodTest


class TestSaverVarLists(CodemodTest):
    TRANSFORM = SaverToCheckpoint

    def test_name_read_at_the_saver_when_reassigned(self) -> None:
        """`var_list` assigned before each Saver (twice in one function) is read where the
        Saver is built; a sum of collection reads is a variable list too."""
        before = """
            import tensorflow as tf
            def load(sess):
                var_list = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "a")
                first = tf.train.Saver(var_list=var_list)
                first.restore(sess, A)
                with tf.device("/cpu:0"):
                    var_list = tf.get_collection(KEY, "b") + tf.global_variables("gs")
                second = tf.train.Saver(var_list=var_list)
                second.restore(sess, B)
        """
        after = """
            import tensorflow as tf
            def load(sess):
                var_list = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "a")
                first = tf.train.Checkpoint(**{v.op.name: v for v in var_list})
                first.read(A).run_restore_ops(sess)
                with tf.device("/cpu:0"):
                    var_list = tf.get_collection(KEY, "b") + tf.global_variables("gs")
                second = tf.train.Checkpoint(**{v.op.name: v for v in var_list})
                second.read(B).run_restore_ops(sess)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_name_changed_in_between_is_refused(self) -> None:
        """A mention of the name between its assignment and the Saver (here a mutation) stops
        the read-through: the list may no longer be what was assigned."""
        before = """
            import tensorflow as tf
            def load(sess):
                var_list = tf.trainable_variables()
                var_list.append(extra)
                saver = tf.train.Saver(var_list=var_list)
                saver.restore(sess, A)
                var_list = tf.global_variables()
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_VARLIST"]

    def test_ema_variables_to_restore_becomes_a_keyed_restore(self) -> None:
        """`ema.variables_to_restore()` (through a name, from inside a `with`) is a dict of
        variables by TF1 name; restore-only, it reads each key as literal dicts do."""
        before = """
            import tensorflow as tf
            with tf.device("/cpu:0"):
                ema = tf.train.ExponentialMovingAverage(0.99)
                to_restore = ema.variables_to_restore()
            saver = tf.train.Saver(to_restore)
            shadow = tf.train.Saver({ema.average_name(v): v for v in tf.trainable_variables()})
            with tf.Session() as sess:
                saver.restore(sess, CKPT)
                shadow.restore(sess, CKPT)
        """
        after = """
            import tensorflow as tf
            with tf.device("/cpu:0"):
                ema = tf.train.ExponentialMovingAverage(0.99)
                to_restore = ema.variables_to_restore()
            saver = to_restore
            shadow = {ema.average_name(v): v for v in tf.trainable_variables()}
            with tf.Session() as sess:
                sess.run([var.assign(tf.train.load_variable(CKPT, key)) for key, var in \\
                    saver.items()])
                sess.run([var.assign(tf.train.load_variable(CKPT, key)) for key, var in \\
                    shadow.items()])
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_keyed_restore_in_a_module_that_saves_is_refused(self) -> None:
        """This module's rewritten saves write object-based keys the EMA names do not match;
        so does a module already holding a Checkpoint (a second run must agree)."""
        for saving in ('tf.train.Saver().save(sess, "p")', "ckpt = tf.train.Checkpoint(v=v)"):
            before = f"""
                import tensorflow as tf
                ema = tf.train.ExponentialMovingAverage(0.99)
                saver = tf.train.Saver(ema.variables_to_restore())
                saver.restore(sess, CKPT)
                {saving}
            """
            outcome = self.rewrite(before)
            assert "SAVER_VARLIST" in [f.code for f in outcome.findings]
            assert "tf.train.Saver(ema.variables_to_restore())" in outcome.code

    def test_variables_to_restore_of_something_else_is_refused(self) -> None:
        """Only an ExponentialMovingAverage's variables_to_restore() is known to be a dict."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver(net.variables_to_restore())
            saver.restore(sess, CKPT)
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_VARLIST"]
