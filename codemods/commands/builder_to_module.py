"""`SavedModelBuilder` exports -> a generated `tf.Module` + `tf.saved_model.save`.

The whole builder goes together or not at all: its constructor, one
`add_meta_graph_and_variables`, any `add_meta_graph` (more tag-sets) and `save()`. Their
signature maps become the module's `tf.function`s; table/local-variable init ops are what TF2
does on load anyway; `clear_devices`/`strip_default_attrs` are TF2's behaviour already.
TF2 writes one MetaGraph tagged `serve`, so several tag-sets merge (and a note says so).
A builder the planner cannot prove becomes `SavedModelBuilderTF2(...)`, the live-session
export (`live.py`), unless the class is subclassed/referenced or non-public members are used.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from codemods.analysis.cst_utils import arguments
from codemods.analysis.names import dotted_name
from codemods.analysis.scopes import Binding, BindingTracker
from codemods.analysis.sites import Site
from codemods.commands._export import live_template
from codemods.commands._export.command import EXPORT_TODOS, ExportToModuleCommand
from codemods.commands._export.plan import Planner
from codemods.commands._export.signature import Refusal, Signature, public_name
from codemods.engine.node_index import find_all

BUILDERS = frozenset(
    {"tensorflow.saved_model.Builder", "tensorflow.saved_model.builder.SavedModelBuilder"}
)
_FIRST = (
    "sess", "tags", "signature_def_map", "assets_collection", "legacy_init_op",
    "clear_devices", "main_op", "strip_default_attrs", "saver", "init_op", "train_op",
)  # fmt: skip
_MORE = ("tags", "signature_def_map", "assets_collection", "legacy_init_op", "clear_devices",
         "main_op", "strip_default_attrs", "saver")  # fmt: skip
_METHODS = frozenset({"add_meta_graph_and_variables", "add_meta_graph", "save"})
_ASSETS = "tensorflow.get_collection"


class BuilderToModule(ExportToModuleCommand):
    NAME = "builder_to_module"
    DESCRIPTION = "Rewrite SavedModelBuilder exports to a tf.Module + tf.saved_model.save."
    TRIGGERS = ("Builder",)
    TODO_CODES = {
        **EXPORT_TODOS,
        "EXPORT_BUILDER": "the builder is used other than ctor/add_meta_graph*/save",
    }

    def is_builder(self, call: cst.Call) -> bool:
        return public_name(self.qualify(call.func)) in BUILDERS

    def match(self, call: cst.Call) -> bool:
        func = call.func
        return (
            isinstance(func, cst.Attribute) and func.attr.value in _METHODS or self.is_builder(call)
        )

    def plan_sites(self, module: cst.Module) -> None:
        sites = {site.call: site for site in self.index.sites}
        tracker = BindingTracker(module, self.is_builder)
        bound = {b.call: b for b in tracker.run().values()}
        constructors = [c for c in find_all(module, cst.Call) if self.is_builder(c)]
        if not constructors:
            return
        keys = Counter(
            dotted_name(a.targets[0].target)
            for a in find_all(module, cst.Assign)
            if a.value in bound or a.value in constructors and len(a.targets) == 1
        )
        blocked = self._class_used(module, constructors)
        for call in constructors:
            binding = bound.get(call)
            try:
                if binding is None:
                    raise Refusal("EXPORT_BUILDER", "assign the builder to a variable first")
                if keys[dotted_name(binding.statement.targets[0].target)] > 1:
                    raise Refusal("EXPORT_SLICE", "the builder's name is bound more than once")
                self._plan(binding, sites)
            except Refusal as refusal:
                todo = blocked or (self._private_use(module, binding) if binding else None)
                if todo is None:
                    self.go_live(call, live_template.BUILDER, refusal)
                else:
                    self.refuse(call, todo)

    def _class_used(self, module: cst.Module, constructors: list[cst.Call]) -> Refusal | None:
        """The builder class subclassed, passed or tested (isinstance): no drop-in is safe."""
        skip: set[cst.CSTNode] = {c.func for c in constructors}
        for statement in find_all(module, cst.Import, cst.ImportFrom):
            skip.update(find_all(statement, cst.Name, cst.Attribute))
        skip.update(a.attr for a in find_all(module, cst.Attribute))
        for node in find_all(module, cst.Name, cst.Attribute):
            if node not in skip and public_name(self.qualify(node)) in BUILDERS:
                return Refusal(
                    "EXPORT_BUILDER", "the builder class is subclassed or referenced; port by hand"
                )
        return None

    def _private_use(self, module: cst.Module, binding: Binding) -> Refusal | None:
        """Methods or private attributes the TF2 drop-in does not have."""
        other = sorted({u.method for u in binding.uses if u.method not in _METHODS})
        key = dotted_name(binding.statement.targets[0].target)
        other += sorted(
            {
                a.attr.value
                for a in find_all(module, cst.Attribute)
                if a.attr.value.startswith("_") and dotted_name(a.value) == key
            }
        )
        if not other:
            return None
        return Refusal("EXPORT_BUILDER", f"the builder's {', '.join(other)} has no TF2 equivalent")

    def _plan(self, binding: Binding, sites: dict[cst.Call, Site]) -> None:
        if binding.escapes or any(use.method not in _METHODS for use in binding.uses):
            raise Refusal(
                "EXPORT_BUILDER", "the builder is passed on or used otherwise; port by hand"
            )
        metas = [u for u in binding.uses if u.method.startswith("add_meta_graph")]
        saves = [u for u in binding.uses if u.method == "save"]
        first = [u for u in metas if u.method == "add_meta_graph_and_variables"]
        if len(first) != 1 or metas[0] is not first[0] or len(saves) != 1:
            raise Refusal(
                "EXPORT_BUILDER", "expected one add_meta_graph_and_variables, then save()"
            )
        export_dir = arguments(binding.call, ("export_dir",)).get("export_dir")
        if export_dir is None or len(binding.call.args) != 1:
            raise Refusal(
                "EXPORT_ARGS", "the builder's constructor arguments are not just export_dir"
            )
        planners, tag_sets = [], []
        signatures: dict[str, Signature] = {}
        for use in metas:
            site = sites[use.call]
            planner = self.planner(site)
            names = _FIRST if use.method == "add_meta_graph_and_variables" else _MORE
            args = arguments(use.call, names)
            self._check_args(planner, args, names)
            tag_sets.append(self._tags(planner, args.get("tags")))
            for signature in planner.signature_map(args.get("signature_def_map")):
                planner.plan(signature)
                previous = signatures.get(signature.name)
                if previous is not None and not _same(previous, signature):
                    raise Refusal(
                        "EXPORT_SIGNATURES",
                        f"tag-sets define signature {signature.name!r} differently",
                    )
                signatures.setdefault(signature.name, signature)
            planners.append(planner)
        last = sites[metas[-1].call]
        session = arguments(first[0].call, _FIRST)["sess"]
        notes = []
        if tag_sets != [["serve"]]:
            notes.append(
                f"# tf-migrate: TF2 writes one MetaGraph tagged 'serve' (TF1 tag-sets: {tag_sets})"
            )
        self.emit(last, planners, list(signatures.values()), export_dir, session, notes)
        for use in [*metas[:-1], *saves]:
            self.remove(sites[use.call].statement)
        self.remove(sites[binding.call].statement)

    def _check_args(
        self, planner: Planner, args: dict[str, cst.BaseExpression], names: tuple[str, ...]
    ) -> None:
        unknown = sorted(k for k in args if k not in names or k in ("saver", "train_op"))
        if unknown:
            raise Refusal(
                "EXPORT_ARGS", f"no tf.saved_model.save equivalent for {', '.join(unknown)}"
            )
        for key in ("main_op", "legacy_init_op", "init_op"):
            value = args.get(key)
            if (
                isinstance(value, cst.Call)
                and planner.qualify(value.func) == "tensorflow.saved_model.main_op.main_op"
            ):
                raise Refusal(
                    "EXPORT_INIT_OP",
                    "main_op() re-initializes all variables at load (TF1 serves initial values); "
                    "TF2 keeps trained ones: decide by hand",
                )
            if not self.init_op_ok(planner, value):
                raise Refusal(
                    "EXPORT_INIT_OP", f"{key} does more than initialize tables; port it by hand"
                )
        assets = args.get("assets_collection")
        if assets is not None and not (isinstance(assets, cst.Name) and assets.value == "None"):
            collection = (
                assets.args[0].value if isinstance(assets, cst.Call) and assets.args else None
            )
            if planner.qualify(
                assets.func if isinstance(assets, cst.Call) else None
            ) != _ASSETS or not (
                (planner.qualify(collection) or "").endswith("GraphKeys.ASSET_FILEPATHS")
            ):
                raise Refusal(
                    "EXPORT_ARGS", "assets_collection is not the ASSET_FILEPATHS collection"
                )

    def _tags(self, planner: Planner, tags: cst.BaseExpression | None) -> list[str]:
        literal = planner.literal(tags, (cst.List, cst.Tuple), "tags")  # type: ignore[arg-type]
        values = [planner.constant(e.value) for e in literal.elements]  # type: ignore[attr-defined]
        if any(v is None for v in values):
            raise Refusal("EXPORT_SIGNATURES", "a tag is not a literal or tag_constants name")
        return [v[0] for v in values if v is not None]


def _same(a: Signature, b: Signature) -> bool:
    code = cst.Module([]).code_for_node
    return [(code(k), code(v)) for k, v in a.outputs] == [
        (code(k), code(v)) for k, v in b.outputs
    ] and [(code(k), code(v)) for k, v in a.inputs] == [(code(k), code(v)) for k, v in b.inputs]
