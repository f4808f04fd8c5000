"""What `simple_save_to_module` and `builder_to_module` share: planning, edits, refusals.

Design (docs/codemods.md): training code stays as it is (TF1 graph, its session); only the
export changes. `tf.saved_model.save` works in graph mode under the default session, so the
generated `tf.Module` tracks the very variables the session trained (resource variables,
their TF1 names), its `tf.function`s re-run the copied input->output statements with
`reuse=True`, and the SavedModel is a TF2 one. Subclasses find their sites and call `emit`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.cst_utils import (
    assigned_name,
    count_names,
    fresh_name,
    is_pure,
    leading_lines,
    variable_names,
)
from codemods.analysis.names import dotted_name
from codemods.analysis.sites import Site, SiteIndex
from codemods.commands._export import emit as module_emit
from codemods.commands._export import live
from codemods.commands._export.plan import Planner, free_names
from codemods.commands._export.signature import Refusal, Signature
from codemods.engine.base import TFMigrateCommand
from codemods.engine.node_index import find_all

# Calls that create lookup tables (a table is a resource the re-traced module must own).
_TABLE = re.compile(
    r"^tensorflow\..*(Table|index_table_from_\w+|index_to_string_table_from_\w+"
    r"|categorical_column_with_vocabulary_\w+)$"
)
_DISABLERS = frozenset({"tensorflow.disable_v2_behavior", "tensorflow.disable_resource_variables"})
# Init ops TF2 makes redundant. Not `saved_model.main_op.main_op()`: it also re-runs the global
# variable initializers at load, so the TF1 model serves initial, not trained, values.
_INIT_OPS = frozenset({
    "tensorflow.tables_initializer", "tensorflow.local_variables_initializer",
    "tensorflow.initializers.tables_initializer", "tensorflow.initializers.local_variables",
})  # fmt: skip
EXPORT_TODOS = {
    "EXPORT_SIGNATURES": "the signature map, its keys or tensor maps are built at run time",
    "EXPORT_INPUT": "a signature input is not a tf.placeholder, or an output needs another one",
    "EXPORT_SLICE": "the output computation is reassigned, conditional or inside a variable_scope",
    "EXPORT_INIT_OP": "main_op/legacy_init_op does more than initialize tables/local variables",
    "EXPORT_ARGS": "an export argument has no tf.saved_model.save equivalent",
}


@dataclass
class _Edit:
    before: list[cst.BaseStatement] = field(default_factory=list)
    replace: list[cst.BaseStatement] | None = None
    after: list[cst.BaseStatement] = field(default_factory=list)
    remove: bool = False


class ExportToModuleCommand(TFMigrateCommand):
    """Base: subclasses implement `match` (site calls) and `plan_sites` (calls `emit`)."""

    def match(self, call: cst.Call) -> bool:
        raise NotImplementedError

    def plan_sites(self, module: cst.Module) -> None:
        raise NotImplementedError

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._edits: dict[cst.CSTNode, _Edit] = {}
        self._refusals: dict[cst.Call, Refusal] = {}
        names = variable_names(node)
        self._names = {n.value for n in names}
        self.index = SiteIndex(self.match)
        self.index.index(node)
        self._consumed: list[cst.SimpleStatementLine] = []
        self._carry: list[cst.EmptyLine] = []
        self._counts: dict[str, int] = {}
        for name in names:
            self._counts[name.value] = self._counts.get(name.value, 0) + 1
        self._functions = {f.name.value: f for f in node.body if isinstance(f, cst.FunctionDef)}
        self._swaps: dict[cst.Call, str] = {}
        self._retraced = False
        self._has_block = live.has_block(node)
        self._table_count = -1
        self._module = node
        self.plan_sites(node)
        self._remove_consumed(node)
        if self.changed and (self._retraced or not self._swaps):  # the live export needs none
            self._enable_resource_variables(node)
        return True

    def focus(self) -> list[cst.CSTNode] | None:
        return [*self._refusals, *self._edits, *self._swaps]

    def go_live(self, call: cst.Call, replacement: str, refusal: Refusal) -> None:
        """Swap `call`'s callee for the live export's drop-in `replacement` (else: a TODO)."""
        if not self._has_block and self._names & live.BLOCK_NAMES:
            self.refuse(call, Refusal(refusal.code, refusal.message + f" ({replacement} is taken)"))
            return
        if not self._has_block and not live.imports_tensorflow(self._module):
            reason = " (TensorFlow is not imported at the top of the file)"
            self.refuse(call, Refusal(refusal.code, refusal.message + reason))
            return
        self._swaps[call] = replacement
        self.changed = True

    def check_rebound(self, signatures: Sequence[Signature]) -> None:
        """A name the export reads that the file binds twice (two graphs one after another)
        may be resolved to the wrong binding: refuse."""
        if not hasattr(self, "_bound"):
            self._bound = Counter(
                dotted_name(t.target)
                for a in find_all(self._module, cst.Assign)
                for t in a.targets
                if isinstance(t.target, (cst.Name, cst.Attribute))
            )
        for signature in signatures:
            read = [v for _, v in [*signature.inputs, *signature.outputs]]
            names = {n for node in [*read, *signature.body] for n in free_names(node)}
            twice = sorted(n for n in names if self._bound[n] > 1)
            if twice:
                raise Refusal("EXPORT_SLICE", f"{twice[0]!r} is bound more than once in this file")

    def check_resource_variables(self) -> None:
        """The module must save resource variables: `enable_resource_variables()` goes after a
        top-level `disable_v2_behavior()`; one inside a function leaves ref variables."""
        if any(n.value == "enable_resource_variables" for n in find_all(self._module, cst.Name)):
            return
        inner = [c for c in find_all(self._module, cst.Call) if self.qualify(c.func) in _DISABLERS]
        if inner and self._top_level_disabler(self._module) is None:
            raise Refusal("EXPORT_SLICE", "disable_v2_behavior() is called inside a function")

    def check_tables(self, planners: Sequence[Planner]) -> None:
        """Lookup tables the module cannot rebuild would be untracked resources: refuse."""
        if self._table_count < 0:
            self._table_count = sum(
                1
                for call in find_all(self._module, cst.Call)
                if _TABLE.search(self.qualify(call.func) or "")
            )
        if self._table_count > sum(len(p.tables) for p in planners):
            raise Refusal("EXPORT_SLICE", "the graph holds lookup tables outside the export")

    def planner(self, site: Site) -> Planner:
        return Planner(self.qualify, self.index, site, self._functions, self._counts)

    def refuse(self, call: cst.Call, refusal: Refusal) -> None:
        self._refusals[call] = refusal

    def handles(self) -> module_emit.Handles:
        tf2 = self.tf2()
        return module_emit.Handles(tf2, self.aliases.v1_handle() or f"{tf2}.compat.v1")

    def init_op_ok(self, planner: Planner, value: cst.BaseExpression | None) -> bool:
        """main_op/legacy_init_op TF2 does by itself: table and local-variable initialization."""
        if value is None or (isinstance(value, cst.Name) and value.value == "None"):
            return True
        if not isinstance(value, cst.Call):
            definition = planner.definition(value)
            return definition is not None and self.init_op_ok(planner, definition.assign.value)
        name = planner.qualify(value.func)
        if name in _INIT_OPS:
            return True
        return name == "tensorflow.group" and all(
            self.init_op_ok(planner, a.value) for a in value.args if not a.keyword
        )

    # -- edits ----------------------------------------------------------------------------
    def edit(self, node: cst.CSTNode) -> _Edit:
        return self._edits.setdefault(node, _Edit())

    def emit(
        self,
        site: Site,
        planners: Sequence[Planner],
        signatures: list[Signature],
        export_dir: cst.BaseExpression,
        session: cst.BaseExpression,
        notes: Sequence[str] = (),
    ) -> None:
        """Queue the generated class before `site.anchor` and the export at `site.statement`."""
        if any(s.method != "predict" for s in signatures) and not is_pure(export_dir):
            raise Refusal("EXPORT_ARGS", "bind the export directory to a variable first")
        self.check_tables(planners)
        self.check_rebound(signatures)
        self.check_resource_variables()
        tables = {k: v for p in planners for k, v in p.tables.items()}
        if any(k.startswith("self.") for k in tables):
            raise Refusal(
                "EXPORT_SLICE", "a lookup table held in self.<attr> cannot move into the module"
            )
        handles = self.handles()
        owner = site.klass is not None and any(p.uses_self for p in planners)
        class_name, instance = self._fresh("ExportModule"), self._fresh("export_module")
        generated = module_emit.module_class(
            class_name, signatures, tables, handles, owner, site.klass is not None
        )
        session_name = module_emit.code(session, handles)
        wrap = None if session_name in site.sessions or session_name == "None" else session_name
        statements = module_emit.export_statements(
            class_name, instance, signatures, export_dir, handles, owner, wrap
        )
        blank = cst.EmptyLine(indent=False)
        statements[0] = statements[0].with_changes(
            leading_lines=[
                *site.statement.leading_lines,
                *(cst.EmptyLine(comment=cst.Comment(n)) for n in notes),
            ]
        )
        pad = [blank, blank] if isinstance(site.scope, cst.Module) else [blank]
        self.edit(site.anchor).before.append(generated.with_changes(leading_lines=pad))
        self.edit(site.statement).replace = statements
        self._consumed.extend(s for p in planners for s in p.consumed)
        self.changed = self._retraced = True

    def remove(self, statement: cst.SimpleStatementLine) -> None:
        self.edit(statement).remove = True

    def _fresh(self, base: str) -> str:
        name = fresh_name(base, self._names, sep="")
        self._names.add(name)
        return name

    def _remove_consumed(self, module: cst.Module) -> None:
        """Drop `sig = ...`/`info = ...` the export consumed, unless still read elsewhere."""
        targets = {s: assigned_name(s) for s in dict.fromkeys(self._consumed)}
        candidates = {s: name for s, name in targets.items() if name}
        changed = True
        while changed:
            gone = [n for n, e in self._edits.items() if e.remove or e.replace is not None]
            gone += list(candidates)
            changed = False
            for statement, name in list(candidates.items()):
                inside = sum(count_names(node, name, variables_only=True) for node in gone)
                if count_names(module, name, variables_only=True) > inside:
                    del candidates[statement]
                    changed = True
        for statement in candidates:
            self.remove(statement)

    def _top_level_disabler(
        self, module: cst.Module
    ) -> tuple[cst.SimpleStatementLine, cst.Attribute] | None:
        for statement in module.body:
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            call = small.value if isinstance(small, cst.Expr) else None
            if (
                isinstance(statement, cst.SimpleStatementLine)
                and isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and self.qualify(call.func) in _DISABLERS
            ):
                return statement, call.func
        return None

    def _enable_resource_variables(self, module: cst.Module) -> None:
        if "enable_resource_variables" in module.code:
            return
        found = self._top_level_disabler(module)
        if found is not None:
            statement, func = found
            text = f"{module_emit.code(func.value, self.handles())}.enable_resource_variables()"
            comment = "  # tf.saved_model.save needs resource variables"
            self.edit(statement).after.append(cst.parse_statement(text + comment + "\n"))

    # -- traversal ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        refusal = self._refusals.get(node)
        if refusal is not None:
            self.todo(node, refusal.code, refusal.message)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self._swaps.get(original_node)
        if replacement is None:
            return updated_node
        return updated_node.with_changes(func=cst.Name(replacement))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._swaps and not self._has_block:
            return live.with_block(updated_node)
        return updated_node

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result = super().on_leave(original_node, updated_node)
        edit = self._edits.get(original_node)
        if edit is None or not isinstance(result, cst.BaseStatement):
            return result
        if edit.remove:  # its comments move to the next generated export statement
            if any(line.comment is not None for line in leading_lines(result)):
                self._carry += list(leading_lines(result))
            return cst.RemoveFromParent()
        middle = edit.replace if edit.replace is not None else [result]
        if edit.replace is not None and self._carry:
            middle = [
                middle[0].with_changes(leading_lines=[*leading_lines(middle[0]), *self._carry]),
                *middle[1:],
            ]
            self._carry = []
        if edit.before:
            pad = leading_lines(edit.before[0])
            comments = [line for line in leading_lines(middle[0]) if line.comment is not None]
            middle = [middle[0].with_changes(leading_lines=[*pad, *comments]), *middle[1:]]
        return cst.FlattenSentinel([*edit.before, *middle, *edit.after])
