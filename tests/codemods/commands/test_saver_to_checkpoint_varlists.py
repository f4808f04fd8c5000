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

    def test_dict_built_from_a_collection_loop_restores_key_by_key(self) -> None:
        """`{}` filled only with loop variables over a collection read is a dict of variables;
        `reshape=True` reshapes each value like that Saver's restore ops, and a path with
        side effects is read once through one checkpoint reader."""
        before = """
            import tensorflow as tf
            variable_map = {}
            for variable in tf.global_variables():
                if variable.name.startswith("RGB"):
                    variable_map[variable.name.replace(":0", "")] = variable
            saver = tf.train.Saver(var_list=variable_map, reshape=True)
            with tf.Session() as sess:
                saver.restore(sess, PATHS[kind])
        """
        after = """
            import tensorflow as tf
            variable_map = {}
            for variable in tf.global_variables():
                if variable.name.startswith("RGB"):
                    variable_map[variable.name.replace(":0", "")] = variable
            saver = variable_map
            with tf.Session() as sess:
                sess.run([var.assign(tf.reshape(reader.get_tensor(key), var.shape)) for reader \\
                    in [tf.train.load_checkpoint(PATHS[kind])] for key, var in saver.items()])
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_list_built_from_variables_becomes_a_checkpoint(self) -> None:
        """`[]` filled with `tf.get_variable(...)` results holds graph variables only."""
        before = """
            import tensorflow as tf
            nodes = []
            for name, array in arrays.items():
                node = tf.get_variable(name, shape=array.shape)
                nodes.append(node)
            saver = tf.train.Saver(nodes)
            with tf.Session() as sess:
                saver.save(sess, PATH)
        """
        after = """
            import tensorflow as tf
            nodes = []
            for name, array in arrays.items():
                node = tf.get_variable(name, shape=array.shape)
                nodes.append(node)
            saver = tf.train.Checkpoint(**{v.op.name: v for v in nodes})
            with tf.Session() as sess:
                saver.write(PATH)
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_builders_with_other_elements_or_uses_are_refused(self) -> None:
        """An element that is not provably a variable, a loop that rebinds its target, or any
        other use of the name keeps the TODO."""
        for loop, after_loop in (
            ("    names.append(make())", ""),
            ("    names.append(v)\n    v = other", ""),
            ("    names.append(v)", "show(names)"),
            ("    names.append(v)", "names.sort()"),
        ):
            before = (
                "import tensorflow as tf\nnames = []\nfor v in tf.global_variables():\n"
                f"{loop}\n{after_loop}\nsaver = tf.train.Saver(names)\nsaver.restore(sess, P)\n"
            )
            outcome = self.rewrite(before)
            assert [f.code for f in outcome.findings] == ["SAVER_VARLIST"], (loop, after_loop)

    def test_reshape_stays_refused_for_checkpoint_savers(self) -> None:
        """Checkpoint.read cannot reshape: a list Saver with reshape=True keeps its TODO."""
        before = """
            import tensorflow as tf
            saver = tf.train.Saver([w], reshape=True)
            saver.restore(sess, P)
        """
        outcome = self.rewrite(before)
        assert [f.code for f in outcome.findings] == ["SAVER_ARGS"]

    def test_names_bound_to_each_other_do_not_loop(self) -> None:
        """`y = x; x = y`: following names stops (no RecursionError), the Saver keeps a TODO."""
        before = """
            import tensorflow as tf
            y = x
            x = y
            saver = tf.train.Saver(x)
            saver.restore(sess, P)
        """
        assert [f.code for f in self.rewrite(before).findings] == ["SAVER_VARLIST"]
