"""Shared machinery: the `Case` record and the writers for every TF1 form.

A case only builds its graph (and initialises/trains it in the given session); everything about
how the result is written to disk — SavedModel, `.meta` + name-based checkpoint, frozen GraphDef,
`case.json` — lives here so every case is written the same way TF 1.x tools wrote them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2

SEED = 1234
FORMS: tuple[str, ...] = ("saved_model", "checkpoint", "frozen")
SERVE = tf.compat.v1.saved_model.tag_constants.SERVING
PREDICT = tf.compat.v1.saved_model.signature_constants.PREDICT_METHOD_NAME

v1 = tf.compat.v1


def configure_tf1() -> None:
    """Switch this *process* to TF1 graph semantics (ref variables, v1 control flow).

    These switches are process-global, which is why tests build in a subprocess.
    """
    v1.disable_eager_execution()
    v1.disable_resource_variables()
    v1.disable_control_flow_v2()


@dataclass
class MetaGraphSpec:
    """One MetaGraphDef to write: its tag-set and SignatureDefs."""

    tags: list[str]
    signatures: dict[str, meta_graph_pb2.SignatureDef]


@dataclass
class GraphSpec:
    """What a case's graph function returns; the first meta graph also saves the variables."""

    meta_graphs: list[MetaGraphSpec]
    main_op: Any = None
    use_assets: bool = False


GraphFn = Callable[[Any], GraphSpec]  # (session) -> GraphSpec, building into session.graph


@dataclass(frozen=True)
class Case:
    """One corpus model: how to build it, and the metadata tests need to exercise it."""

    name: str
    description: str
    graph_fn: GraphFn
    forms: tuple[str, ...] = ("saved_model",)
    why_not: Mapping[str, str] = field(default_factory=dict)  # form -> why it is not written
    stateful: bool = False
    sequence: tuple[Mapping[str, Any], ...] = ()
    value_ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)  # merged into case.json

    def build(self, out_dir: Path, forms: Sequence[str] | None = None) -> dict[str, Any]:
        """Write this case under out_dir/<name>/ and return what went into case.json."""
        return build_case(self, Path(out_dir), forms)


def rng() -> np.random.Generator:
    """Weights come from numpy with a fixed seed so every build writes the same values."""
    return np.random.default_rng(SEED)


def ref_var(name: str, value: Any, trainable: bool = True, dtype: Any = None) -> Any:
    """A TF1 ref variable (`VariableV2`), whatever the global resource-variable switch says."""
    return v1.Variable(value, name=name, trainable=trainable, dtype=dtype, use_resource=False)


def initialise(sess: Any) -> None:
    sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])


def train(
    sess: Any, loss: Any, steps: int, feed: Mapping[Any, Any] | None = None, lr: float = 0.1
) -> Any:
    """Run a few GradientDescent steps so saved weights differ from their initial values."""
    op = v1.train.GradientDescentOptimizer(lr).minimize(loss, name="train_op")
    v1.add_to_collection("train_op", op)
    for _ in range(steps):
        sess.run(op, feed_dict=dict(feed or {}))
    return op


def predict(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> meta_graph_pb2.SignatureDef:
    """A predict SignatureDef; unlike predict_signature_def it allows no inputs."""
    build = v1.saved_model.build_tensor_info
    return v1.saved_model.build_signature_def(
        {k: build(t) for k, t in inputs.items()}, {k: build(t) for k, t in outputs.items()}, PREDICT
    )


# --------------------------------------------------------------------------- writers


def _saver() -> Any:
    # One V2 saver serves both the SavedModel and the checkpoint form, so both share op names.
    return v1.train.Saver(
        write_version=v1.train.SaverDef.V2, allow_empty=True, save_relative_paths=True
    )


def _write_saved_model(sess: Any, spec: GraphSpec, saver: Any, path: Path) -> None:
    builder = v1.saved_model.Builder(str(path))
    assets = v1.get_collection(v1.GraphKeys.ASSET_FILEPATHS) if spec.use_assets else None
    first, *rest = spec.meta_graphs
    builder.add_meta_graph_and_variables(
        sess,
        first.tags,
        signature_def_map=first.signatures,
        assets_collection=assets,
        main_op=spec.main_op,
        clear_devices=False,
        saver=saver,
    )
    for meta in rest:
        builder.add_meta_graph(
            meta.tags,
            signature_def_map=meta.signatures,
            assets_collection=assets,
            main_op=spec.main_op,
            clear_devices=False,
            saver=saver,
        )
    builder.save(as_text=False)


def _write_checkpoint(sess: Any, saver: Any, path: Path) -> None:
    path.mkdir(parents=True)
    saver.save(sess, str(path / "model.ckpt"), write_meta_graph=True)


def _output_ops(spec: GraphSpec) -> list[str]:
    names: list[str] = []
    for meta in spec.meta_graphs:
        for signature in meta.signatures.values():
            for info in signature.outputs.values():
                for tensor in _tensor_names(info).values():
                    op = tensor.split(":")[0]
                    if op not in names:
                        names.append(op)
    return names


# v1 control-flow ops that carry a ref tensor, and their value-typed twins.
_UNREF = {
    "RefSwitch": "Switch",
    "RefEnter": "Enter",
    "RefMerge": "Merge",
    "RefExit": "Exit",
    "RefNextIteration": "NextIteration",
    "RefIdentity": "Identity",
    "RefSelect": "Select",
}


def _write_frozen(sess: Any, spec: GraphSpec, path: Path) -> None:
    graph_def = sess.graph.as_graph_def()
    frozen = v1.graph_util.convert_variables_to_constants(sess, graph_def, _output_ops(spec))
    # TF 2.21 leaves RefSwitch/RefEnter fed by the new Const, which no longer imports ("was passed
    # float from W:0 incompatible with expected float_ref"); TF 1.x's freeze rewrote them. So do we.
    for node in frozen.node:
        node.op = _UNREF.get(node.op, node.op)
    path.write_bytes(frozen.SerializeToString(deterministic=True))


# --------------------------------------------------------------------------- case.json


def _tensor_names(info: meta_graph_pb2.TensorInfo) -> dict[str, str]:
    if info.HasField("coo_sparse"):
        sparse = info.coo_sparse
        return {
            "indices": sparse.indices_tensor_name,
            "values": sparse.values_tensor_name,
            "dense_shape": sparse.dense_shape_tensor_name,
        }
    return {"name": info.name}


def describe_signature(signature: meta_graph_pb2.SignatureDef) -> dict[str, Any]:
    """The case.json view of a SignatureDef; sparse tensors are named by their values tensor."""
    entry: dict[str, Any] = {"inputs": {}, "outputs": {}, "method_name": signature.method_name}
    sparse: dict[str, dict[str, str]] = {}
    for side in ("inputs", "outputs"):
        for key in sorted(getattr(signature, side)):
            names = _tensor_names(getattr(signature, side)[key])
            entry[side][key] = names.get("name", names.get("values"))
            if "values" in names:
                sparse[key] = names
    if sparse:
        entry["sparse"] = sparse
    return entry


def _describe(case: Case, spec: GraphSpec, forms: list[str], graph: Any) -> dict[str, Any]:
    meta_graphs = [
        {
            "tags": sorted(m.tags),
            "signatures": {k: describe_signature(s) for k, s in sorted(m.signatures.items())},
        }
        for m in spec.meta_graphs
    ]
    with graph.as_default():
        trainable = [variable.op.name for variable in v1.trainable_variables()]
        variables = [variable.op.name for variable in v1.global_variables()]
    return {
        "name": case.name,
        "description": case.description,
        "tags": [m["tags"] for m in meta_graphs],
        "signatures": meta_graphs[0]["signatures"],
        "meta_graphs": meta_graphs,
        "trainable_variables": trainable,
        "variables": variables,
        "stateful": case.stateful,
        "sequence": [dict(step) for step in case.sequence],
        "value_ranges": {k: list(v) for k, v in case.value_ranges.items()},
        "forms": forms,
        "forms_not_written": dict(case.why_not),
        "tensorflow_version": tf.__version__,
        **dict(case.extra),
    }


def _run_sequence(
    sess: Any, signatures: Mapping[str, meta_graph_pb2.SignatureDef], case: Case
) -> list[Any]:
    """Replay the stateful call sequence in TF1 and record what each step returned."""
    results = []
    for step in case.sequence:
        signature = signatures[step["signature"]]
        feed = {signature.inputs[k].name: v for k, v in step.get("inputs", {}).items()}
        fetch = {k: info.name for k, info in signature.outputs.items()}
        results.append(
            {k: np.asarray(v).tolist() for k, v in sess.run(fetch, feed_dict=feed).items()}
        )
    return results


def build_case(case: Case, out_dir: Path, forms: Sequence[str] | None = None) -> dict[str, Any]:
    """Build one case in its own Graph and write every requested form it supports."""
    configure_tf1()
    wanted = [form for form in (forms or FORMS) if form in case.forms]
    case_dir = out_dir / case.name
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    graph = tf.Graph()
    config = v1.ConfigProto(allow_soft_placement=True)  # lets GPU-pinned cases build on CPU
    try:
        with graph.as_default(), v1.Session(graph=graph, config=config) as sess:
            v1.set_random_seed(SEED)
            spec = case.graph_fn(sess)
            saver = _saver()
            if "checkpoint" in wanted:
                _write_checkpoint(sess, saver, case_dir / "checkpoint")
            if "frozen" in wanted:
                _write_frozen(sess, spec, case_dir / "frozen.pb")
            if "saved_model" in wanted:
                _write_saved_model(sess, spec, saver, case_dir / "saved_model")
            description = _describe(case, spec, wanted, graph)
            if case.sequence:  # last: it changes variable values
                description["sequence_expected"] = _run_sequence(
                    sess, spec.meta_graphs[0].signatures, case
                )
    finally:
        cleanup_scratch()
    (case_dir / "case.json").write_text(json.dumps(description, indent=2) + "\n", encoding="utf-8")
    return description


def scratch_file(name: str, text: str) -> Path:
    """An asset source outside the output dir.

    Deleted after building, so nothing can depend on it.
    """
    path = Path(tempfile.mkdtemp(prefix="tfm_corpus_")) / name
    path.write_text(text, encoding="utf-8")
    _SCRATCH.append(path.parent)
    return path


_SCRATCH: list[Path] = []


def cleanup_scratch() -> None:
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)
