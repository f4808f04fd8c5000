"""The fast driver must be indistinguishable from LibCST's `node.visit` for our visitors."""

from __future__ import annotations

from functools import partial

import libcst as cst
import libcst.matchers as m
import pytest
from libcst.codemod import CodemodContext

from codemods.engine import node_index, traverse
from codemods.engine.base import TFMigrateCommand
from tests.codemods.conftest import CORPUS

SOURCES = sorted(CORPUS.rglob("*.py"))

EDGE_CASES = '''
"""docstring"""
import os, sys as system
from a.b import (c, d as e)  # trailing
x = [i if i else -i for i in range(3)]  # comment
@decorator(arg)
async def f(a, /, b: int = 1, *args, c, **kw) -> None:
    async with g() as (h, i):
        del a; pass
    return f"{a!r:>{b}}" + b"x"
class C(Base, metaclass=M):
    y: int = 3
    def m(self): lambda q: q ** 2 if q else {**kw, 1: 2}
match x:
    case [1, *rest] | {"k": _}: print(rest)
'''


def _sources() -> list[str]:
    return [EDGE_CASES, *(p.read_text(encoding="utf-8") for p in SOURCES[:40])]


class Recorder(cst.CSTVisitor):
    """Records every hook call, in order, with the node's identity."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, int]] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.log.append(("visit_Name", id(node)))

    def leave_Call(self, original_node: cst.Call) -> None:
        self.log.append(("leave_Call", id(original_node)))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.log.append(("visit_FunctionDef", id(node)))
        return node.name.value != "f"  # children of `f` are skipped, as LibCST would

    def visit_Param(self, node: cst.Param) -> None:
        self.log.append(("visit_Param", id(node)))


class Rewriter(cst.CSTTransformer):
    """Replaces, removes and flattens, the three ways a transformer changes a tree."""

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return (
            updated_node.with_changes(value=updated_node.value.upper())
            if len(original_node.value) == 1
            else updated_node
        )

    def leave_Pass(self, original_node: cst.Pass, updated_node: cst.Pass) -> cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE

    def leave_Expr(
        self, original_node: cst.Expr, updated_node: cst.Expr
    ) -> cst.Expr | cst.FlattenSentinel[cst.BaseSmallStatement]:
        if isinstance(updated_node.value, cst.Call):
            return cst.FlattenSentinel([updated_node, cst.Expr(cst.Name("after"))])
        return updated_node

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE  # empties its line: the line must go, as in LibCST

    def leave_AsName(  # type: ignore[override]
        self, original_node: cst.AsName, updated_node: cst.AsName
    ) -> cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE  # an optional field: it becomes None


class CommentCounter(cst.CSTVisitor):
    """A hook on a trivia type: the driver must not skip comments for it."""

    def __init__(self) -> None:
        super().__init__()
        self.comments: list[str] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.comments.append(node.value)


@pytest.mark.parametrize("index", range(len(_sources())))
def test_visitor_hooks_fire_in_libcst_order(index: int) -> None:
    module = cst.parse_module(_sources()[index])
    ours, theirs = Recorder(), Recorder()
    traverse.visit(module, ours)
    module.visit(theirs)
    assert ours.log == theirs.log
    assert ours.log  # the recorder saw something: the comparison is not vacuous


@pytest.mark.parametrize("index", range(len(_sources())))
def test_transformer_output_matches_libcst(index: int) -> None:
    module = cst.parse_module(_sources()[index])
    expected = module.visit(Rewriter()).code
    assert traverse.visit(module, Rewriter()).code == expected


class RemoveAnnotations(cst.CSTTransformer):
    def leave_Annotation(  # type: ignore[override]
        self, original_node: cst.Annotation, updated_node: cst.Annotation
    ) -> cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE


def test_removing_a_required_child_is_an_error_as_in_libcst() -> None:
    module = cst.parse_module("y: int = 3\n")
    with pytest.raises(TypeError, match="does not allow it to be removed"):
        module.visit(RemoveAnnotations())
    with pytest.raises(TypeError, match="does not allow it to be removed"):
        traverse.visit(module, RemoveAnnotations())


def test_unchanged_subtrees_are_shared_not_rebuilt() -> None:
    module = cst.parse_module("a = 1\nbb = 2\n")
    result = traverse.visit(module, Rewriter())  # renames `a` only
    assert result.code == "A = 1\nbb = 2\n"
    assert result.body[1] is module.body[1]  # LibCST would have rebuilt it


def test_trivia_hooks_still_see_comments() -> None:
    module = cst.parse_module("x = 1  # one\n# two\ny = 2\n")
    counter = CommentCounter()
    traverse.visit(module, counter)
    assert counter.comments == ["# one", "# two"]


def _is_instance(node: cst.CSTNode, kind: type[cst.CSTNode]) -> bool:
    return isinstance(node, kind)


def test_find_all_matches_libcst_findall() -> None:
    module = cst.parse_module(EDGE_CASES)
    for node_type in (cst.Name, cst.Call, cst.Comment, cst.BaseExpression):
        matcher = m.MatchIfTrue(partial(_is_instance, kind=node_type))
        for root in (module, module.body[3]):
            expected = m.findall(root, matcher)
            assert expected
            assert node_index.find_all(root, node_type) == expected


def test_repeated_nodes_are_copied_and_nothing_else() -> None:
    module = cst.parse_module("a = 1\nb = 2\n")
    assert node_index.unique_nodes(module) is module  # already unique: no copy at all
    first, second = module.body
    repeated = module.with_changes(body=[first, second, first])
    unique = node_index.unique_nodes(repeated)
    assert unique.code == repeated.code
    assert unique.body[0] is first and unique.body[1] is second
    assert unique.body[2] is not first and unique.body[2].deep_equals(first)
    every = node_index.find_all(unique, cst.CSTNode)  # type: ignore[type-abstract]
    ids = [id(n) for n in every if type(n) not in traverse.TRIVIA]
    assert len(ids) == len(set(ids))


class _DecoratedRename(TFMigrateCommand):
    """A codemod using LibCST matcher decorators: it must keep LibCST's own driver."""

    NAME = "decorated_rename"
    seen: list[str]

    @m.leave(m.Name("old"))
    def rename(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="new")

    @m.call_if_inside(m.FunctionDef(name=m.Name("f")))
    def visit_Name(self, node: cst.Name) -> None:
        self.seen.append(node.value)


def test_matcher_decorated_codemods_keep_libcst_semantics() -> None:
    command = _DecoratedRename(CodemodContext())
    command.seen = []
    result = command.transform_module(
        cst.parse_module("old = 1\ndef f():\n    return old\ndef g():\n    return h\n")
    )
    assert result.code == "new = 1\ndef f():\n    return new\ndef g():\n    return h\n"
    assert command.seen == ["f", "old"]  # only inside f, as call_if_inside says


def test_plain_codemods_skip_the_matcher_machinery() -> None:
    from codemods.commands.saver_to_checkpoint import SaverToCheckpoint

    assert not SaverToCheckpoint(CodemodContext())._decorated  # noqa: SLF001
    assert _DecoratedRename(CodemodContext())._decorated  # noqa: SLF001


class _DecoratedVisitor(m.MatcherDecoratableVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    @m.visit(m.Name())
    def record(self, node: cst.Name) -> None:
        self.names.append(node.value)


def test_matcher_decorated_plain_visitors_keep_libcst_semantics() -> None:
    module = cst.parse_module("a = b(c)\n")
    ours, theirs = _DecoratedVisitor(), _DecoratedVisitor()
    traverse.visit(module, ours)
    module.visit(theirs)
    assert ours.names == theirs.names == ["a", "b", "c"]
