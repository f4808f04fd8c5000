"""`remove_queued_imports` must drop exactly what LibCST's `RemoveImportsVisitor` drops here.

Each case queues imports the way `saver_to_checkpoint` does and compares the result with
LibCST's own scope-analysis-based transform on the same tree.
"""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from codemods.engine.unused_imports import remove_queued_imports

Queued = tuple[str, str | None, str | None]

CASES: list[tuple[str, list[Queued]]] = [
    # unused after the rewrite: dropped, the statement with it
    ("from tensorflow.train import Saver\nx = 1\n", [("tensorflow.train", "Saver", None)]),
    # still read: kept
    ("from tensorflow.train import Saver\ns = Saver()\n", [("tensorflow.train", "Saver", None)]),
    # only an attribute or a keyword of that name: not a read, dropped
    (
        "from tensorflow.compat.v1 import train\nimport tensorflow as tf\n"
        "tf.train.get_global_step()\nf(train=1)\n",
        [("tensorflow.compat.v1", "train", None)],
    ),
    # one of several aliases, with comments and a trailing comma in parentheses
    (
        "from tensorflow.train import (\n    Saver,  # old\n    Checkpoint,  # new\n)\n"
        "c = Checkpoint()\n",
        [("tensorflow.train", "Saver", None)],
    ),
    (
        "from tensorflow.train import Checkpoint, Saver as S\nc = Checkpoint()\n",
        [("tensorflow.train", "Saver", "S")],
    ),
    # a module import with an alias, used only inside a function: kept
    (
        "import tensorflow.compat.v1.train as tr\ndef f():\n    return tr.Saver()\n",
        [("tensorflow.compat.v1.train", None, "tr")],
    ),
    (
        "import tensorflow.compat.v1.train as tr\nimport os\n",
        [("tensorflow.compat.v1.train", None, "tr")],
    ),
    # a nested import that is no longer used
    (
        "def f():\n    from tensorflow.train import Saver\n    return 1\n",
        [("tensorflow.train", "Saver", None)],
    ),
    # named in __all__: kept
    (
        "from tensorflow.train import Saver\n__all__ = ['Saver']\n",
        [("tensorflow.train", "Saver", None)],
    ),
    # something else is queued: nothing happens
    ("from tensorflow.train import Saver\n", [("tensorflow.other", "Saver", None)]),
]


def _context(queued: list[Queued]) -> CodemodContext:
    context = CodemodContext()
    for module, obj, asname in queued:
        RemoveImportsVisitor.remove_unused_import(context, module, obj, asname)
    return context


@pytest.mark.parametrize(("code", "queued"), CASES)
def test_same_result_as_libcst(code: str, queued: list[Queued]) -> None:
    expected = RemoveImportsVisitor(_context(queued)).transform_module(cst.parse_module(code))
    ours = remove_queued_imports(_context(queued), cst.parse_module(code))
    assert ours.code == expected.code


def test_drops_only_what_is_unused() -> None:
    code = "from tensorflow.train import Saver, Checkpoint\nc = Checkpoint()\n"
    queued: list[Queued] = [("tensorflow.train", "Saver", None)]
    result = remove_queued_imports(_context(queued), cst.parse_module(code))
    assert result.code == "from tensorflow.train import Checkpoint\nc = Checkpoint()\n"


def test_a_name_mentioned_in_a_string_is_kept() -> None:
    """Conservative where LibCST reads the string as an annotation: an unused import stays."""
    code = "from tensorflow.train import Saver\ndef f(s: 'Saver') -> None: ...\n"
    queued: list[Queued] = [("tensorflow.train", "Saver", None)]
    assert remove_queued_imports(_context(queued), cst.parse_module(code)).code == code
