"""Where an export call sits, and where the names it depends on are defined.

The export codemods copy the statements that compute a signature's outputs into a
`tf.function`, so they need, for every name, its unique defining statement in the export's
own scope (a function body or the module), the module scope as a fallback, and `self.attr`
assignments anywhere in the enclosing class. A name assigned twice, or inside a loop/branch,
is "not statically clear" and the caller refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.names import dotted_name, with_bound_names
from codemods.engine.node_index import find_all, paths_to
from codemods.engine.traverse import concrete, visit

_BLOCKS = (cst.For, cst.While, cst.If, cst.Try)
_STATEMENT_TYPES = concrete(
    cst.SimpleStatementLine, cst.BaseCompoundStatement
)  # no ABC isinstance per node
_SCOPE_TYPES = concrete(*_BLOCKS, cst.With)
_SUITE_TYPES = concrete(cst.IndentedBlock, cst.SimpleStatementSuite)


@dataclass(frozen=True)
class Site:
    """One matched call: its statement, the body-level statement holding it, its scopes."""

    call: cst.Call
    statement: cst.SimpleStatementLine
    anchor: cst.BaseStatement  # direct child of the scope body; generated classes go before it
    scope: cst.CSTNode  # FunctionDef or Module whose body holds `anchor`
    klass: cst.ClassDef | None  # class of the method holding the call, if any
    sessions: frozenset[str]  # names that are the default session here (`with ... as s`)
    index: int  # statement order, to keep only definitions before the export
    suites: tuple[cst.CSTNode, ...] = ()  # enclosing statement blocks (branch arms, bodies)


@dataclass(frozen=True)
class Definition:
    statement: cst.SimpleStatementLine
    assign: cst.Assign
    index: int
    conditional: bool  # inside for/while/if/try: not statically clear
    context: tuple[cst.With, ...]  # enclosing `with` blocks (variable scopes change names)
    suites: tuple[cst.CSTNode, ...] = ()  # enclosing statement blocks (branch arms, bodies)

    def reaches(self, site: Site) -> bool:
        """Program order: this (only) definition runs before `site` on every path to it,
        because the site sits in the same branch arm (or one nested in it), after it."""
        return self.index < site.index and site.suites[: len(self.suites)] == self.suites


@dataclass
class _Frame:
    node: cst.CSTNode
    base: int  # len(_blocks) when the scope was entered
    definitions: dict[str, list[Definition]] = field(default_factory=dict)


class SiteIndex(cst.CSTVisitor):
    """One pass: every call accepted by `match`, and every assignment, by scope."""

    def __init__(self, match: Callable[[cst.Call], bool]) -> None:
        super().__init__()
        self.match = match
        self.sites: list[Site] = []
        self.scopes: dict[cst.CSTNode, dict[str, list[Definition]]] = {}
        self.class_attrs: dict[cst.ClassDef, dict[str, list[Definition]]] = {}
        self._frames: list[_Frame] = []
        self._classes: list[cst.ClassDef | None] = [None]
        self._statements: list[cst.CSTNode] = []
        self._blocks: list[cst.CSTNode] = []
        self._sessions: list[frozenset[str]] = [frozenset()]
        self._suites: list[cst.CSTNode] = []
        self._count = 0
        self._paths: set[int] = set()  # ids of sites and their ancestors

    def index(self, module: cst.Module) -> None:
        """Walk `module`, skipping functions and classes without a site (nothing looks their
        definitions up); no walk at all when no call matches."""
        calls = [call for call in find_all(module, cst.Call) if self.match(call)]
        if not calls:
            self.scopes[module] = {}
            return
        self._paths = paths_to(module, calls)
        visit(module, self)

    def lookup(self, site: Site, key: str) -> list[Definition] | None:
        """Definitions of `key` visible at `site` (None if it is not assigned at all)."""
        if key.startswith("self."):
            return self.class_attrs.get(site.klass, {}).get(key) if site.klass else None
        local = self.scopes.get(site.scope, {}).get(key)
        if local is not None:
            return [d for d in local if d.index < site.index] or None
        if not isinstance(site.scope, cst.Module):
            for scope, names in self.scopes.items():
                if isinstance(scope, cst.Module) and key in names:
                    return names[key]
        return None

    # -- scopes ---------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._frames.append(_Frame(node, len(self._blocks)))
        self.scopes[node] = self._frames[-1].definitions

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._frames.append(_Frame(node, len(self._blocks)))
        self.scopes[node] = self._frames[-1].definitions
        self._classes.append(self._classes[-1] if self._is_method(node) else None)
        # a site's own scope, or a method of a class holding one (its `self.x` assignments)
        return id(node) in self._paths or self._classes[-1] is not None

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()
        self._classes.pop()

    def _is_method(self, node: cst.FunctionDef) -> bool:
        klass = self._classes[-1]
        return (
            klass is not None
            and isinstance(klass.body, cst.IndentedBlock)
            and node in klass.body.body
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._classes.append(node)
        self.class_attrs.setdefault(node, {})
        return id(node) in self._paths

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in _STATEMENT_TYPES:
            self._statements.append(node)
            self._count += 1
        if type(node) in _SCOPE_TYPES:
            self._blocks.append(node)
        if type(node) in _SUITE_TYPES:
            self._suites.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if type(original_node) in _STATEMENT_TYPES:
            self._statements.pop()
        if type(original_node) in _SCOPE_TYPES:
            self._blocks.pop()
        if type(original_node) in _SUITE_TYPES:
            self._suites.pop()

    def visit_With(self, node: cst.With) -> None:
        self._sessions.append(with_bound_names(node, self._sessions[-1]))

    def leave_With(self, original_node: cst.With) -> None:
        self._sessions.pop()

    # -- definitions and sites ------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        statement = self._statements[-1]
        if not isinstance(statement, cst.SimpleStatementLine):
            return
        blocks = self._local_blocks()
        definition = Definition(
            statement, node, self._count,
            conditional=any(isinstance(b, _BLOCKS) for b in blocks),
            context=tuple(b for b in blocks if isinstance(b, cst.With)),
            suites=tuple(self._suites),
        )  # fmt: skip
        for key in _target_keys(node):
            table = self._frames[-1].definitions
            if key.startswith("self."):
                klass = self._classes[-1]
                if klass is None:
                    continue
                table = self.class_attrs[klass]
            table.setdefault(key, []).append(definition)

    def _local_blocks(self) -> list[cst.CSTNode]:
        """Blocks between the current scope's body and here."""
        return self._blocks[self._frames[-1].base :]

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        key = dotted_name(node.target)
        statement = self._statements[-1]
        if key and isinstance(statement, cst.SimpleStatementLine):  # a rebinding: never clear
            fake = cst.Assign([cst.AssignTarget(node.target)], node.value)
            self._frames[-1].definitions.setdefault(key, []).append(
                Definition(statement, fake, self._count, True, ())
            )

    def visit_Call(self, node: cst.Call) -> None:
        statement = self._statements[-1] if self._statements else None
        if not self.match(node) or not isinstance(statement, cst.SimpleStatementLine):
            return
        scope = self._frames[-1].node
        body = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body  # type: ignore[attr-defined]
        anchor = next((s for s in self._statements if s in body), statement)
        klass = self._classes[-1]
        suites = tuple(self._suites)
        site = Site(node, statement, anchor, scope, klass, self._sessions[-1], self._count, suites)  # type: ignore[arg-type]
        self.sites.append(site)


def _target_keys(node: cst.Assign) -> list[str]:
    keys: list[str] = []
    for target in node.targets:
        keys.extend(_names(target.target))
    return keys


def _names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [k for e in target.elements for k in _names(e.value)]
    key = dotted_name(target)
    if key and (isinstance(target, cst.Name) or key.count(".") == 1 and key.startswith("self.")):
        return [key]
    return []
