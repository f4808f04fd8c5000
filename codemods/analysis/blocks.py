"""Narrow scope questions on the same small model as `scopes`: which function holds each
`with` (and whether a default graph is set around it), and where one name is read."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.engine.traverse import visit


# -- `with` blocks and their scopes ------------------------------------------------------
def with_scopes(
    module: cst.Module, sets_graph: Callable[[cst.With], bool]
) -> tuple[dict[cst.With, cst.CSTNode], set[cst.With]]:
    """Each `with`'s innermost enclosing function (or the module), and the `with`s nested in
    another `with` for which `sets_graph` holds."""
    finder = _WithScopes(module, sets_graph)
    visit(module, finder)
    return finder.scopes, finder.in_graph


class _WithScopes(cst.CSTVisitor):
    def __init__(self, module: cst.Module, sets_graph: Callable[[cst.With], bool]) -> None:
        super().__init__()
        self.stack: list[cst.CSTNode] = [module]
        self.scopes: dict[cst.With, cst.CSTNode] = {}
        self.in_graph: set[cst.With] = set()
        self._graph_depth = 0
        self._sets_graph = sets_graph

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_With(self, node: cst.With) -> None:
        self.scopes[node] = self.stack[-1]
        if self._graph_depth:
            self.in_graph.add(node)
        self._graph_depth += self._sets_graph(node)

    def leave_With(self, original_node: cst.With) -> None:
        self._graph_depth -= self._sets_graph(original_node)


# -- reads of one name -------------------------------------------------------------------
def name_uses(module: cst.Module, name: str) -> NameUses:
    """Every `name.attr` (with its statement) and every other read of `name` in `module`."""
    finder = NameUses(name)
    visit(module, finder)
    return finder


class NameUses(cst.CSTVisitor):
    """Every `name.attr` (with its statement) and every other read of `name`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.attrs: list[tuple[cst.SimpleStatementLine, str]] = []
        self.bare: list[cst.Name] = []
        self._statement: cst.SimpleStatementLine | None = None
        self._skip: set[cst.Name] = set()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(node.attr)
        if (
            isinstance(node.value, cst.Name)
            and node.value.value == self.name
            and self._statement is not None
        ):
            self._skip.add(node.value)
            self.attrs.append((self._statement, node.attr.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(node.keyword)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self._skip.add(node.target)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name and node not in self._skip:
            self.bare.append(node)
