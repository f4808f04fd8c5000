"""Recognise `import_meta_graph` + `restore` + `sess.run` blocks (no Session in TF2).

The TF2 form (emitted by `emit.py`) is the wrap_function + prune recipe. Checked on TF 2.21
with ref variables (VariableV2): values restored by the imported Saver's own restore op are
what later pruned functions read. Only tensor names known statically (`"y:0"`, or variables
bound by `get_tensor_by_name("y:0")`, see `lookups.py`) can be pruned without running the
code, so dynamic names, op names (training ops, initialisers) and any other use of the
session, the Saver or the graph keep the TODO. `plan_runs` is shared with the SavedModel
tensor-name form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m

from codemods.analysis.blocks import with_scopes
from codemods.analysis.cst_utils import arguments, call_statement, count_names
from codemods.analysis.names import dotted_name
from codemods.commands._loading.emit import run_parts
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
    fetches, elements = run_parts(call)
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
    found = call_statement(stmt, is_import)
    return None if found is None or found[0] is None else (found[0], found[1])


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
    return _graph_reads(block) > 0


def _graph_reads(node: cst.CSTNode) -> int:
    return sum(1 for n in find_all(node, cst.Name) if n.value in _GRAPH_STATE)


def default_graph_read_elsewhere(module: cst.Module, block: cst.With) -> bool:
    """A `Session()` without `graph=` loads into the process-wide default graph, which
    outlives the block: any graph-state read elsewhere in the module might see the load (the
    rewrite leaves that graph empty), so refuse."""
    return _graph_reads(module) > _graph_reads(block)


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
