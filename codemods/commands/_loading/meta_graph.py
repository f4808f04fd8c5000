"""Recognise and rewrite `import_meta_graph` + `restore` + `sess.run` blocks (no Session in TF2).

The TF2 form is the wrap_function + prune recipe: import the MetaGraph inside
`tf.compat.v1.wrap_function`, run the imported Saver's own restore op through a pruned
function, and cut one pruned function per `sess.run`. Checked on TF 2.21 with ref variables
(VariableV2): values restored this way are what later pruned functions read. Pruned
functions accept only Tensors, so every feed is converted to the placeholder's dtype, as
`feed_dict` did. Only literal tensor names (`"y:0"`) can be pruned without running the code,
so dynamic names, op names (training ops, initialisers) and any other use of the session,
the Saver or the default graph keep the TODO.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.helpers import parse_template_expression

from codemods.analysis.blocks import with_scopes
from codemods.analysis.cst_utils import arguments, code, count_names
from codemods.analysis.names import dotted_name
from codemods.commands._loading.lookups import Lookup, find_lookups, literal_run, uses_ok
from codemods.engine.node_index import find_all

# A tensor (not an operation) name: `scope/op:0`. Fetching an op runs it for its effect.
_TENSOR_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*:\d+$")
# Reading graph state: after the rewrite the default graph no longer holds the imported graph.
_GRAPH_STATE = frozenset({
    "get_default_graph", "get_collection", "get_collection_ref", "get_tensor_by_name",
    "get_operation_by_name", "as_graph_def", "graph", "global_variables",
    "trainable_variables", "global_variables_initializer", "local_variables_initializer",
})  # fmt: skip
_IMPORT_KWARGS = frozenset({"meta_graph_or_file", "clear_devices"})


@dataclass
class MetaGraphPlan:
    """A recognised block: which statements to replace and what each run becomes."""

    saver: str
    import_index: int
    import_call: cst.Call
    restore_index: int
    restore_path: cst.BaseExpression
    runs: list[cst.Call] = field(default_factory=list)
    lookups: dict[str, Lookup] = field(default_factory=dict)  # tensors bound by name
    literal: dict[cst.Call, cst.Call] = field(default_factory=dict)  # run -> names only


def plan_meta_graph(
    block: cst.IndentedBlock,
    session: str,
    is_import: Callable[[cst.Call], bool],
    graphs: frozenset[str] = frozenset(),
    is_default_graph: Callable[[cst.Call], bool] = lambda call: False,
) -> MetaGraphPlan | None:
    """The plan for a `with Session() as session:` body, or None if it is not provably clear.

    `graphs`: names bound to the session's own graph (its `graph=` argument), whose
    `get_tensor_by_name` lookups may be redirected to the imported graph.
    """
    statements = list(block.body)
    plan: MetaGraphPlan | None = None
    restore_index = -1
    for index, stmt in enumerate(statements):
        imported = _import_assign(stmt, is_import)
        if imported is not None:
            if plan is not None:
                return None
            plan = MetaGraphPlan(imported[0], index, imported[1], -1, cst.Name("None"))
            continue
        if plan is not None and restore_index < 0:
            path = _restore_path(stmt, plan.saver, session)
            if path is not None:
                restore_index, plan.restore_index, plan.restore_path = index, index, path
    if plan is None or restore_index < 0:
        return None
    imports = [c for c in find_all(block, cst.Call) if is_import(c)]
    if len(imports) != 1 or not _import_args_ok(plan.import_call):
        return None
    if count_names(block, plan.saver) != 2:
        return None
    runs = plan_runs(
        statements,
        session,
        (plan.import_index, restore_index),
        {session, plan.saver},
        graphs,
        is_default_graph,
    )
    if runs is None:
        return None
    plan.runs, plan.lookups, plan.literal = runs
    return plan


Runs = tuple[list[cst.Call], dict[str, Lookup], dict[cst.Call, cst.Call]]


def plan_runs(
    statements: Sequence[cst.BaseStatement],
    session: str,
    after: tuple[int, int],
    owned: set[str],
    graphs: frozenset[str],
    is_default_graph: Callable[[cst.Call], bool],
) -> Runs | None:
    """The session's runs (after statement `after[1]`; lookups after `after[0]`), each with
    its looked-up operands replaced by names, when every one is a tensor-name run and the
    session and its graph are used for nothing else (the load/restore is one more use)."""
    block = cst.IndentedBlock(body=list(statements))
    found = find_lookups(statements, session, set(graphs), is_default_graph, _is_tensor_name)
    if found is None or any(v.index < after[0] for v in found.values()):
        return None
    runs: list[cst.Call] = []
    literal: dict[cst.Call, cst.Call] = {}
    operands: list[cst.BaseExpression] = []
    for index, stmt in enumerate(statements):
        calls = [c for c in find_all(stmt, cst.Call) if _is_run(c, session)]
        if calls and index <= after[1]:
            return None
        for call in calls:
            literal[call] = literal_run(call, found)
            if not _run_ok(literal[call], owned):
                return None
            operands += _operands(call)
        runs.extend(calls)
    if not uses_ok(statements, found, operands):
        return None
    # Every mention of the session and its graph must be one the plan rewrites.
    on_session = sum(v.on_session for v in found.values())
    if count_names(block, session) != len(runs) + 1 + on_session:
        return None
    if any(
        count_names(block, g, variables_only=True) != sum(v.graph == g for v in found.values())
        for g in graphs
    ):
        return None
    kept = {v.index for v in found.values()}
    if any(_reads_graph_state(s) for i, s in enumerate(statements) if i not in kept):
        return None
    return runs, found, literal


def _operands(call: cst.Call) -> list[cst.BaseExpression]:
    """The fetches and the feed keys of a run (where a looked-up tensor may appear)."""
    fetches, elements = _feeds(call)
    return [fetches, *(e.key for e in elements)]


def enclosing_scopes(module: cst.Module) -> tuple[dict[cst.With, cst.CSTNode], set[cst.With]]:
    """Each `with` statement's innermost enclosing function (or the module), and the `with`s
    nested in another `with` that sets a default graph or session (`g.as_default()`,
    `Session()`): code there runs in graph mode, where the TF2 forms return symbolic tensors."""
    return with_scopes(module, _sets_graph)


def _sets_graph(node: cst.With) -> bool:
    calls = [item.item for item in node.items if isinstance(item.item, cst.Call)]
    return any(
        m.matches(
            c.func, m.Attribute(attr=m.Name("as_default") | m.Name("Session")) | m.Name("Session")
        )
        for c in calls
    )


def private_graph(session: cst.Call, fresh: Callable[[str], bool]) -> bool:
    """`Session()` / `Session(graph=tf.Graph(), config=...)`, or `graph=g` where `fresh(g)`
    proves `g` is a new graph nobody reads after the block (the rewrite leaves it empty)."""
    args = arguments(session, ("target", "graph", "config"))
    graph = args.get("graph")
    if isinstance(graph, cst.Name):
        if not fresh(graph.value):
            return False
    elif graph is not None and not m.matches(
        graph, m.Call(func=m.Name("Graph") | m.Attribute(attr=m.Name("Graph")))
    ):
        return False
    return set(args) <= {"target", "graph", "config"}


def graph_name(session: cst.Call) -> str | None:
    """The variable passed as `graph=`, if any."""
    graph = arguments(session, ("target", "graph", "config")).get("graph")
    return graph.value if isinstance(graph, cst.Name) else None


def _import_assign(
    stmt: cst.BaseStatement, is_import: Callable[[cst.Call], bool]
) -> tuple[str, cst.Call] | None:
    """`saver = import_meta_graph(...)` -> ("saver", call)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target, value = assign.targets[0].target, assign.value
    if isinstance(target, cst.Name) and isinstance(value, cst.Call) and is_import(value):
        return target.value, value
    return None


def _import_args_ok(call: cst.Call) -> bool:
    """The import keeps its arguments; scopes would rename the tensors, so refuse them."""
    args = arguments(call, ("meta_graph_or_file", "clear_devices"))
    return "meta_graph_or_file" in args and set(args) <= _IMPORT_KWARGS


def _restore_path(stmt: cst.BaseStatement, saver: str, session: str) -> cst.BaseExpression | None:
    """`saver.restore(session, path)` as a statement of its own -> path."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    expr = stmt.body[0]
    pattern = m.Expr(m.Call(func=m.Attribute(value=m.Name(saver), attr=m.Name("restore"))))
    if not m.matches(expr, pattern):
        return None
    args = arguments(expr.value, ("sess", "save_path"))  # type: ignore[attr-defined]
    if set(args) != {"sess", "save_path"} or not m.matches(args["sess"], m.Name(session)):
        return None
    return args["save_path"]


def _is_run(call: cst.Call, session: str) -> bool:
    return m.matches(call.func, m.Attribute(value=m.Name(session), attr=m.Name("run")))


def _run_ok(call: cst.Call, owned: set[str]) -> bool:
    """Literal tensor-name fetches, a literal feed_dict of tensor names, nothing else."""
    args = arguments(call, ("fetches", "feed_dict"))
    if set(args) - {"fetches", "feed_dict"} or "fetches" not in args:
        return False
    if not _fetches_ok(args["fetches"]):
        return False
    feed = args.get("feed_dict")
    if feed is None:
        return True
    if not isinstance(feed, cst.Dict):
        return False
    for element in feed.elements:
        if not isinstance(element, cst.DictElement) or not _is_tensor_name(element.key):
            return False
        if any(count_names(element.value, name) for name in owned):
            return False
    return True


def _fetches_ok(fetches: cst.BaseExpression) -> bool:
    if _is_tensor_name(fetches):
        return True
    if isinstance(fetches, (cst.List, cst.Tuple)) and fetches.elements:
        return all(
            isinstance(e, cst.Element) and _is_tensor_name(e.value) for e in fetches.elements
        )
    if isinstance(fetches, cst.Dict) and fetches.elements:
        return all(
            isinstance(e, cst.DictElement)
            and isinstance(e.key, (cst.SimpleString, cst.Integer))
            and _is_tensor_name(e.value)
            for e in fetches.elements
        )
    return False


def _is_tensor_name(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.SimpleString):
        return False
    value = node.evaluated_value
    return isinstance(value, str) and bool(_TENSOR_NAME.match(value))


def _reads_graph_state(block: cst.CSTNode) -> bool:
    return any(n.value in _GRAPH_STATE for n in find_all(block, cst.Name))


# -- emitting -----------------------------------------------------------------------------
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


def _feeds(call: cst.Call) -> tuple[cst.BaseExpression, list[cst.DictElement]]:
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
    fetches, elements = _feeds(call)
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
    fetches, elements = _feeds(call)
    return code(
        cst.Tuple(
            [cst.Element(cst.List([cst.Element(e.key) for e in elements])), cst.Element(fetches)]
        )
    )


def run_expression(call: cst.Call, names: MetaGraphNames, pruned: str) -> cst.BaseExpression:
    """`sess.run(fetches, feed_dict={name: value})` -> the pruned function on typed constants."""
    fetches, elements = _feeds(call)
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


def serving_tags(tags: cst.BaseExpression | None) -> bool:
    if not isinstance(tags, (cst.List, cst.Tuple)) or len(tags.elements) != 1:
        return False
    tag = tags.elements[0].value
    if isinstance(tag, cst.SimpleString):
        return tag.evaluated_value == "serve"
    return (dotted_name(tag) or "").endswith(("tag_constants.SERVING", "saved_model.SERVING"))


def is_tf1_load(call: cst.Call) -> bool:
    positional = [a for a in call.args if a.keyword is None]
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    return len(positional) >= 2 or "sess" in keywords


def single_assign(stmt: cst.BaseStatement) -> cst.Assign | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            return small
    return None
