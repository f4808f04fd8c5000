"""Code generation for `estimator_export_to_module`: the serving tf.Module and the export.

The module rebuilds what `Estimator.export_saved_model` built: a fresh graph, the global step,
the receiver's features, `model_fn` in PREDICT mode (so variables get the names Estimator gave
them), a name-mapped restore of the Estimator's checkpoint, then one `tf.function` per head,
re-running `model_fn` with `reuse=True`. `tf.saved_model.save` runs under that session (graph
mode), exactly as the SavedModel codemods do; classify/regress method names are restored with
`MethodNameUpdater` for TF Serving.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import libcst as cst

from codemods.analysis.cst_utils import code
from codemods.commands._estimator.plan import Head, Input, ModelFn, Receiver
from codemods.commands._export.emit import METHOD_NOTE, Handles, method_names
from codemods.commands._export.signature import Refusal, Signature

_I = "    "
_METHOD = {"classify": "CLASSIFY_METHOD_NAME", "regress": "REGRESS_METHOD_NAME"}


@dataclass(frozen=True)
class Names:
    """Fresh names in the user's module."""

    klass: str
    instance: str
    path: str
    session: str
    methods: str


def _signatures(heads: list[Head]) -> list[Signature]:
    key = cst.SimpleString('""')
    return [Signature(key, h.key, h.kind, [], []) for h in heads]


def _spec(item: Input, name: str, h: Handles) -> str:
    return f"{h.tf2}.TensorSpec({code(item.shape)}, {code(item.dtype)}, name={json.dumps(name)})"


def module_class(
    names: Names,
    model_fn: ModelFn,
    receiver: Receiver,
    params: cst.BaseExpression | None,
    h: Handles,
) -> cst.BaseStatement:
    """The generated `tf.Module`: built and restored in __init__, one tf.function per head."""
    inputs = receiver.inputs
    args = ", ".join(i.param for i in inputs)
    call = {"features": "features", "labels": "labels=None", "mode": 'mode="infer"'}
    if params is not None:
        call["params"] = f"params={code(params)}"
    call_args = ", ".join(
        call[p] if p != "features" else "features=features" for p in model_fn.params
    )
    holders = ", ".join(f"{h.v1}.placeholder({code(i.dtype)}, {code(i.shape)})" for i in inputs)
    text = f"class {names.klass}({h.tf2}.Module):\n"
    text += (
        f'{_I}"""model_fn in PREDICT mode as a tf.Module (tf-migrate): '
        'one tf.function per export head."""\n\n'
    )
    text += f"{_I}def __init__(self, session, checkpoint):\n{_I * 2}super().__init__()\n"
    text += (
        f"{_I * 2}# Build the PREDICT graph once, as Estimator did, "
        "so variables get their TF1 names.\n"
    )
    text += f"{_I * 2}{h.v1}.train.get_or_create_global_step()\n"
    text += f"{_I * 2}self.export_outputs({holders})\n"
    text += f"{_I * 2}self.tf1_variables = {{v.op.name: v for v in {h.v1}.global_variables()}}\n"
    text += f"{_I * 2}# The Estimator's checkpoint, restored by TF1 variable name.\n"
    text += f"{_I * 2}reader = {h.v1}.train.load_checkpoint(checkpoint)\n"
    text += f"{_I * 2}for name, variable in self.tf1_variables.items():\n"
    text += f"{_I * 3}variable.load(reader.get_tensor(name), session)\n\n"
    text += f"{_I}def export_outputs(self, {args}):\n"
    text += f"{_I * 2}features = {receiver.name}({args})\n"
    spec = f"{code(model_fn.node.name)}({call_args})"
    if model_fn.default:  # no export_outputs: Estimator served PredictOutput(predictions)
        text += f'{_I * 2}predictions = {spec}["predictions"]\n'
        text += f'{_I * 2}# Estimator\'s default head; a lone tensor is named "output"\n'
        text += f"{_I * 2}if not isinstance(predictions, dict):\n"
        text += f'{_I * 3}predictions = {{"output": predictions}}\n'
        text += f'{_I * 2}return {{"serving_default": predictions}}\n'
    else:
        text += f'{_I * 2}return {spec}["export_outputs"]\n'
    reuse = f"{h.v1}.variable_scope({h.v1}.get_variable_scope(), reuse=True)"
    for head, name in zip(model_fn.heads, method_names(_signatures(model_fn.heads)), strict=False):
        served = inputs if head.kind == "predict" else inputs[:1]
        specs = [_spec(i, i.key if head.kind == "predict" else "inputs", h) for i in served]
        decorator = f"{_I}@{h.tf2}.function(input_signature=[{', '.join(specs)}])\n"
        if len(decorator) > 100:
            inner = "".join(f"{_I * 2}{s},\n" for s in specs)
            decorator = f"{_I}@{h.tf2}.function(input_signature=[\n{inner}{_I}])\n"
        text += f"\n{decorator}{_I}def {name}(self, {', '.join(i.param for i in served)}):\n"
        text += f"{_I * 2}with {reuse}:  # the restored variables\n"
        text += f"{_I * 3}return self.export_outputs({args})[{json.dumps(head.source)}]\n"
    return cst.parse_statement(text)


def export_statements(
    names: Names,
    model_fn: ModelFn,
    export_base: cst.BaseExpression,
    checkpoint: str,
    result: cst.BaseExpression | None,
    h: Handles,
) -> list[cst.BaseStatement]:
    """Estimator's `<base>/<timestamp>` export, now `tf.saved_model.save` of the module."""
    heads = model_fn.heads
    methods = method_names(_signatures(heads))
    items = ", ".join(
        f"{json.dumps(hd.key)}: {names.instance}.{m}" for hd, m in zip(heads, methods, strict=False)
    )
    save = f"{h.tf2}.saved_model.save({names.instance}, {names.path}, signatures={{{items}}})"
    if len(save) > 92:
        inner = "".join(
            f"{_I * 2}{json.dumps(hd.key)}: {names.instance}.{m},\n"
            for hd, m in zip(heads, methods, strict=False)
        )
        save = (
            f"{h.tf2}.saved_model.save({names.instance}, {names.path}, "
            f"signatures={{\n{inner}{_I}}})"
        )
    stamp = f"os.path.join({h.tf2}.compat.as_str_any({code(export_base)}), str(int(time.time())))"
    text = (
        "# Estimator exported to <export_base>/<timestamp>, in a fresh graph.\n"
        f"{names.path} = {stamp}\n"
    )
    text += f"with {h.v1}.Graph().as_default(), {h.v1}.Session() as {names.session}:\n"
    text += f"{_I}{names.instance} = {names.klass}({names.session}, {checkpoint})\n"
    text += f"{_I}{save}\n"
    serving = [hd for hd in heads if hd.kind in _METHOD]
    if serving:
        text += METHOD_NOTE
        updater = f"{h.v1}.saved_model.signature_def_utils.MethodNameUpdater"
        text += f"{names.methods} = {updater}({names.path})\n"
        for head in serving:
            method = f"{h.tf2}.saved_model.{_METHOD[head.kind]}"
            text += f"{names.methods}.replace_method_name({json.dumps(head.key)}, {method})\n"
        text += f"{names.methods}.save()\n"
    if result is not None:
        text += (
            f"{code(result)} = {h.tf2}.compat.as_bytes({names.path})"
            "  # export_saved_model returned bytes\n"
        )
    return list(cst.parse_module(text).body)


def keywords(call: cst.Call, names: tuple[str, ...], func: cst.BaseExpression) -> cst.Call:
    """`f(a, b=c)` -> `func(<names[0]>=a, b=c)`: positional arguments named by `names`."""
    args, index = [], 0
    for arg in call.args:
        if arg.keyword is None and not arg.star and index < len(names):
            arg = arg.with_changes(
                keyword=cst.Name(names[index]),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
            index += 1
        args.append(arg)
    return call.with_changes(func=func, args=args)


def checkpoint(
    export: dict[str, cst.BaseExpression], model_dir: cst.BaseExpression, v1: str
) -> str:
    """The checkpoint the export restores: `checkpoint_path=`, else model_dir's latest."""
    unknown = set(export) - {"export_dir_base", "serving_input_receiver_fn", "as_text",
                             "checkpoint_path"}  # fmt: skip
    as_text = export.get("as_text")
    if (
        unknown
        or "export_dir_base" not in export
        or (as_text is not None and code(as_text) != "False")
    ):
        raise Refusal(
            "ESTIMATOR_EXPORT_ARGS", "assets_extra/as_text/strip_default_attrs: port by hand"
        )
    if "checkpoint_path" in export:
        return code(export["checkpoint_path"])
    return f"{v1}.train.latest_checkpoint({code(model_dir)})"


def result(statement: cst.SimpleStatementLine, call: cst.Call) -> cst.BaseExpression | None:
    """Where the export's returned path went: nothing, or one assignment target."""
    small = statement.body[0] if len(statement.body) == 1 else None
    if isinstance(small, cst.Expr) and small.value is call:
        return None
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1:
        return small.targets[0].target
    raise Refusal("ESTIMATOR_EXPORT_ARGS", "assign the export call's result to a name (or drop it)")
