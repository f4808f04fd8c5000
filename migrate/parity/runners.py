"""Run a model's signatures on numpy feeds: TF1 in a `tf.compat.v1.Session`, TF2 eagerly.

Both runners speak the same language (signature key -> {input key: value}), so the
comparison never needs to know which TensorFlow semantics produced the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2
from tensorflow.python.saved_model import loader_impl

from migrate import reader
from migrate.errors import InputError, SignatureError
from migrate.parity.specs import SignatureSpec, TensorSpec, dtype_name

SPARSE_PARTS = ("indices", "values", "dense_shape")


@dataclass(frozen=True)
class SparseValue:
    indices: np.ndarray
    values: np.ndarray
    dense_shape: np.ndarray


class Runner(Protocol):
    """Anything that can list and run signatures."""

    kind: str
    device: str

    def signatures(self) -> dict[str, SignatureSpec]: ...

    def run(self, key: str, feeds: dict[str, Any]) -> dict[str, np.ndarray]: ...

    def graph_def(self) -> Any | None: ...


def _spec_from_info(info: meta_graph_pb2.TensorInfo) -> TensorSpec:
    shape = None
    if not info.tensor_shape.unknown_rank:
        shape = tuple(None if dim.size < 0 else dim.size for dim in info.tensor_shape.dim)
    name = info.name or info.coo_sparse.values_tensor_name
    dtype = dtype_name(tf.dtypes.as_dtype(info.dtype))
    return TensorSpec(name, dtype, shape, sparse=info.WhichOneof("encoding") == "coo_sparse")


class _SessionRunner:
    """Runs a MetaGraphDef's signatures in a `tf.compat.v1.Session`: subclasses load the graph."""

    kind = "tf1"
    _meta: meta_graph_pb2.MetaGraphDef

    def _open_session(self, device: str) -> None:
        self.device = device
        config = tf.compat.v1.ConfigProto()
        if "CPU" in device:
            config.device_count["GPU"] = 0
        self._graph = tf.Graph()
        self._session = tf.compat.v1.Session(graph=self._graph, config=config)

    def signatures(self) -> dict[str, SignatureSpec]:
        return {
            key: SignatureSpec(
                key,
                sig.method_name,
                {k: _spec_from_info(v) for k, v in sorted(sig.inputs.items())},
                {k: _spec_from_info(v) for k, v in sorted(sig.outputs.items())},
            )
            for key, sig in self._meta.signature_def.items()
            if not key.startswith("__")
        }

    def graph_def(self) -> Any:
        return self._graph.as_graph_def()

    def run(self, key: str, feeds: dict[str, Any]) -> dict[str, np.ndarray]:
        sig = self._meta.signature_def[key]
        feed_dict: dict[Any, Any] = {}
        for name, value in feeds.items():
            info = sig.inputs[name]
            if info.WhichOneof("encoding") == "coo_sparse":
                sparse = info.coo_sparse
                for part, tensor in zip(
                    SPARSE_PARTS,
                    (
                        sparse.indices_tensor_name,
                        sparse.values_tensor_name,
                        sparse.dense_shape_tensor_name,
                    ),
                    strict=True,
                ):
                    feed_dict[tensor] = getattr(value, part)
            else:
                feed_dict[info.name] = value
        fetches = {}
        for name, info in sig.outputs.items():
            if info.WhichOneof("encoding") == "coo_sparse":  # same flat keys as converted models
                sparse = info.coo_sparse
                tensors = (
                    sparse.indices_tensor_name,
                    sparse.values_tensor_name,
                    sparse.dense_shape_tensor_name,
                )
                fetches.update(
                    {
                        f"{name}_{part}": tensor
                        for part, tensor in zip(SPARSE_PARTS, tensors, strict=True)
                    }
                )
            else:
                fetches[name] = info.name
        with self._graph.as_default():
            result: dict[str, np.ndarray] = self._session.run(fetches, feed_dict)
            return result

    def close(self) -> None:
        self._session.close()


class TF1SessionRunner(_SessionRunner):
    """A TF1 SavedModel run exactly as TF1 would: loader.load into a Session."""

    def __init__(
        self, path: Path, tags: frozenset[str] | None = None, device: str = "/device:CPU:0"
    ):
        _, proto = reader.read_saved_model(Path(path))
        meta = reader.select_meta_graph(proto, tags, Path(path))
        self._open_session(device)
        with self._graph.as_default(), self._graph.device(device):
            try:
                # What the deprecated tf.compat.v1.saved_model.loader.load wraps, minus its warning.
                self._meta = loader_impl.SavedModelLoader(str(path)).load(
                    self._session, list(meta.meta_info_def.tags), clear_devices=True
                )
            except (tf.errors.OpError, ValueError, RuntimeError) as error:
                raise InputError(
                    f"TensorFlow 1 loading failed: {str(error).splitlines()[0]}", path=path
                ) from None


class TF1GraphRunner(_SessionRunner):
    """A `.meta` + checkpoint or frozen GraphDef run the TF1 way.

    Import, Saver.restore, init, Session.run."""

    def __init__(self, model: Any, device: str = "/device:CPU:0"):
        self._meta = model.meta
        self._open_session(device)
        with self._graph.as_default(), self._graph.device(device):
            try:
                saver = tf.compat.v1.train.import_meta_graph(model.meta, clear_devices=True)
                if saver is not None and model.checkpoint is not None:
                    saver.restore(self._session, model.checkpoint)
                init = loader_impl.get_init_op(model.meta) or tf.group(
                    tf.compat.v1.local_variables_initializer(), tf.compat.v1.tables_initializer()
                )
                self._session.run(init)
            except (tf.errors.OpError, ValueError, RuntimeError, KeyError) as error:
                raise InputError(
                    f"TensorFlow 1 loading failed: {str(error).splitlines()[0]}", path=model.path
                ) from None


def tf1_runner(model: Any, device: str = "/device:CPU:0") -> _SessionRunner:
    """The TF1 reference for a loaded `TF1Model`, whatever form it came in."""
    if model.source_format.value == "saved_model":
        return TF1SessionRunner(model.path, model.tags, device)
    return TF1GraphRunner(model, device)


class TF2EagerRunner:
    """A TF2 SavedModel loaded with `tf.saved_model.load` and called eagerly on `device`."""

    kind = "tf2"

    def __init__(self, path: Path, device: str = "/device:CPU:0"):
        self.device = device
        self._path = Path(path)
        self._methods = {
            k: s.method_name
            for k, s in reader.read_saved_model(self._path)[1].meta_graphs[0].signature_def.items()
        }
        with tf.device(device):
            try:
                self.model = tf.saved_model.load(str(path))
            except (tf.errors.OpError, ValueError) as error:
                raise InputError(
                    f"TensorFlow 2 loading failed: {str(error).splitlines()[0]}", path=path
                ) from None

    def signatures(self) -> dict[str, SignatureSpec]:
        specs = {}
        for key, fn in self.model.signatures.items():
            inputs = {
                k: TensorSpec(k, dtype_name(s.dtype), _shape(s.shape))
                for k, s in fn.structured_input_signature[1].items()
            }
            outputs = {
                k: TensorSpec(k, dtype_name(s.dtype), _shape(s.shape))
                for k, s in fn.structured_outputs.items()
            }
            specs[key] = SignatureSpec(
                key, self._methods.get(key, ""), _regroup_sparse(inputs), outputs
            )
        return specs

    def graph_def(self) -> None:
        return None

    def run(self, key: str, feeds: dict[str, Any]) -> dict[str, np.ndarray]:
        fn = self.model.signatures.get(key) if key in self.model.signatures else None
        if fn is None:
            raise SignatureError(f"no signature '{key}'.", path=self._path)
        kwargs: dict[str, Any] = {}
        for name, value in feeds.items():
            if isinstance(value, SparseValue):
                for part in SPARSE_PARTS:
                    kwargs[f"{name}_{part}"] = tf.constant(getattr(value, part))
            else:
                kwargs[name] = tf.constant(value)
        with tf.device(self.device):
            result = fn(**kwargs)
        return {name: tensor.numpy() for name, tensor in result.items()}

    def close(self) -> None:
        self.model = None


def _shape(shape: tf.TensorShape) -> tuple[int | None, ...] | None:
    return None if shape.rank is None else tuple(shape.as_list())


def _regroup_sparse(inputs: dict[str, TensorSpec]) -> dict[str, TensorSpec]:
    """Converted sparse inputs arrive as `k_indices`, `k_values`, `k_dense_shape`."""
    grouped = dict(inputs)
    for key in list(inputs):
        if key.endswith("_values"):
            base = key[: -len("_values")]
            parts = [f"{base}_{part}" for part in SPARSE_PARTS]
            if all(part in inputs for part in parts):
                values = inputs[key]
                for part in parts:
                    grouped.pop(part)
                grouped[base] = TensorSpec(base, values.dtype, None, sparse=True)
    return dict(sorted(grouped.items()))
