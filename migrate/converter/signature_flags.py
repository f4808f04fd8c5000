"""Signatures for graphs that have none: `--signature NAME:in1,in2->out1,out2`, or TF1 collections.

Checkpoints and frozen GraphDefs carry no SignatureDefs, so the user names the tensors (or the
graph's `inputs`/`outputs` collections do). Names are checked against the graph, and a typo gets
the closest real names in the error rather than TensorFlow's "X is not in graph".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2

from migrate.errors import SignatureError, tf_error_line

PREDICT_METHOD = "tensorflow/serving/predict"
_INPUT_COLLECTIONS = ("inputs", "input")
_OUTPUT_COLLECTIONS = ("outputs", "output")
_FLAG_FORM = "NAME:in1,in2->out1,out2 (tensor or op names; key=tensor to choose a key)"


@dataclass(frozen=True)
class SignatureFlag:
    """One parsed `--signature` definition: (key, tensor name) pairs in the user's order."""

    key: str
    inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]


def is_definition(text: str) -> bool:
    """`--signature KEY` selects a signature; `--signature KEY:X->pred` defines one."""
    return "->" in text


def parse_flag(text: str) -> SignatureFlag:
    name, colon, body = text.partition(":")
    ins, arrow, outs = body.partition("->")
    if not colon or not arrow or not name.strip():
        raise SignatureError(f"bad --signature '{text}'.", fix=f"write it as {_FLAG_FORM}.")
    outputs = _pairs(outs, text)
    if not outputs:
        raise SignatureError(
            f"--signature '{text}' names no outputs.", fix=f"write it as {_FLAG_FORM}."
        )
    return SignatureFlag(name.strip(), _pairs(ins, text), outputs)


def _pairs(side: str, text: str) -> tuple[tuple[str, str], ...]:
    items = [item.strip() for item in side.split(",") if item.strip()]
    explicit = {item.partition("=")[0].strip() for item in items if "=" in item}
    derived = iter(derive_keys([item for item in items if "=" not in item], taken=explicit))
    pairs: list[tuple[str, str]] = []
    for item in items:
        key, equals, tensor = (part.strip() for part in item.partition("="))
        if equals and (not key or not tensor):
            raise SignatureError(
                f"bad key=tensor '{item}' in --signature '{text}'.",
                fix=f"write it as {_FLAG_FORM}.",
            )
        pairs.append((key, tensor) if equals else (next(derived), item))
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise SignatureError(
            f"--signature '{text}' uses a key twice.", fix="give one of them a key: key=tensor."
        )
    return tuple(pairs)


def derive_keys(names: list[str], taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """`scope/X:0` -> `X`, `out:1` -> `out_1`; on a clash, the whole name with `/` -> `_`."""

    def short(name: str) -> str:
        op, _, index = name.partition(":")
        base = op.rsplit("/", 1)[-1]
        return base if index in ("", "0") else f"{base}_{index}"

    shorts = [short(name) for name in names]
    keys = []
    for name, key in zip(names, shorts, strict=False):
        if shorts.count(key) > 1 or key in taken:
            key = re.sub(r"[^A-Za-z0-9_]", "_", name.replace(":0", ""))
        keys.append(key)
    return keys


def collection_flag(meta: meta_graph_pb2.MetaGraphDef) -> SignatureFlag | None:
    """`tf.add_to_collection('inputs'/'outputs', t)`, a common TF1 way to mark serving tensors."""
    found: dict[str, list[str]] = {}
    for side, names in (("in", _INPUT_COLLECTIONS), ("out", _OUTPUT_COLLECTIONS)):
        for name in names:
            if name in meta.collection_def and meta.collection_def[name].node_list.value:
                found[side] = list(meta.collection_def[name].node_list.value)
                break
    if "out" not in found:
        return None
    inputs, outputs = found.get("in", []), found["out"]
    return SignatureFlag(
        "serving_default",
        tuple(zip(derive_keys(inputs), inputs, strict=False)),
        tuple(zip(derive_keys(outputs), outputs, strict=False)),
    )


def add_signature_defs(
    meta: meta_graph_pb2.MetaGraphDef, flags: list[SignatureFlag], path: Path
) -> None:
    """Write SignatureDefs for `flags` into `meta`, with dtypes and shapes from the graph itself."""
    graph = _scratch_graph(meta, path)
    for flag in flags:
        signature = meta.signature_def[flag.key]
        signature.Clear()
        signature.method_name = PREDICT_METHOD
        for key, name in flag.inputs:
            signature.inputs[key].CopyFrom(_tensor_info(graph, name, flag.key, path))
        for key, name in flag.outputs:
            signature.outputs[key].CopyFrom(_tensor_info(graph, name, flag.key, path))


def _scratch_graph(meta: meta_graph_pb2.MetaGraphDef, path: Path) -> tf.Graph:
    """Import (not run) the graph: dtypes and static shapes come from TF's shape inference."""
    graph = tf.Graph()
    with graph.as_default():
        try:
            tf.graph_util.import_graph_def(meta.graph_def, name="")
        except (ValueError, TypeError, KeyError, tf.errors.OpError) as error:
            raise SignatureError(
                f"TensorFlow cannot import the graph: {tf_error_line(error)}",
                path=path,
                fix=(
                    "the graph uses ops this TensorFlow lacks or is corrupt; run `tf-migrate"
                    " inspect` on it."
                ),
            ) from None
    return graph


def _tensor_info(graph: tf.Graph, name: str, key: str, path: Path) -> meta_graph_pb2.TensorInfo:
    tensor = _lookup(graph, name, key, path)
    info = meta_graph_pb2.TensorInfo(
        name=tensor.name, dtype=tensor.dtype.base_dtype.as_datatype_enum
    )
    info.tensor_shape.CopyFrom(tensor.shape.as_proto())
    return info


def _lookup(graph: tf.Graph, name: str, key: str, path: Path) -> Any:
    op_name, _, index = name.partition(":")
    try:
        op = graph.get_operation_by_name(op_name)
    except KeyError:
        raise SignatureError(
            f"signature '{key}': the graph has no tensor '{name}'; closest:"
            f" {_closest(graph, op_name)}.",
            path=path,
            fix="use a name from that list (or from `tf-migrate inspect`) in --signature.",
        ) from None
    position = int(index) if index.isdigit() else 0
    if position >= len(op.outputs):
        raise SignatureError(
            f"signature '{key}': op '{op_name}' ({op.type}) has {len(op.outputs)} output(s), not"
            f" '{name}'.",
            path=path,
            fix="name an op with an output, or a valid NAME:INDEX tensor.",
        )
    return op.outputs[position]


def _closest(graph: tf.Graph, name: str) -> str:
    names = [op.name for op in graph.get_operations()]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    if not close:  # fall back to same-suffix names: `pred` for `model/pred`
        close = [
            n for n in names if n.rsplit("/", 1)[-1].lower() == name.rsplit("/", 1)[-1].lower()
        ][:5]
    return ", ".join(close) if close else "(no similar names)"
