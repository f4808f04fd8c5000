"""Read an Estimator export statically: the receiver's inputs and the model_fn's export heads.

Everything the TF2 module needs is decided from the source alone: the receiver's input keys,
dtypes and shapes (they become the `input_signature`), and per `export_outputs` head its
signature key and kind (classify/regress/predict: TF Serving's method name and input key).
Whatever cannot be read that way raises `Refusal`, and the site gets a TODO instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.analysis.cst_utils import arguments, calls, fresh_name
from codemods.commands._export.signature import CONSTANTS, Refusal, public_name
from codemods.engine.node_index import find_all

Qualify = Callable[[cst.BaseExpression], str | None]
EXPORT = "tensorflow.estimator.export."
PARSING = EXPORT + "build_parsing_serving_input_receiver_fn"
RAW = EXPORT + "build_raw_serving_input_receiver_fn"
RECEIVER = EXPORT + "ServingInputReceiver"
PLACEHOLDER = "tensorflow.placeholder"
SPEC = "tensorflow.estimator.EstimatorSpec"
SPEC_ARGS = (
    "mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
    "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks",
)  # fmt: skip
HEADS = {EXPORT + "ClassificationOutput": "classify", EXPORT + "RegressionOutput": "regress",
         EXPORT + "PredictOutput": "predict"}  # fmt: skip
MODES = {"PREDICT": "infer", "TRAIN": "train", "EVAL": "eval"}  # tf.estimator.ModeKeys values
MODEL_FN_ARGS = frozenset({"features", "labels", "mode", "params"})
DEFAULT_KEY = "serving_default"


@dataclass(frozen=True)
class Input:
    key: str  # receiver tensor key (the predict signature's input name)
    param: str  # Python parameter name in the rewritten receiver function
    dtype: cst.BaseExpression
    shape: cst.BaseExpression
    string: bool  # a tf.string input: classify/regress heads need exactly one


@dataclass
class Receiver:
    name: str  # the receiver function's name
    inputs: list[Input]
    replacement: cst.BaseStatement  # the receiver's definition, rewritten as a plain function
    original: cst.BaseStatement  # what it replaces


@dataclass(frozen=True)
class Head:
    key: str  # signature key
    kind: str  # classify | regress | predict
    source: str = ""  # the export_outputs key it serves (differs for a lone head's default copy)


@dataclass
class ModelFn:
    node: cst.FunctionDef
    params: list[str]
    heads: list[Head] = field(default_factory=list)
    default: bool = False  # no export_outputs: Estimator serves PredictOutput(predictions)


def identifier(text: str, taken: set[str]) -> str:
    name = re.sub(r"\W", "_", text).strip("_") or "inputs"
    name = f"input_{name}" if name[0].isdigit() else name
    name = fresh_name(name, taken)
    taken.add(name)
    return name


def string_value(
    node: cst.BaseExpression, qualify: Qualify, globals_: dict[str, cst.BaseExpression]
) -> str | None:
    """A literal, a tf.saved_model constant, or a module-level name bound once to either."""
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    name = public_name(qualify(node)) or ""
    short = name.rpartition(".")[2]
    if name.startswith("tensorflow.saved_model.") and short in CONSTANTS:
        return CONSTANTS[short]
    if isinstance(node, cst.Name) and node.value in globals_:
        return string_value(globals_[node.value], qualify, globals_)
    return None


def placeholder_spec(
    call: cst.BaseExpression, qualify: Qualify, what: str
) -> tuple[cst.BaseExpression, cst.BaseExpression, bool]:
    """(dtype, shape, is_string) of a `tf.placeholder(...)` call."""
    if not isinstance(call, cst.Call) or qualify(call.func) != PLACEHOLDER:
        raise Refusal("ESTIMATOR_RECEIVER", f"{what} is not a tf.placeholder")
    args = arguments(call, ("dtype", "shape", "name"))
    if "dtype" not in args or set(args) - {"dtype", "shape", "name"}:
        raise Refusal("ESTIMATOR_RECEIVER", f"{what}: unexpected tf.placeholder arguments")
    shape = args.get("shape", cst.Name("None"))
    return args["dtype"], shape, qualify(args["dtype"]) == "tensorflow.string"


def _def(name: str, params: list[str], body: list[str], doc: str) -> cst.BaseStatement:
    text = f'def {name}({", ".join(params)}):\n    """{doc}"""\n' + "".join(
        f"    {line}\n" for line in body
    )
    return cst.parse_statement(text)


def builder_receiver(name: str, statement: cst.BaseStatement, call: cst.Call, qualify: Qualify,
                     handle: str) -> Receiver:  # fmt: skip
    """`f = build_parsing/raw_serving_input_receiver_fn(...)` ->
    `def f(<inputs>): return features`."""
    kind = qualify(call.func)
    if kind == PARSING:
        args = arguments(call, ("feature_spec", "default_batch_size"))
        if "feature_spec" not in args or set(args) - {"feature_spec", "default_batch_size"}:
            raise Refusal(
                "ESTIMATOR_RECEIVER", "unexpected build_parsing_serving_input_receiver_fn arguments"
            )
        batch = cst.Module([]).code_for_node(args.get("default_batch_size", cst.Name("None")))
        spec = cst.Module([]).code_for_node(args["feature_spec"])
        shape = cst.parse_expression(f"[{batch}]")
        inputs = [
            Input("examples", "examples", cst.parse_expression(f"{handle}.string"), shape, True)
        ]
        body = [f"return {handle}.parse_example(examples, {spec})"]
        doc = (
            "Serialized tf.Examples -> features "
            "(tf-migrate: was build_parsing_serving_input_receiver_fn)."
        )
        return Receiver(name, inputs, _def(name, ["examples"], body, doc), statement)
    args = arguments(call, ("features", "default_batch_size"))
    features = args.get("features")
    if not isinstance(features, cst.Dict) or set(args) - {"features"}:
        raise Refusal(
            "ESTIMATOR_RECEIVER",
            "build_raw_serving_input_receiver_fn needs a literal dict of placeholders",
        )
    inputs, taken = [], {name}
    for element in features.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        if not isinstance(key, cst.SimpleString) or not isinstance(key.evaluated_value, str):
            raise Refusal("ESTIMATOR_RECEIVER", "a raw receiver key is not a string literal")
        dtype, shape, string = placeholder_spec(
            element.value, qualify, f"raw feature {key.evaluated_value!r}"
        )
        inputs.append(
            Input(key.evaluated_value, identifier(key.evaluated_value, taken), dtype, shape, string)
        )
    items = ", ".join(f"{json.dumps(i.key)}: {i.param}" for i in inputs)
    doc = "Raw tensors -> features (tf-migrate: was build_raw_serving_input_receiver_fn)."
    return Receiver(
        name, inputs, _def(name, [i.param for i in inputs], [f"return {{{items}}}"], doc), statement
    )


def custom_receiver(function: cst.FunctionDef, qualify: Qualify) -> Receiver:
    """A hand-written receiver: its placeholders become parameters, it returns the features."""
    if (
        function.params.params
        or isinstance(function.params.star_arg, cst.Param)
        or function.params.kwonly_params
        or function.decorators
    ):
        raise Refusal("ESTIMATOR_RECEIVER", "the receiver function takes arguments or is decorated")
    body = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    returned = body[-1] if body else None
    value = _returned_call(returned, qualify)
    args = arguments(value, ("features", "receiver_tensors", "receiver_tensors_alternatives"))
    tensors = args.get("receiver_tensors")
    if isinstance(tensors, cst.Name):  # `inputs = {"x": tf.placeholder(...)}`, named once
        body, tensors = _placeholder_dict(body, tensors.value, qualify)
    if set(args) != {"features", "receiver_tensors"} or not isinstance(tensors, cst.Dict):
        raise Refusal(
            "ESTIMATOR_RECEIVER",
            "ServingInputReceiver needs features and a literal receiver_tensors dict",
        )
    placeholders: dict[str, tuple[cst.BaseExpression, cst.BaseExpression, bool]] = {}
    kept: list[cst.BaseStatement] = []
    for statement in body[:-1]:
        target, call = _simple_assign(statement)
        if call is not None and qualify(call.func) == PLACEHOLDER and target is not None:
            placeholders[target] = placeholder_spec(call, qualify, target)
        else:
            kept.append(statement)
    inputs = []
    for element in tensors.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        tensor = element.value
        if not isinstance(key, cst.SimpleString) or not isinstance(key.evaluated_value, str):
            raise Refusal("ESTIMATOR_RECEIVER", "a receiver_tensors key is not a string literal")
        if not isinstance(tensor, cst.Name) or tensor.value not in placeholders:
            raise Refusal(
                "ESTIMATOR_RECEIVER",
                "a receiver tensor is not a placeholder assigned in the receiver",
            )
        inputs.append(Input(key.evaluated_value, tensor.value, *placeholders.pop(tensor.value)))
    if placeholders:
        raise Refusal(
            "ESTIMATOR_RECEIVER", "a placeholder in the receiver is not a receiver tensor"
        )
    ret = cst.SimpleStatementLine([cst.Return(args["features"])])
    note = cst.EmptyLine(
        comment=cst.Comment("# tf-migrate: the placeholders are parameters; returns the features")
    )
    new_body = [*kept, ret.with_changes(leading_lines=[note])]
    params = cst.Parameters([cst.Param(cst.Name(i.param)) for i in inputs])
    replacement = function.with_changes(
        params=params, body=function.body.with_changes(body=new_body)
    )
    return Receiver(function.name.value, inputs, replacement, function)


def _placeholder_dict(
    body: list[cst.BaseStatement], name: str, qualify: Qualify
) -> tuple[list[cst.BaseStatement], cst.Dict]:
    """`name = {key: tf.placeholder(...)}` split into one placeholder statement per key (the
    form custom_receiver reads) and `name = {key: <its placeholder>}`."""
    found = [(i, s, a) for i, s in enumerate(body[:-1]) for a in [_assign_to(s, name)] if a]
    value = found[0][2].value if len(found) == 1 else None
    if not isinstance(value, cst.Dict) or not all(
        isinstance(e, cst.DictElement)
        and isinstance(e.value, cst.Call)
        and qualify(e.value.func) == PLACEHOLDER
        for e in value.elements
    ):
        raise Refusal("ESTIMATOR_RECEIVER", f"{name} is not one literal dict of placeholders")
    index, statement, assign = found[0]
    taken = {n.value for statement in body for n in find_all(statement, cst.Name)}
    holders: list[cst.BaseStatement] = []
    elements: list[cst.BaseDictElement] = []
    for element in value.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        if not isinstance(key, cst.SimpleString) or not isinstance(key.evaluated_value, str):
            raise Refusal("ESTIMATOR_RECEIVER", "a receiver_tensors key is not a string literal")
        param = identifier(key.evaluated_value, taken)
        target = cst.AssignTarget(cst.Name(param))
        holders.append(cst.SimpleStatementLine([cst.Assign([target], element.value)]))
        elements.append(element.with_changes(value=cst.Name(param)))
    named = value.with_changes(elements=elements)
    rebuilt = statement.with_changes(body=[assign.with_changes(value=named)])
    return [*body[:index], *holders, rebuilt, *body[index + 1 :]], named


def _assign_to(statement: cst.BaseStatement, name: str) -> cst.Assign | None:
    """`statement` if it is exactly `name = <value>`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        return small if isinstance(target, cst.Name) and target.value == name else None
    return None


def _returned_call(statement: cst.BaseStatement | None, qualify: Qualify) -> cst.Call:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    value = small.value if isinstance(small, cst.Return) else None
    if not isinstance(value, cst.Call) or qualify(value.func) != RECEIVER:
        raise Refusal(
            "ESTIMATOR_RECEIVER", "the receiver does not end in `return ServingInputReceiver(...)`"
        )
    return value


def _simple_assign(statement: cst.BaseStatement) -> tuple[str | None, cst.Call | None]:
    small = (
        statement.body[0]
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        else None
    )
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.value, cst.Call)
    ):
        target = small.targets[0].target
        return (target.value if isinstance(target, cst.Name) else None), small.value
    return None, None


def read_model_fn(
    function: cst.FunctionDef, qualify: Qualify, globals_: dict[str, cst.BaseExpression]
) -> ModelFn:
    """model_fn's parameters and its PREDICT-mode `export_outputs` heads."""
    params = [p.name.value for p in function.params.params]
    if (
        set(params) - MODEL_FN_ARGS
        or "features" not in params
        or isinstance(function.params.star_arg, cst.Param)
        or function.decorators
    ):
        raise Refusal(
            "ESTIMATOR_MODEL_FN", "model_fn takes arguments other than features/labels/mode/params"
        )
    specs = [c for c in calls(function) if qualify(c.func) == SPEC]
    heads = [arguments(c, SPEC_ARGS).get("export_outputs") for c in specs]
    heads = [
        h for h in heads if h is not None and not (isinstance(h, cst.Name) and h.value == "None")
    ]
    if not heads and any("predictions" in arguments(c, SPEC_ARGS) for c in specs):
        # Estimator's default: {"serving_default": PredictOutput(predictions)}.
        return ModelFn(function, params, [Head(DEFAULT_KEY, "predict", DEFAULT_KEY)], True)
    if len(heads) != 1:
        raise Refusal(
            "ESTIMATOR_HEADS", "expected one EstimatorSpec(..., export_outputs=...) in model_fn"
        )
    mapping = heads[0]
    if isinstance(mapping, cst.Name):
        mapping = _only_assignment(function, mapping.value)
    if not isinstance(mapping, cst.Dict) or not mapping.elements:
        raise Refusal("ESTIMATOR_HEADS", "export_outputs is not a literal dict in model_fn")
    model_fn = ModelFn(function, params)
    for element in mapping.elements:
        if not isinstance(element, cst.DictElement):
            raise Refusal("ESTIMATOR_HEADS", "export_outputs uses ** unpacking")
        key = string_value(element.key, qualify, globals_)
        value = element.value
        kind = HEADS.get(qualify(value.func) or "") if isinstance(value, cst.Call) else None
        if key is None or kind is None:
            raise Refusal(
                "ESTIMATOR_HEADS",
                "an export_outputs key is not static or a head is not an export Output",
            )
        if kind == "predict":
            outputs = arguments(value, ("outputs",)).get("outputs")  # type: ignore[arg-type]
            if isinstance(outputs, cst.Name):
                outputs = _only_assignment(function, outputs.value)
            if not isinstance(outputs, cst.Dict):
                raise Refusal("ESTIMATOR_HEADS", "a PredictOutput's outputs are not a literal dict")
        model_fn.heads.append(Head(key, kind, key))
    keys = [h.key for h in model_fn.heads]
    if len(keys) == 1 and keys[0] != DEFAULT_KEY:  # Estimator serves a lone head as the default too
        model_fn.heads.append(Head(DEFAULT_KEY, model_fn.heads[0].kind, keys[0]))
    elif DEFAULT_KEY not in keys or len(set(keys)) != len(keys):
        raise Refusal("ESTIMATOR_HEADS", "several heads and none is serving_default")
    return model_fn


def _only_assignment(function: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    values = []
    for node in find_all(function, cst.Assign):
        for target in node.targets:
            if isinstance(target.target, cst.Name) and target.target.value == name:
                values.append(node.value)
    return values[0] if len(values) == 1 else None
