"""Focused transforms: skip subtrees the codemod does not act on, and change nothing else."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext

from codemods.analysis.names import AliasTable
from codemods.analysis.scopes import BindingTracker
from codemods.commands.registry import CODEMODS
from codemods.commands.saver_to_checkpoint import SaverToCheckpoint
from codemods.engine.rewrite import rewrite_code
from tests.codemods.conftest import corpus_cases

INPUTS = [p / "before.py" for p in corpus_cases() if (p / "before.py").is_file()]

UNRELATED = "\n".join(
    f"    total_{i} = sum(x * {i} for x in range(n)) + len(str(n))" for i in range(200)
)
SOURCE = f"""import tensorflow as tf


def unrelated(n):
{UNRELATED}
    return n


def train(sess, path):
    saver = tf.train.Saver()
    saver.restore(sess, path)
"""


class CountingSaver(SaverToCheckpoint):
    visited = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        type(self).visited += 1
        return super().on_visit(node)


def test_transform_skips_functions_without_a_site() -> None:
    CountingSaver.visited = 0
    module = cst.parse_module(SOURCE)
    result = CountingSaver(CodemodContext()).transform_module(module)
    assert "tf.train.Checkpoint" in result.code
    assert "total_199 = sum(x * 199" in result.code  # the skipped function is kept as it was
    # The unrelated function alone holds thousands of nodes; the focused walk enters the
    # module, `train` and the two rewritten statements, not `unrelated`'s body.
    assert CountingSaver.visited < 100


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_focus_changes_no_output(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = path.read_text(encoding="utf-8")
    commands = tuple(CODEMODS.values())
    focused = rewrite_code(code, commands)
    for command in commands:
        monkeypatch.setattr(command, "focus", lambda self: None)
    everything = rewrite_code(code, commands)
    assert focused.code == everything.code
    assert focused.findings == everything.findings


class CountingTracker(BindingTracker):
    names = 0

    def visit_Name(self, node: cst.Name) -> None:
        type(self).names += 1
        super().visit_Name(node)


def test_binding_tracker_skips_functions_without_the_factory_or_its_names() -> None:
    module = cst.parse_module(SOURCE)
    CountingTracker.names = 0
    command = SaverToCheckpoint(CodemodContext())
    command.aliases = AliasTable.from_module(module)
    bindings = CountingTracker(module, command._is_saver).run()  # noqa: SLF001
    assert [key[1] for key in bindings] == ["saver"]  # (scope, name, program position)
    assert [use.method for binding in bindings.values() for use in binding.uses] == ["restore"]
    assert CountingTracker.names < 50  # `unrelated` alone has over a thousand names
