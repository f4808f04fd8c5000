"""The one value a module-level-unique name holds: `var_list = tf.trainable_variables()`.

A codemod may read through a name to the expression it was assigned when that is the only
way the name is ever bound in the module (no parameter, loop, `with`, import, augmented
assignment or second assignment of that name anywhere) and the object is never reached
through an attribute or subscript (`var_list.append(v)`, `var_list[0] = v`), so it still
holds what that expression produced. Module-wide on purpose: cheap, and a name bound in two
scopes is simply not followed.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.node_index import find_all


def sole_value(module: cst.Module, name: str, mutable: bool = True) -> cst.BaseExpression | None:
    """The value of the single plain `name = value` in `module`, or None (see module doc).
    `mutable=False` (for objects whose methods cannot change what they are, like a session)
    allows `name.attr` and `name[...]`."""
    values: list[cst.BaseExpression] = []
    for assign in find_all(module, cst.Assign):
        for target in assign.targets:
            if _binds(target.target, name):
                if not isinstance(target.target, cst.Name) or len(assign.targets) != 1:
                    return None
                values.append(assign.value)
    if len(values) != 1 or _rebound(module, name) or (mutable and _reached_into(module, name)):
        return None
    return values[0]


def _binds(target: cst.BaseExpression, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(e.value, name) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


def _rebound(module: cst.Module, name: str) -> bool:
    nodes = find_all(
        module, cst.Param, cst.For, cst.CompFor, cst.AsName, cst.AugAssign, cst.AnnAssign,
        cst.Del, cst.Global, cst.Nonlocal, cst.NamedExpr, cst.ImportAlias,
    )  # fmt: skip
    for node in nodes:
        if isinstance(node, cst.Param) and node.name.value == name:
            return True
        if isinstance(node, (cst.For, cst.CompFor)) and _binds(node.target, name):
            return True
        if isinstance(node, cst.AsName) and _binds(node.name, name):
            return True
        if isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.Del, cst.NamedExpr)):
            if _binds(node.target, name):
                return True
        if isinstance(node, (cst.Global, cst.Nonlocal)):
            if any(n.name.value == name for n in node.names):
                return True
        if isinstance(node, cst.ImportAlias):
            if (node.evaluated_alias or node.evaluated_name.partition(".")[0]) == name:
                return True
    return False


def _reached_into(module: cst.Module, name: str) -> bool:
    """`name.attr` or `name[...]` anywhere: the object may be mutated through it."""
    nodes: list[cst.Attribute | cst.Subscript] = [
        *find_all(module, cst.Attribute),
        *find_all(module, cst.Subscript),
    ]
    return any(isinstance(n.value, cst.Name) and n.value.value == name for n in nodes)
