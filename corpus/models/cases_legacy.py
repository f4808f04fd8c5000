"""Real-world TF1 shapes the converter once failed on (issue 17), rebuilt with tf.compat.v1.

- `legacy_parse_scalar`: a TF 1.0-era graph (GraphDef producer 21) whose `tf_example` placeholder
  carries the attr `shape {}`. Before producer 22 that meant *unknown shape*; today it reads as a
  scalar, and `ParseExample` (v1) rejects a rank-0 input. Built with a `[None]` placeholder, then
  the written files are edited to say what TF 1.0 wrote (today's TF refuses to build it).
- `fixed_batch`: input `(-1, 1)`, output statically `(1, 10, 10, 1)`: it runs at batch 1 only.
- `dropout_keep_prob`: unseeded dropout behind a `keep_prob` placeholder, plus a signature whose
  output adds a seeded `random_uniform`.
- `unshaped_rnn`: an RNN whose input `X` has no shape at all; `Reshape`, `strided_slice` and
  `MatMul` consumers say it must be `(batch, 4, 3)`.

case.json's `special_inputs` says why generic random inputs do not run these models, and
`input_shapes` the shapes the corpus tests feed instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import graph_pb2, tensor_shape_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow.python.ops import gen_parsing_ops

from corpus.models import _common
from corpus.models._common import Case, GraphSpec, MetaGraphSpec

v1 = tf.compat.v1
LEGACY_PRODUCER = 21  # TF 1.0's GraphDef version: the last one where `shape {}` meant "unknown"


def legacy_parse_scalar(sess: Any) -> GraphSpec:
    examples = v1.placeholder(tf.string, [None], name="tf_example")
    dense_default = tf.zeros([1], tf.float32)
    parsed = gen_parsing_ops.parse_example(
        examples,
        names=tf.constant([], tf.string),
        sparse_keys=[],
        dense_keys=[tf.constant("x")],
        dense_defaults=[dense_default],
        sparse_types=[],
        dense_shapes=[[1]],
        name="ParseExample",
    )
    x = parsed.dense_values[0]
    a = _common.ref_var("a", np.float32(0.5))
    b = _common.ref_var("b", np.float32(2.0))
    y = tf.identity(x * a + b, name="y")
    _common.initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [_common.SERVE],
                {"serving_default": _common.predict({"inputs": examples}, {"y": y})},
            )
        ]
    )


def fixed_batch(sess: Any) -> GraphSpec:
    x = v1.placeholder(tf.float32, [None, 1], name="x")
    grid = _common.ref_var("grid", _common.rng().normal(size=(1, 10, 10, 1)).astype(np.float32))
    y = tf.identity(x + grid, name="y")  # [B,1] + [1,10,10,1] broadcasts only when B is 1 or 10
    _common.initialise(sess)
    return GraphSpec(
        [MetaGraphSpec([_common.SERVE], {"serving_default": _common.predict({"x": x}, {"y": y})})]
    )


def _tf1_dropout(x: Any, keep_prob: Any) -> Any:
    """tf.nn.dropout as TF 1.0-1.12 built it (today's builds `uniform >= rate` instead)."""
    with v1.name_scope("dropout"):
        random_tensor = keep_prob + v1.random_uniform(tf.shape(x))
        return tf.math.divide(x, keep_prob) * tf.floor(random_tensor)


def dropout_keep_prob(sess: Any) -> GraphSpec:
    sess.graph.seed = None  # like most real training scripts: no graph-level seed
    r = _common.rng()
    x = v1.placeholder(tf.float32, [None, 4], name="x")
    keep_prob = v1.placeholder(tf.float32, [], name="keep_prob")
    w = _common.ref_var("W", r.normal(size=(4, 3)).astype(np.float32))
    with v1.name_scope("model"):
        hidden = _tf1_dropout(tf.nn.relu(tf.matmul(x, w)), keep_prob)
    logits = tf.identity(hidden, name="logits")
    output = tf.identity(tf.nn.softmax(logits), name="output")
    noisy = tf.identity(x + v1.random_uniform(tf.shape(x), seed=7), name="noisy")
    _common.initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [_common.SERVE],
                {
                    "serving_default": _common.predict(
                        {"x": x, "keep_prob": keep_prob}, {"output": output}
                    ),
                    "noise": _common.predict({"x": x}, {"noisy": noisy}),
                },
            )
        ]
    )


def unshaped_rnn(sess: Any) -> GraphSpec:
    r = _common.rng()
    inputs = v1.placeholder(tf.float32, None, name="X")  # no shape at all
    steps = tf.reshape(inputs, [-1, 4, 3], name="steps")
    w = _common.ref_var("W", (0.5 * r.normal(size=(3, 5))).astype(np.float32))
    u = _common.ref_var("U", (0.5 * r.normal(size=(5, 5))).astype(np.float32))
    state = tf.zeros([tf.shape(steps)[0], 5])
    for t in range(4):
        state = tf.tanh(tf.matmul(steps[:, t, :], w) + tf.matmul(state, u))
    output = tf.identity(state, name="output")
    _common.initialise(sess)
    return GraphSpec(
        [
            MetaGraphSpec(
                [_common.SERVE],
                {"serving_default": _common.predict({"X": inputs}, {"output": output})},
            )
        ]
    )


# --------------------------------------------------------------------------- TF 1.0 files


def _legacy_graph(graph_def: graph_pb2.GraphDef) -> None:
    """What TF 1.0 wrote: producer 21, and a non-fully-defined placeholder as `shape {}`."""
    graph_def.versions.producer = LEGACY_PRODUCER
    graph_def.versions.min_consumer = 0
    for node in graph_def.node:
        if node.name == "tf_example":
            node.attr["shape"].shape.CopyFrom(tensor_shape_pb2.TensorShapeProto())
            node.attr.pop("_output_shapes", None)


def _legacy_meta(meta: meta_graph_pb2.MetaGraphDef) -> None:
    _legacy_graph(meta.graph_def)
    meta.meta_info_def.tensorflow_version = "1.0.1"
    for signature in meta.signature_def.values():
        for info in signature.inputs.values():
            if info.name == "tf_example:0":
                info.tensor_shape.CopyFrom(tensor_shape_pb2.TensorShapeProto())


def make_legacy(case_dir: Path) -> None:
    """Rewrite every written form of the case as a TF 1.0 export."""
    saved = case_dir / "saved_model" / "saved_model.pb"
    if saved.is_file():
        proto = saved_model_pb2.SavedModel.FromString(saved.read_bytes())
        for meta in proto.meta_graphs:
            _legacy_meta(meta)
        saved.write_bytes(proto.SerializeToString(deterministic=True))
    meta_file = case_dir / "checkpoint" / "model.ckpt.meta"
    if meta_file.is_file():
        meta = meta_graph_pb2.MetaGraphDef.FromString(meta_file.read_bytes())
        _legacy_meta(meta)
        meta_file.write_bytes(meta.SerializeToString(deterministic=True))
    frozen = case_dir / "frozen.pb"
    if frozen.is_file():
        graph_def = graph_pb2.GraphDef.FromString(frozen.read_bytes())
        _legacy_graph(graph_def)
        frozen.write_bytes(graph_def.SerializeToString(deterministic=True))


@dataclass(frozen=True)
class LegacyCase(Case):
    """A case whose files are edited after writing into what TF 1.0 produced."""

    def build(self, out_dir: Path, forms: Sequence[str] | None = None) -> dict[str, Any]:
        described = super().build(out_dir, forms)
        make_legacy(Path(out_dir) / self.name)
        return described


_ALL = ("saved_model", "checkpoint", "frozen")

CASES = [
    LegacyCase(
        "legacy_parse_scalar",
        "TF 1.0 export (producer 21): tf_example placeholder with attr `shape {}` (unknown in 1.0, "
        "a scalar today) feeds ParseExample v1; y = 0.5 x + 2.",
        legacy_parse_scalar,
        _ALL,
        extra={
            "example_features": {"x": {"shape": [1]}},
            "legacy": "placeholder_shape",
            "special_inputs": "serialized tf.Examples, declared as a scalar",
        },
    ),
    Case(
        "fixed_batch",
        "input (-1, 1) but output statically (1, 10, 10, 1): runs at batch 1 only (y = x + grid).",
        fixed_batch,
        _ALL,
        extra={"input_shapes": {"x": [1, 1]}, "special_inputs": "batch 1 only"},
    ),
    Case(
        "dropout_keep_prob",
        "unseeded dropout behind a keep_prob placeholder (serving_default), and a seeded "
        "random_uniform added to x (noise).",
        dropout_keep_prob,
        _ALL,
        value_ranges={"keep_prob": (1.0, 1.0)},
        extra={"special_inputs": "keep_prob must be 1.0 for repeatable outputs"},
    ),
    Case(
        "unshaped_rnn",
        "4-step tanh RNN whose input X has no shape; Reshape(-1, 4, 3), strided_slice and MatMul "
        "consumers reveal it.",
        unshaped_rnn,
        _ALL,
        extra={"input_shapes": {"X": [3, 4, 3]}, "special_inputs": "X has no declared shape"},
    ),
]
