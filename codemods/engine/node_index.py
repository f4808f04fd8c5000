"""One index per syntax tree, shared by every codemod that plans over it.

Planning asks the same questions of a module again and again (all calls, all names, the
parent of a node), and `m.findall` answered each with a matcher evaluated on every node. One
walk records every non-trivia node by concrete type, in visit order, with its parent; it is
kept for the last module asked about, so codemods planning over the same tree share it, and
a codemod's changed tree gets a new one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any, TypeVar, cast

import libcst as cst
from libcst import CSTNode

from codemods.engine.traverse import NODES, TRIVIA, children, concrete, semantic_fields, visit

_N = TypeVar("_N", bound=CSTNode)


def find_all(node: CSTNode, *types: type[_N]) -> list[_N]:
    """Every descendant of `node` (itself included) of one of `types`, in visit order.

    Whole-module queries of one concrete type come from an index of the last module asked
    about, built in one walk: codemods planning over the same tree share it.
    """
    wanted = concrete(*types)
    if wanted == {types[0]} and not wanted & TRIVIA:
        if isinstance(node, cst.Module):
            return list(_module_index(node).by_type.get(types[0], ()))  # type: ignore[arg-type]
        if _LAST and id(node) in _LAST[0].position:  # a subtree of the indexed module
            return _LAST[0].within(node, types[0])  # type: ignore[return-value]
    return _walk(node, wanted, frozenset() if wanted & TRIVIA else TRIVIA)


def _walk(node: CSTNode, wanted: frozenset[type], skip: frozenset[type]) -> list[Any]:
    found: list[Any] = []
    stack: list[CSTNode] = [node]
    while stack:
        current = stack.pop()
        if type(current) in wanted:
            found.append(current)
        for child in reversed(children(current, semantic=bool(skip))):
            if type(child) not in skip:
                stack.append(child)
    return found


_INDEXED = NODES - TRIVIA  # node types the index records


class _Index:
    """One walk over a module: its nodes by concrete type (visit order) and each node's parent."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.by_type: dict[type, list[CSTNode]] = {}
        self.parents: dict[int, CSTNode] = {}
        # Preorder number of each node, and of each `by_type` entry: the nodes of a type inside
        # a subtree are a slice of `by_type`, between the subtree's first and last numbers.
        self.position: dict[int, int] = {}
        self.numbers: dict[type, list[int]] = {}
        self.repeated = False  # some node object occurs twice
        parents, by_type, wanted = self.parents, self.by_type, _INDEXED
        position, numbers = self.position, self.numbers
        stack: list[CSTNode] = [module]
        while stack:  # what `children(semantic=True)` minus trivia gives, inlined: hot loop
            current = stack.pop()
            kind = type(current)
            number = len(position)
            position[id(current)] = number
            found = by_type.get(kind)
            if found is None:
                by_type[kind] = [current]
                numbers[kind] = [number]
            else:
                found.append(current)
                numbers[kind].append(number)
            kids: list[CSTNode] = []
            for name in semantic_fields(current):
                value = getattr(current, name)
                if type(value) in wanted:
                    kids.append(value)
                elif type(value) is tuple or type(value) is list:
                    kids.extend(child for child in value if type(child) in wanted)
            for child in kids:
                if id(child) in parents:
                    self.repeated = True
                parents[id(child)] = current
            kids.reverse()
            stack.extend(kids)

    def within(self, node: CSTNode, kind: type) -> list[CSTNode]:
        """`find_all(node, kind)` for a node of this module: a slice of `by_type[kind]`."""
        numbers = self.numbers.get(kind)
        if numbers is None or self.repeated:
            return [] if numbers is None else _walk(node, frozenset({kind}), TRIVIA)
        last = node  # the subtree's last node in preorder: follow the last child down
        while True:
            kids = [c for c in children(last, semantic=True) if type(c) in _INDEXED]
            if not kids:
                break
            last = kids[-1]
        start, stop = self.position[id(node)], self.position[id(last)] + 1
        return self.by_type[kind][bisect_left(numbers, start) : bisect_left(numbers, stop)]


_LAST: list[_Index] = []  # the index of the last module asked about (codemods share it)


def _module_index(module: cst.Module) -> _Index:
    if not _LAST or _LAST[0].module is not module:
        _LAST[:] = [_Index(module)]
    return _LAST[0]


def paths_to(module: cst.Module, targets: Iterable[CSTNode]) -> set[int]:
    """ids of `targets` and of every node above them: all a transform must enter to reach them."""
    parents = _module_index(module).parents
    found: set[int] = {id(module)}
    for node in targets:
        key = id(node)
        while key not in found:
            found.add(key)
            parent = parents.get(key)
            if parent is None:
                break
            key = id(parent)
    return found


def unique_nodes(module: cst.Module) -> cst.Module:
    """`module` with every repeated node object (trivia aside) replaced by a deep copy.

    Node-keyed state (plans, metadata) needs each node once; a codemod that reuses a node in
    two places breaks that. LibCST's answer is a deep copy of the whole tree; copying only the
    repeats and the paths to them costs a walk, the one that indexes the result anyway.
    """
    if not _module_index(module).repeated:
        return module
    return cast(cst.Module, visit(module, _Dedupe()))


class _Dedupe(cst.CSTTransformer):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()
        self.repeats: set[int] = set()

    def on_visit(self, node: CSTNode) -> bool:
        if id(node) in self.seen:
            self.repeats.add(id(node))
            return False
        self.seen.add(id(node))
        return True

    def on_leave(self, original_node: CSTNode, updated_node: CSTNode) -> CSTNode:  # type: ignore[override]
        # a repeat is never descended into, so its clone is of the original as it stands
        return original_node.deep_clone() if id(original_node) in self.repeats else updated_node
