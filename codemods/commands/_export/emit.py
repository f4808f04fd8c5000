"""Code generation for the export codemods: the tf.Module class and the export statements.

Generated code is assembled as text and parsed once, so its layout is predictable; copied user
statements keep their own text (and comments). `__tf2__` in planned expressions stands for the
module's TF2 handle and is substituted here.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import libcst as cst

from codemods.analysis.cst_utils import fresh_name
from codemods.commands._export.plan import free_names
from codemods.commands._export.signature import Param, Signature, Table
from codemods.engine.traverse import visit

# A generated comment; the Estimator emitter writes the same method-name fix.
METHOD_NOTE = (
    "# tf.saved_model.save writes every signature as predict; keep TF Serving's Classify/Regress.\n"
)

_INDENT = "    "
_WIDTH = 100


@dataclass(frozen=True)
class Handles:
    tf2: str  # TF2 `tensorflow` package
    v1: str  # `tensorflow.compat.v1` (an alias, or "<tf2>.compat.v1")


def code(node: cst.CSTNode, handles: Handles) -> str:
    text = cst.Module([]).code_for_node(node)
    return text.replace("__tf2__", handles.tf2)


def method_names(signatures: Sequence[Signature]) -> list[str]:
    """Python method names for signature keys: identifiers, unique, never dunder."""
    out: list[str] = []
    for signature in signatures:
        name = re.sub(r"\W", "_", signature.name).strip("_") or "signature"
        if name[0].isdigit() or keyword.iskeyword(name) or name in ("owner", "tf1_variables"):
            name = f"signature_{name}"
        out.append(fresh_name(name, out))
    return out


class _Rename(cst.CSTTransformer):
    """In copied code: tables -> `self.<table>`; the enclosing object's `self.x` -> `self.owner.x`
    unless `x` is a parameter or a value computed in the function (then plain `x`)."""

    def __init__(self, tables: set[str], local_attrs: set[str], owner: bool) -> None:
        super().__init__()
        self.tables, self.local_attrs, self.owner = tables, local_attrs, owner
        self._skip: set[cst.Name] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(node.keyword)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node not in self._skip and updated_node.value in self.tables:
            return cst.Attribute(cst.Name("self"), cst.Name(updated_node.value))
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if (
            self.owner
            and isinstance(original_node.value, cst.Name)
            and original_node.value.value == "self"
        ):
            attr = original_node.attr.value
            if f"self.{attr}" in self.local_attrs:
                return cst.Name(attr)
            return cst.parse_expression(f"self.owner.{attr}")
        return updated_node


def _renamed(node: cst.CSTNode, rename: _Rename) -> cst.CSTNode:
    return cast(cst.CSTNode, visit(node, rename))


def _spec(param: Param, handles: Handles) -> str:
    if param.tensor is not None:
        tensor = code(param.tensor, handles)
        return f"{handles.tf2}.TensorSpec.from_tensor({tensor}, name={code(param.key, handles)})"
    dtype = code(param.dtype, handles)
    shape, key = code(param.shape, handles), code(param.key, handles)
    return f"{handles.tf2}.TensorSpec({shape}, {dtype}, name={key})"


def _decorator(specs: list[str], handles: Handles, depth: int) -> str:
    pad = _INDENT * depth
    one = f"{pad}@{handles.tf2}.function(input_signature=[{', '.join(specs)}])"
    if len(one) <= _WIDTH:
        return one + "\n"
    inner = "".join(f"{pad}{_INDENT}{spec},\n" for spec in specs)
    return f"{pad}@{handles.tf2}.function(input_signature=[\n{inner}{pad}])\n"


def _dict(items: list[tuple[str, str]], pad: str, force: bool = False) -> str:
    one = "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if not force and len(pad) + len(one) + 12 <= _WIDTH:
        return one
    inner = "".join(f"{pad}{_INDENT}{k}: {v},\n" for k, v in items)
    return "{\n" + inner + pad + "}"


def _statement_text(statement: cst.SimpleStatementLine, handles: Handles, pad: str) -> str:
    first, *rest = code(statement.with_changes(leading_lines=[]), handles).rstrip("\n").split("\n")
    return "\n".join([pad + first.lstrip(" "), *rest])


def _function(signature: Signature, name: str, handles: Handles, rename: _Rename) -> str:
    specs = [_spec(p, handles) for p in signature.params]
    params = ", ".join(["self", *(p.name for p in signature.params)])
    text = _decorator(specs, handles, 1) + f"{_INDENT}def {name}({params}):\n"
    depth = 3 if signature.reuse else 2
    body = [_statement_text(_renamed(s, rename), handles, _INDENT * depth) for s in signature.body]  # type: ignore[arg-type]
    if signature.reuse and body:
        scope = f"{handles.v1}.variable_scope({handles.v1}.get_variable_scope(), reuse=True)"
        text += f"{_INDENT * 2}with {scope}:  # reuse the trained TF1 variables\n"
    text += "".join(line + "\n" for line in body)
    outputs = [(code(k, handles), code(_renamed(v, rename), handles)) for k, v in signature.outputs]
    text += f"{_INDENT * 2}return {_dict(outputs, _INDENT * 2)}\n"
    return text


def module_class(
    class_name: str,
    signatures: Sequence[Signature],
    tables: dict[str, Table],
    handles: Handles,
    owner: bool,
    in_method: bool = False,
) -> cst.BaseStatement:
    """The generated `tf.Module` subclass: tracked variables, assets, tables, signatures."""
    local_attrs = {f"self.{p.name}" for s in signatures for p in s.params}
    for signature in signatures:
        for statement in signature.body:
            local_attrs.update(k for k in _assigned(statement) if k.startswith("self."))
    rename = _Rename(set(tables), local_attrs, in_method)
    pad = _INDENT * 2
    init_args = "self, owner" if owner else "self"
    text = f"class {class_name}({handles.tf2}.Module):\n"
    text += (
        f'{_INDENT}"""The TF1 export as a tf.Module (tf-migrate): '
        'each signature is a tf.function."""\n\n'
    )
    text += f"{_INDENT}def __init__({init_args}):\n{pad}super().__init__()\n"
    if owner:
        text += f"{pad}self.owner = owner\n"
    text += f"{pad}# The trained TF1 variables, tracked under their TF1 names.\n"
    text += f"{pad}self.tf1_variables = {{v.op.name: v for v in {handles.v1}.global_variables()}}\n"
    used = {"owner", "tf1_variables", *tables}
    for table in tables.values():
        value, asset = table.value, ""
        if table.asset is not None:
            asset = _asset_name(table, used)
            used.add(asset)
            path = code(_renamed(table.asset, rename), handles)
            text += f"{pad}self.{asset} = {handles.tf2}.saved_model.Asset({path})\n"
            value = visit(value, _Replace(table.asset, cst.Name("__asset__")))
        table_code = code(_renamed(value, rename), handles).replace("__asset__", f"self.{asset}")
        text += f"{pad}self.{table.name} = {table_code}\n"
    for signature, name in zip(signatures, method_names(signatures), strict=False):
        text += "\n" + _function(signature, name, handles, rename)
    return cst.parse_statement(text)


def _asset_name(table: Table, used: set[str]) -> str:
    names = free_names(table.asset) if table.asset is not None else []
    base = names[-1].rpartition(".")[2].lower() if len(names) == 1 else f"{table.name}_file"
    return fresh_name(base, used)


def _assigned(statement: cst.SimpleStatementLine) -> list[str]:
    out: list[str] = []
    for small in statement.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                out.extend(free_names(target.target))
    return out


class _Replace(cst.CSTTransformer):
    def __init__(self, old: cst.CSTNode, new: cst.BaseExpression) -> None:
        super().__init__()
        self.old, self.new = old, new

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.new if original_node is self.old else updated_node


def export_statements(
    class_name: str,
    instance: str,
    signatures: Sequence[Signature],
    export_dir: cst.BaseExpression,
    handles: Handles,
    owner: bool,
    session: str | None,
) -> list[cst.BaseStatement]:
    """`module = Cls()`, `tf.saved_model.save(...)` and, for classify/regress, the method-name
    fix."""
    directory = code(export_dir, handles)
    items = [
        (code(s.key, handles), f"{instance}.{n}")
        for s, n in zip(signatures, method_names(signatures), strict=False)
    ]
    save = f"{handles.tf2}.saved_model.save({instance}, {directory}, signatures={{}})\n"
    one = save.replace("{}", "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}")
    save = one if len(one) + 8 <= _WIDTH else save.replace("{}", _dict(items, "", force=True))
    if session is not None:  # graph mode: the variables' values come from the default session
        save = f"with {session}.as_default():\n{_INDENT}" + save.replace(
            "\n", "\n" + _INDENT
        ).rstrip(" ")
    text = f"{instance} = {class_name}({'self' if owner else ''})\n" + save
    serving = [s for s in signatures if s.method != "predict"]
    if serving:
        text += METHOD_NOTE
        updater = f"{handles.v1}.saved_model.signature_def_utils.MethodNameUpdater"
        text += f"method_names = {updater}({directory})\n"
        for signature in serving:
            constant = (
                "CLASSIFY_METHOD_NAME" if signature.method == "classify" else "REGRESS_METHOD_NAME"
            )
            key = code(signature.key, handles)
            text += (
                f"method_names.replace_method_name({key}, {handles.tf2}.saved_model.{constant})\n"
            )
        text += "method_names.save()\n"
    return list(cst.parse_module(text).body)
