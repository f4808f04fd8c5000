"""Find every use of an object bound from a factory call (`saver = tf.train.Saver(...)`).

A rewrite of the constructor is only safe if every use of the object is rewritten with it,
so codemods need the complete list of uses, and to know when the object escapes (is passed
on, returned, rebound). This is a deliberately small scope model: function scopes (a name
bound in a function is local to it) and `self.attr` within a class. Anything it cannot
classify counts as an escape, which makes the codemod refuse rather than guess.

The smaller walkers beside it answer narrower scope questions on the same model: which
function holds each `with` (and whether a default graph is set around it), and where one
name is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.names import dotted_name, with_bound_names
from codemods.engine.node_index import find_all, paths_to
from codemods.engine.traverse import visit

Scope = cst.CSTNode  # a FunctionDef, a ClassDef (for self.attr) or the Module


@dataclass(frozen=True)
class Use:
    call: cst.Call  # `obj.method(...)`
    method: str
    default_sessions: frozenset[str]  # names made the default session by enclosing `with`s


@dataclass
class Binding:
    statement: cst.Assign
    call: cst.Call
    uses: list[Use] = field(default_factory=list)
    escapes: list[cst.CSTNode] = field(default_factory=list)


@dataclass
class _Occurrence:
    node: cst.CSTNode
    key: str
    functions: tuple[cst.CSTNode, ...]
    klass: cst.CSTNode | None
    use: Use | None


class BindingTracker(cst.CSTVisitor):
    """Collect bindings made by `is_factory` calls and resolve every later occurrence."""

    def __init__(self, module: cst.Module, is_factory: Callable[[cst.Call], bool]) -> None:
        super().__init__()
        self.module = module
        self.is_factory = is_factory
        self.bindings: dict[tuple[Scope, str], Binding] = {}
        self.untracked: list[cst.Call] = []  # factory calls not bound to a trackable target
        self._functions: list[cst.CSTNode] = []
        self._classes: list[cst.CSTNode] = []
        self._locals: dict[cst.CSTNode, set[str]] = {}
        self._sessions: list[frozenset[str]] = [frozenset()]
        self._receivers: dict[cst.CSTNode, Use] = {}
        self._skip: set[cst.CSTNode] = set()
        self._defs: set[cst.CSTNode] = set()
        self._tracked_calls: set[cst.Call] = set()
        self._occurrences: list[_Occurrence] = []
        self._keys: set[str | None] = (
            set()
        )  # targets of factory calls: the only names worth recording
        self._paths: set[int] = set()  # ids of factory calls, mentions of their targets, ancestors

    def run(self) -> dict[tuple[Scope, str], Binding]:
        # Only names a factory call is assigned to can resolve to a binding; most modules that
        # mention the factory's name have few such calls, some none (then there is no walk).
        factories = {c for c in find_all(self.module, cst.Call) if self.is_factory(c)}
        if not factories:
            return self.bindings
        self._keys = {
            dotted_name(t.target)
            for a in find_all(self.module, cst.Assign)
            if a.value in factories
            for t in a.targets
        }
        # Functions and classes that neither call the factory nor mention a bound name hold no
        # binding, use or escape: the walk skips them.
        heads = {key.rpartition(".")[2] for key in self._keys if key}
        mentions = [name for name in find_all(self.module, cst.Name) if name.value in heads]
        self._paths = paths_to(self.module, [*factories, *mentions])
        visit(self.module, self)
        for occ in self._occurrences:
            binding = self.bindings.get(self._resolve(occ))
            if binding is None or occ.node in self._defs:
                continue
            if occ.use is not None:
                binding.uses.append(occ.use)
            else:
                binding.escapes.append(occ.node)
        return self.bindings

    def _resolve(self, occ: _Occurrence) -> tuple[Scope, str]:
        if occ.key.startswith("self."):
            return (occ.klass or self.module, occ.key)
        for function in reversed(occ.functions):
            if occ.key in self._locals.get(function, set()):
                return (function, occ.key)
        return (self.module, occ.key)

    # -- scopes ---------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._skip.add(node.name)
        self._functions.append(node)
        self._locals[node] = {p.name.value for p in _params(node.params)}
        return id(node) in self._paths

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._skip.add(node.name)
        self._classes.append(node)
        return id(node) in self._paths

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_Param(self, node: cst.Param) -> None:
        self._skip.add(node.name)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(node.keyword)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_With(self, node: cst.With) -> None:
        self._sessions.append(with_bound_names(node, self._sessions[-1]))

    def leave_With(self, original_node: cst.With) -> None:
        self._sessions.pop()

    # -- bindings -------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target)
        value = node.value
        if isinstance(value, cst.Call) and self.is_factory(value) and len(node.targets) == 1:
            bound = node.targets[0].target
            key = dotted_name(bound)
            if key is not None and (isinstance(bound, cst.Name) or _is_self_attr(bound)):
                scope = self._scope_for(key)
                self.bindings[(scope, key)] = Binding(node, value)
                self._defs.add(bound)
                self._tracked_calls.add(value)

    def _scope_for(self, key: str) -> Scope:
        if key.startswith("self."):
            return self._classes[-1] if self._classes else self.module
        return self._functions[-1] if self._functions else self.module

    def _bind(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name) and self._functions:
            self._locals[self._functions[-1]].add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)

    # -- occurrences ----------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.is_factory(node) and node not in self._tracked_calls:
            self.untracked.append(node)
        if isinstance(node.func, cst.Attribute):
            use = Use(node, node.func.attr.value, self._sessions[-1])
            self._receivers[node.func.value] = use

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self._skip.add(node.attr)
        if _is_self_attr(node):
            self._record(node, f"self.{node.attr.value}")
            return False
        return True

    def visit_Name(self, node: cst.Name) -> None:
        if node not in self._skip:
            self._record(node, node.value)

    def _record(self, node: cst.CSTNode, key: str) -> None:
        if key not in self._keys:
            return
        klass = self._classes[-1] if self._classes else None
        use = self._receivers.get(node)
        self._occurrences.append(_Occurrence(node, key, tuple(self._functions), klass, use))


def _is_self_attr(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
    )


def _params(params: cst.Parameters) -> list[cst.Param]:
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            out.append(star)
    return out


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
