"""Where a name is used around a `with` block: the questions the loading rewrite asks before
it removes a Session.

The rewrite changes what a name holds (`meta` becomes the TF2 loaded object) or empties a graph
(`g = tf.Graph()` no longer receives the import), so every other read of the name must be
ruled out. Nested functions count as reads (refuse, not guess) unless they bind the name
themselves; `global` / `nonlocal` anywhere in them counts as sharing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from codemods.analysis.cst_utils import count_names
from codemods.engine.node_index import find_all


def used_outside(scope: cst.CSTNode, block: cst.CSTNode, name: str) -> bool:
    """`name` occurs in the scope outside the block. Nested defs count (refuse, not guess)
    unless they bind `name` themselves (a parameter or an assignment: their own variable)."""
    return _occurrences(scope, name) > _occurrences(block, name)


def _occurrences(node: cst.CSTNode, name: str) -> int:
    shadowing = [
        d for d in find_all(node, cst.FunctionDef) if d is not node and _binds_locally(d, name)
    ]
    return count_names(node, name) - sum(count_names(d, name) for d in _outermost(shadowing))


def _binds_locally(function: cst.FunctionDef, name: str) -> bool:
    declared: list[cst.CSTNode] = [*find_all(function, cst.Global)]
    if declared or find_all(function, cst.Nonlocal):
        return False  # conservative: the function may share the name with its scope
    inner = find_all(function.body, cst.FunctionDef)
    nested = {id(t) for d in inner for t in find_all(d, cst.Name)}
    params = {p.name.value for p in find_all(function.params, cst.Param)}
    bound: list[cst.CSTNode] = [t.target for t in find_all(function.body, cst.AssignTarget)]
    bound += [a.name for a in find_all(function.body, cst.AsName)]
    bound += [f.target for f in find_all(function.body, cst.For)]
    targets = {n.value for b in bound for n in _target_names(b) if id(n) not in nested}
    return name in params | targets


def _target_names(target: cst.CSTNode) -> list[cst.Name]:
    """The names a binding target binds (`a`, `a, (b, *c)`; not `a.x` or `a[0]`)."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    return []


def _outermost(defs: list[cst.FunctionDef]) -> list[cst.FunctionDef]:
    """Drop defs nested in another listed def (their names are counted once)."""
    inner = {id(d) for outer in defs for d in find_all(outer.body, cst.FunctionDef)}
    return [d for d in defs if id(d) not in inner]


def read_after(scope: cst.CSTNode, node: cst.With, name: str) -> bool:
    """`name`, as bound when `node` ends, may still be read. Program order where it is
    provable: `node` is a statement of the scope's own body (no loop brings it back), later
    statements are walked in order (`with` bodies are straight-line code) and a plain
    rebinding (`name = ...` not reading it, `with ... as name`) ends the search; any read
    first, a read inside a compound statement or in a nested function counts. Elsewhere every
    occurrence outside the block counts (`used_outside`)."""
    body = _body(scope)
    index = next((i for i, s in enumerate(body) if s is node), -1)
    if index < 0:
        return used_outside(scope, node, name)
    if any(_reads_in_nested(d, name) for d in _nested(scope)):
        return True
    for stmt in body[index + 1 :]:
        verdict = _first_use(stmt, name)
        if verdict is not None:
            return verdict
    return False


def _first_use(stmt: cst.BaseStatement, name: str) -> bool | None:
    """True: `stmt` reads `name` first; False: rebinds it first; None: does not mention it."""
    if isinstance(stmt, cst.With):
        for item in stmt.items:
            if count_names(item.item, name):
                return True
            if item.asname is not None and name in [
                n.value for n in _target_names(item.asname.name)
            ]:
                return False
        if isinstance(stmt.body, cst.IndentedBlock):
            for inner in stmt.body.body:
                verdict = _first_use(inner, name)
                if verdict is not None:
                    return verdict
        return None
    if _binds(stmt, name, None):
        return False
    return True if count_names(stmt, name) else None


def fresh_graph(
    scope: cst.CSTNode, node: cst.With, name: str, is_graph: Callable[[cst.Call], bool]
) -> bool:
    """`name` (the Session's `graph=`) is a `tf.Graph()` bound just for this block: the last
    statement before it that mentions `name` is `name = tf.Graph()`, and no later statement
    reads it before rebinding it. Only straight-line statements of the scope's own body (no
    loop can bring an earlier graph back), and no nested function may read the name."""
    body = _body(scope)
    index = next((i for i, s in enumerate(body) if s is node), -1)
    if index < 0 or any(_reads_in_nested(d, name) for d in _nested(scope)):
        return False
    before = [s for s in body[:index] if count_names(s, name)]
    if not before or not _binds(before[-1], name, is_graph):
        return False
    for stmt in body[index + 1 :]:
        if _binds(stmt, name, None):
            return True
        if count_names(stmt, name):
            return False
    return True


def _body(scope: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    if isinstance(scope, cst.Module):
        return scope.body
    if isinstance(scope, cst.FunctionDef) and isinstance(scope.body, cst.IndentedBlock):
        return scope.body.body
    return ()


def _nested(scope: cst.CSTNode) -> list[cst.CSTNode]:
    defs: list[cst.CSTNode] = [d for d in find_all(scope, cst.FunctionDef) if d is not scope]
    return defs + list(find_all(scope, cst.Lambda)) + list(find_all(scope, cst.ClassDef))


def _reads_in_nested(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, cst.FunctionDef) and _binds_locally(node, name):
        return False
    return count_names(node, name) > 0


def _binds(stmt: cst.BaseStatement, name: str, is_graph: Callable[[cst.Call], bool] | None) -> bool:
    """`name = <value>` as a statement of its own; the value a `tf.Graph()` call when asked,
    else anything that does not read `name`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    assign = stmt.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return False
    if not (
        isinstance(assign.targets[0].target, cst.Name) and assign.targets[0].target.value == name
    ):
        return False
    if is_graph is None:
        return count_names(assign.value, name) == 0
    value = assign.value
    return isinstance(value, cst.Call) and not value.args and is_graph(value)
