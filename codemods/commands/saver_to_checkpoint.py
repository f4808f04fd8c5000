"""tf.train.Saver -> tf.train.Checkpoint (+ CheckpointManager), keeping old checkpoints readable.

Checked against TF 2.21: `Checkpoint.restore()` of a name-based TF1 checkpoint fails in graph
mode (it creates `save_counter` and then demands it from the checkpoint), but
`Checkpoint.read(path).run_restore_ops(sess)` restores TF1 checkpoints by variable name, and
object-based ones, in graph and eager mode. So restores become `read(...).run_restore_ops`.
TF1 checkpoints store variables under their graph names, so a Saver whose names cannot be
seen statically (a computed var_list) is refused. A dict-keyed Saver stores them under its
keys, which Checkpoint cannot map; one that only restores becomes its dict plus explicit
`var.assign(tf.train.load_variable(path, key))` (see `saver_emit.dict_restore`), one that
also saves is refused (nothing in TF2 but Saver writes those keys).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor

from codemods.analysis.cst_utils import arguments, dotted, is_pure, kwarg, make_call
from codemods.analysis.scopes import Binding, BindingTracker, Use
from codemods.commands import _saver as emit
from codemods.commands import _saver_session as sessions
from codemods.commands import _saver_values as values
from codemods.commands._saver_builders import built_collection
from codemods.commands._saver_handoff import handoffs
from codemods.engine.base import TFMigrateCommand
from codemods.engine.node_index import find_all

SAVER = "tensorflow.train.Saver"
PRINT_TENSORS = "tensorflow.python.tools.inspect_checkpoint.print_tensors_in_checkpoint_file"
_DROPPED = frozenset({"name", "sharded", "allow_empty", "save_relative_paths"})
_RETENTION = ("max_to_keep", "keep_checkpoint_every_n_hours")
_STATE_READERS = frozenset({"latest_checkpoint", "get_checkpoint_state"})
_META_READERS = frozenset({"import_meta_graph"})  # a saved .meta may be read back
_CHECKPOINT_ATTRS = frozenset({"root", "save", "restore", "read", "write", "save_counter"})


class SaverToCheckpoint(TFMigrateCommand):
    NAME = "saver_to_checkpoint"
    DESCRIPTION = "Rewrite tf.train.Saver save/restore to tf.train.Checkpoint/CheckpointManager."
    TRIGGERS = ("Saver", "print_tensors_in_checkpoint_file")
    TODO_CODES = {
        "SAVER_VARLIST": "the Saver's variable set is not a literal list/dict of variables",
        "SAVER_ARGS": "a Saver or save() argument has no tf.train.Checkpoint equivalent",
        "SAVER_ESCAPES": "the Saver is used other than by .save()/.restore() calls",
        "SAVER_UNTRACKED": "the Saver is not assigned to a variable, so its uses are unknown",
        "SAVER_SESSION": "save() runs in a session that is not the default session",
        "SAVER_DICT_KEYS": "a dict-keyed Saver is restored; TF1 keys would not match",
        "SAVER_STATE": "the checkpoint state file update cannot follow this save()",
        "SAVER_PATH": "the save path expression may have side effects",
        "SAVER_META": "save() writes a .meta graph this module may import; Checkpoint does not",
        "INSPECT_ARGS": "print_tensors_in_checkpoint_file arguments are not literals",
    }

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._replacements: dict[cst.CSTNode, cst.BaseExpression] = {}
        self._refusals: dict[cst.CSTNode, tuple[str, str]] = {}
        self._module = node
        # save/restore call -> its line and the `with` (or state update) that line needs
        self._pending: dict[cst.Call, tuple[cst.SimpleStatementLine, sessions.Wrap]] = {}
        self._wraps: dict[cst.SimpleStatementLine, sessions.Wrap] = {}
        self._lines: dict[cst.CSTNode, cst.SimpleStatementLine] | None = None
        tracker = BindingTracker(node, self._is_saver)
        bindings = list(tracker.run().values())
        self._owners: dict[cst.Call, cst.BaseExpression] = {}  # helper uses: the parameter
        for index, handoff in handoffs(node, bindings).items():
            binding, passed = bindings[index], {id(e) for e in handoff.escapes}
            binding.escapes = [e for e in binding.escapes if id(e) not in passed]
            for call, method, param in handoff.calls:
                binding.uses.append(
                    Use(call, method, sessions.enclosing_defaults(self._module, call))
                )
                self._owners[call] = cst.Name(param)
        # this module's own rewritten saves write object-based checkpoints that a name-keyed
        # restore (`_name_keyed`) cannot read
        # (a `Checkpoint` already in the module may be one: a second run must agree)
        self._saves = (
            any(u.method == "save" for b in bindings for u in b.uses)
            or any(n.value in ("Checkpoint", "CheckpointManager") for n in find_all(node, cst.Name))
            or any(
                isinstance(c.func, cst.Attribute)
                and c.func.attr.value == "save"
                and isinstance(c.func.value, cst.Call)
                and self._is_saver(c.func.value)
                for c in find_all(node, cst.Call)
            )
        )
        self._saver_of = {u.call: b.call for b in bindings for u in b.uses}
        for binding in bindings:
            self._plan(binding, node)
        chained = self._chained_restores(node)
        for call in tracker.untracked:
            if not self._plan_chained(call, chained.get(call)):
                self._refusals[call] = ("SAVER_UNTRACKED", "assign the Saver to a variable first")
        return True

    def _chained_restores(self, module: cst.Module) -> dict[cst.Call, cst.Call]:
        """`tf.train.Saver(...).restore(sess, path)` / `.save(sess, path)`: Saver call -> the
        restore or save call."""
        return {
            c.func.value: c
            for c in find_all(module, cst.Call)
            if isinstance(c.func, cst.Attribute)
            and c.func.attr.value in ("restore", "save")
            and isinstance(c.func.value, cst.Call)
            and self._is_saver(c.func.value)
        }

    def _plan_chained(self, saver: cst.Call, restore: cst.Call | None) -> bool:
        """A Saver built only to restore once: `Checkpoint(...).read(path).run_restore_ops(sess)`
        (same variables, same TF1 names; nothing else can reach that Saver)."""
        if restore is None:
            return False
        args = arguments(saver, ("var_list",))
        var_list = self._var_list(args, saver)
        if set(args) - _DROPPED - set(_RETENTION) - {"var_list"} or isinstance(var_list, cst.Dict):
            return False
        generated = var_list is not args.get("var_list")
        if not generated and emit.var_list_problem(var_list, _CHECKPOINT_ATTRS):
            return False
        use_args = arguments(restore, ("sess", "save_path"))
        if set(use_args) != {"sess", "save_path"}:
            return False
        v1 = self.aliases.v1_handle()
        compat = cst.Name(v1) if v1 else self.tf2_attr("compat.v1")
        ckpt = emit.checkpoint(self.tf2_attr("train.Checkpoint"), var_list, compat)
        assert isinstance(restore.func, cst.Attribute)
        if restore.func.attr.value == "save":  # `path = tf.train.Saver().save(sess, p)`
            use = Use(restore, "save", sessions.enclosing_defaults(self._module, restore))
            self._saver_of[restore] = saver
            if self._use_problem(use, var_list, self._module) is not None:
                return False
            if restore in self._pending:
                line, wrap = self._pending[restore]
                self._wraps[line] = wrap
            self._replacements[restore] = self._rewrite_use(use, ckpt, {})
        else:
            self._replacements[restore] = emit.restore(
                ckpt, use_args["save_path"], use_args["sess"]
            )
        self.changed = True
        return True

    def focus(self) -> list[cst.CSTNode]:
        inspect = [
            c for c in find_all(self._module, cst.Call) if self.qualify(c.func) == PRINT_TENSORS
        ]
        return [*self._refusals, *self._replacements, *self._wraps, *inspect]

    def _is_saver(self, call: cst.Call) -> bool:
        return call.func is not None and self.qualify(call.func) == SAVER

    # -- planning -------------------------------------------------------------------------
    def _plan(self, binding: Binding, module: cst.Module) -> None:
        refusal = self._refusal(binding, module)
        if refusal is not None:
            self._refusals[binding.call] = refusal
            return
        args = arguments(binding.call, ("var_list",))
        var_list = self._var_list(args, binding.call)
        keyed = isinstance(var_list, cst.Dict) or self._name_keyed(binding.call, args)
        if keyed and var_list is not None and any(u.method == "restore" for u in binding.uses):
            self._plan_dict_restore(binding, var_list)
            return
        # restores join their session's graph when a save of this Saver needed its session
        wrapped = any(
            use.method == "save"
            and self._pending.get(use.call, (None, sessions.Wrap(None)))[1].session
            for use in binding.uses
        )
        for use in binding.uses:
            if use.call in self._pending:
                line, wrap = self._pending[use.call]
                if wrapped or not wrap.graph_only:
                    self._wraps[line] = wrap
        v1 = self.aliases.v1_handle()
        compat = cst.Name(v1) if v1 else self.tf2_attr("compat.v1")
        factory = self.tf2_attr("train.Checkpoint")
        self._replacements[binding.call] = emit.checkpoint(factory, var_list, compat)
        owner = binding.statement.targets[0].target
        retention = {k: args[k] for k in _RETENTION if k in args}
        for use in binding.uses:
            use_owner = self._owners.get(use.call, owner)
            self._replacements[use.call] = self._rewrite_use(use, use_owner, retention)
        self.changed = True

    def _plan_dict_restore(self, binding: Binding, var_list: cst.BaseExpression) -> None:
        """The Saver becomes its `{"key": var}` dict (literal, or computed as in
        `_name_keyed`); each restore reads the keys by name."""
        self._replacements[binding.call] = var_list
        owner = binding.statement.targets[0].target
        train = self.tf2_attr("train")
        reshape = arguments(binding.call, ("var_list",)).get("reshape")
        on = reshape is not None and m.matches(reshape, m.Name("True"))
        reshaping = self.tf2_attr("reshape") if on else None
        for use in binding.uses:
            args = arguments(use.call, ("sess", "save_path"))
            restore = emit.dict_restore(train, owner, args["save_path"], args["sess"], reshaping)
            self._replacements[use.call] = restore
        self.changed = True

    def _refusal(self, binding: Binding, module: cst.Module) -> tuple[str, str] | None:
        args = arguments(binding.call, ("var_list",))
        var_list = self._var_list(args, binding.call)
        generated = var_list is not args.get("var_list")  # None or a collection comprehension
        keyed = self._name_keyed(binding.call, args)
        known = {"var_list", *_DROPPED, *_RETENTION}
        reshape = args.get("reshape")
        if (keyed or isinstance(var_list, cst.Dict)) and reshape is not None:
            if m.matches(reshape, m.Name("True") | m.Name("False")):
                known.add("reshape")  # restored key by key, so the values can be reshaped
        unknown = sorted(set(args) - known)
        if unknown:
            return ("SAVER_ARGS", f"no Checkpoint equivalent for {', '.join(unknown)}")
        problem = "" if generated or keyed else emit.var_list_problem(var_list, _CHECKPOINT_ATTRS)
        if problem:
            return ("SAVER_VARLIST", problem)
        if binding.unproven:
            return (
                "SAVER_ESCAPES",
                "the name is reassigned on another path; give each Saver its own name",
            )
        if binding.escapes or (
            (keyed or isinstance(var_list, cst.Dict))
            and any(u.call in self._owners for u in binding.uses)
        ):
            return ("SAVER_ESCAPES", "only .save()/.restore() uses can be rewritten; port by hand")
        for use in binding.uses:
            use_problem = self._use_problem(use, var_list, module)
            if use_problem:
                return use_problem
        if isinstance(var_list, cst.Dict):
            return values.dict_problem(var_list, binding)
        if keyed:
            return values.keyed_problem(binding, self._saves)
        return None

    def _name_keyed(self, saver: cst.Call, args: dict[str, cst.BaseExpression]) -> bool:
        """The var_list argument is a computed dict of graph variables by checkpoint name (an
        EMA's `variables_to_restore()`, `{name: v for v in <collection>}`): restore-only,
        like literal dicts, since Checkpoint cannot write those names."""
        var_list = args.get("var_list")
        if isinstance(var_list, cst.Name) and (
            built_collection(self._module, saver, var_list.value, self.qualify) == "dict"
        ):
            return True
        return var_list is not None and values.name_keyed_dict(
            self._module, saver, var_list, self.qualify
        )

    def _var_list(
        self, args: dict[str, cst.BaseExpression], saver: cst.Call
    ) -> cst.BaseExpression | None:
        """The Saver's var_list; `None` means all globals, a graph-collection read becomes a
        `{v.op.name: v ...}` comprehension (`emit.collection_var_list`), also through a name
        bound once to such a read."""
        var_list = args.get("var_list")
        if var_list is None or m.matches(var_list, m.Name("None")):
            return None
        if isinstance(var_list, cst.Name):  # `var_list = tf.trainable_variables()` earlier
            value = values.value_of(self._module, saver, var_list.value)
            if value is not None and emit.collection_var_list(value, self.qualify):
                return emit.by_graph_name(var_list)
            if built_collection(self._module, saver, var_list.value, self.qualify) == "list":
                return emit.by_graph_name(var_list)  # `names = []` + appends of variables
        return emit.collection_var_list(var_list, self.qualify) or var_list

    def _use_problem(
        self, use: Use, var_list: cst.BaseExpression | None, module: cst.Module
    ) -> tuple[str, str] | None:
        if use.method not in ("save", "restore"):
            return ("SAVER_ESCAPES", f"Saver.{use.method}() has no Checkpoint equivalent")
        names = (
            ("sess", "save_path", "global_step") if use.method == "save" else ("sess", "save_path")
        )
        args = arguments(use.call, names)
        if "sess" not in args or "save_path" not in args:
            return ("SAVER_ARGS", f"Saver.{use.method}() without sess and save_path")
        extra = {k for k in set(args) - set(names) if not emit.harmless_save_arg(k, args[k])}
        if extra:
            return ("SAVER_ARGS", f"no Checkpoint equivalent for {', '.join(sorted(extra))}")
        session = args["sess"]
        default = self._default_session(session, use)
        line = None if default else self._wrappable(use.call, session)
        if use.method == "restore":
            if line is not None:  # Checkpoint.read builds its ops in the default graph
                self._pending[use.call] = (line, sessions.Wrap(session, graph_only=True))
            return None
        if not default and line is None:
            return ("SAVER_SESSION", "save inside `with sess.as_default():` so Checkpoint finds it")
        wrap = sessions.Wrap(None if default else session)
        path, numbered = args["save_path"], "global_step" in args
        if "write_meta_graph" not in args and emit.mentions(module, _META_READERS):
            line = line or self._line(use.call)
            if line is not None and values.all_globals(
                self._module, self._saver_of.get(use.call), self.qualify
            ):
                wrap.meta = sessions.state_path(line, path, numbered)
            if wrap.meta is None:
                return ("SAVER_META", "this module imports .meta graphs; Checkpoint writes none")
        if not numbered and emit.mentions(module, _STATE_READERS):
            line = line or self._line(use.call)
            wrap.state = None if line is None else sessions.state_path(line, path, numbered)
            if wrap.state is None:
                return ("SAVER_STATE", "write() does not update the checkpoint state file")
        if line is not None:
            self._pending[use.call] = (line, wrap)
        if "global_step" in args and not is_pure(args["save_path"]):
            return ("SAVER_PATH", "bind the save path to a variable first")
        return None

    def _default_session(self, session: cst.BaseExpression, use: Use) -> bool:
        """None (eager), a name an enclosing `with` made default, or get_default_session()."""
        if m.matches(session, m.Name("None")) or dotted(session) in use.default_sessions:
            return True
        return (
            isinstance(session, cst.Call)
            and not session.args
            and self.qualify(session.func) == "tensorflow.get_default_session"
        )

    def _wrappable(
        self, call: cst.Call, session: cst.BaseExpression
    ) -> cst.SimpleStatementLine | None:
        """The statement to run inside `with sess.as_default(), sess.graph.as_default():` so
        Checkpoint finds the session and the graph: a statement that is just this call, on a
        session TF1's Saver accepted (`_saver_session` says why that is enough)."""
        if not sessions.session_like(self._module, session):
            return None
        return self._line(call)

    def _line(self, call: cst.Call) -> cst.SimpleStatementLine | None:
        if self._lines is None:
            self._lines = sessions.statement_lines(self._module)
        return self._lines.get(call)

    def _rewrite_use(
        self, use: Use, owner: cst.BaseExpression, retention: dict[str, cst.BaseExpression]
    ) -> cst.BaseExpression:
        names = ("sess", "save_path", "global_step")
        args = arguments(use.call, names)
        session, path = args["sess"], args["save_path"]
        if use.method == "restore":
            return emit.restore(owner, path, session)
        if "global_step" not in args:
            return make_call(cst.Attribute(owner, cst.Name("write")), [cst.Arg(path)])
        directory, name, needs_os = emit.split_path(path)
        if needs_os:
            AddImportsVisitor.add_needed_import(self.context, "os")
        manager = emit.manager(
            self.tf2_attr("train.CheckpointManager"), owner, directory, name, retention
        )
        step = kwarg("checkpoint_number", args["global_step"])
        return make_call(cst.Attribute(manager, cst.Name("save")), [step])

    # -- traversal ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        refusal = self._refusals.get(node)
        if refusal is not None:
            self.todo(node, *refusal)
        elif node.func is not None and self.qualify(node.func) == PRINT_TENSORS:
            self._plan_inspect(node)

    def _plan_inspect(self, node: cst.Call) -> None:
        args = arguments(node, ("file_name", "tensor_name", "all_tensors"))
        if emit.inspect_problem(args):
            self.todo(node, "INSPECT_ARGS", "use tf.train.load_checkpoint(path).get_tensor(name)")
            return
        self._replacements[node] = emit.inspect(self.tf2_attr("train"), args)
        self.changed = True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self._replacements.get(original_node)
        if replacement is None:
            return updated_node
        replacement = replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        self.keep_comments(original_node, replacement)
        return replacement

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        wrap = self._wraps.get(original_node)
        if wrap is None:
            return updated_node
        if wrap.state is not None:
            AddImportsVisitor.add_needed_import(self.context, "os")
        v1 = self.aliases.v1_handle()
        compat = cst.Name(v1) if v1 else self.tf2_attr("compat.v1")
        lines = [updated_node, *sessions.follow_ups(compat, wrap)]
        return sessions.as_default(wrap.session, wrap.graph_only, lines)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.changed:
            emit.remove_imports(self.context, self.aliases, _REMOVABLE)
        return updated_node


_REMOVABLE: Sequence[str] = (
    SAVER,
    PRINT_TENSORS,
    "tensorflow.train",
    "tensorflow.python.tools.inspect_checkpoint",
)
