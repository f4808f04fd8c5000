"""Read TF1 signatures statically and slice out the code that computes them.

A signature is inputs (placeholders) -> outputs (tensor expressions). The TF2 form needs, per
signature, a TensorSpec per input and the statements that lead from the placeholders to the
outputs, copied into a `tf.function`. Names that do not depend on any input (variables,
constants, helper functions) stay closure references; tables move into the module. Anything
that cannot be read from the source alone raises `Refusal` with a stable TODO code.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

import libcst as cst

from codemods.analysis.cst_utils import arguments, calls, code
from codemods.analysis.names import dotted_name
from codemods.analysis.sites import Definition, Site, SiteIndex
from codemods.commands._export.signature import (
    CONSTANTS,
    Param,
    Refusal,
    Signature,
    Table,
    public_name,
)
from codemods.engine.traverse import visit

PLACEHOLDER = "tensorflow.placeholder"
# Fed or defaulted graph tensors: a tf.function reading one that is not a signature input
# captures a TF1 graph tensor, and tf.saved_model.save raises "captures graph tensor".
UNFED_INPUTS = {PLACEHOLDER, "tensorflow.placeholder_with_default", "tensorflow.sparse_placeholder"}
TENSOR_INFO = "tensorflow.saved_model.build_tensor_info"
FACTORIES = {
    "tensorflow.saved_model.predict_signature_def": "predict",
    "tensorflow.saved_model.classification_signature_def": "classify",
    "tensorflow.saved_model.regression_signature_def": "regress",
    "tensorflow.saved_model.build_signature_def": "build",
}
METHODS = {"tensorflow/serving/predict": "predict", "tensorflow/serving/classify": "classify"}
METHODS["tensorflow/serving/regress"] = "regress"
_TABLE_PREFIX = "tensorflow.lookup."
_TEXT_FILE = "tensorflow.lookup.TextFileInitializer"
_REUSE_HINTS = ("get_variable", "layers.", "keras.", "make_template")


class Planner:
    """Resolve signatures for one export site and slice their computations."""

    def __init__(
        self,
        qualify: Callable[[cst.BaseExpression], str | None],
        index: SiteIndex,
        site: Site,
        functions: dict[str, cst.FunctionDef],
        counts: dict[str, int],
    ) -> None:
        self._qualify = qualify
        self.index, self.site, self.functions, self.counts = index, site, functions, counts
        self.tables: dict[str, Table] = {}
        self.consumed: set[cst.SimpleStatementLine] = set()  # definitions only the export used
        self.uses_self = False

    def qualify(self, node: cst.BaseExpression | None) -> str | None:
        return public_name(self._qualify(node) if node is not None else None)

    # -- constants and literals -----------------------------------------------------------
    def constant(self, node: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
        """(value, TF2 spelling) of a key/tag expression, or None if not static."""
        if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
            return node.evaluated_value, node
        name = self.qualify(node) or ""
        short = name.rpartition(".")[2]
        if name.startswith("tensorflow.saved_model.") and short in CONSTANTS:
            return CONSTANTS[short], cst.parse_expression(f"__tf2__.saved_model.{short}")
        definition = self.definition(node)
        if definition is not None and isinstance(definition.assign.value, cst.SimpleString):
            value = definition.assign.value.evaluated_value
            return (value, node) if isinstance(value, str) else None
        return None

    def definition(self, node: cst.BaseExpression) -> Definition | None:
        key = dotted_name(node)
        defs = self.index.lookup(self.site, key) if key else None
        if defs and len(defs) == 1 and not defs[0].conditional:
            return defs[0]
        return None

    def literal(
        self, node: cst.BaseExpression | None, kind: type[cst.CSTNode], what: str
    ) -> cst.BaseExpression:
        """`node` itself, or the value of the one assignment of the name it is."""
        if node is not None and not isinstance(node, kind):
            definition = self.definition(node)
            if definition is not None and isinstance(definition.assign.value, kind):
                if self.counts.get(dotted_name(node) or "", 0) != 2:  # mutated or reused elsewhere
                    raise Refusal(
                        "EXPORT_SIGNATURES",
                        f"{what} is changed after it is built; write it as a literal",
                    )
                self.consumed.add(definition.statement)
                node = definition.assign.value
        if not isinstance(node, kind) or isinstance(node, cst.Dict) and not node.elements:
            raise Refusal(
                "EXPORT_SIGNATURES", f"{what} is built at run time; write it as a literal"
            )
        return node

    def tensor_map(
        self, node: cst.BaseExpression | None, what: str
    ) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
        mapping = self.literal(node, cst.Dict, what)
        assert isinstance(mapping, cst.Dict)
        out: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        for element in mapping.elements:
            if not isinstance(element, cst.DictElement):
                raise Refusal("EXPORT_SIGNATURES", f"{what} uses ** unpacking")
            key = self.constant(element.key)
            if key is None:
                raise Refusal("EXPORT_SIGNATURES", f"a key of {what} is not a literal")
            value = element.value
            info = value if isinstance(value, cst.Call) else self._info_definition(value)
            if isinstance(info, cst.Call) and self.qualify(info.func) == TENSOR_INFO:
                value = arguments(info, ("tensor",))["tensor"]
            out.append((key[1], value))
        return out

    def _info_definition(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        definition = self.definition(node)
        if definition is None or not isinstance(definition.assign.value, cst.Call):
            return None
        if self.qualify(definition.assign.value.func) != TENSOR_INFO:
            return None
        self.consumed.add(definition.statement)
        return definition.assign.value

    # -- signatures -----------------------------------------------------------------------
    def signature_map(self, node: cst.BaseExpression | None) -> list[Signature]:
        mapping = self.literal(node, cst.Dict, "signature_def_map")
        assert isinstance(mapping, cst.Dict)
        signatures = []
        for element in mapping.elements:
            if not isinstance(element, cst.DictElement):
                raise Refusal("EXPORT_SIGNATURES", "signature_def_map uses ** unpacking")
            key = self.constant(element.key)
            if key is None:
                raise Refusal("EXPORT_SIGNATURES", "a signature key is not a literal or constant")
            call = element.value
            if not isinstance(call, cst.Call):
                definition = self.definition(call)
                call = definition.assign.value if definition else call
                if definition is not None and isinstance(call, cst.Call):
                    self.consumed.add(definition.statement)
            signatures.append(self.signature(key, call))
        return signatures

    def signature(self, key: tuple[str, cst.BaseExpression], call: cst.BaseExpression) -> Signature:
        kind = FACTORIES.get(self.qualify(call.func) or "") if isinstance(call, cst.Call) else None
        if kind is None or not isinstance(call, cst.Call):
            raise Refusal(
                "EXPORT_SIGNATURES",
                f"signature {key[0]!r} is not built by a signature_def_utils call",
            )
        if kind == "predict":
            args = arguments(call, ("inputs", "outputs"))
            return Signature(
                key[1],
                key[0],
                "predict",
                self.tensor_map(args.get("inputs"), "inputs"),
                self.tensor_map(args.get("outputs"), "outputs"),
            )
        if kind == "build":
            args = arguments(call, ("inputs", "outputs", "method_name"))
            method = self.constant(args["method_name"]) if "method_name" in args else None
            if method is None or method[0] not in METHODS:
                raise Refusal(
                    "EXPORT_SIGNATURES", "build_signature_def method_name is not a serving constant"
                )
            return Signature(
                key[1],
                key[0],
                METHODS[method[0]],
                self.tensor_map(args.get("inputs"), "inputs"),
                self.tensor_map(args.get("outputs"), "outputs"),
            )
        names = (
            ("examples", "classes", "scores") if kind == "classify" else ("examples", "predictions")
        )
        args = arguments(call, names)
        keys = {
            "examples": "CLASSIFY_INPUTS" if kind == "classify" else "REGRESS_INPUTS",
            "classes": "CLASSIFY_OUTPUT_CLASSES",
        }
        keys.update(scores="CLASSIFY_OUTPUT_SCORES", predictions="REGRESS_OUTPUTS")
        outputs = [
            (_tf2_constant(keys[n]), args[n])
            for n in names[1:]
            if n in args and not _is_none(args[n])
        ]
        if "examples" not in args or not outputs:
            raise Refusal("EXPORT_SIGNATURES", f"{kind} signature without examples or outputs")
        return Signature(
            key[1], key[0], kind, [(_tf2_constant(keys["examples"]), args["examples"])], outputs
        )

    # -- slicing --------------------------------------------------------------------------
    def plan(self, signature: Signature) -> None:
        params: dict[str, Param] = {}
        for key, tensor in signature.inputs:
            name = dotted_name(tensor)
            definition = self._unique(name) if name else None
            value = definition.assign.value if definition else None
            if not isinstance(value, cst.Call) or self.qualify(value.func) != PLACEHOLDER:
                raise Refusal(
                    "EXPORT_INPUT", f"input {code(tensor)!r} is not a tf.placeholder variable"
                )
            args = arguments(value, ("dtype", "shape", "name"))
            shape = args.get("shape", cst.Name("None"))
            param = Param(name.rpartition(".")[2], key, self._dtype(args["dtype"]), shape)  # type: ignore[union-attr]
            if free_names(shape) and name.startswith("self."):  # type: ignore[union-attr]  # names local to another method
                param.tensor = tensor
            params[name] = param  # type: ignore[index]
        for _, value in signature.outputs:
            if not any(self._depends(n, set(params), set()) for n in free_names(value)):
                raise Refusal(  # it would capture a tensor of the TF1 graph (`self.pred`)
                    "EXPORT_SLICE", f"output {code(value)!r} is not computed from the inputs here"
                )
        needed: dict[int, Definition] = {}
        seen: set[str] = set(params)
        pending = [value for _, value in signature.outputs]
        while pending:
            for name in free_names(pending.pop()):
                if name in seen:
                    continue
                seen.add(name)
                definition = self._unique(name)
                if definition is None:
                    continue
                if self._depends(name, set(params), set()):
                    self._check_context(definition, name)
                    needed[definition.index] = definition
                    pending.append(definition.assign.value)
                elif self._is_table(definition.assign.value):
                    self._add_table(name, definition)
                elif _is_placeholder_call(definition.assign.value, self.qualify):
                    raise Refusal(
                        "EXPORT_INPUT",
                        f"an output needs placeholder {name!r}, which is not a signature input",
                    )
                elif name.startswith("self."):
                    self.uses_self = True
        signature.params = list(params.values())
        body = list(dict.fromkeys(d.statement for _, d in sorted(needed.items())))
        signature.body = body
        signature.reuse = any(self._creates_variables(s) for s in body)

    def _dtype(self, dtype: cst.BaseExpression) -> cst.BaseExpression:
        """`tf.float32` via any alias -> `<tf2>.float32`; anything else is kept as written."""
        name = self.qualify(dtype) or ""
        short = name.removeprefix("tensorflow.")
        if name.startswith("tensorflow.") and short.isidentifier() and short.islower():
            return cst.parse_expression(f"__tf2__.{short}")
        return dtype

    def _unique(self, name: str) -> Definition | None:
        defs = self.index.lookup(self.site, name)
        if not defs:
            return None
        if len(defs) > 1 or defs[0].conditional:
            raise Refusal("EXPORT_SLICE", f"{name!r} is assigned more than once or conditionally")
        return defs[0]

    def _depends(self, name: str, params: set[str], active: set[str]) -> bool:
        if name in params:
            return True
        if name in active:
            return False
        defs = self.index.lookup(self.site, name)
        if not defs:
            return False
        active.add(name)
        return any(
            self._depends(n, params, active) for d in defs for n in free_names(d.assign.value)
        )

    def _check_context(self, definition: Definition, name: str) -> None:
        for block in definition.context:
            for item in block.items:
                call = item.item
                func = call.func if isinstance(call, cst.Call) else None
                qualified = self.qualify(func) if func is not None else None
                as_default = isinstance(func, cst.Attribute) and func.attr.value == "as_default"
                if not as_default and (qualified is None or "variable_scope" in qualified):
                    raise Refusal(
                        "EXPORT_SLICE",
                        f"{name!r} is computed inside `with {code(call)}`; move it into a function",
                    )

    def _is_table(self, value: cst.BaseExpression) -> bool:
        name = self.qualify(value.func) if isinstance(value, cst.Call) else None
        return bool(name and name.startswith(_TABLE_PREFIX) and name.endswith("Table"))

    def _add_table(self, name: str, definition: Definition) -> None:
        value = definition.assign.value
        assert isinstance(value, cst.Call)
        initializer = arguments(value, ("initializer",)).get("initializer")
        asset = None
        if isinstance(initializer, cst.Call) and self.qualify(initializer.func) == _TEXT_FILE:
            asset = arguments(initializer, ("filename",)).get("filename")
        self.tables[name] = Table(name, value, asset)

    def _creates_variables(self, node: cst.CSTNode, seen: frozenset[str] = frozenset()) -> bool:
        """Might running `node` call get_variable/layers (so the function needs reuse=True)?"""
        for call in calls(node):
            qualified = self.qualify(call.func) or ""
            if any(hint in qualified for hint in _REUSE_HINTS):
                return True
            name = call.func.value if isinstance(call.func, cst.Name) else None
            if name is None or qualified or hasattr(builtins, name) or name in seen:
                continue
            helper = self.functions.get(name)
            if helper is None or self._creates_variables(helper.body, seen | {name}):
                return True  # unknown callables may create variables
        return False


def free_names(node: cst.CSTNode) -> list[str]:
    """Names (and `self.attr`s) an expression reads, in order."""
    collector = _FreeNames()
    visit(node, collector)
    return list(dict.fromkeys(collector.names))


class _FreeNames(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            self.names.append(f"self.{node.attr.value}")
            return False
        visit(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        visit(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def _is_placeholder_call(
    value: cst.BaseExpression, qualify: Callable[[cst.BaseExpression], str | None]
) -> bool:
    return isinstance(value, cst.Call) and qualify(value.func) in UNFED_INPUTS


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _tf2_constant(short: str) -> cst.BaseExpression:
    return cst.parse_expression(f"__tf2__.saved_model.{short}")
