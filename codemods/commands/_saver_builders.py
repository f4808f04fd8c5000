"""A `var_list` built just before its Saver: `names = []` / `{}` then filled with variables.

    variables = []
    for variable in tf.global_variables():
        if wanted(variable):
            variables.append(variable)           # or  variable_map[key] = variable
    saver = tf.train.Saver(variables)

Read backwards from the Saver in its block (outwards through `with` bodies only), every
statement that mentions the name must only fill it (`name.append(x)`, `name[key] = x`), until
`name = []` / `name = {}`. Each `x` must be a graph variable by construction: the target of an
enclosing `for x in <collection read>` that the loop body never rebinds, or a name assigned
`tf.get_variable(...)` / `tf.Variable(...)` just before the fill. Then the list holds graph
variables only (so `{v.op.name: v for v in variables}` keys them as TF1 did) and the dict maps
keys to variables (`var.assign(...)` restores them).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.analysis.cst_utils import count_names
from codemods.commands._saver import COLLECTIONS
from codemods.commands._saver_values import Qualify, preceding_value, statement_chain
from codemods.engine.node_index import find_all

_FACTORIES = frozenset({"tensorflow.get_variable", "tensorflow.Variable"})


def built_collection(
    module: cst.Module, anchor: cst.CSTNode, name: str, qualify: Qualify
) -> str | None:
    """'list' or 'dict' if `name` at `anchor` was built as the module doc says, else None."""
    chain = statement_chain(module, anchor)
    while chain:
        owner, body, index = chain.pop()
        if not isinstance(body[index], cst.SimpleStatementLine | cst.With):
            return None
        for statement in reversed(body[:index]):
            kind = _empty(statement, name)
            if kind is not None:
                return kind
            mentions = count_names(statement, name)
            if mentions and not _only_fills(module, statement, name, mentions, qualify):
                return None
        if not isinstance(owner, cst.With) or any(count_names(i, name) for i in owner.items):
            return None
    return None


def _empty(statement: cst.BaseStatement, name: str) -> str | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == name
    ):
        return None
    if isinstance(assign.value, cst.List) and not assign.value.elements:
        return "list"
    if isinstance(assign.value, cst.Dict) and not assign.value.elements:
        return "dict"
    return None


def _only_fills(
    module: cst.Module, statement: cst.BaseStatement, name: str, mentions: int, qualify: Qualify
) -> bool:
    """Every mention of `name` in `statement` is a fill with a graph variable."""
    fills: list[tuple[cst.CSTNode, cst.BaseExpression]] = []
    for call in find_all(statement, cst.Call):
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "append"
            and isinstance(func.value, cst.Name)
            and func.value.value == name
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
        ):
            fills.append((call, call.args[0].value))
    for assign in find_all(statement, cst.Assign):
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        if (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and target.value.value == name
        ):
            fills.append((assign, assign.value))
    return len(fills) == mentions and all(
        _is_variable(module, statement, node, value, qualify) for node, value in fills
    )


def _is_variable(
    module: cst.Module,
    statement: cst.BaseStatement,
    fill: cst.CSTNode,
    value: cst.BaseExpression,
    qualify: Qualify,
) -> bool:
    if not isinstance(value, cst.Name):
        return False
    for loop in find_all(statement, cst.For):
        if (
            isinstance(loop.target, cst.Name)
            and loop.target.value == value.value
            and isinstance(loop.iter, cst.Call)
            and qualify(loop.iter.func) in COLLECTIONS
            and _within(fill, loop.body)
            and not _rebinds(loop.body, value.value)
        ):
            return True
    made = preceding_value(module, fill, value.value)
    return isinstance(made, cst.Call) and qualify(made.func) in _FACTORIES


def _within(node: cst.CSTNode, body: cst.BaseSuite) -> bool:
    return any(n is node for n in find_all(body, type(node)))


def _rebinds(body: cst.BaseSuite, name: str) -> bool:
    """`name` is a target anywhere in `body` (assignment, loop, `with ... as`, walrus, del)."""
    targets: Sequence[cst.CSTNode] = [
        *(t.target for t in find_all(body, cst.AssignTarget)),
        *(t.target for t in find_all(body, cst.For)),
        *(t.target for t in find_all(body, cst.CompFor)),
        *(t.target for t in find_all(body, cst.AugAssign)),
        *(t.target for t in find_all(body, cst.AnnAssign)),
        *(t.name for t in find_all(body, cst.AsName)),
        *(t.target for t in find_all(body, cst.NamedExpr)),
        *(t.target for t in find_all(body, cst.Del)),
    ]
    return any(_binds(t, name) for t in targets)


def _binds(target: cst.CSTNode, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, cst.Tuple | cst.List):
        return any(_binds(e.value, name) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False
