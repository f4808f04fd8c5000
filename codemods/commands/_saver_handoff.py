"""A Saver handed to a module-level helper that only saves or restores with it.

    def save(saver, sess, logdir, step):
        saver.save(sess, os.path.join(logdir, "model.ckpt"), global_step=step)
    ...
    saver = tf.train.Saver(max_to_keep=40)
    save(saver, sess, args.snapshot_dir, step)

Passing the Saver on is an escape (its uses are unknown), unless the callee is a `def` at
module level, every reference to it in the module is a call that passes this one Saver
binding in that parameter, and the parameter is used in the body only as `P.save(...)` /
`P.restore(...)`, never rebound. Then those calls are uses of the binding, rewritten with the
parameter as owner (the helper receives the Checkpoint). Like `self.saver`, a helper that
other modules call with a TF1 Saver is outside what one module can show.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.analysis.scopes import Binding
from codemods.engine.node_index import find_all


@dataclass(frozen=True)
class Handoff:
    """Uses found in a helper: (method call, method name, parameter name) each."""

    calls: tuple[tuple[cst.Call, str, str], ...]
    escapes: tuple[cst.CSTNode, ...]  # the arguments that passed the Saver to its helpers


def handoffs(module: cst.Module, bindings: list[Binding]) -> dict[int, Handoff]:
    """Binding index -> the helper uses that replace all of its escapes (see module doc)."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    owner = {id(e): i for i, b in enumerate(bindings) if not b.unproven for e in b.escapes}
    helpers: dict[str, tuple[int, str]] = {}  # helper -> (the binding it receives, param)
    refused: set[int] = set()
    for call in find_all(module, cst.Call):
        name = call.func.value if isinstance(call.func, cst.Name) else ""
        function = functions.get(name)
        for position, arg in enumerate(call.args):
            index = owner.get(id(arg.value))
            if index is None:
                continue
            param = None if function is None or arg.star else _param(function, position, arg)
            if param is None or helpers.get(name, (index, param)) != (index, param):
                refused.add(index)
                continue
            helpers[name] = (index, param)
    result: dict[int, list[tuple[cst.Call, str, str]]] = {}
    for name, (index, param) in helpers.items():
        function = functions[name]
        uses = _param_uses(function, param)
        if uses is None or not _only_calls(module, function, param, index, owner):
            refused.add(index)
        else:
            result.setdefault(index, []).extend(uses)
    passed: dict[int, list[cst.CSTNode]] = {}
    for call in find_all(module, cst.Call):
        name = call.func.value if isinstance(call.func, cst.Name) else ""
        for arg in call.args if name in helpers else ():
            if owner.get(id(arg.value)) == helpers[name][0]:
                passed.setdefault(helpers[name][0], []).append(arg.value)
    return {
        i: Handoff(tuple(uses), tuple(passed.get(i, ())))
        for i, uses in result.items()
        if i not in refused
    }


def _only_calls(
    module: cst.Module, function: cst.FunctionDef, param: str, index: int, owner: dict[int, int]
) -> bool:
    """Every reference to the helper's name is a call passing binding `index` as `param`."""
    name = function.name.value
    attrs = {id(a.attr) for a in find_all(module, cst.Attribute)}
    calls = {id(c.func): c for c in find_all(module, cst.Call)}
    for node in find_all(module, cst.Name):
        if node.value != name or node is function.name or id(node) in attrs:
            continue
        call = calls.get(id(node))
        if call is None:
            return False
        passed = [
            owner.get(id(a.value))
            for position, a in enumerate(call.args)
            if not a.star and _param(function, position, a) == param
        ]
        if passed != [index]:
            return False
    return True


def _param(function: cst.FunctionDef, position: int, arg: cst.Arg) -> str | None:
    params = function.params
    if params.star_arg not in (cst.MaybeSentinel.DEFAULT, None) or params.star_kwarg:
        return None
    if params.posonly_params:
        return None
    if arg.keyword is not None:
        names = [p.name.value for p in (*params.params, *params.kwonly_params)]
        return arg.keyword.value if arg.keyword.value in names else None
    return params.params[position].name.value if position < len(params.params) else None


def _param_uses(function: cst.FunctionDef, param: str) -> list[tuple[cst.Call, str, str]] | None:
    """The `param.save(...)` / `param.restore(...)` calls, if those are its only mentions."""
    attrs = {id(a.attr) for a in find_all(function.body, cst.Attribute)}
    mentions = [
        n for n in find_all(function.body, cst.Name) if n.value == param and id(n) not in attrs
    ]
    uses: list[tuple[cst.Call, str, str]] = []
    for call in find_all(function.body, cst.Call):
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == param
            and func.attr.value in ("save", "restore")
        ):
            uses.append((call, func.attr.value, param))
    if not uses or len(uses) != len(mentions):
        return None
    return uses
