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

    def test_dict_saver_restore_needs_plain_keys_and_pure_path(self) -> None:
        """A computed value, a `:0` key or a path with side effects keep the Saver."""
        for saver_args, path, code in (
            ('{"a": vs[0]}', "p", "SAVER_DICT_KEYS"),
            ('{"a:0": w}', "p", "SAVER_DICT_KEYS"),
            ('{"a": w}', "next_path()", "SAVER_PATH"),
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

    def test_monitored_or_unknown_session_is_refused(self) -> None:
        """A MonitoredTrainingSession is never the default session and has no as_default();
        a session parameter may be one."""
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
