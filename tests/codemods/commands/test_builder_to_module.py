"""builder_to_module: what it rewrites, and the builders it must leave alone."""

from __future__ import annotations

import textwrap

import pytest

from codemods.commands._export.live_template import BUILDER, live_export_source
from codemods.commands.builder_to_module import BuilderToModule
from codemods.engine.rewrite import rewrite_code

HEAD = """
import tensorflow.compat.v1 as tf

x = tf.placeholder(tf.float32, [None, 2], name="x")
y = tf.reduce_sum(x, axis=1)
"""


def _rewrite(body: str) -> tuple[str, list[str], tuple[str, ...]]:
    outcome = rewrite_code(textwrap.dedent(HEAD) + textwrap.dedent(body), (BuilderToModule,))
    return outcome.code, [f.code for f in outcome.findings], outcome.applied


def test_no_change_without_a_builder() -> None:
    """Code without SavedModelBuilder (a lookalike `Builder` included) is not touched."""
    code = textwrap.dedent(HEAD) + "from mylib import Builder\nb = Builder('/m')\nb.save()\n"
    assert rewrite_code(code, (BuilderToModule,)).code == code


def test_builder_statements_go_and_signature_constants_become_tf2_names() -> None:
    """Constructor, signature variables and save() disappear; keys/tags use tf.saved_model names."""
    code, codes, applied = _rewrite("""
        with tf.Session() as sess:
            builder = tf.saved_model.builder.SavedModelBuilder("/m")
            signature = tf.saved_model.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
            builder.add_meta_graph_and_variables(
                sess, [tf.saved_model.tag_constants.SERVING],
                signature_def_map={
                    tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature
                },
                clear_devices=True, strip_default_attrs=True, main_op=tf.tables_initializer(),
            )
            builder.save(as_text=False)
    """)
    assert applied == ("builder_to_module",) and codes == []
    assert "builder" not in code and "signature =" not in code
    assert (
        "tf2.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: export_module.serving_default" in code
    )
    assert 'tf2.TensorSpec([None, 2], tf2.float32, name="x")' in code


def test_classify_and_regress_keep_their_method_names() -> None:
    """TF2 writes predict; the rewrite adds a MethodNameUpdater step for Classify/Regress."""
    code, codes, _ = _rewrite("""
        with tf.Session() as sess:
            builder = tf.saved_model.Builder(EXPORT_DIR)
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={
                "c": tf.saved_model.classification_signature_def(x, None, y),
                "r": tf.saved_model.regression_signature_def(examples=x, predictions=y),
            })
            builder.save()
    """)
    assert codes == []
    assert "method_names = tf.saved_model.signature_def_utils.MethodNameUpdater(EXPORT_DIR)" in code
    assert 'method_names.replace_method_name("c", tf2.saved_model.CLASSIFY_METHOD_NAME)' in code
    assert 'method_names.replace_method_name("r", tf2.saved_model.REGRESS_METHOD_NAME)' in code
    assert "return {tf2.saved_model.CLASSIFY_OUTPUT_SCORES: y}" in code


def test_two_tag_sets_merge_with_a_note() -> None:
    """add_meta_graph's signatures join the module; the note says TF2 has one 'serve' MetaGraph."""
    code, codes, _ = _rewrite("""
        with tf.Session() as sess:
            builder = tf.saved_model.Builder("/m")
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={
                "a": tf.saved_model.predict_signature_def({"x": x}, {"y": y})})
            builder.add_meta_graph(["serve", "gpu"], signature_def_map={
                "b": tf.saved_model.predict_signature_def({"x": x}, {"y": y})})
            builder.save()
    """)
    assert codes == []
    assert (
        "TF2 writes one MetaGraph tagged 'serve' (TF1 tag-sets: [['serve'], ['serve', 'gpu']])"
        in code
    )
    assert '"a": export_module.a' in code and '"b": export_module.b' in code


@pytest.mark.parametrize(
    "body",
    [
        'b = tf.saved_model.Builder("/m")\nwith tf.Session() as s:\n    '
        'b.add_meta_graph_and_variables(s, ["serve"], '
        '{"k": tf.saved_model.predict_signature_def({"x": x}, {"y": y})}, '
        "saver=tf.train.Saver())\n    b.save()\n",
        'b = tf.saved_model.Builder("/m")\nregister(b)\n',
        'tf.saved_model.Builder("/m").save()\n',
        'b = tf.saved_model.Builder("/m")\nwith tf.Session() as s:\n    '
        "b.add_meta_graph_and_variables(s, TAGS, "
        '{"k": tf.saved_model.predict_signature_def({"x": x}, {"y": y})})\n    b.save()\n',
        'b = tf.saved_model.Builder("/m")\nwith tf.Session() as s:\n    '
        'b.add_meta_graph_and_variables(s, ["serve"], '
        '{"k": tf.saved_model.predict_signature_def({"x": x}, {"y": y})})\n    '
        'b.add_meta_graph(["gpu"], '
        '{"k": tf.saved_model.predict_signature_def({"x": x}, {"y": x})})\n    b.save()\n',
        'b = tf.saved_model.Builder("/m")\nwith tf.Session() as s:\n    '
        'b.add_meta_graph_and_variables(s, ["serve"], '
        '{"k": tf.saved_model.predict_signature_def({"x": x}, {"y": y})}, '
        "main_op=tf.saved_model.main_op.main_op())\n"
        "    b.save()\n",
        'b = tf.saved_model.Builder("/a")\nb = tf.saved_model.Builder("/b")\nb.save()\n',
    ],
    ids=[
        "saver-arg",
        "escapes",
        "untracked",
        "dynamic-tags",
        "conflicting-tag-sets",
        "main-op-reinitializes",
        "bound-twice",
    ],
)
def test_unclear_builders_take_the_live_export(body: str) -> None:
    """Builders the planner cannot prove: every constructor becomes SavedModelBuilderTF2, the
    block is inserted once after the imports, nothing else changes, a rerun is a no-op."""
    text, codes, applied = _rewrite(body)
    assert codes == [] and applied == ("builder_to_module",)
    block = "\n" + live_export_source() + "\n"
    assert text.count(block) == 1
    original = textwrap.dedent(HEAD) + body
    assert text.replace(block, "", 1) == original.replace("tf.saved_model.Builder(", BUILDER + "(")
    assert rewrite_code(text, (BuilderToModule,)).code == text


@pytest.mark.parametrize(
    "body",
    [
        'class Mine(tf.saved_model.Builder):\n    pass\nb = tf.saved_model.Builder("/m")\n',
        'b = tf.saved_model.Builder("/m")\nassert isinstance(b, tf.saved_model.Builder)\n',
        'b = tf.saved_model.Builder("/m")\nb._save_and_write_assets(None)\nb.save()\n',
        'b = tf.saved_model.Builder("/m")\nprint(b._export_dir)\nb.save()\n',
    ],
    ids=["subclassed", "isinstance", "private-method", "private-attribute"],
)
def test_builders_no_drop_in_can_replace_get_a_todo(body: str) -> None:
    """The class subclassed/referenced or private members used: TODO, code unchanged."""
    text, codes, applied = _rewrite(body)
    assert applied == () and codes == ["EXPORT_BUILDER"]
    original = textwrap.dedent(HEAD) + body
    assert "\n".join(
        line for line in text.splitlines() if "TODO(tf-migrate)" not in line
    ) == original.rstrip("\n")
