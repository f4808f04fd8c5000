"""saver_to_checkpoint: which Saver a use belongs to, sessions, computed var lists."""

from __future__ import annotations

from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from tests.codemods.codemod_test import CodemodTest

AMBIGUOUS = "SAVER_ESCAPES: the name is reassigned on another path; give each Saver its own name"


class TestSaverProgramOrder(CodemodTest):
    """Each use belongs to the assignment that reaches it; unproven ones keep the Saver."""

    TRANSFORM = SaverToCheckpoint

    def test_two_graphs_one_after_another(self) -> None:
        """Issue 15's crash: the first save goes with the first Saver, not the last one."""
        before = """
            import tensorflow as tf
            with tf.Graph().as_default():
                saver = tf.train.Saver([a], pad_step_number=True)
                with tf.Session() as sess:
                    saver.save(sess, "a")
            with tf.Graph().as_default():
                saver = tf.train.Saver([b])
                with tf.Session() as sess:
                    saver.save(sess, "b")
        """
        warning = "SAVER_ARGS: no Checkpoint equivalent for pad_step_number"
        after = f"""
            import tensorflow as tf
            with tf.Graph().as_default():
                # TODO(tf-migrate): {warning}
                saver = tf.train.Saver([a], pad_step_number=True)
                with tf.Session() as sess:
                    saver.save(sess, "a")
            with tf.Graph().as_default():
                saver = tf.train.Checkpoint(b=b)
                with tf.Session() as sess:
                    saver.write("b")
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_rebound_to_something_else(self) -> None:
        """After `saver = Other()` the name is no Saver: that call is left alone."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            with tf.Session() as sess:
                saver.restore(sess, "p")
                saver = Other()
                saver.save(sess, "q")
        """
        after = """
            import tensorflow as tf
            saver = tf.train.Checkpoint(w=w)
            with tf.Session() as sess:
                saver.read("p").run_restore_ops(sess)
                saver = Other()
                saver.save(sess, "q")
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_branches_are_not_proven(self) -> None:
        """A use after an if/else that assigns on both arms: every Saver keeps a TODO."""
        before = """
            import tensorflow as tf
            if fine_tune:
                saver = tf.train.Saver([w])
            else:
                saver = tf.train.Saver([w, b])
            with tf.Session() as sess:
                saver.restore(sess, "p")
        """
        after = f"""
            import tensorflow as tf
            if fine_tune:
                # TODO(tf-migrate): {AMBIGUOUS}
                saver = tf.train.Saver([w])
            else:
                # TODO(tf-migrate): {AMBIGUOUS}
                saver = tf.train.Saver([w, b])
            with tf.Session() as sess:
                saver.restore(sess, "p")
        """
        self.assertCodemod(before, after, expected_warnings=[AMBIGUOUS, AMBIGUOUS])

    def test_loop_back_edge_is_not_proven(self) -> None:
        """In a loop, a use before the reassignment may see the previous iteration's object."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w])
            for path in paths:
                with tf.Session() as sess:
                    saver.restore(sess, path)
                saver = make_saver()
        """
        after = f"""
            import tensorflow as tf
            # TODO(tf-migrate): {AMBIGUOUS}
            saver = tf.train.Saver([w])
            for path in paths:
                with tf.Session() as sess:
                    saver.restore(sess, path)
                saver = make_saver()
        """
        self.assertCodemod(before, after, expected_warnings=[AMBIGUOUS])

    def test_self_attribute_assigned_in_two_methods(self) -> None:
        """`self.saver` set in two methods and used in a third: order is unknown."""
        before = """
            import tensorflow as tf
            class Model:
                def build(self):
                    self.saver = tf.train.Saver([w])
                def rebuild(self):
                    self.saver = tf.train.Saver([w, b])
                def load(self, sess):
                    self.saver.restore(sess, "p")
        """
        after = f"""
            import tensorflow as tf
            class Model:
                def build(self):
                    # TODO(tf-migrate): {AMBIGUOUS}
                    self.saver = tf.train.Saver([w])
                def rebuild(self):
                    # TODO(tf-migrate): {AMBIGUOUS}
                    self.saver = tf.train.Saver([w, b])
                def load(self, sess):
                    self.saver.restore(sess, "p")
        """
        self.assertCodemod(before, after, expected_warnings=[AMBIGUOUS, AMBIGUOUS])

    def test_none_placeholder_then_saver(self) -> None:
        """`self.saver = None` in __init__ does not hide the one Saver assigned later."""
        before = """
            import tensorflow as tf
            class Model:
                def __init__(self):
                    self.saver = None
                def build(self):
                    self.saver = tf.train.Saver([w])
                def load(self, sess):
                    self.saver.restore(sess, "p")
        """
        after = """
            import tensorflow as tf
            class Model:
                def __init__(self):
                    self.saver = None
                def build(self):
                    self.saver = tf.train.Checkpoint(w=w)
                def load(self, sess):
                    self.saver.read("p").run_restore_ops(sess)
        """
        self.assertCodemod(before, after, expected_warnings=[])


class TestSaverSessionsAndVarLists(CodemodTest):
    TRANSFORM = SaverToCheckpoint

    def test_get_default_session_is_the_default(self) -> None:
        before = """
            import tensorflow as tf
            saver = tf.train.Saver(tf.trainable_variables())
            saver.save(tf.get_default_session(), "p")
        """
        after = """
            import tensorflow as tf
            saver = tf.train.Checkpoint(**{v.op.name: v for v in tf.trainable_variables()})
            saver.write("p")
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_var_list_through_a_name_assigned_once(self) -> None:
        """`restore = slim.get_variables_to_restore(...)` then `Saver(restore)`: followed."""
        before = """
            import tensorflow as tf
            import tensorflow.contrib.slim as slim
            restore = slim.get_variables_to_restore(exclude=["logits"])
            loader = tf.train.Saver(var_list=restore)
            loader.restore(sess, path)
        """
        after = """
            import tensorflow as tf
            import tensorflow.contrib.slim as slim
            restore = slim.get_variables_to_restore(exclude=["logits"])
            loader = tf.train.Checkpoint(**{v.op.name: v for v in restore})
            loader.read(path).run_restore_ops(sess)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_mutated_var_list_name_is_not_followed(self) -> None:
        """`variables.append(extra)` may add anything: the Saver keeps its TODO."""
        before = """
            import tensorflow as tf
            variables = tf.trainable_variables()
            variables.append(extra)
            loader = tf.train.Saver(variables)
            loader.restore(sess, path)
        """
        warning = (
            "SAVER_VARLIST: the variable set is computed at run time; list the variables explicitly"
        )
        after = f"""
            import tensorflow as tf
            variables = tf.trainable_variables()
            variables.append(extra)
            # TODO(tf-migrate): {warning}
            loader = tf.train.Saver(variables)
            loader.restore(sess, path)
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_collection_reads_elsewhere_are_untouched(self) -> None:
        """Nothing changes where no Saver is built, whatever var lists the code computes."""
        code = """
            import tensorflow as tf
            train_vars = [v for v in tf.trainable_variables() if "bias" not in v.name]
            optimizer.minimize(loss, var_list=train_vars)
        """
        self.assertCodemod(code, code, expected_warnings=[])

    def test_saver_built_only_to_restore_once(self) -> None:
        """`tf.train.Saver().restore(sess, p)` / `.save(sess, p)`: no name to track, and
        nothing else reaches it (the `with` made `sess` the default for the save)."""
        before = """
            import tensorflow as tf
            with tf.Session() as sess:
                tf.train.Saver([w]).restore(sess, path)
                tf.train.Saver([w]).save(sess, path)
        """
        after = """
            import tensorflow as tf
            with tf.Session() as sess:
                tf.train.Checkpoint(w=w).read(path).run_restore_ops(sess)
                tf.train.Checkpoint(w=w).write(path)
        """
        self.assertCodemod(before, after, expected_warnings=[])
