"""Estimator export code -> a TF2 serving `tf.Module` restored from the Estimator's checkpoint.

`tf.estimator` is gone from TF >= 2.16. For a custom `model_fn` Estimator the export becomes a
generated `tf.Module` that runs `model_fn` in PREDICT mode on the receiver's features, restores
`model_dir`'s latest checkpoint by TF1 variable name (graph mode + `tf.train.Saver`, the same
names Estimator gave the variables, so no name map is needed), and is written with
`tf.saved_model.save`: one signature per `export_outputs` head, same keys, inputs and outputs.
The receiver becomes a plain function of its inputs; `model_fn`'s Estimator types become
dicts (`EstimatorSpec` -> `dict`, heads -> their signature outputs, `ModeKeys` -> strings).
Training is not migrated: the constructor and `train` calls stay, commented out, with a note.
Canned estimators are not re-implemented: their export gets a TODO pointing to
`tf-migrate convert` of the SavedModel they export under TF <= 2.15.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.analysis.blocks import name_uses
from codemods.analysis.cst_utils import arguments, code, is_pure, leading_lines
from codemods.analysis.names import dotted_name
from codemods.analysis.sites import Definition, Site
from codemods.commands._estimator import emit, factory, plan, training
from codemods.commands._export.command import ExportToModuleCommand
from codemods.commands._export.signature import Refusal
from codemods.engine.node_index import find_all

_IMPORTS = AddImportsVisitor.CONTEXT_KEY
EXPORTS = frozenset({"export_saved_model", "export_savedmodel"})
_EXPORT_ARGS = (
    "export_dir_base",
    "serving_input_receiver_fn",
    "assets_extra",
    "as_text",
    "checkpoint_path",
)
_CTOR_ARGS = ("model_fn", "model_dir", "config", "params", "warm_start_from")
# Where TF's own Estimator classes live (canned ones, TPUEstimator).
_LIBRARIES = ("tensorflow.estimator.", "tensorflow_estimator.", "tensorflow.contrib.", "adanet.")
_HARMLESS_USES = frozenset({"train", "latest_checkpoint", "model_dir"})
_NOTE = (
    "# tf-migrate: tf.estimator is gone from TF >= 2.16; training is not migrated "
    "(train with Keras or a custom loop)."
)
_NOTE2 = "# tf-migrate: the export below restores the latest checkpoint in model_dir. Was:"
_NOTE3 = "# tf-migrate: this Estimator factory is only called by the training commented out. Was:"


@dataclass
class _Estimator:
    name: str
    model_dir: cst.BaseExpression


class EstimatorExportToModule(ExportToModuleCommand):
    NAME = "estimator_export_to_module"
    DESCRIPTION = (
        "Rewrite Estimator export code to a tf.Module restored from model_dir "
        "+ tf.saved_model.save."
    )
    TRIGGERS = ("export_saved_model", "export_savedmodel")
    TODO_CODES = {
        "ESTIMATOR_CANNED": (
            "a canned estimator: convert its TF <= 2.15 export with `tf-migrate convert`"
        ),
        "ESTIMATOR_BINDING": (
            "the estimator is not one `name = tf.estimator.Estimator(model_fn, model_dir=...)`"
        ),
        "ESTIMATOR_USE": (
            "the estimator is used for more than train/export/latest_checkpoint/model_dir"
        ),
        "ESTIMATOR_MODEL_FN": (
            "model_fn is not a module-level function of features/labels/mode/params"
        ),
        "ESTIMATOR_HEADS": (
            "export_outputs is not a literal dict of export Outputs with static keys"
        ),
        "ESTIMATOR_RECEIVER": "the serving input receiver is not statically clear",
        "ESTIMATOR_TPU": "a TPUEstimator: convert its TF <= 2.15 export with `tf-migrate convert`",
        "ESTIMATOR_EXPORT_ARGS": "an export argument has no tf.saved_model.save equivalent",
    }

    def match(self, call: cst.Call) -> bool:
        func = call.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in EXPORTS
            and isinstance(func.value, cst.Name)
        )

    def plan_sites(self, module: cst.Module) -> None:
        self._estimators: dict[str, _Estimator] = {}
        self._done: set[int] = set()  # statements earlier sites comment out or replace
        self._markers: set[int] = set()
        self._globals = {
            k: v[0].assign.value
            for k, v in self.index.scopes[module].items()
            if len(v) == 1 and not v[0].conditional
        }
        for site in self.index.sites:
            imports = self.context.scratch.get(_IMPORTS)
            saved = (self._tf2, None if imports is None else list(imports))
            try:
                self._plan(module, site)
            except Refusal as refusal:
                self.refuse(site.call, refusal)
                self._tf2 = saved[
                    0
                ]  # planning may have queued `import tensorflow`: a refusal adds nothing
                if saved[1] is None:
                    self.context.scratch.pop(_IMPORTS, None)
                else:
                    self.context.scratch[_IMPORTS] = saved[1]

    # -- planning -------------------------------------------------------------------------
    def _plan(self, module: cst.Module, site: Site) -> None:
        func = site.call.func
        assert isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
        name = func.value.value
        if name == "self" and _defines(site.klass, func.attr.value):
            return  # the class's own export method, not an Estimator's
        definitions = self.index.lookup(site, name)
        if not definitions or len(definitions) != 1 or not _proven(definitions[0], site):
            raise Refusal("ESTIMATOR_BINDING", f"{name} is not assigned once, unconditionally")
        ctor = definitions[0]
        call = ctor.assign.value
        if len(ctor.statement.body) != 1:
            raise Refusal("ESTIMATOR_BINDING", f"{name}'s statement does more than build it")
        built = (
            factory.inline(call, self._functions, self._globals, _CTOR_ARGS)
            if isinstance(call, cst.Call)
            else None
        )
        # Built by a factory of this file: only the commented-out statement calls it (else the
        # tf.estimator check below refuses), so it is commented out with the constructor.
        makers = [self._functions[code(call.func)]] if built and isinstance(call, cst.Call) else []
        call = built or call
        kind = self._resolve(call.func) if isinstance(call, cst.Call) else ""
        short = kind.rpartition(".")[2]
        if short == "TPUEstimator" and kind.startswith(_LIBRARIES):
            raise Refusal(
                "ESTIMATOR_TPU",
                "TPUEstimator exports (TPU graphs, TPUEstimatorSpec) are not rewritten; export "
                "under TF <= 2.15 and run `tf-migrate convert <its export> <out>`",
            )
        library = kind.startswith(_LIBRARIES) and short[:1].isupper() and short != "Estimator"
        if library or kind.endswith(".keras.estimator.model_to_estimator"):
            raise Refusal(
                "ESTIMATOR_CANNED",
                f"canned {short} is not re-implemented; export it under TF <= 2.15 "
                "and run `tf-migrate convert <its export> <out>` (docs/converter.md)",
            )
        if not isinstance(call, cst.Call) or kind != "tensorflow.estimator.Estimator":
            raise Refusal(
                "ESTIMATOR_BINDING", f"{name} is not built by a tf.estimator constructor here"
            )
        args = arguments(call, _CTOR_ARGS)
        model_dir, fn_name = args.get("model_dir"), args.get("model_fn")
        if set(args) - set(_CTOR_ARGS) or model_dir is None or not is_pure(model_dir):
            raise Refusal(
                "ESTIMATOR_BINDING",
                "pass model_dir= as a name or literal (the checkpoint comes from it)",
            )
        if "warm_start_from" in args:
            raise Refusal("ESTIMATOR_BINDING", "warm_start_from has no serving-side equivalent")
        function = self._functions.get(fn_name.value) if isinstance(fn_name, cst.Name) else None
        if function is None:
            raise Refusal("ESTIMATOR_MODEL_FN", "model_fn is not a module-level function")
        model_fn = plan.read_model_fn(function, self.qualify, self._globals)
        if "params" in model_fn.params and "params" not in args:
            raise Refusal("ESTIMATOR_MODEL_FN", "model_fn takes params but the Estimator gets none")
        uses = self._uses(module, name, {ctor.statement, site.statement})
        commented: list[cst.BaseStatement] = [ctor.statement, *uses]
        commented += training.dead_setup(module, commented, self.qualify)
        export = arguments(site.call, _EXPORT_ARGS)
        receiver = self._receiver(site, export.get("serving_input_receiver_fn"))
        strings = [i for i in receiver.inputs if i.string]
        if any(h.kind != "predict" for h in model_fn.heads) and (
            len(receiver.inputs) != 1 or not strings
        ):
            raise Refusal(
                "ESTIMATOR_HEADS",
                "classification/regression heads need one tf.string receiver input",
            )
        checkpoint = emit.checkpoint(export, model_dir, self.handles().v1)
        result = emit.result(site.statement, site.call)
        skip = {*self._done, *(id(s) for s in [*commented, site.statement, receiver.original])}
        keep = {model_fn.node.name.value, receiver.name}
        left = training.still_runs(module, skip, keep, receiver.replacement, self.qualify)
        if left is not None:
            raise Refusal(
                "ESTIMATOR_USE", f"{left} would still run (gone from TF >= 2.16): port it first"
            )
        # Planned: queue the edits.
        h = self.handles()
        bases = ("EstimatorExportModule", "export_module", "export_path", "session", "method_names")
        names = emit.Names(*(self._fresh(b) for b in bases))
        klass = emit.module_class(names, model_fn, receiver, args.get("params"), h)
        blank = cst.EmptyLine(indent=False)
        pad = [blank, blank] if isinstance(site.scope, cst.Module) else [blank]
        self.edit(site.anchor).before.append(klass.with_changes(leading_lines=pad))
        statements = emit.export_statements(
            names, model_fn, export["export_dir_base"], checkpoint, result, h
        )
        statements[0] = statements[0].with_changes(leading_lines=site.statement.leading_lines)
        self.edit(site.statement).replace = statements
        spacing = [] if isinstance(receiver.original, cst.FunctionDef) else pad
        lines = [*leading_lines(receiver.original), *spacing]
        self.edit(receiver.original).replace = [
            receiver.replacement.with_changes(leading_lines=lines)
        ]
        order = {id(s): i for i, s in enumerate(find_all(module, cst.SimpleStatementLine))}
        for statement in sorted(commented, key=lambda s: order[id(s)]):
            self._comment_out(statement, [_NOTE, _NOTE2] if statement is ctor.statement else [])
        for maker in makers:
            self._comment_out(maker, [_NOTE3])
        self._done.update(id(s) for s in [*commented, *makers, site.statement, receiver.original])
        self._estimators[name] = _Estimator(name, model_dir)
        AddImportsVisitor.add_needed_import(self.context, "os")
        AddImportsVisitor.add_needed_import(self.context, "time")
        self.changed = True

    def _resolve(self, node: cst.BaseExpression) -> str:
        """The imported path `node` names, TensorFlow's (canonical) or another package's."""
        dotted = dotted_name(node) or ""
        head, _, rest = dotted.partition(".")
        target = self.aliases.bindings.get(head, "")
        return self.qualify(node) or (f"{target}.{rest}" if target and rest else target)

    def _uses(
        self, module: cst.Module, name: str, known: set[cst.SimpleStatementLine]
    ) -> list[cst.SimpleStatementLine]:
        """`name.train(...)` statements (to comment out); refuse any use we cannot rewrite."""
        finder = name_uses(module, name)
        trains, passed = training.train_and_evaluate(module, name, self.qualify)
        if any(id(n) not in passed for n in finder.bare):
            raise Refusal("ESTIMATOR_USE", f"{name} is passed on or rebound; port by hand")
        for statement, attr in finder.attrs:
            if statement in known:
                continue
            if attr not in _HARMLESS_USES:
                raise Refusal(
                    "ESTIMATOR_USE", f"{name}.{attr} has no TF2 counterpart here; port it first"
                )
            if attr == "train":
                small = statement.body[0] if len(statement.body) == 1 else None
                if not isinstance(small, cst.Expr):
                    raise Refusal("ESTIMATOR_USE", f"the result of {name}.train is used")
                trains.append(statement)
        return trains

    def _receiver(self, site: Site, node: cst.BaseExpression | None) -> plan.Receiver:
        if not isinstance(node, cst.Name):
            raise Refusal(
                "ESTIMATOR_RECEIVER", "bind the serving_input_receiver_fn to a name first"
            )
        function = self._functions.get(node.value)
        definitions = self.index.lookup(site, node.value)
        if function is not None and not definitions:
            return plan.custom_receiver(function, self.qualify)
        if (
            not definitions
            or len(definitions) != 1
            or not _proven(definitions[0], site)
            or function is not None
        ):
            raise Refusal("ESTIMATOR_RECEIVER", f"{node.value} is not defined once")
        value = definitions[0].assign.value
        if not isinstance(value, cst.Call) or self.qualify(value.func) not in (
            plan.PARSING,
            plan.RAW,
        ):
            raise Refusal(
                "ESTIMATOR_RECEIVER",
                f"{node.value} is not a build_*_serving_input_receiver_fn result",
            )
        if len(definitions[0].statement.body) != 1:
            raise Refusal("ESTIMATOR_RECEIVER", f"{node.value}'s statement does more than build it")
        return plan.builder_receiver(
            node.value, definitions[0].statement, value, self.qualify, self.handles().v1
        )

    def _comment_out(self, statement: cst.BaseStatement, notes: list[str]) -> None:
        """Replace with a marker carrying the code as comments; merged into the next statement."""
        lines = code(statement.with_changes(leading_lines=[])).rstrip("\n").split("\n")
        comments = [cst.EmptyLine(comment=cst.Comment(n)) for n in notes]
        comments += [cst.EmptyLine(comment=cst.Comment(f"#   {line.rstrip()}")) for line in lines]
        marker = cst.SimpleStatementLine(
            [cst.Pass()], leading_lines=[*leading_lines(statement), *comments]
        )
        self._markers.add(id(marker))
        self.edit(statement).replace = [marker]

    def focus(self) -> list[cst.CSTNode] | None:
        # Once a site converts, ModeKeys, heads and model_dir reads anywhere are rewritten.
        return None if self.changed else super().focus()

    # -- in-place rewrites ----------------------------------------------------------------
    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.changed:
            return updated_node
        name = self.qualify(original_node) or ""
        if (
            name.startswith("tensorflow.estimator.ModeKeys.")
            and name.rpartition(".")[2] in plan.MODES
        ):
            return cst.SimpleString(f'"{plan.MODES[name.rpartition(".")[2]]}"')
        value = original_node.value
        estimator = self._estimators.get(value.value) if isinstance(value, cst.Name) else None
        if estimator is not None and original_node.attr.value == "model_dir":
            return estimator.model_dir
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.changed:
            return updated_node
        name = self.qualify(original_node.func) or ""
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value == "latest_checkpoint"
        ):
            estimator = self._estimators.get(func.value.value)
            if estimator is not None and not original_node.args:
                v1 = self.handles().v1
                return cst.parse_expression(
                    f"{v1}.train.latest_checkpoint({code(estimator.model_dir)})"
                )
        if name == plan.SPEC:
            return emit.keywords(updated_node, plan.SPEC_ARGS, cst.Name("dict"))
        kind = plan.HEADS.get(name)
        if kind == "predict":
            return arguments(updated_node, ("outputs",))["outputs"]
        if kind is not None:
            fields = ("scores", "classes") if kind == "classify" else ("value",)
            args = arguments(updated_node, fields)
            keys = {"value": "outputs"}
            elements = [
                cst.DictElement(cst.SimpleString(f'"{keys.get(f, f)}"'), args[f])
                for f in fields
                if f in args and code(args[f]) != "None"
            ]
            return cst.Dict(elements)
        return updated_node

    # -- markers --------------------------------------------------------------------------
    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._merge(list(updated_node.body)))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._merge(list(updated_node.body)))

    def _merge(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        if not self._markers:
            return body
        out: list[cst.BaseStatement] = []
        carry: list[cst.EmptyLine] = []
        for statement in body:
            if id(statement) in self._markers:
                carry += list(leading_lines(statement))
                continue
            if carry:
                statement = statement.with_changes(
                    leading_lines=[*carry, *leading_lines(statement)]
                )
                carry = []
            out.append(statement)
        if carry:
            out.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carry))
        return out


def _defines(klass: cst.ClassDef | None, method: str) -> bool:
    body = klass.body.body if klass is not None else ()
    return any(isinstance(f, cst.FunctionDef) and f.name.value == method for f in body)


def _proven(definition: Definition, site: Site) -> bool:
    """Assigned unconditionally, or in the branch arm holding the export, before it
    (`if __name__ == "__main__":` builds the Estimator and exports it)."""
    return not definition.conditional or definition.reaches(site)
