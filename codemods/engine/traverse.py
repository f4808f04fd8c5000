"""A faster driver for LibCST visitors and transformers, with LibCST's semantics.

`node.visit(visitor)` calls two attribute hooks per field, rebuilds every node of the tree,
and descends into whitespace, commas and parentheses that no tf-migrate visitor looks at:
a do-nothing pass costs about a parse. This driver calls the same `visit_*`/`leave_*`
hooks in the same order, on the same (original) nodes, but
- rebuilds (`with_changes`) only the nodes on a path to a child that actually changed;
- skips trivia (whitespace, comments, punctuation, operators) unless the visitor has a hook
  for one of those types;
- never calls `on_visit_attribute`/`on_leave_attribute`: visitors that define attribute
  hooks or use matcher decorators keep LibCST's own driver. A visitor that overrides
  `on_visit`/`on_leave` gets them called on every node but trivia.
Removal and flattening follow LibCST: a removed optional child becomes None (or the
MaybeSentinel default), a removed required child is an error, and a statement emptied by a
removal inside a module or block body is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from functools import cache
from inspect import isabstract
from typing import Any, TypeVar, get_args, get_type_hints

import libcst as cst
from libcst import CSTNode, FlattenSentinel, MaybeSentinel, RemovalSentinel

Visitor = cst.CSTVisitor | cst.CSTTransformer
_Hook = Callable[..., Any] | None
_N = TypeVar("_N", bound=CSTNode)

TRIVIA: frozenset[type[CSTNode]] = frozenset(
    {
        cst.SimpleWhitespace,
        cst.ParenthesizedWhitespace,
        cst.Newline,
        cst.EmptyLine,
        cst.TrailingWhitespace,
        cst.Comment,
        cst.Comma,
        cst.Dot,
        cst.Colon,
        cst.Semicolon,
        cst.AssignEqual,
        cst.LeftParen,
        cst.RightParen,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.Asynchronous,
        *(
            op
            for base in (
                cst.BaseBinaryOp,
                cst.BaseBooleanOp,
                cst.BaseCompOp,
                cst.BaseUnaryOp,
                cst.BaseAugOp,
            )
            for op in base.__subclasses__()
        ),
    }
)  # nodes whose subtrees hold only whitespace, comments and fixed tokens
_BODIES = frozenset(
    {(cst.Module, "body"), (cst.IndentedBlock, "body")}
)  # LibCST's visit_body_sequence


class Hooks:
    """Which visit_/leave_ methods a visitor class overrides, per node type (looked up once)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self._visit: dict[type, _Hook] = {}
        self._leave: dict[type, _Hook] = {}
        self._base = cst.CSTTransformer if issubclass(cls, cst.CSTTransformer) else cst.CSTVisitor
        own = [
            name
            for name in dir(cls)
            if name.startswith(("visit_", "leave_")) and self._own(name) is not None
        ]
        node_names = {t.__name__ for t in _NODES}
        # visit_<Node>_<attribute> hooks need LibCST's attribute callbacks
        self.attributes = any(name.split("_", 1)[1] not in node_names for name in own)
        trivia_names = {t.__name__ for t in TRIVIA}
        self.trivia = any(name.split("_", 1)[1] in trivia_names for name in own)

    def visit(self, node_type: type) -> _Hook:
        if node_type not in self._visit:
            self._visit[node_type] = self._own(f"visit_{node_type.__name__}")
        return self._visit[node_type]

    def leave(self, node_type: type) -> _Hook:
        if node_type not in self._leave:
            self._leave[node_type] = self._own(f"leave_{node_type.__name__}")
        return self._leave[node_type]

    def _own(self, name: str) -> _Hook:
        """The method unless it is LibCST's own no-op stub (calling that changes nothing)."""
        method = getattr(self.cls, name, None)
        return None if method is getattr(self._base, name, None) else method


_HOOKS: dict[type, Hooks] = {}


def hooks(cls: type) -> Hooks:
    if cls not in _HOOKS:
        _HOOKS[cls] = Hooks(cls)
    return _HOOKS[cls]


def visit(node: _N, visitor: Visitor) -> Any:
    """`node.visit(visitor)`, through the fast driver whenever that gives the same result.

    A visitor that overrides `on_visit`/`on_leave` gets those called for every node except
    trivia (unless it has a hook for a trivia type).
    """
    cls = type(visitor)
    found = hooks(cls)
    generic = cls.on_visit in (
        cst.CSTVisitor.on_visit,
        cst.CSTTransformer.on_visit,
    ) and cls.on_leave in (
        cst.CSTVisitor.on_leave,
        cst.CSTTransformer.on_leave,
    )
    decorated = any(
        getattr(visitor, name, None)
        for name in ("_matchers", "_extra_visit_funcs", "_extra_leave_funcs")
    )
    if found.attributes or decorated:  # matcher decorators: LibCST's own driver
        return node.visit(visitor)
    return _Driver(visitor, found, generic=generic).walk(node)


class _Driver:
    """Walks one tree for one visitor: `generic` calls hooks directly, else
    `on_visit`/`on_leave`."""

    def __init__(self, visitor: Visitor, found: Hooks, generic: bool) -> None:
        self.visitor = visitor
        self.hooks = found
        self.generic = generic
        self.transformer = isinstance(visitor, cst.CSTTransformer)
        self.skip = frozenset() if found.trivia else TRIVIA

    def walk(self, node: CSTNode) -> Any:
        visitor, node_type = self.visitor, type(node)
        if self.generic:
            hook = self.hooks.visit(node_type)
            descend = hook is None or hook(visitor, node) is not False
        else:
            descend = visitor.on_visit(node)
        updated = self._children(node) if descend else node
        if not self.transformer:
            if self.generic:
                hook = self.hooks.leave(node_type)
                if hook is not None:
                    hook(visitor, node)
            else:
                visitor.on_leave(node)  # type: ignore[call-arg]
            return node
        if self.generic:
            hook = self.hooks.leave(node_type)
            result = updated if hook is None else hook(visitor, node, updated)
        else:
            result = visitor.on_leave(node, updated)  # type: ignore[call-arg]
        if not isinstance(result, (CSTNode, RemovalSentinel, FlattenSentinel)):
            raise cst.CSTValidationError(
                "Expected a node of type CSTNode or a RemovalSentinel, "
                f"but got a return value of {type(result).__name__}"
            )
        return result

    def _children(self, node: CSTNode) -> CSTNode:
        changes: dict[str, Any] = {}
        skip = self.skip
        for name in _semantic_order(node) if skip else _field_order(node):
            value = getattr(node, name)
            if type(value) in _NODES:
                if type(value) in skip:
                    continue
                new = self.walk(value)
                if new is not value:
                    changes[name] = _single(node, name, value, new)
            elif type(value) is tuple or type(value) is list:
                items = self._sequence(node, name, value)
                if items is not None:
                    changes[name] = items
        return node.with_changes(**changes) if changes else node

    def _sequence(self, node: CSTNode, name: str, values: Any) -> tuple[Any, ...] | None:
        """The new sequence, or None when no element changed."""
        skip, out, changed = self.skip, [], False
        body = (type(node), name) in _BODIES
        for child in values:
            if type(child) not in _NODES or type(child) in skip:
                out.append(child)
                continue
            new = self.walk(child)
            if new is child:
                out.append(child)
                continue
            changed = True
            if isinstance(new, RemovalSentinel):
                continue
            replacements = list(new) if isinstance(new, FlattenSentinel) else [new]
            for item in replacements:
                if body and not child._is_removable() and item._is_removable():  # noqa: SLF001
                    continue
                out.append(item)
        return tuple(out) if changed else None


def _single(parent: CSTNode, name: str, old: CSTNode, new: Any) -> Any:
    if isinstance(new, FlattenSentinel):
        raise TypeError(
            f"We got a FlattenSentinel while visiting a {type(old).__name__}. This node's parent "
            "does not allow for it to be it to be replaced with a sequence."
        )
    if isinstance(new, RemovalSentinel):
        default = _defaults(type(parent)).get(name, MISSING)
        if default is None or default is MaybeSentinel.DEFAULT:
            return default
        raise TypeError(
            f"We got a RemovalSentinel while visiting a {type(old).__name__}. This node's parent "
            "does not allow it to be removed."
        )
    return new


class _Recorder(cst.CSTVisitor):
    """Learns a node type's field visit order from LibCST itself, without descending."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def on_visit(self, node: CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: CSTNode, attribute: str) -> None:
        self.names.append(attribute)


_ORDER: dict[type, tuple[str, ...]] = {}
_DEFAULTS: dict[type, dict[str, Any]] = {}


def _field_order(node: CSTNode) -> tuple[str, ...]:
    """Field names in the order LibCST's `_visit_and_replace_children` visits them."""
    order = _ORDER.get(type(node))
    if order is None:
        recorder = _Recorder()
        node._visit_and_replace_children(recorder)  # noqa: SLF001
        names = list(dict.fromkeys(recorder.names))
        names += [f.name for f in fields(node) if f.name not in names]  # conditionally visited ones
        order = _ORDER[type(node)] = tuple(names)
    return order


def _defaults(node_type: type) -> dict[str, Any]:
    if node_type not in _DEFAULTS:
        _DEFAULTS[node_type] = {f.name: f.default for f in fields(node_type)}
    return _DEFAULTS[node_type]


_SEMANTIC: dict[type, tuple[str, ...]] = {}


def _semantic_order(node: CSTNode) -> tuple[str, ...]:
    """`_field_order` without the fields whose declared type admits only trivia nodes."""
    order = _SEMANTIC.get(type(node))
    if order is None:
        hints = get_type_hints(type(node))
        order = _SEMANTIC[type(node)] = tuple(
            name
            for name in _field_order(node)
            if name not in hints or not _only_trivia(hints[name])
        )
    return order


def semantic_fields(node: CSTNode) -> tuple[str, ...]:
    """`node`'s field names in visit (and code) order, without fields typed as trivia only."""
    return _semantic_order(node)


def _only_trivia(annotation: Any) -> bool:
    """Whether every node class `annotation` mentions is trivia (unknown forms: no)."""
    if isinstance(annotation, type):
        if issubclass(annotation, CSTNode):
            return not ((_concrete((annotation,)) & _PUBLIC) - TRIVIA)
        return annotation in (str, bool, type(None), MaybeSentinel)
    args = get_args(annotation)
    return bool(args) and all(_only_trivia(arg) for arg in args)


def children(node: CSTNode, semantic: bool = False) -> list[CSTNode]:
    """`node`'s child nodes in visit order; `semantic` leaves out fields typed as trivia only."""
    out: list[CSTNode] = []
    for name in _semantic_order(node) if semantic else _field_order(node):
        value = getattr(node, name)
        if type(value) in _NODES:
            out.append(value)
        elif type(value) is tuple or type(value) is list:
            out.extend(child for child in value if type(child) in _NODES)
    return out


def _subclasses(cls: type) -> set[type]:
    found: set[type] = {cls}
    subs: list[type] = type.__subclasses__(cls)
    for sub in subs:
        found |= _subclasses(sub)
    return found


# `isinstance(x, CSTNode)` is an ABC check, ~10x a set lookup; the walk does millions.
_NODES: frozenset[type] = frozenset(_subclasses(CSTNode))
NODES = _NODES  # every CSTNode class: `type(x) in NODES` is a cheap isinstance(x, CSTNode)
# What trees are made of: LibCST's exported concrete classes (`_NODES` also holds base classes
# and the pre-`__slots__` originals of every node class, which are never instantiated).
_PUBLIC: frozenset[type] = frozenset(
    t
    for t in vars(cst).values()
    if isinstance(t, type) and issubclass(t, CSTNode) and not isabstract(t)
)


@cache
def _concrete(types: tuple[type, ...]) -> frozenset[type]:
    found: set[type] = set()
    for t in types:
        found |= _subclasses(t)  # no `issubclass` over every node class: ABC checks, ~3 ms a query
    return frozenset(found)


def concrete(*types: type) -> frozenset[type]:
    """Node classes that are `types` or subclass them: `type(n) in concrete(...)` is an
    `isinstance` check without the ABC machinery (LibCST's base node classes are ABCs)."""
    return _concrete(types)
