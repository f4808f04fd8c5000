"""saver_to_checkpoint: Savers handed to module-level helpers that only save/restore."""

from __future__ import annotations

from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from tests.codemods.codemod_test import CodemodTest

_HELPER = """
import tensorflow as tf

def load(saver, sess, path):
    saver.restore(sess, path)

def main(sess):
    saver = tf.train.Saver([w])
    load(saver, sess, PATH)
"""


class TestSaverHandoff(CodemodTest):
    TRANSFORM = SaverToCheckpoint

    def test_helper_uses_become_uses_of_the_saver(self) -> None:
        """The helper's `saver.restore` is rewritten with the parameter as owner."""
        outcome = self.rewrite(_HELPER)
        assert outcome.findings == ()
        assert "saver.read(path).run_restore_ops(sess)" in outcome.code
        assert "saver = tf.train.Checkpoint(w=w)" in outcome.code

    def test_helper_that_escapes_is_refused(self) -> None:
        """Any other use: another argument, the parameter used otherwise, the helper held as
        a value, or a helper that is a method: the Saver keeps its TODO."""
        for change in (
            ("load(saver, sess, PATH)", "load(saver, sess, PATH)\n    load(other, sess, PATH)"),
            ("saver.restore(sess, path)", "saver.restore(sess, path)\n    keep(saver)"),
            ("load(saver, sess, PATH)", "load(saver, sess, PATH)\n    hooks = [load]"),
            ("def load(saver, sess, path):", "def load(saver, sess, path, *rest):"),
        ):
            code = _HELPER.replace(*change)
            outcome = self.rewrite(code)
            assert [f.code for f in outcome.findings] == ["SAVER_ESCAPES"], change
            assert "saver.restore(sess, path)" in outcome.code, change

    def test_two_savers_through_one_helper_are_refused(self) -> None:
        """A helper that receives two Savers would need both rewritten the same way."""
        code = _HELPER.replace(
            "load(saver, sess, PATH)",
            "load(saver, sess, PATH)\n    other = tf.train.Saver([b])\n    load(other, sess, PATH)",
        )
        outcome = self.rewrite(code)
        assert sorted(f.code for f in outcome.findings) == ["SAVER_ESCAPES", "SAVER_ESCAPES"]
