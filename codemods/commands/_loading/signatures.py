"""The SavedModel + signature form of `tf1_loading_to_tf2`: what a block's statements mean.

`meta = loader.load(sess, tags, dir)`, lookups of tensor names in `meta.signature_def[key]`
(into variables or inline) and one-output runs fed by those names become
`meta.signatures[key](input=value)[output].numpy()`; these helpers read the lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m

from codemods.analysis.cst_utils import arguments
from codemods.analysis.names import dotted_name
from codemods.engine.node_index import find_all


@dataclass
class SignaturePlan:
    """What one recognised `with Session` block turns into."""

    meta: str = ""
    directory: cst.BaseExpression | None = None
    signatures: dict[str, cst.BaseExpression] = field(default_factory=dict)  # sig var -> key
    names: dict[str, tuple[str, str, cst.BaseExpression]] = field(default_factory=dict)
    body: list[cst.BaseStatement] = field(default_factory=list)


def run_ok(call: cst.Call, plan: SignaturePlan) -> bool:
    """One output fetched, every feed an input name of the same signature."""
    args = arguments(call, ("fetches", "feed_dict"))
    fetch, feed = args.get("fetches"), args.get("feed_dict")
    if set(args) - {"fetches", "feed_dict"} or not isinstance(feed, cst.Dict):
        return False
    output = entry(fetch, plan) if fetch is not None else None
    if output is None or output[0] != "outputs":
        return False
    for element in feed.elements:
        if not isinstance(element, cst.DictElement):
            return False
        found = entry(element.key, plan)
        if found is None or found[0] != "inputs" or not found[2].deep_equals(output[2]):
            return False
    return True


def entry(
    node: cst.BaseExpression, plan: SignaturePlan
) -> tuple[str, str, cst.BaseExpression] | None:
    """A tensor name bound earlier in the block, or a signature lookup written inline."""
    return plan.names.get(dotted_name(node) or "") or tensor_lookup(node, plan)


def replace_value(
    stmt: cst.BaseStatement, assign: cst.Assign, value: cst.BaseExpression
) -> cst.BaseStatement:
    assert isinstance(stmt, cst.SimpleStatementLine)
    return stmt.with_changes(body=[assign.with_changes(value=value)])


def signature_key(value: cst.BaseExpression, meta: str) -> cst.BaseExpression | None:
    pattern = m.Subscript(
        value=m.Attribute(attr=m.Name("signature_def")), slice=[m.SubscriptElement(m.Index())]
    )
    if m.matches(value, pattern) and dotted_name(value.value.value) == meta:  # type: ignore[attr-defined]
        return value.slice[0].slice.value  # type: ignore[attr-defined,no-any-return]
    return None


def tensor_lookup(
    value: cst.BaseExpression, plan: SignaturePlan
) -> tuple[str, str, cst.BaseExpression] | None:
    """`sig.inputs["x"].name` -> ("inputs", "x", signature key)."""
    pattern = m.Attribute(
        value=m.Subscript(
            value=m.Attribute(attr=m.Name("inputs") | m.Name("outputs")),
            slice=[m.SubscriptElement(m.Index(m.SimpleString()))],
        ),
        attr=m.Name("name"),
    )
    if not m.matches(value, pattern):
        return None
    subscript = value.value  # type: ignore[attr-defined]
    owner = subscript.value.value
    key = plan.signatures.get(dotted_name(owner) or "") or signature_key(owner, plan.meta)
    tensor_key = subscript.slice[0].slice.value.evaluated_value
    if key is None or not isinstance(tensor_key, str) or not tensor_key.isidentifier():
        return None
    return (subscript.value.attr.value, tensor_key, key)


def run_call(value: cst.BaseExpression, session: str) -> cst.Call | None:
    if m.matches(value, m.Call(func=m.Attribute(attr=m.Name("run")))):
        receiver = dotted_name(value.func.value)  # type: ignore[attr-defined]
        if not session or receiver == session:
            return value  # type: ignore[return-value]
    return None


def mentions(node: cst.CSTNode, names: set[str]) -> bool:
    return any(n.value in names for n in find_all(node, cst.Name))


def string(value: str) -> cst.SimpleString:
    return cst.SimpleString(f'"{value}"')
