"""TF1 loading (`loader.load` / `import_meta_graph` + `restore`, then `sess.run`) -> TF2.

Only statically clear shapes are rewritten, and the session disappears:
- a `with Session(...) as sess:` block whose session only loads one SavedModel, looks tensor
  names up in its signature_def and `sess.run`s one output with a `feed_dict` of those names
  becomes `m = tf.saved_model.load(dir)` and `m.signatures[key](input=value)[output].numpy()`;
- a block that loads a SavedModel and only runs tensor names (literals, or variables bound by
  `get_tensor_by_name`) prunes the loaded object (`_loading/saved_model.py`);
- a block that only imports one MetaGraph, restores it with the imported Saver and runs tensor
  names becomes the wrap_function + prune recipe (`_loading/meta_graph.py`).
The TF2 forms return eager tensors, so a module that disables eager execution is refused.
Anything else that touches the session, the MetaGraphDef or the names gets a TODO.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.analysis.cst_utils import arguments, dotted, fresh_name, kwarg, leading_lines
from codemods.analysis.names import dotted_name
from codemods.analysis.single_value import sole_value
from codemods.commands._loading import emit, meta_graph, scope_uses
from codemods.commands._loading.emit import MetaGraphNames
from codemods.commands._loading.lookups import Lookup, imported_lookup
from codemods.commands._loading.meta_graph import MetaGraphPlan
from codemods.commands._loading.saved_model import NamesPlan, plan_saved_model_runs
from codemods.commands._loading.signatures import (
    SignaturePlan,
    entry,
    mentions,
    replace_value,
    run_call,
    run_ok,
    signature_key,
    string,
    tensor_lookup,
)
from codemods.engine.base import TFMigrateCommand
from codemods.engine.node_index import find_all

SESSION = "tensorflow.Session"
LOADERS = frozenset({"tensorflow.saved_model.loader.load", "tensorflow.saved_model.load"})
IMPORT_META_GRAPH = "tensorflow.train.import_meta_graph"
GRAPH = "tensorflow.Graph"
DEFAULT_GRAPH = "tensorflow.get_default_graph"
WRAP_FUNCTION = "tensorflow.wrap_function"
EAGER_OFF = frozenset({"tensorflow.disable_v2_behavior", "tensorflow.disable_eager_execution"})


class TF1LoadingToTF2(TFMigrateCommand):
    NAME = "tf1_loading_to_tf2"
    DESCRIPTION = "Rewrite TF1 SavedModel loading + sess.run to tf.saved_model.load signatures."
    # Every way to reach the TF1 loader names `saved_model` (`tf.saved_model.loader`, `from
    # tensorflow.python.saved_model import loader`); a bare "loader" also matched every
    # `DataLoader`.
    TRIGGERS = ("saved_model", "import_meta_graph")
    TODO_CODES = {
        "LOADER_PATTERN": "the session/MetaGraphDef is used beyond load + signature lookup + run",
        "META_GRAPH": "import_meta_graph + restore is used beyond literal tensor-name runs",
        "LOADER_GRAPH_MODE": "the module disables eager execution; the TF2 forms need it",
    }

    def visit_Call(self, node: cst.Call) -> None:
        name = self.qualify(node.func)
        if node in self._graph_mode:
            self.todo(
                node,
                "LOADER_GRAPH_MODE",
                "run it eagerly: no disable_v2_behavior, no enclosing Graph/Session",
            )
        elif name == IMPORT_META_GRAPH and node not in self._planned:
            self.todo(node, "META_GRAPH", "load via tf.compat.v1.wrap_function + prune (docs)")
        elif name in LOADERS and meta_graph.is_tf1_load(node) and node not in self._planned:
            self.todo(node, "LOADER_PATTERN", "use tf.saved_model.load(dir).signatures[key]")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._planned: set[cst.Call] = set()
        self._graph_mode: set[cst.Call] = set()
        self._plans: dict[cst.With, SignaturePlan] = {}
        # the MetaGraph and tensor-name forms: statement index -> its replacement statements
        self._flat: dict[cst.With, dict[int, list[cst.BaseStatement]]] = {}
        self._run_replacements: dict[cst.Call, cst.BaseExpression] = {}
        self._scopes: tuple[dict[cst.With, cst.CSTNode], set[cst.With]] | None = None
        taken = {n.value for n in find_all(node, cst.Name)}
        eager_off = any(self.qualify(c.func) in EAGER_OFF for c in find_all(node, cst.Call))
        for call in find_all(node, cst.Call):  # already the TF2 recipe: not a TODO
            if self.qualify(call.func) == WRAP_FUNCTION:
                self._planned.update(c for c in self._loader_calls(call) if c is not call)
        self._module = node
        for with_node in find_all(node, cst.With):
            plan = self._plan(with_node)
            meta = None if plan is not None else self._plan_meta_graph(with_node)
            named = None if plan or meta else self._plan_names(with_node)
            if (plan or meta or named) and (eager_off or with_node in self._graph_scopes()[1]):
                self._graph_mode.update(self._loader_calls(with_node))  # the forms need eager
            elif plan is not None:
                self._plans[with_node] = plan
            elif meta is not None:
                self._planned.add(meta.import_call)
                names = MetaGraphNames(
                    _claim("savers", taken), _claim("imported", taken), self.tf2()
                )
                prunes = self._prunes(meta.runs, meta.literal, meta.lookups, names, taken)
                self._flat[with_node] = self._meta_statements(with_node, meta, names, prunes)
            elif named is not None:
                self._planned.add(named.call)
                target = named.target or _claim("loaded", taken)
                names = MetaGraphNames("", target, self.tf2())
                prunes = self._prunes(named.runs, named.literal, named.lookups, names, taken)
                load = self._load_statement(with_node, named.index, target, named.directory)
                self._flat[with_node] = {named.index: [load, *prunes]}
        return True

    def _prunes(
        self,
        runs: list[cst.Call],
        literal: dict[cst.Call, cst.Call],
        lookups: dict[str, Lookup],
        names: MetaGraphNames,
        taken: set[str],
    ) -> list[cst.BaseStatement]:
        """One pruned function per distinct (feeds, fetches), cut once; each run calls its
        function and each lookup reads the imported graph."""
        pruned: dict[str, str] = {}
        prunes = []
        for run in runs:
            key = emit.prune_key(literal[run])  # looked-up tensors by their names
            if key not in pruned:
                pruned[key] = _claim("pruned", taken)
                prunes.append(emit.prune_statement(literal[run], names, pruned[key]))
            expression = emit.run_expression(literal[run], names, pruned[key])
            self._run_replacements[run] = expression
        for lookup in lookups.values():
            self._run_replacements[lookup.call] = imported_lookup(lookup, names.wrapped)
        return emit.prune_block(prunes, names)

    def _meta_statements(
        self,
        node: cst.With,
        plan: MetaGraphPlan,
        names: MetaGraphNames,
        prunes: list[cst.BaseStatement],
    ) -> dict[int, list[cst.BaseStatement]]:
        """Import -> wrapped import; restore -> the Saver's restore op, then the prunes."""
        assert isinstance(node.body, cst.IndentedBlock)
        restore = node.body.body[plan.restore_index]
        assert isinstance(restore, cst.SimpleStatementLine)
        call = cst.Expr(emit.restore_expression(plan, names))
        imported = node.body.body[plan.import_index]
        assert isinstance(imported, cst.SimpleStatementLine)
        new: list[cst.BaseStatement] = list(emit.import_statements(plan, names))
        new[0] = new[0].with_changes(leading_lines=imported.leading_lines)
        new[-1] = new[-1].with_changes(trailing_whitespace=imported.trailing_whitespace)
        return {
            plan.import_index: new,
            plan.restore_index: [restore.with_changes(body=[call]), *prunes],
        }

    def _load_statement(
        self, node: cst.With, index: int, target: str, directory: cst.BaseExpression
    ) -> cst.SimpleStatementLine:
        """`target = tf.saved_model.load(...)` in place of the TF1 load statement."""
        assert isinstance(node.body, cst.IndentedBlock)
        stmt = node.body.body[index]
        assert isinstance(stmt, cst.SimpleStatementLine)
        assign = cst.Assign([cst.AssignTarget(cst.Name(target))], self._tf2_load(directory))
        return stmt.with_changes(body=[assign])

    def _tf2_load(self, directory: cst.BaseExpression) -> cst.Call:
        """`tf.saved_model.load(dir, tags=["serve"])`: tags= picks the serving graph when the
        SavedModel has several MetaGraphs (checked to be exactly ["serve"]; the literal stays
        valid where tag_constants is gone)."""
        serve = kwarg("tags", cst.parse_expression('["serve"]'))
        return cst.Call(self.tf2_attr("saved_model.load"), [cst.Arg(directory), serve])

    def focus(self) -> list[cst.CSTNode]:
        loaders = self._loader_calls(self._module)  # visit_Call may flag any of them
        return [
            *loaders,
            *self._graph_mode,
            *self._run_replacements,
            *self._plans,
            *self._flat,
        ]

    def _graph_scopes(self) -> tuple[dict[cst.With, cst.CSTNode], set[cst.With]]:
        """Enclosing scopes and graph-mode `with`s; only modules with a candidate pay for the
        walk."""
        if self._scopes is None:
            self._scopes = meta_graph.enclosing_scopes(self._module)
        return self._scopes

    def _loader_calls(self, node: cst.CSTNode) -> list[cst.Call]:
        found = find_all(node, cst.Call)
        return [c for c in found if self.qualify(c.func) in LOADERS | {IMPORT_META_GRAPH}]

    def _session_block(
        self, node: cst.With
    ) -> tuple[str, cst.IndentedBlock, cst.CSTNode, frozenset[str]] | None:
        """Session name, body, enclosing scope and `graph=` name of a `with Session() as s:`
        whose graph is private to the block (the load lands there; the rewrite empties it)."""
        session = self._session_name(node)
        if session is None or not isinstance(node.body, cst.IndentedBlock):
            return None
        session_call = node.items[0].item
        assert isinstance(session_call, cst.Call)
        scope = self._graph_scopes()[0].get(node, self._module)

        def fresh(graph: str) -> bool:
            return scope_uses.fresh_graph(scope, node, graph, self._is_call(GRAPH))

        if not meta_graph.private_graph(session_call, fresh):
            return None
        graph = meta_graph.graph_name(session_call)
        no_graph = not any(a.keyword and a.keyword.value == "graph" for a in session_call.args)
        if no_graph and meta_graph.default_graph_read_elsewhere(self._module, node):
            return None  # the default graph outlives the block
        return session, node.body, scope, frozenset({graph} if graph else ())

    def _plan_meta_graph(self, node: cst.With) -> MetaGraphPlan | None:
        parts = self._session_block(node)
        if parts is None:
            return None
        session, body, scope, graphs = parts
        plan = meta_graph.plan_meta_graph(
            body, session, self._is_call(IMPORT_META_GRAPH), graphs, self._is_call(DEFAULT_GRAPH)
        )
        if plan is None:
            return None
        for name in (plan.saver, session, *plan.lookups):
            if scope_uses.read_after(scope, node, name):
                return None  # lives on after the block: its other uses need the session
        return plan

    def _plan_names(self, node: cst.With) -> NamesPlan | None:
        parts = self._session_block(node)
        if parts is None:
            return None
        session, body, scope, graphs = parts

        def is_load(call: cst.Call) -> bool:
            return self.qualify(call.func) in LOADERS and meta_graph.is_tf1_load(call)

        plan = plan_saved_model_runs(
            body, session, is_load, self._serving_tags, graphs, self._is_call(DEFAULT_GRAPH)
        )
        if plan is None:
            return None
        for name in (session, *plan.lookups, *([plan.target] if plan.target else [])):
            if scope_uses.read_after(scope, node, name):
                return None  # the MetaGraphDef or a tensor is read after the block
        return plan

    def _is_call(self, qualified: str) -> Callable[[cst.Call], bool]:
        return lambda call: self.qualify(call.func) == qualified

    # -- recognition ----------------------------------------------------------------------
    def _plan(self, node: cst.With) -> SignaturePlan | None:
        parts = self._session_block(node)  # the graph the load lands in must be private too
        if parts is None:
            return None
        session = parts[0]
        plan = SignaturePlan()
        for stmt in parts[1].body:
            if not self._take(stmt, session, plan):
                return None
        if plan.directory is None:
            return None
        scope = self._graph_scopes()[0].get(node, self._module)
        if any(scope_uses.read_after(scope, node, n) for n in (plan.meta, session)):
            return None  # after the block `meta` is the TF2 object: `.graph_def` would crash
        self._planned.update(c for c in self._loader_calls(node) if self.qualify(c.func) in LOADERS)
        return plan

    def _session_name(self, node: cst.With) -> str | None:
        if len(node.items) != 1 or node.items[0].asname is None:
            return None
        item = node.items[0]
        target = item.asname.name if item.asname else None
        is_session = isinstance(item.item, cst.Call) and self.qualify(item.item.func) == SESSION
        return target.value if is_session and isinstance(target, cst.Name) else None

    def _serving_tags(self, tags: cst.BaseExpression | None) -> bool:
        """`["serve"]`, `[tag_constants.SERVING]`, `[SERVING]` (imported), or a name assigned
        once to one of those (`TAGS = [...]`, never changed)."""
        if isinstance(tags, cst.Name):
            tags = sole_value(self._module, tags.value)
        if not isinstance(tags, (cst.List, cst.Tuple)) or len(tags.elements) != 1:
            return False
        tag = tags.elements[0].value
        qualified = self.qualify(tag) or ""
        return meta_graph.serving_tags(tags) or qualified.endswith(
            ("saved_model.tag_constants.SERVING", "saved_model.SERVING")
        )

    def _take(self, stmt: cst.BaseStatement, session: str, plan: SignaturePlan) -> bool:
        """Classify one statement of the block; False means the block is not rewritable."""
        tracked = {session, plan.meta, *plan.signatures, *plan.names} - {""}
        assign = meta_graph.single_assign(stmt)
        value = assign.value if assign else None
        target = dotted_name(assign.targets[0].target) if assign else None
        if isinstance(value, cst.Call) and self.qualify(value.func) in LOADERS and target:
            args = arguments(value, ("sess", "tags", "export_dir"))
            if plan.directory is not None or dotted(args.get("sess")) != session:
                return False
            if set(args) - {"sess", "tags", "export_dir"} or "export_dir" not in args:
                return False
            if not self._serving_tags(args.get("tags")):  # TF2 load picks the serving graph
                return False
            plan.meta, plan.directory = target, args["export_dir"]
            plan.body.append(stmt)
            return True
        if value is not None and plan.meta:
            key = signature_key(value, plan.meta) if target else None
            if target and key is not None:
                plan.signatures[target] = key
                return True
            lookup = tensor_lookup(value, plan) if target else None
            if target and lookup is not None:
                plan.names[target] = lookup
                return True
            run = run_call(value, session)  # into a name, `results["y"]`, ...
            if run is not None:
                if not run_ok(run, plan) or (
                    assign is not None and mentions(assign.targets[0], tracked)
                ):
                    return False
                plan.body.append(stmt)
                return True
        if mentions(stmt, tracked):
            return False
        plan.body.append(stmt)
        return True

    # -- rewriting ------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self._run_replacements.get(original_node)
        if replacement is None:
            return updated_node
        self.keep_comments(original_node, replacement)
        return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_With(
        self, original_node: cst.With, updated_node: cst.With
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if original_node in self._flat:
            return self._flatten(updated_node, self._flat[original_node])
        plan = self._plans.get(original_node)
        if plan is None:
            return updated_node
        body = [self._rewrite_statement(s, plan) for s in plan.body]
        body[0] = body[0].with_changes(
            leading_lines=[*leading_lines(original_node), *leading_lines(body[0])]
        )
        self.changed = True
        return cst.FlattenSentinel(body)

    def _flatten(
        self, node: cst.With, replaced: dict[int, list[cst.BaseStatement]]
    ) -> cst.FlattenSentinel[cst.BaseStatement]:
        """The block without the session, some statements replaced (the replacements keep
        the comments around the statements they replace)."""
        assert isinstance(node.body, cst.IndentedBlock)
        body: list[cst.BaseStatement] = []
        for index, stmt in enumerate(node.body.body):
            body.extend(replaced.get(index, [stmt]))
        body[0] = body[0].with_changes(
            leading_lines=[*leading_lines(node), *leading_lines(body[0])]
        )
        self.changed = True
        return cst.FlattenSentinel(body)

    def _rewrite_statement(self, stmt: cst.BaseStatement, plan: SignaturePlan) -> cst.BaseStatement:
        assign = meta_graph.single_assign(stmt)
        if assign is None or not isinstance(assign.value, cst.Call):
            return stmt
        value = assign.value
        if self.qualify(value.func) in LOADERS:
            assert plan.directory is not None
            return replace_value(stmt, assign, self._tf2_load(plan.directory))
        call = run_call(value, "")
        if call is None:
            return stmt
        args = arguments(call, ("fetches", "feed_dict"))
        _, output, key = entry(args["fetches"], plan)  # type: ignore[misc]
        signature = cst.parse_expression(f"{plan.meta}.signatures")
        function = cst.Subscript(signature, [cst.SubscriptElement(cst.Index(key))])
        feed = args["feed_dict"]
        assert isinstance(feed, cst.Dict)
        inputs = [
            kwarg(entry(e.key, plan)[1], e.value)  # type: ignore[index]
            for e in feed.elements if isinstance(e, cst.DictElement)
        ]  # fmt: skip
        result = cst.Subscript(
            cst.Call(function, inputs), [cst.SubscriptElement(cst.Index(string(output)))]
        )
        return replace_value(stmt, assign, cst.Call(cst.Attribute(result, cst.Name("numpy"))))


def _claim(base: str, taken: set[str]) -> str:
    """A fresh `base`, `base_1`, ... name, now taken."""
    name = fresh_name(base, taken, start=1)
    taken.add(name)
    return name
