"""What the MetaGraph and tensor-name forms emit: the wrapped import, the restore, the prunes.

The TF2 form is the wrap_function + prune recipe: import the MetaGraph inside
`tf.compat.v1.wrap_function`, run the imported Saver's own restore op through a pruned
function, cut one pruned function per distinct `(feeds, fetches)` and call it on typed
constants (pruned functions accept only Tensors, as `feed_dict` converted its values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import parse_template_expression

from codemods.analysis.cst_utils import arguments, code

if TYPE_CHECKING:
    from codemods.commands._loading.meta_graph import MetaGraphPlan


@dataclass(frozen=True)
class MetaGraphNames:
    """Local names the rewrite binds: the Saver holder, the wrapped function, tf handle."""

    holder: str
    wrapped: str
    tf: str


def import_statements(plan: MetaGraphPlan, names: MetaGraphNames) -> list[cst.SimpleStatementLine]:
    """`holder = []`, `wrapped = wrap_function(lambda: holder.append(import))`,
    `saver = holder[0]`."""
    wrap = parse_template_expression(
        "{tf}.compat.v1.wrap_function(lambda: {holder}.append({call}), [])",
        tf=cst.Name(names.tf), holder=cst.Name(names.holder), call=plan.import_call,
    )  # fmt: skip
    return [
        cst.parse_statement(f"{names.holder} = []"),  # type: ignore[list-item]
        _assign(names.wrapped, wrap),
        cst.parse_statement(f"{plan.saver} = {names.holder}[0]"),  # type: ignore[list-item]
    ]


def restore_expression(plan: MetaGraphPlan, names: MetaGraphNames) -> cst.BaseExpression:
    """Run the imported Saver's restore op, fed with the checkpoint path, as TF1 did."""
    return parse_template_expression(
        "{wrapped}.prune({saver}.saver_def.filename_tensor_name, {saver}.saver_def.restore_op_name)"
        "({tf}.constant({path}))",
        wrapped=cst.Name(names.wrapped), saver=cst.Name(plan.saver),
        tf=cst.Name(names.tf), path=plan.restore_path,
    )  # fmt: skip


def run_parts(call: cst.Call) -> tuple[cst.BaseExpression, list[cst.DictElement]]:
    args = arguments(call, ("fetches", "feed_dict"))
    feed = args.get("feed_dict")
    elements = (
        [e for e in feed.elements if isinstance(e, cst.DictElement)]
        if isinstance(feed, cst.Dict)
        else []
    )
    return args["fetches"], elements


def prune_statement(call: cst.Call, names: MetaGraphNames, pruned: str) -> cst.SimpleStatementLine:
    """`pruned = wrapped.prune([feed names], fetches)`, cut once, before any loop calls it.

    Each fetch is a `tf.identity` of the named tensor (made in the imported graph: see
    `prune_block`): a TF1 variable's own output (`"w:0"`, dtype `float_ref`) cannot be a
    function output (InvalidArgumentError on TF 2.21), its identity is its value, as
    `sess.run` returned it; for any other tensor the identity changes nothing.
    """
    fetches, elements = run_parts(call)
    feeds = cst.List([cst.Element(e.key) for e in elements])
    value = parse_template_expression(
        "{wrapped}.prune({feeds}, {fetches})",
        wrapped=cst.Name(names.wrapped),
        feeds=feeds,
        fetches=_values(fetches, names),
    )
    return _assign(pruned, value)


def _values(fetches: cst.BaseExpression, names: MetaGraphNames) -> cst.BaseExpression:
    """Every tensor name of a (checked) fetch structure -> the identity of that tensor."""
    if isinstance(fetches, (cst.List, cst.Tuple)):
        elements = [e.with_changes(value=_values(e.value, names)) for e in fetches.elements]
        return fetches.with_changes(elements=elements)
    if isinstance(fetches, cst.Dict):
        values = [
            e.with_changes(value=_values(e.value, names)) if isinstance(e, cst.DictElement) else e
            for e in fetches.elements
        ]
        return fetches.with_changes(elements=values)
    return parse_template_expression(
        "{tf}.identity({wrapped}.graph.get_tensor_by_name({name}))",
        tf=cst.Name(names.tf),
        wrapped=cst.Name(names.wrapped),
        name=fetches,
    )


def prune_block(
    prunes: list[cst.SimpleStatementLine], names: MetaGraphNames
) -> list[cst.BaseStatement]:
    """The prunes inside `with wrapped.graph.as_default():`, where their identities are made."""
    if not prunes:
        return []
    context = cst.parse_expression(f"{names.wrapped}.graph.as_default()")
    comment = "# fetch values: a TF1 variable (float_ref) cannot be a pruned output"
    header = cst.TrailingWhitespace(
        whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(comment)
    )
    body = cst.IndentedBlock(body=prunes, header=header)
    return [cst.With(items=[cst.WithItem(context)], body=body)]


def prune_key(call: cst.Call) -> str:
    """Runs with the same feed names and fetches share one pruned function."""
    fetches, elements = run_parts(call)
    return code(
        cst.Tuple(
            [cst.Element(cst.List([cst.Element(e.key) for e in elements])), cst.Element(fetches)]
        )
    )


def run_expression(call: cst.Call, names: MetaGraphNames, pruned: str) -> cst.BaseExpression:
    """`sess.run(fetches, feed_dict={name: value})` -> the pruned function on typed constants."""
    fetches, elements = run_parts(call)
    values = [
        cst.Arg(parse_template_expression(
            "{tf}.constant({value}, {wrapped}.graph.get_tensor_by_name({name}).dtype)",
            tf=cst.Name(names.tf), value=e.value, wrapped=cst.Name(names.wrapped), name=e.key,
        ))
        for e in elements
    ]  # fmt: skip
    result = cst.Call(cst.Name(pruned), values)
    if isinstance(fetches, cst.SimpleString):
        return cst.Call(cst.Attribute(result, cst.Name("numpy")))
    return parse_template_expression(
        "{tf}.nest.map_structure(lambda t: t.numpy(), {result})",
        tf=cst.Name(names.tf),
        result=result,
    )


def _assign(target: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(target))], value)])
