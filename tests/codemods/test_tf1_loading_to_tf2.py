"""tf1_loading_to_tf2 as before/after strings (LibCST CodemodTest style)."""

from __future__ import annotations

from libcst.codemod import CodemodTest

from codemods.tf1_loading_to_tf2 import TF1LoadingToTF2


class TestTF1LoadingToTF2(CodemodTest):
    TRANSFORM = TF1LoadingToTF2

    def test_no_change_for_tf2_load(self) -> None:
        """TF2 tf.saved_model.load(dir) is already migrated."""
        code = """
            import tensorflow as tf
            model = tf.saved_model.load("/m")
        """
        self.assertCodemod(code, code, expected_warnings=[])

    def test_inline_signature_lookup(self) -> None:
        """Lookups written inline on signature_def still resolve; the session goes away."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                x = mg.signature_def["k"].inputs["x"].name
                y = mg.signature_def["k"].outputs["y"].name
                out = s.run(y, feed_dict={x: data})
        """
        after = """
            import tensorflow as tf
            mg = tf.saved_model.load(d, tags=["serve"])
            out = mg.signatures["k"](x=data)["y"].numpy()
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_extra_session_use_is_refused(self) -> None:
        """A session used for anything else keeps the block, with a TODO."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                s.run("init_all_tables")
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                s.run("init_all_tables")
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_non_serving_tags_are_refused(self) -> None:
        """Training tags would make TF2 load a different graph: refuse."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["train"], d)
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                mg = tf.compat.v1.saved_model.load(s, ["train"], d)
        """
        self.assertCodemod(before, after, expected_warnings=[warning])
