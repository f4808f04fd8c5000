"""An Estimator built by a factory function of the same file, seen as its constructor call.

`est = make_estimator(MODEL_DIR)` with `def make_estimator(d): ... return
tf.estimator.Estimator(model_fn, model_dir=d)` is the constructor `Estimator(model_fn,
model_dir=MODEL_DIR)` built in one function and exported in another. What the export needs
(`model_fn`, `model_dir`, `params`) must then read only the factory's parameters (replaced by the
caller's arguments) or module-level names the factory never binds; anything else is refused.
"""

from __future__ import annotations

import libcst as cst

from codemods.analysis.cst_utils import arguments, is_pure
from codemods.commands._export.signature import Refusal
from codemods.engine.node_index import find_all

USED = ("model_fn", "model_dir", "params")  # what the rewritten export reads from the constructor


def inline(
    call: cst.Call,
    functions: dict[str, cst.FunctionDef],
    globals_: dict[str, cst.BaseExpression],
    ctor_args: tuple[str, ...],
) -> cst.Call | None:
    """The constructor `call`'s factory returns, its USED arguments in the caller's terms;
    None when `call` is not a call of a module-level function."""
    function = functions.get(call.func.value) if isinstance(call.func, cst.Name) else None
    if function is None:
        return None
    built = _returned(function)
    bound = _bind(function, call)
    args = arguments(built, ctor_args)
    names = [n for n in _names(function) if n.value]
    replaced: dict[str, cst.BaseExpression] = {}
    for key in USED:
        value = args.get(key)
        if value is None:
            continue
        if isinstance(value, cst.Name) and value.value in bound:
            value = bound[value.value]
        else:
            for name in _names(value):
                inside = sum(1 for n in names if n.value == name.value)
                mine = sum(1 for n in _names(built) if n.value == name.value)
                if name.value not in globals_ and name.value not in functions or inside != mine:
                    raise Refusal(
                        "ESTIMATOR_BINDING",
                        f"{function.name.value}'s Estimator {key} reads its own names",
                    )
        if key != "model_fn" and not is_pure(value):
            raise Refusal("ESTIMATOR_BINDING", f"{function.name.value} gets a computed {key}")
        replaced[key] = value
    args.update(replaced)
    return built.with_changes(args=[cst.Arg(v, keyword=cst.Name(k)) for k, v in args.items()])


def _returned(function: cst.FunctionDef) -> cst.Call:
    """The call `function` returns: its last statement, and its only `return`."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    last = body[-1] if body else None
    small = last.body[0] if isinstance(last, cst.SimpleStatementLine) else None
    value = small.value if isinstance(small, cst.Return) else None
    if isinstance(value, cst.Name):  # `est = Estimator(...); return est`, bound once
        assigned = [
            s.body[0].value
            for s in body
            if isinstance(s, cst.SimpleStatementLine)
            and isinstance(s.body[0], cst.Assign)
            and len(s.body[0].targets) == 1
            and isinstance(s.body[0].targets[0].target, cst.Name)
            and s.body[0].targets[0].target.value == value.value
        ]
        value = assigned[0] if len(assigned) == 1 else None
    if not isinstance(value, cst.Call) or len(find_all(function, cst.Return)) != 1:
        raise Refusal(
            "ESTIMATOR_BINDING",
            f"{function.name.value} does not end in its only `return <call>`",
        )
    return value


def _bind(function: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression]:
    """Parameter -> the caller's argument (or the default)."""
    params = function.params
    if (
        params.posonly_params
        or params.kwonly_params
        or isinstance(params.star_arg, cst.Param)
        or params.star_kwarg
        or any(a.star for a in call.args)
    ):
        raise Refusal("ESTIMATOR_BINDING", f"{function.name.value}'s parameters are not plain")
    bound = {p.name.value: p.default for p in params.params if p.default is not None}
    names = [p.name.value for p in params.params]
    positional = [a for a in call.args if a.keyword is None]
    bound.update(zip(names, (a.value for a in positional), strict=False))
    bound.update((a.keyword.value, a.value) for a in call.args if a.keyword is not None)
    if set(names) - set(bound):
        raise Refusal("ESTIMATOR_BINDING", f"{function.name.value} is called without an argument")
    return bound


def _names(node: cst.CSTNode) -> list[cst.Name]:
    """Names read or bound in `node`, without attribute names and keyword labels."""
    skip = {id(a.attr) for a in find_all(node, cst.Attribute)}
    skip |= {id(a.keyword) for a in find_all(node, cst.Arg) if a.keyword is not None}
    return [n for n in find_all(node, cst.Name) if id(n) not in skip]
