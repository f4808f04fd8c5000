"""Subtree queries answered from the module index must equal a walk of the subtree."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.engine import node_index
from codemods.engine.node_index import find_all
from codemods.engine.traverse import TRIVIA
from tests.codemods.conftest import CORPUS

SOURCES = sorted(CORPUS.rglob("before.py"))
KINDS: tuple[type[cst.CSTNode], ...] = (
    cst.Name,
    cst.Call,
    cst.Assign,
    cst.AssignTarget,
    cst.FunctionDef,
    cst.Attribute,
    cst.Param,
    cst.With,
)


def _walked(node: cst.CSTNode, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
    return node_index._walk(node, frozenset({kind}), TRIVIA)  # noqa: SLF001


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_subtree_queries_equal_a_walk(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    subtrees = [
        node
        for kind in (cst.FunctionDef, cst.ClassDef, cst.If, cst.With, cst.Call, cst.IndentedBlock)
        for node in find_all(module, kind)  # builds the module's index
    ]
    assert node_index._LAST[0].module is module  # noqa: SLF001
    for subtree in subtrees:
        for kind in KINDS:
            got = find_all(subtree, kind)
            want = _walked(subtree, kind)
            assert [id(n) for n in got] == [id(n) for n in want]


def test_a_tree_reusing_a_node_object_is_walked() -> None:
    """A node object that occurs twice has two preorder numbers: the index cannot slice."""
    call = cst.parse_expression("f(x)")
    module = cst.Module(
        body=[cst.SimpleStatementLine([cst.Expr(call)]), cst.SimpleStatementLine([cst.Expr(call)])]
    )
    assert len(find_all(module, cst.Call)) == 2
    statement = module.body[0]
    assert find_all(statement, cst.Name) == _walked(statement, cst.Name)
    assert [n.value for n in find_all(statement, cst.Name)] == ["f", "x"]


def test_a_node_of_another_tree_is_walked() -> None:
    indexed = cst.parse_module("def f(a):\n    return g(a)\n")
    find_all(indexed, cst.Name)
    other = cst.parse_module("def h(b):\n    return b\n").body[0]
    assert [n.value for n in find_all(other, cst.Name)] == ["h", "b", "b"]
