"""Each text is parsed with `ast` once, however many parts of a rewrite ask about it."""

from __future__ import annotations

import ast

import pytest

from codemods.batch.runner import Options, process_bytes
from codemods.commands.registry import CODEMODS
from codemods.engine import python_ast

SOURCE = """import tensorflow as tf

w = tf.Variable(1.0, name="w")
saver = tf.train.Saver(var_list=[w])
with tf.Session() as sess:
    saver.save(sess, "/tmp/model.ckpt")
    saver.save(sess, path_from(sess), latest_filename=name)
"""


def test_same_text_same_tree_and_same_error() -> None:
    code = "x = 1\n"
    assert python_ast.parse(code) is python_ast.parse("".join(["x = 1", "\n"]))
    with pytest.raises(SyntaxError) as first:
        python_ast.parse("def f(:\n")
    with pytest.raises(SyntaxError) as second:
        python_ast.parse("def f(:\n")
    assert first.value.lineno == second.value.lineno == 1
    assert python_ast.parse("y = 2\n") is not python_ast.parse(code)  # two texts kept


def test_a_rewrite_parses_source_and_output_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions, the reparse check and the per-API count before and after share two parses."""
    parsed: list[str] = []
    real = ast.parse

    def counting(code: str, *args: object, **kwargs: object) -> ast.Module:
        parsed.append(code)
        return real(code)

    monkeypatch.setattr(python_ast.ast, "parse", counting)
    result = process_bytes(SOURCE.encode(), "m.py", Options(commands=tuple(CODEMODS.values())))
    assert result.status == "changed" and result.findings  # converted one save, a TODO too
    assert len(parsed) == len(set(parsed)) == 2
    assert SOURCE in parsed
