"""What a Saver's `var_list` holds when it is computed: the reaching value of a name, and
name-keyed dicts of graph variables (an EMA's `variables_to_restore()`).

`preceding_value` reads `var_list` through the assignment just before the Saver in the same
block (the `var_list = ...` / `saver = Saver(var_list)` pair a function may repeat for several
Savers, where a module-wide single assignment does not exist). Only straight-line code counts:
`with` bodies are entered, any other statement that mentions the name stops the search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from codemods.analysis.cst_utils import arguments, count_names, dotted
from codemods.analysis.scopes import Binding
from codemods.analysis.single_value import sole_value
from codemods.commands._saver import COLLECTIONS
from codemods.engine.node_index import find_all

Qualify = Callable[[cst.BaseExpression], str | None]
EMA = "tensorflow.train.ExponentialMovingAverage"


def value_of(module: cst.Module, node: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The value `name` holds at `node`: the assignment just before it (see module doc), else
    the module's single assignment of `name` (`sole_value`)."""
    value = preceding_value(module, node, name)
    return value if value is not None else sole_value(module, name)


def preceding_value(module: cst.Module, node: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The value of `name = value` in the statements before the one holding `node`, with no
    other mention of `name` in between (so nothing rebinds or mutates it)."""
    chain = statement_chain(module, node)
    while chain:
        owner, body, index = chain.pop()
        if not isinstance(body[index], cst.SimpleStatementLine | cst.With):
            return None
        found = search_before(body[:index], name)
        if found is not _BLOCKED and found is not None:
            return found
        if found is _BLOCKED or not isinstance(owner, cst.With) or _mentions(owner.items, name):
            return None
    return None


_BLOCKED = cst.Name("_blocked")  # a mention of the name stopped the search


def statement_chain(
    module: cst.Module, node: cst.CSTNode
) -> list[tuple[cst.CSTNode, Sequence[cst.BaseStatement], int]]:
    """(owner, body, index of the statement holding `node`) from the module inwards."""
    chain: list[tuple[cst.CSTNode, Sequence[cst.BaseStatement], int]] = []
    owner: cst.CSTNode = module
    body: Sequence[cst.BaseStatement] = module.body
    while True:
        index = next(
            (i for i, st in enumerate(body) if any(n is node for n in find_all(st, type(node)))),
            None,
        )
        if index is None:
            return chain
        chain.append((owner, body, index))
        statement = body[index]
        inner = getattr(statement, "body", None)
        if not isinstance(statement, cst.BaseCompoundStatement) or not isinstance(
            inner, cst.IndentedBlock
        ):
            return chain
        owner, body = statement, inner.body


def search_before(before: Sequence[cst.BaseStatement], name: str) -> cst.BaseExpression | None:
    """The nearest `name = value` in `before` (entering `with` bodies), `_BLOCKED` if another
    mention of `name` comes first, None if there is none."""
    for statement in reversed(before):
        assign = _plain_assign(statement, name)
        if assign is not None:
            return assign
        if isinstance(statement, cst.With) and isinstance(statement.body, cst.IndentedBlock):
            if _mentions(statement.items, name):
                return _BLOCKED
            found = search_before(statement.body.body, name)
            if found is not None:
                return found
        elif count_names(statement, name):
            return _BLOCKED
    return None


def _plain_assign(statement: cst.BaseStatement, name: str) -> cst.BaseExpression | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == name
        and not count_names(assign.value, name)
    ):
        return assign.value
    return None


def _mentions(items: Sequence[cst.WithItem], name: str) -> int:
    return sum(count_names(item, name) for item in items)


def _bodies(module: cst.Module) -> list[Sequence[cst.BaseStatement]]:
    return [module.body, *(b.body for b in find_all(module, cst.IndentedBlock))]


def name_keyed_dict(
    module: cst.Module,
    anchor: cst.CSTNode,
    var_list: cst.BaseExpression,
    qualify: Qualify,
    depth: int = 0,
) -> bool:
    """`var_list` is, by construction, a dict of graph variables keyed by checkpoint names:
    `ema.variables_to_restore()` on an `ExponentialMovingAverage` (also through a name), or
    `{key: v for v in <collection read>}`. Names are read as they are at `anchor`."""
    if isinstance(var_list, cst.Name):
        value = value_of(module, anchor, var_list.value) if depth < 8 else None  # `a = b; b = a`
        return value is not None and name_keyed_dict(module, value, value, qualify, depth + 1)
    if isinstance(var_list, cst.DictComp):
        target, loop = var_list.for_in.target, var_list.for_in
        return (
            isinstance(target, cst.Name)
            and isinstance(var_list.value, cst.Name)
            and var_list.value.value == target.value
            and loop.inner_for_in is None
            and not loop.asynchronous
            and isinstance(loop.iter, cst.Call)
            and _is_collection(loop.iter, qualify)
        )
    if (
        isinstance(var_list, cst.Call)
        and isinstance(var_list.func, cst.Attribute)
        and var_list.func.attr.value == "variables_to_restore"
        and isinstance(var_list.func.value, cst.Name)
    ):
        ema = value_of(module, anchor, var_list.func.value.value)
        return isinstance(ema, cst.Call) and qualify(ema.func) == EMA
    return False


def _is_collection(call: cst.Call, qualify: Qualify) -> bool:
    return qualify(call.func) in COLLECTIONS


def dict_problem(var_list: cst.Dict, binding: Binding) -> tuple[str, str] | None:
    """A dict-keyed Saver that restores is convertible only if it never saves (see module doc)."""
    methods = {use.method for use in binding.uses}
    if "restore" not in methods:
        return None  # save-only: Checkpoint(key=var) as for lists
    if "save" in methods:
        return (
            "SAVER_DICT_KEYS",
            "saved and restored under dict keys; only tf.compat.v1 Saver writes those",
        )
    for element in var_list.elements:
        key = element.key.evaluated_value if isinstance(element, cst.DictElement) else None  # type: ignore[attr-defined]
        if not isinstance(key, str) or key.endswith(":0") or dotted(element.value) is None:
            return ("SAVER_DICT_KEYS", "use plain string keys and variable names in the dict")
    return None


def keyed_problem(binding: Binding, module_saves: bool) -> tuple[str, str] | None:
    """A computed name-keyed dict: restore-only, in a module that writes no checkpoints of
    its own (those would be object-based), each restore path read once per key."""
    if module_saves or any(use.method != "restore" for use in binding.uses):
        return (
            "SAVER_VARLIST",
            "a name-keyed var_list (EMA names) reads TF1 checkpoints only; this module saves",
        )
    return None


_ALL_GLOBALS = frozenset({"tensorflow.global_variables", "tensorflow.all_variables"})


def all_globals(module: cst.Module, saver: cst.Call | None, qualify: Qualify) -> bool:
    """The Saver covers all global variables (`Saver()`, `var_list=None`,
    `tf.global_variables()`, `get_collection(GraphKeys.GLOBAL_VARIABLES)`), so the Saver that
    `import_meta_graph` makes from an exported graph without a SaverDef restores the same set."""
    if saver is None:
        return False
    var_list = arguments(saver, ("var_list",)).get("var_list")
    if var_list is None or (isinstance(var_list, cst.Name) and var_list.value == "None"):
        return True
    if isinstance(var_list, cst.Name):
        var_list = value_of(module, saver, var_list.value)
    if not isinstance(var_list, cst.Call):
        return False
    reader = qualify(var_list.func)
    if reader == "tensorflow.get_collection" and len(var_list.args) == 1:
        key = dotted(var_list.args[0].value) or ""
        return var_list.args[0].keyword is None and key.endswith("GLOBAL_VARIABLES")
    return not var_list.args and reader in _ALL_GLOBALS
