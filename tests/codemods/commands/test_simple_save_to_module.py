"""simple_save_to_module as before/after strings, and the sites it must refuse."""

from __future__ import annotations

import textwrap

import pytest

from codemods.commands._export.live_template import live_export_source
from codemods.commands.simple_save_to_module import SimpleSaveToModule
from codemods.engine.rewrite import rewrite_code
from tests.codemods.codemod_test import CodemodTest, fixture

HEAD = """
import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
w = tf.compat.v1.get_variable("w", [2])
"""


class TestSimpleSaveToModule(CodemodTest):
    TRANSFORM = SimpleSaveToModule

    def test_no_change_for_tf2_code_and_lookalikes(self) -> None:
        """tf.saved_model.save and a non-TF simple_save are left alone."""
        code = """
            import tensorflow as tf
            from mylib import simple_save
            tf.saved_model.save(module, "/m")
            simple_save(sess, "/m", inputs={"x": x}, outputs={"y": y})
        """
        self.assertCodemod(code, code, expected_warnings=[])

    def test_internal_import_form_and_session_made_default(self) -> None:
        """`simple_save.simple_save` from tensorflow.python resolves; a non-default session is
        wrapped."""
        before = """
            import tensorflow.compat.v1 as tf
            from tensorflow.python.saved_model import simple_save

            tf.disable_v2_behavior()
            x = tf.placeholder(tf.float32, [None], name="x")
            y = x * 2.0


            def export(sess, path):
                simple_save.simple_save(sess, path, {"x": x}, {"y": y})
        """
        after = """
            import tensorflow.compat.v1 as tf
            from tensorflow.python.saved_model import simple_save
            import tensorflow as tf2

            tf.disable_v2_behavior()
            tf.enable_resource_variables()  # tf.saved_model.save needs resource variables
            x = tf.placeholder(tf.float32, [None], name="x")
            y = x * 2.0


            def export(sess, path):

                class ExportModule(tf2.Module):
                    \"\"\"The TF1 export as a tf.Module (tf-migrate): each signature is a \\
                        tf.function.\"\"\"

                    def __init__(self):
                        super().__init__()
                        # The trained TF1 variables, tracked under their TF1 names.
                        self.tf1_variables = {v.op.name: v for v in tf.global_variables()}

                    @tf2.function(input_signature=[tf2.TensorSpec([None], tf2.float32, name="x")])
                    def serving_default(self, x):
                        y = x * 2.0
                        return {"y": y}

                export_module = ExportModule()
                with sess.as_default():
                    tf2.saved_model.save(export_module, path, signatures={
                        "serving_default": export_module.serving_default,
                    })
        """
        self.assertCodemod(before, after, expected_warnings=[])


def _refused(body: str) -> tuple[str, list[str]]:
    code = textwrap.dedent(HEAD) + textwrap.dedent(body)
    outcome = rewrite_code(code, (SimpleSaveToModule,))
    assert outcome.applied == ()
    stripped = "\n".join(
        line for line in outcome.code.splitlines() if "TODO(tf-migrate)" not in line
    )
    assert stripped == code.rstrip("\n") or stripped + "\n" == code, (
        "refused site must stay unchanged"
    )
    return outcome.code, [f.code for f in outcome.findings]


@pytest.mark.parametrize(
    "body,code",
    [
        (
            'y = tf.identity(x)\nsave_inputs = {"x": x}\nsave_inputs["w"] = w\n'
            'tf.compat.v1.saved_model.simple_save(s, "/m", save_inputs, {"y": y})\n',
            "EXPORT_SIGNATURES",
        ),
        (
            'tf.compat.v1.saved_model.simple_save(s, "/m", {"x": tf.identity(x)}, {"y": x})\n',
            "EXPORT_INPUT",
        ),
        (
            'y = x * w\ny = y + 1.0\ntf.compat.v1.saved_model.simple_save(s, "/m", {"x": x}, {"y": '
            "y})\n",
            "EXPORT_SLICE",
        ),
        (
            'if w is not None:\n    y = x * w\ntf.compat.v1.saved_model.simple_save(s, "/m", {"x": '
            'x}, {"y": y})\n',
            "EXPORT_SLICE",
        ),
        (
            'with tf.compat.v1.variable_scope("head"):\n    y = tf.compat.v1.layers.dense(x, 1)\n'
            'tf.compat.v1.saved_model.simple_save(s, "/m", {"x": x}, {"y": y})\n',
            "EXPORT_SLICE",
        ),
        (
            'k = tf.compat.v1.placeholder(tf.float32, [], name="k")\ny = x * k\n'
            'tf.compat.v1.saved_model.simple_save(s, "/m", {"x": x}, {"y": y})\n',
            "EXPORT_INPUT",
        ),
        (  # dynamic_rnn_cond: a dropout switch no signature feeds
            "training = tf.compat.v1.placeholder_with_default(False, [])\n"
            "y = tf.cond(training, lambda: x * 0.5, lambda: x) * w\n"
            'tf.compat.v1.saved_model.simple_save(s, "/m", {"x": x}, {"y": y})\n',
            "EXPORT_INPUT",
        ),
        (
            'y = x * w\ntf.compat.v1.saved_model.simple_save(s, "/m", {"x": x}, {"y": y}, '
            "legacy_init_op=tf.group(w.initializer))\n",
            "EXPORT_INIT_OP",
        ),
    ],
    ids=[
        "mutated-map",
        "input-not-placeholder",
        "reassigned",
        "conditional",
        "variable-scope",
        "unfed-placeholder",
        "unfed-placeholder-with-default",
        "init-op",
    ],
)
def test_unclear_sites_take_the_live_export(body: str, code: str) -> None:
    """Each statically unclear shape (once a TODO `code`): the callee becomes simple_save_tf2,
    the block is inserted once after the imports, nothing else changes, a rerun is a no-op."""
    outcome = rewrite_code(textwrap.dedent(HEAD) + body, (SimpleSaveToModule,))
    assert outcome.findings == () and outcome.applied == ("simple_save_to_module",)
    block = "\n" + live_export_source() + "\n"
    assert outcome.code.count(block) == 1
    assert outcome.code.index(block) == len("\nimport tensorflow as tf\n")
    original = textwrap.dedent(HEAD) + body
    swapped = original.replace("tf.compat.v1.saved_model.simple_save(", "simple_save_tf2(")
    assert outcome.code.replace(block, "", 1) == swapped
    assert rewrite_code(outcome.code, (SimpleSaveToModule,)).code == outcome.code


def test_block_goes_after_guarded_imports_and_taken_names_keep_a_todo() -> None:
    """try/except imports count as imports; a module already binding simple_save_tf2 gets a
    TODO instead of a second definition."""
    code = fixture("""
        \"\"\"Doc.\"\"\"
        try:
            import tensorflow.compat.v1 as tf
        except ImportError:
            import tensorflow as tf
        CONFIG = 1


        def export(sess, inputs, outputs):
            tf.saved_model.simple_save(sess, "/m", inputs, outputs)
    """)
    out = rewrite_code(code, (SimpleSaveToModule,)).code
    assert out.index("import tensorflow as _live_tf") > out.index("import tensorflow as tf")
    assert out.index("CONFIG = 1") > out.index("def simple_save_tf2")
    assert "    simple_save_tf2(sess, " in out
    taken = code + "\n\ndef simple_save_tf2():\n    pass\n"
    outcome = rewrite_code(taken, (SimpleSaveToModule,))
    assert [f.code for f in outcome.findings] == ["EXPORT_SIGNATURES"]
    assert "_live_tf" not in outcome.code


def test_tensorflow_imported_lazily_keeps_a_todo() -> None:
    """TF imported only inside a function (kept optional on purpose): inserting the block
    would import it at module import, so the site gets a TODO and stays TF1."""
    code = fixture("""
        def export(sess, inputs, outputs):
            import tensorflow as tf
            tf.saved_model.simple_save(sess, "/m", inputs, outputs)
    """)
    outcome = rewrite_code(code, (SimpleSaveToModule,))
    assert [f.code for f in outcome.findings] == ["EXPORT_SIGNATURES"]
    assert "not imported at the top" in outcome.code and "_live_tf" not in outcome.code


def test_tables_move_into_the_module_with_an_asset() -> None:
    """A file-backed lookup table is rebuilt in __init__ from a tf.saved_model.Asset."""
    code = textwrap.dedent(HEAD) + fixture("""
        words = tf.compat.v1.placeholder(tf.string, [None], name="words")
        vocab_path = "/data/vocab.txt"
        table = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(vocab_path, tf.string, \\
            -2, tf.int64, -1), -1)
        ids = table.lookup(words)
        tf.compat.v1.saved_model.simple_save(s, "/m", {"words": words}, {"ids": ids})
    """)
    out = rewrite_code(code, (SimpleSaveToModule,)).code
    assert "self.vocab_path = tf.saved_model.Asset(vocab_path)" in out
    assert (
        "self.table = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(self.vocab_path,"
        in out
    )
    assert "ids = self.table.lookup(words)" in out
