"""Import a (rewritten) TF1 MetaGraphDef into TF2 with `tf.compat.v1.wrap_function`.

This is the "Migrate the SavedModel workflow" recipe made general: import the graph inside a
wrapped function (which lifts resource variables into eager variables), restore the
checkpoint through the graph's own Saver, and `prune` one concrete function per signature.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import tensorflow as tf
from google.protobuf import message
from tensorflow.core.framework import graph_pb2
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.saved_model import loader_impl

from migrate.errors import ConversionError, SignatureError, tf_error_line


@dataclass
class SignatureInfo:
    """A source signature, as TF1 declared it."""

    key: str
    method_name: str
    inputs: dict[str, meta_graph_pb2.TensorInfo]
    outputs: dict[str, meta_graph_pb2.TensorInfo]


@dataclass
class WrappedGraph:
    """The imported graph and the TF2 callables cut out of it."""

    wrapped: Any
    variables: list[tf.Variable]
    signatures: dict[str, Any] = field(default_factory=dict)
    init_fn: Any | None = None
    asset_tensor_paths: dict[str, str] = field(default_factory=dict)
    cleared_pins: tuple[str, ...] = ()  # non-CPU device pins the import dropped


def hard_device_pins(graph_def: graph_pb2.GraphDef) -> tuple[str, ...]:
    """Non-CPU devices the graph pins ops to; the import clears them (`clear_devices=True`)."""
    return tuple(
        sorted({n.device for n in graph_def.node if n.device and "CPU" not in n.device.upper()})
    )


def _import(returns: list[Any], meta_graph: meta_graph_pb2.MetaGraphDef) -> None:
    returns[0] = tf.compat.v1.train.import_meta_graph(meta_graph, clear_devices=True)


def import_meta_graph(
    meta_graph: meta_graph_pb2.MetaGraphDef,
    checkpoint: str | None,
    asset_tensor_paths: dict[str, str],
    initial_values: Mapping[str, np.ndarray] | None = None,
) -> WrappedGraph:
    """Import, restore variables (checkpoint, or unfrozen constants), run the init op."""
    returns: list[Any] = [None]
    pins = hard_device_pins(meta_graph.graph_def)  # before: the import clears them in place
    try:
        wrapped = tf.compat.v1.wrap_function(
            functools.partial(_import, returns, meta_graph), signature=[]
        )
    except (ValueError, TypeError, KeyError, tf.errors.OpError, message.DecodeError) as error:
        raise ConversionError(
            f"TensorFlow could not import the graph: {_line(error)}",
            fix=(
                "the graph is corrupt or uses ops this TensorFlow lacks; run `tf-migrate inspect`"
                " on it."
            ),
        ) from None
    graph = WrappedGraph(
        wrapped=wrapped,
        variables=list(wrapped.graph.variables),
        asset_tensor_paths=asset_tensor_paths,
        cleared_pins=pins,
    )
    saver = returns[0]
    if saver is not None and checkpoint is not None:
        _restore(wrapped, saver.saver_def, checkpoint)
    for variable in graph.variables:
        value = (initial_values or {}).get(variable.name.split(":")[0])
        if value is not None:
            variable.assign(value)
    try:
        graph.init_fn = _init_function(wrapped, meta_graph, list(asset_tensor_paths))
        graph.init_fn(*[tf.constant(path) for path in asset_tensor_paths.values()])
    except (tf.errors.OpError, TypeError, ValueError, KeyError) as error:
        raise ConversionError(
            f"the model's init op (main_op / table initializers) failed: {_line(error)}",
            fix="check that assets/ is complete and belongs to this saved_model.pb.",
        ) from None
    return graph


def _restore(wrapped: Any, saver_def: Any, checkpoint: str) -> None:
    try:
        filename = wrapped.graph.as_graph_element(saver_def.filename_tensor_name)
        restore_op = wrapped.graph.as_graph_element(saver_def.restore_op_name)
    except (KeyError, ValueError) as error:
        raise ConversionError(
            f"the graph's SaverDef names a tensor or op the graph lacks ({_line(error)}).",
            fix="the model is corrupt; copy it again from the original export.",
        ) from None
    restore = wrapped.prune(feeds=[filename], fetches=[filename, restore_op])
    try:
        restore(tf.constant(checkpoint))
    except (TypeError, ValueError) as error:  # a corrupt restore op that cannot even be called
        raise ConversionError(
            f"the graph's restore op cannot run: {_line(error)}", fix="the model is corrupt."
        ) from None
    except (
        tf.errors.OpError
    ) as error:  # NotFound, DataLoss, OutOfRange...: all mean a bad checkpoint
        missing = re.search(r"Key (\S+) not found in checkpoint", str(error))
        if missing:
            raise ConversionError(
                f"the checkpoint lacks variable '{missing.group(1)}', which the graph restores.",
                path=checkpoint,
                fix="use the checkpoint written together with this graph (same model and step).",
            ) from None
        raise ConversionError(
            f"restoring variables from {checkpoint} failed: {_line(error)}",
            fix=(
                "check that the checkpoint belongs to this graph and is complete (.index and all"
                " .data shards)."
            ),
        ) from None


def _init_function(
    wrapped: Any, meta_graph: meta_graph_pb2.MetaGraphDef, asset_tensors: list[str]
) -> Any:
    with wrapped.graph.as_default():
        init_op = loader_impl.get_init_op(meta_graph)
        if init_op is None:
            init_op = tf.compat.v1.train.Scaffold.default_local_init_op()
        anchor = tf.constant(0.0, name="tfm_init_anchor")
    feeds = [wrapped.graph.as_graph_element(name) for name in asset_tensors]
    return wrapped.prune(feeds=feeds, fetches=[anchor, wrapped.graph.as_graph_element(init_op)])


def signature_infos(meta_graph: meta_graph_pb2.MetaGraphDef) -> dict[str, SignatureInfo]:
    return {
        key: SignatureInfo(key, sig.method_name, dict(sig.inputs), dict(sig.outputs))
        for key, sig in meta_graph.signature_def.items()
        if not key.startswith("__")  # __saved_model_init_op / __saved_model_train_op
    }


def prune_signature(graph: WrappedGraph, info: SignatureInfo) -> Any:
    """A concrete function with the signature's input keys as keyword arguments."""
    element = graph.wrapped.graph
    names: list[str] = []
    feeds: list[tf.Tensor] = []
    try:
        for key, tensor_info in sorted(info.inputs.items()):
            feed = _element(tensor_info, element)
            if isinstance(feed, tf.SparseTensor):
                names += [f"{key}_indices", f"{key}_values", f"{key}_dense_shape"]
                feeds += [feed.indices, feed.values, feed.dense_shape]
            else:
                names.append(key)
                feeds.append(feed)
        fetches = {}
        for key, tensor_info in info.outputs.items():
            fetch = _element(tensor_info, element)
            if isinstance(fetch, tf.SparseTensor):  # signatures return flat tensors only
                fetches.update(
                    {
                        f"{key}_{part}": getattr(fetch, part)
                        for part in ("indices", "values", "dense_shape")
                    }
                )
            else:
                fetches[key] = fetch
    except (KeyError, ValueError) as error:
        raise SignatureError(
            f"signature '{info.key}' names a tensor the graph lacks: {_line(error)}"
        ) from None
    from tensorflow.python.framework import func_graph  # noqa: PLC0415 - TF internal helper

    # The signature is a dict, flattened in sorted-key order: feeds must follow that order.
    names, feeds = (
        (
            list(part)
            for part in zip(
                *sorted(zip(names, feeds, strict=False), key=lambda pair: pair[0]), strict=False
            )
        )
        if names
        else ([], [])
    )
    specs = func_graph.convert_structure_to_signature(dict(zip(names, feeds, strict=False)))
    try:
        fn = graph.wrapped.prune(
            feeds=feeds,
            fetches=fetches,
            input_signature=((), specs),
            are_keyword_args_also_positional=True,
        )
    except Exception as error:  # noqa: BLE001 - lift_to_graph raises several private types
        raise SignatureError(
            f"signature '{info.key}' cannot be cut out of the graph: {_line(error)}",
            fix="every placeholder its outputs use must be one of its inputs.",
        ) from None
    fn._arg_keywords = names  # noqa: SLF001 - as TF's own load_v1_in_v2 does
    fn._num_positional_args = 1 if len(names) == 1 else 0  # noqa: SLF001
    return fn


def _element(tensor_info: meta_graph_pb2.TensorInfo, graph: Any) -> Any:
    if tensor_info.WhichOneof("encoding") == "coo_sparse":
        sparse = tensor_info.coo_sparse
        return tf.SparseTensor(
            graph.get_tensor_by_name(sparse.indices_tensor_name),
            graph.get_tensor_by_name(sparse.values_tensor_name),
            graph.get_tensor_by_name(sparse.dense_shape_tensor_name),
        )
    return graph.as_graph_element(tensor_info.name)


def _line(error: BaseException) -> str:
    return tf_error_line(error)
