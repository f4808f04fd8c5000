"""Seeded inputs from signature specs: dtype/shape aware, in range, tf.Example where parsed.

String inputs that feed a `ParseExample` op get serialized `tf.Example`s built from that op's
own keys, dtypes and shapes; integer inputs that index a gather get ids inside the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from migrate.parity.runners import SparseValue
from migrate.parity.specs import SignatureSpec, TensorSpec

PASS_THROUGH = {"Identity", "Reshape", "ExpandDims", "Squeeze", "Cast", "StopGradient"}
GATHERS = {"GatherV2", "Gather", "ResourceGather"}


@dataclass(frozen=True)
class FeatureSpec:
    key: str
    dtype: str  # float32 / int64 / string
    shape: tuple[int, ...] | None  # None: a sparse (variable-length) feature


@dataclass(frozen=True)
class InputOptions:
    seed: int = 0
    batch_size: int = 2
    value_ranges: tuple[tuple[str, float, float], ...] = ()
    unknown_rank_as_scalar: bool = False  # the fallback when a batch vector is rejected

    def range_for(self, key: str) -> tuple[float, float] | None:
        for name, low, high in self.value_ranges:
            if name == key:
                return low, high
        return None


class GraphFacts:
    """What a TF1 GraphDef tells about an input: its parse spec, or its gather bound."""

    def __init__(self, graph_def: Any | None):
        self._nodes = {node.name: node for node in graph_def.node} if graph_def is not None else {}
        self._consumers: dict[str, list[Any]] = {}
        for node in self._nodes.values():
            for text in node.input:
                self._consumers.setdefault(text.lstrip("^").split(":")[0], []).append(node)

    def _reachable(self, tensor_name: str, depth: int = 6) -> list[Any]:
        frontier, seen, found = [tensor_name.split(":")[0]], set(), []
        for _ in range(depth):
            following = []
            for name in frontier:
                for node in self._consumers.get(name, []):
                    if node.name in seen:
                        continue
                    seen.add(node.name)
                    found.append(node)
                    if node.op in PASS_THROUGH or node.op in {
                        "DynamicPartition",
                        "FloorDiv",
                        "FloorMod",
                        "Unique",
                    }:
                        following.append(node.name)
            frontier = following
        return found

    def example_features(self, tensor_name: str) -> list[FeatureSpec] | None:
        for node in self._reachable(tensor_name, depth=3):
            if node.op in ("ParseExample", "ParseExampleV2"):
                return self._parse_spec(node)
        return None

    def gather_bound(self, tensor_name: str) -> int | None:
        bounds = []
        for node in self._reachable(tensor_name):
            if node.op in GATHERS and len(node.input) > 1:
                rows = self._rows(node.input[0])
                if rows:
                    bounds.append(rows)
        return min(bounds) if bounds else None

    def _rows(self, tensor: str) -> int | None:
        node = self._nodes.get(tensor.split(":")[0])
        while node is not None and node.op in ("Identity", "ReadVariableOp") and node.input:
            node = self._nodes.get(node.input[0].split(":")[0])
        if node is None or "shape" not in node.attr:
            return None
        dims = node.attr["shape"].shape.dim
        return dims[0].size if dims and dims[0].size > 0 else None

    def _const(self, name: str) -> list[str]:
        import tensorflow as tf  # noqa: PLC0415

        node = self._nodes.get(name.split(":")[0])
        if node is None or node.op != "Const":
            return []
        values = np.atleast_1d(tf.make_ndarray(node.attr["value"].tensor))
        return [v.decode() if isinstance(v, bytes) else str(v) for v in values]

    def _parse_spec(self, node: Any) -> list[FeatureSpec]:
        import tensorflow as tf  # noqa: PLC0415

        dense_types = [tf.dtypes.as_dtype(t).name for t in node.attr["Tdense"].list.type]
        shapes = [tuple(d.size for d in s.dim) for s in node.attr["dense_shapes"].list.shape]
        sparse_types = [tf.dtypes.as_dtype(t).name for t in node.attr["sparse_types"].list.type]
        inputs = [i for i in node.input if not i.startswith("^")]
        if node.op == "ParseExample":
            n_sparse, n_dense = node.attr["Nsparse"].i, node.attr["Ndense"].i
            sparse_keys = [k for i in inputs[2 : 2 + n_sparse] for k in self._const(i)]
            dense_keys = [
                k for i in inputs[2 + n_sparse : 2 + n_sparse + n_dense] for k in self._const(i)
            ]
        else:
            sparse_keys, dense_keys = self._const(inputs[2]), self._const(inputs[3])
        features = [
            FeatureSpec(k, t, s) for k, t, s in zip(dense_keys, dense_types, shapes, strict=False)
        ]
        features += [
            FeatureSpec(k, t, None) for k, t in zip(sparse_keys, sparse_types, strict=False)
        ]
        return features


def generate(spec: SignatureSpec, facts: GraphFacts, options: InputOptions) -> dict[str, Any]:
    """One feed dict for a signature; same seed and spec give the same values."""
    rng = np.random.default_rng([options.seed, _stable_hash(spec.key)])
    feeds: dict[str, Any] = {}
    for key, tensor in spec.inputs.items():
        if tensor.sparse:
            feeds[key] = _sparse(tensor, rng, options)
            continue
        features = facts.example_features(tensor.name) if tensor.dtype == "string" else None
        if features is not None:
            feeds[key] = _examples(features, _concrete_shape(tensor.shape, options.batch_size), rng)
            continue
        bounds = options.range_for(key)
        if bounds is None and tensor.dtype.startswith(("int", "uint")):
            rows = facts.gather_bound(tensor.name)
            bounds = (0, rows) if rows else None
        feeds[key] = _dense(
            tensor,
            _concrete_shape(tensor.shape, options.batch_size, options.unknown_rank_as_scalar),
            rng,
            bounds,
        )
    return feeds


def _stable_hash(text: str) -> int:
    return sum((index + 1) * ord(char) for index, char in enumerate(text)) % (2**31)


def _concrete_shape(
    shape: tuple[int | None, ...] | None, batch: int, scalar: bool = False
) -> tuple[int, ...]:
    if shape is None:
        return () if scalar else (batch,)
    return tuple(batch if dim is None else dim for dim in shape)


def _dense(
    tensor: TensorSpec, shape: tuple[int, ...], rng: np.random.Generator, bounds: Any
) -> np.ndarray:
    dtype = tensor.dtype
    if dtype == "string":
        words = np.array(
            [f"tok{n}".encode() for n in rng.integers(0, 8, size=int(np.prod(shape)))], dtype=object
        )
        return words.reshape(shape)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    low, high = (
        bounds
        if bounds is not None
        else ((0, 10) if not dtype.startswith(("float", "bfloat", "half")) else (-1.0, 1.0))
    )
    if dtype.startswith(("int", "uint")):
        return rng.integers(int(low), max(int(high), int(low) + 1), size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def _sparse(tensor: TensorSpec, rng: np.random.Generator, options: InputOptions) -> SparseValue:
    rows, cols = options.batch_size, 4
    mask = rng.random((rows, cols)) < 0.5
    mask[:, 0] = True  # every row has a value
    indices = np.argwhere(mask).astype(np.int64)
    values = _dense(
        TensorSpec(tensor.name, tensor.dtype, None),
        (len(indices),),
        rng,
        options.range_for(tensor.name),
    )
    return SparseValue(indices, values, np.array([rows, cols], dtype=np.int64))


def _examples(
    features: list[FeatureSpec], shape: tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    import tensorflow as tf  # noqa: PLC0415

    count = int(np.prod(shape)) if shape else 1
    serialized = []
    for _ in range(count):
        feature_map = {}
        for feature in features:
            size = (
                int(np.prod(feature.shape))
                if feature.shape is not None
                else int(rng.integers(1, 4))
            )
            if feature.dtype == "string":
                values = [f"tok{n}".encode() for n in rng.integers(0, 8, size=size)]
                feature_map[feature.key] = tf.train.Feature(
                    bytes_list=tf.train.BytesList(value=values)
                )
            elif feature.dtype.startswith("int"):
                feature_map[feature.key] = tf.train.Feature(
                    int64_list=tf.train.Int64List(value=rng.integers(0, 5, size=size))
                )
            else:
                feature_map[feature.key] = tf.train.Feature(
                    float_list=tf.train.FloatList(value=rng.uniform(-1, 1, size=size))
                )
        serialized.append(
            tf.train.Example(features=tf.train.Features(feature=feature_map)).SerializeToString()
        )
    return np.array(serialized, dtype=object).reshape(shape)
