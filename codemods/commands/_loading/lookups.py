"""Tensors a MetaGraph block looks up by name: `x = graph.get_tensor_by_name("x:0")`.

TF1 code rarely runs literal names: it binds the imported tensors first and feeds/fetches the
variables later. After the rewrite the imported graph is `imported.graph`, so each lookup is
pointed there, and each `sess.run` is pruned on the *names* its variables were bound to. That
is static only when the lookup's argument is a tensor-name literal, the graph is the session's
(`sess.graph`, its `graph=` name, `get_default_graph()` inside the block), and the variable is
bound once, after the import, and then only fetched, used as a feed key, or asked for
`.name` / `.dtype` / `.shape`: a symbolic tensor of the imported graph cannot take part in new
ops outside it (e.g. `y * 2` in eager code fails), so any other use keeps the TODO.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

from codemods.analysis.cst_utils import count_names
from codemods.engine.node_index import find_all

# What a looked-up tensor may be asked outside a run: metadata, never a new op.
_METADATA = frozenset({"name", "dtype", "shape"})


@dataclass(frozen=True)
class Lookup:
    """`var = <graph>.get_tensor_by_name("x:0")`: where it is and what it names."""

    index: int  # the statement's index in the block
    call: cst.Call
    name: cst.SimpleString
    on_session: bool  # the graph is `session.graph` (one more mention of the session)
    graph: str | None  # the graph is this named variable


def find_lookups(
    statements: Sequence[cst.BaseStatement],
    session: str,
    graphs: set[str],
    is_default_graph: Callable[[cst.Call], bool],
    is_tensor_name: Callable[[cst.BaseExpression], bool],
) -> dict[str, Lookup] | None:
    """Every lookup statement of the block by variable; None if a variable is bound twice."""
    found: dict[str, Lookup] = {}
    for index, stmt in enumerate(statements):
        target, call = _lookup_assign(stmt)
        if target is None or call is None or len(call.args) != 1 or call.args[0].keyword:
            continue
        literal = call.args[0].value
        if not isinstance(literal, cst.SimpleString) or not is_tensor_name(literal):
            continue
        receiver = call.func.value  # type: ignore[attr-defined]
        on_session = m.matches(receiver, m.Attribute(m.Name(session), m.Name("graph")))
        graph = receiver.value if isinstance(receiver, cst.Name) else None
        default = isinstance(receiver, cst.Call) and not receiver.args
        if not (on_session or graph in graphs or (default and is_default_graph(receiver))):
            continue
        if target in found:
            return None
        found[target] = Lookup(index, call, literal, on_session, graph)
    return found


def _lookup_assign(stmt: cst.BaseStatement) -> tuple[str | None, cst.Call | None]:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None, None
    assign = stmt.body[0]
    pattern = m.Assign(
        targets=[m.AssignTarget(m.Name())],
        value=m.Call(func=m.Attribute(attr=m.Name("get_tensor_by_name"))),
    )
    if not m.matches(assign, pattern):
        return None, None
    return assign.targets[0].target.value, assign.value  # type: ignore[attr-defined]


def uses_ok(
    statements: Sequence[cst.BaseStatement],
    lookups: Mapping[str, Lookup],
    run_operands: Sequence[cst.BaseExpression],
) -> bool:
    """Each variable is read only after its lookup, and only as a run operand (a fetch or a
    feed key, already checked to be a bare name there) or for its metadata."""
    for var, lookup in lookups.items():
        if any(count_names(s, var) for s in statements[: lookup.index]):
            return False
        allowed = 1 + sum(count_names(operand, var) for operand in run_operands)
        allowed += sum(
            1
            for s in statements
            for a in find_all(s, cst.Attribute)
            if m.matches(a, m.Attribute(m.Name(var))) and a.attr.value in _METADATA
        )
        if sum(count_names(s, var) for s in statements) != allowed:
            return False
    return True


class _Substitute(cst.CSTTransformer):
    def __init__(self, lookups: Mapping[str, Lookup]) -> None:
        super().__init__()
        self.lookups = lookups

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        lookup = self.lookups.get(original_node.value)
        return lookup.name if lookup is not None else updated_node


def literal_run(call: cst.Call, lookups: Mapping[str, Lookup]) -> cst.Call:
    """The run with its looked-up operands replaced by their tensor names (fetches and feed
    keys only; the fed values stay as written)."""
    if not lookups:
        return call
    substitute = _Substitute(lookups)
    args = []
    for index, arg in enumerate(call.args):
        value = arg.value
        if index == 0 or (arg.keyword is not None and arg.keyword.value == "fetches"):
            value = value.visit(substitute)  # type: ignore[assignment]
        elif isinstance(value, cst.Dict):
            value = value.with_changes(
                elements=[
                    e.with_changes(key=e.key.visit(substitute))
                    if isinstance(e, cst.DictElement)
                    else e
                    for e in value.elements
                ]
            )
        args.append(arg.with_changes(value=value))
    return call.with_changes(args=args)


def imported_lookup(lookup: Lookup, wrapped: str) -> cst.Call:
    """`imported.graph.get_tensor_by_name("x:0")`: the same tensor, in the imported graph."""
    graph = cst.Attribute(cst.Name(wrapped), cst.Name("graph"))
    func = lookup.call.func
    assert isinstance(func, cst.Attribute)
    return lookup.call.with_changes(func=func.with_changes(value=graph))
