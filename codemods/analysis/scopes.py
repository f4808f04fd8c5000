"""Find every use of an object bound from a factory call (`saver = tf.train.Saver(...)`).

A rewrite of the constructor is only safe if every use of the object is rewritten with it,
so codemods need the complete list of uses, and to know when the object escapes (is passed
on, returned, rebound). This is a deliberately small scope model: function scopes (a name
bound in a function is local to it) and `self.attr` within a class. Anything it cannot
classify counts as an escape, which makes the codemod refuse rather than guess.

A name assigned more than once in a scope (`saver = tf.train.Saver()` for one graph, then
again for the next) is resolved in program order: a use belongs to the last assignment
before it when that assignment is proven to reach it (it sits in a block enclosing the use,
`with` blocks count as straight-line code, and no assignment later in an enclosing loop can
flow back). A use that no single assignment provably reaches (after an `if`, in another
function, before any assignment) is an escape of every factory binding of the name.

Narrower scope questions (which function holds each `with`, where one name is read) are
answered by `codemods.analysis.blocks`.
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
    unproven: list[cst.CSTNode] = field(default_factory=list)  # escapes: reached ambiguously


@dataclass
class _Occurrence:
    node: cst.CSTNode
    key: str
    functions: tuple[cst.CSTNode, ...]
    klass: cst.CSTNode | None
    use: Use | None
    seq: int = 0
    blocks: tuple[cst.CSTNode, ...] = ()  # enclosing branch arms (if/else, loop, try bodies)
    loops: tuple[cst.CSTNode, ...] = ()


@dataclass(frozen=True)
class _Def:
    """One assignment to a tracked name, in program order."""

    seq: int
    function: cst.CSTNode | None
    blocks: tuple[cst.CSTNode, ...]
    loops: tuple[cst.CSTNode, ...]
    binding: Binding | None  # set when the value is a factory call

    def reaches(self, occ: _Occurrence) -> bool:
        return occ.blocks[: len(self.blocks)] == self.blocks


class BindingTracker(cst.CSTVisitor):
    """Collect bindings made by `is_factory` calls and resolve every later occurrence."""

    def __init__(self, module: cst.Module, is_factory: Callable[[cst.Call], bool]) -> None:
        super().__init__()
        self.module = module
        self.is_factory = is_factory
        self.bindings: dict[tuple[Scope, str, int], Binding] = {}
        self.untracked: list[cst.Call] = []  # factory calls not bound to a trackable target
        self._functions: list[cst.CSTNode] = []
        self._classes: list[cst.CSTNode] = []
        self._locals: dict[cst.CSTNode, set[str]] = {}
        self._sessions: list[frozenset[str]] = [frozenset()]
        self._receivers: dict[cst.CSTNode, Use] = {}
        self._skip: set[cst.CSTNode] = set()
        self._defs: set[cst.CSTNode] = set()  # assignment targets: not reads
        self._factory_targets: set[cst.CSTNode] = set()
        self._tracked_calls: set[cst.Call] = set()
        self._occurrences: list[_Occurrence] = []
        self._keys: set[str | None] = (
            set()
        )  # targets of factory calls: the only names worth recording
        self._paths: set[int] = set()  # ids of factory calls, mentions of their targets, ancestors
        self._seq = 0
        self._blocks: list[cst.CSTNode] = []
        self._arms: set[cst.CSTNode] = set()  # suites that run conditionally or repeatedly
        self._loops: list[cst.CSTNode] = []
        self._assigned: dict[tuple[Scope, str], list[_Def]] = {}

    def run(self) -> dict[tuple[Scope, str, int], Binding]:
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
            if occ.node in self._defs:
                continue
            for binding, proven in self._reaching(occ):
                if proven and occ.use is not None:
                    binding.uses.append(occ.use)
                else:
                    binding.escapes.append(occ.node)
                if not proven:
                    binding.unproven.append(occ.node)
        return self.bindings

    def _reaching(self, occ: _Occurrence) -> list[tuple[Binding, bool]]:
        """The binding(s) `occ` may refer to; `False` marks an unproven (escaping) one."""
        defs = self._assigned.get(self._resolve(occ), [])
        factories = [d.binding for d in defs if d.binding is not None]
        if len(defs) == 1 or not factories:
            return [(b, True) for b in factories]
        function = occ.functions[-1] if occ.functions else None
        before = [d for d in defs if d.seq < occ.seq]
        if before and all(d.function is function for d in defs):
            last = before[-1]
            loop_back = any(d.seq > occ.seq and set(d.loops) & set(occ.loops) for d in defs)
            if last.reaches(occ) and not loop_back:
                return [] if last.binding is None else [(last.binding, True)]
        return [(b, False) for b in factories]

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

    # -- control flow: branch arms and loops ----------------------------------------------
    def _arm(self, *suites: cst.CSTNode | None) -> None:
        self._arms.update(s for s in suites if s is not None)

    def visit_If(self, node: cst.If) -> None:
        self._arm(node.body, node.orelse.body if isinstance(node.orelse, cst.Else) else None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)
        for element in _flatten(node.target):
            self._defs.add(element)
            self._assign(element, None, node)
        self._loop(node)

    def visit_While(self, node: cst.While) -> None:
        self._loop(node)

    def _loop(self, node: cst.For | cst.While) -> None:
        self._loops.append(node)
        self._arm(node.body, node.orelse.body if node.orelse is not None else None)

    def leave_For(self, original_node: cst.For) -> None:
        self._loops.pop()

    def leave_While(self, original_node: cst.While) -> None:
        self._loops.pop()

    def visit_Try(self, node: cst.Try) -> None:
        self._arm(node.body, *(h.body for h in node.handlers))
        self._arm(node.orelse.body if node.orelse else None)
        self._arm(node.finalbody.body if node.finalbody else None)

    def _enter_suite(self, node: cst.BaseSuite) -> None:
        if node in self._arms:
            self._blocks.append(node)

    def _leave_suite(self, node: cst.BaseSuite) -> None:
        if node in self._arms:
            self._blocks.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._enter_suite(node)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self._leave_suite(original_node)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._enter_suite(node)

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self._leave_suite(original_node)

    def _assign(
        self, target: cst.BaseExpression, binding: Binding | None, loop: cst.For | None = None
    ) -> int | None:
        """Record an assignment to a tracked name (after its value: `s = f(s)` reads the old);
        a loop target is assigned inside its loop."""
        key = dotted_name(target)
        if key not in self._keys or key is None:
            return None
        if not isinstance(target, cst.Name) and not _is_self_attr(target):
            return None
        self._seq += 1
        function = self._functions[-1] if self._functions else None
        scope = self._scope_for(key)
        if isinstance(target, cst.Name) and function is not None:
            scope = function  # a plain name assigned in a function is local to it
        blocks, loops = tuple(self._blocks), tuple(self._loops)
        if loop is not None:
            blocks, loops = (*blocks, loop.body), (*loops, loop)
        entry = _Def(self._seq, function, blocks, loops, binding)
        self._assigned.setdefault((scope, key), []).append(entry)
        return self._seq

    # -- bindings -------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target)
            self._defs.update(_flatten(target.target))  # assigned, not read
        value = node.value
        if isinstance(value, cst.Call) and self.is_factory(value) and len(node.targets) == 1:
            bound = node.targets[0].target
            key = dotted_name(bound)
            if key is not None and (isinstance(bound, cst.Name) or _is_self_attr(bound)):
                self._factory_targets.add(bound)
                self._tracked_calls.add(value)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        value = original_node.value
        if _is_none(value):
            return  # `saver = None` placeholders: using them fails before and after a rewrite
        for target in original_node.targets:
            bound = target.target
            if bound in self._factory_targets and isinstance(value, cst.Call):
                binding = Binding(original_node, value)
                key = dotted_name(bound)
                seq = self._assign(bound, binding)
                assert key is not None and seq is not None
                self.bindings[(self._scope_for(key), key, seq)] = binding
                continue
            for element in _flatten(bound):
                self._assign(element, None)

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

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self._assign(original_node.target, None)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None and not _is_none(original_node.value):
            self._assign(original_node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)
        for element in _flatten(node.name):
            self._defs.add(element)
            self._assign(element, None)

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
        self._seq += 1
        occurrence = _Occurrence(
            node, key, tuple(self._functions), klass, use,
            self._seq, tuple(self._blocks), tuple(self._loops),
        )  # fmt: skip
        self._occurrences.append(occurrence)


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _flatten(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [e for element in target.elements for e in _flatten(element.value)]
    return [target]


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
