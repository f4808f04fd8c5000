"""The SavedModel + tensor-name form: `loader.load` then runs of tensor names, not signatures.

TF1 code often loads a SavedModel only to run tensors it knows by name (`"y:0"`, or
`sess.graph.get_tensor_by_name(...)` into variables), never reading the MetaGraphDef. TF2's
`tf.saved_model.load` of a TF1 SavedModel restores the variables, runs the main op and keeps the
imported graph, with `.graph` and `.prune(feeds, fetches)` (checked on TF 2.21): the same
pruned-function recipe as the MetaGraph form, on the loaded object instead of a wrapped import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.cst_utils import arguments, call_statement, count_names, dotted
from codemods.commands._loading.lookups import Lookup
from codemods.commands._loading.meta_graph import plan_runs
from codemods.engine.node_index import find_all

_LOAD_ARGS = ("sess", "tags", "export_dir")


@dataclass
class NamesPlan:
    """`[target =] load(session, tags, directory)` at `index`, then tensor-name runs."""

    index: int
    call: cst.Call
    target: str | None  # the MetaGraphDef variable (unused after the rewrite) or None
    directory: cst.BaseExpression
    runs: list[cst.Call] = field(default_factory=list)
    lookups: dict[str, Lookup] = field(default_factory=dict)
    literal: dict[cst.Call, cst.Call] = field(default_factory=dict)


def plan_saved_model_runs(
    block: cst.IndentedBlock,
    session: str,
    is_load: Callable[[cst.Call], bool],
    serving: Callable[[cst.BaseExpression | None], bool],
    graphs: frozenset[str],
    is_default_graph: Callable[[cst.Call], bool],
) -> NamesPlan | None:
    """The plan, or None: one load of serving tags into `session`, a MetaGraphDef nobody
    reads in the block, and only tensor-name runs of the session after it."""
    statements = list(block.body)
    if len([c for c in find_all(block, cst.Call) if is_load(c)]) != 1:
        return None
    located = [(i, hit) for i, s in enumerate(statements) if (hit := call_statement(s, is_load))]
    if len(located) != 1:
        return None  # the load sits inside a compound statement
    index, (target, call) = located[0]
    args = arguments(call, _LOAD_ARGS)
    if set(args) != set(_LOAD_ARGS) or dotted(args["sess"]) != session:
        return None
    if not serving(args["tags"]):  # TF2 picks the MetaGraph by tags; checked as ["serve"]
        return None
    if target is not None and count_names(block, target) != 1:
        return None  # the MetaGraphDef is read: the signature form or a TODO
    owned = {session} | ({target} if target else set())
    runs = plan_runs(statements, session, (index, index), owned, graphs, is_default_graph)
    if runs is None or not runs[0]:
        return None
    plan = NamesPlan(index, call, target, args["export_dir"])
    plan.runs, plan.lookups, plan.literal = runs
    return plan
