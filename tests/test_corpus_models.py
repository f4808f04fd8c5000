"""The TF1 corpus builder writes what it promises, in every form, and the TF1 originals run.

All cases are built once, in a subprocess (the builder flips process-global TF1 switches); the
checks here only parse protos or run graphs in a `tf.compat.v1.Session` inside a fresh Graph.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.framework import graph_pb2, variable_pb2
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2

from corpus.models import CASES
from corpus.models._common import describe_signature

v1 = tf.compat.v1
ROOT = Path(__file__).resolve().parents[1]
NAMES = list(CASES)


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "corpus.models.build", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    result = _run_build(str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def _case(corpus: Path, name: str) -> dict[str, Any]:
    return json.loads((corpus / name / "case.json").read_text(encoding="utf-8"))


def _saved_model(corpus: Path, name: str) -> saved_model_pb2.SavedModel:
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((corpus / name / "saved_model" / "saved_model.pb").read_bytes())
    return proto


def _ops(meta: meta_graph_pb2.MetaGraphDef) -> set[str]:
    return {node.op for node in meta.graph_def.node}


# --------------------------------------------------------------------------- inputs


def _example(features: dict[str, Any], value: float) -> bytes:
    feature = {
        key: tf.train.Feature(float_list=tf.train.FloatList(value=[value] * spec["shape"][0]))
        for key, spec in features.items()
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def _dense_input(key: str, info: meta_graph_pb2.TensorInfo, case: dict[str, Any]) -> Any:
    shape = (
        []
        if info.tensor_shape.unknown_rank
        else [d.size if d.size >= 0 else 3 for d in info.tensor_shape.dim]
    )
    shape = case.get("input_shapes", {}).get(key, shape)  # issue 17: shapes the graph needs
    dtype = tf.dtypes.as_dtype(info.dtype).base_dtype
    if dtype == tf.string:
        if "example_features" in case:
            return np.array(
                [_example(case["example_features"], v) for v in (0.5, -1.0, 2.0)], dtype=object
            )
        words = (case.get("vocabulary", ["ab", "c"]) + ["unknown-word"])[: shape[0] if shape else 1]
        return np.array(words if shape else words[0], dtype=object)
    if dtype == tf.bool:
        return np.full(shape, True)
    lo, hi = case["value_ranges"].get(key, (0, 2))
    if not shape:
        return np.asarray(hi, dtype.as_numpy_dtype)  # e.g. the most loop steps allowed
    values = np.linspace(lo, hi, num=int(np.prod(shape)))
    return values.reshape(shape).astype(dtype.as_numpy_dtype)


def _feed(signature: meta_graph_pb2.SignatureDef, case: dict[str, Any]) -> dict[str, Any]:
    feed: dict[str, Any] = {}
    for key, info in signature.inputs.items():
        if info.HasField("coo_sparse"):
            sparse = info.coo_sparse
            feed[sparse.indices_tensor_name] = np.array([[0, 0], [1, 3], [2, 1]], np.int64)
            feed[sparse.values_tensor_name] = np.array(
                [0.5, -1.0, 0.25], tf.dtypes.as_dtype(info.dtype).as_numpy_dtype
            )
            feed[sparse.dense_shape_tensor_name] = np.array([3, 4], np.int64)
        else:
            feed[info.name] = _dense_input(key, info, case)
    return feed


def _fetch(signature: meta_graph_pb2.SignatureDef) -> dict[str, str]:
    fetch = {}
    for key, info in signature.outputs.items():
        if info.HasField("coo_sparse"):
            sparse = info.coo_sparse
            fetch[f"{key}/indices"] = sparse.indices_tensor_name
            fetch[f"{key}/values"] = sparse.values_tensor_name
            fetch[f"{key}/dense_shape"] = sparse.dense_shape_tensor_name
        else:
            fetch[key] = info.name
    return fetch


def _session(graph: tf.Graph) -> Any:
    return v1.Session(
        graph=graph, config=v1.ConfigProto(allow_soft_placement=True)
    )  # GPU pins on CPU hosts


def _run_saved_model(path: Path, tags: list[str], key: str, case: dict[str, Any]) -> dict[str, Any]:
    with tf.Graph().as_default() as graph, _session(graph) as sess:
        meta = v1.saved_model.loader.load(sess, tags, str(path))
        signature = meta.signature_def[key]
        return sess.run(_fetch(signature), feed_dict=_feed(signature, case))


def _assert_finite(outputs: dict[str, Any]) -> None:
    assert outputs, "nothing was fetched"
    for key, value in outputs.items():
        value = np.asarray(value)
        if value.dtype.kind in "fc":
            assert np.isfinite(value).all(), key


# --------------------------------------------------------------------------- every case


@pytest.mark.parametrize("name", NAMES)
def test_case_json_matches_saved_model(corpus: Path, name: str) -> None:
    """case.json names exactly the tag-sets, signatures and trainable variables written."""
    case, proto = _case(corpus, name), _saved_model(corpus, name)
    assert case["name"] == name and case["forms"][0] == "saved_model"
    assert case["tags"] == [sorted(m.meta_info_def.tags) for m in proto.meta_graphs]
    for meta, described in zip(proto.meta_graphs, case["meta_graphs"], strict=True):
        written = {key: describe_signature(sig) for key, sig in meta.signature_def.items()}
        assert written == described["signatures"]
        for signature in described["signatures"].values():
            assert signature["outputs"], "every signature has outputs"
    assert case["signatures"] == case["meta_graphs"][0]["signatures"]
    trainable = proto.meta_graphs[0].collection_def["trainable_variables"].bytes_list.value
    names = [
        variable_pb2.VariableDef.FromString(raw).variable_name.split(":")[0] for raw in trainable
    ]
    assert names == case["trainable_variables"]
    assert case["stateful"] == bool(case["sequence"])
    for key in case["value_ranges"]:
        assert any(key in s["inputs"] for s in case["signatures"].values()), key


@pytest.mark.parametrize("name", NAMES)
def test_every_signature_runs_in_a_tf1_session(corpus: Path, name: str) -> None:
    case = _case(corpus, name)
    for meta in case["meta_graphs"]:
        for key in meta["signatures"]:
            _assert_finite(_run_saved_model(corpus / name / "saved_model", meta["tags"], key, case))


@pytest.mark.parametrize("name", [n for n in NAMES if not CASES[n].stateful])
def test_checkpoint_and_frozen_forms_match_saved_model(corpus: Path, name: str) -> None:
    """Issue 3: the same model in every TF1 form gives the same outputs."""
    case = _case(corpus, name)
    assert set(case["forms"]) | set(case["forms_not_written"]) == {
        "saved_model",
        "checkpoint",
        "frozen",
    }
    meta = case["meta_graphs"][0]
    proto = _saved_model(corpus, name).meta_graphs[0]
    for key in meta["signatures"]:
        signature = proto.signature_def[key]
        expected = _run_saved_model(corpus / name / "saved_model", meta["tags"], key, case)
        if "checkpoint" in case["forms"]:
            folder = corpus / name / "checkpoint"
            assert (folder / "checkpoint").is_file() and (folder / "model.ckpt.index").is_file()
            with tf.Graph().as_default() as graph, _session(graph) as sess:
                saver = v1.train.import_meta_graph(
                    str(folder / "model.ckpt.meta"), clear_devices=True
                )
                saver.restore(sess, v1.train.latest_checkpoint(str(folder)))
                got = sess.run(_fetch(signature), feed_dict=_feed(signature, case))
            _assert_same(expected, got, f"{name}/checkpoint/{key}")
        if "frozen" in case["forms"]:
            graph_def = graph_pb2.GraphDef.FromString((corpus / name / "frozen.pb").read_bytes())
            assert not {"VariableV2", "VarHandleOp"} & {node.op for node in graph_def.node}
            with tf.Graph().as_default() as graph, _session(graph) as sess:
                v1.import_graph_def(graph_def, name="")
                got = sess.run(_fetch(signature), feed_dict=_feed(signature, case))
            _assert_same(expected, got, f"{name}/frozen/{key}")


def _assert_same(expected: dict[str, Any], got: dict[str, Any], where: str) -> None:
    assert expected.keys() == got.keys(), where
    for key in expected:
        np.testing.assert_array_equal(
            np.asarray(expected[key]), np.asarray(got[key]), err_msg=f"{where}/{key}"
        )


# --------------------------------------------------------------------------- specific cases


def test_linear_ref_uses_ref_variables_and_resource_vars_does_not(corpus: Path) -> None:
    ref_ops = _ops(_saved_model(corpus, "linear_ref").meta_graphs[0])
    assert "VariableV2" in ref_ops and "VarHandleOp" not in ref_ops
    resource_ops = _ops(_saved_model(corpus, "resource_vars").meta_graphs[0])
    assert "VarHandleOp" in resource_ops and "VariableV2" not in resource_ops
    assert _case(corpus, "linear_ref")["trainable_variables"] == ["W", "b"]


def test_trained_weights_differ_from_initial_values(corpus: Path) -> None:
    """Training steps ran before saving, so a converter that re-runs initializers is caught."""
    reader = tf.train.load_checkpoint(
        str(corpus / "linear_ref" / "saved_model" / "variables" / "variables")
    )
    rng = np.random.default_rng(1234)
    initial_w = rng.normal(size=(3, 2)).astype(np.float32)
    assert not np.allclose(reader.get_tensor("W"), initial_w)


def test_counter_is_ref_typed_and_replays_its_sequence(corpus: Path) -> None:
    case, proto = _case(corpus, "counter"), _saved_model(corpus, "counter")
    meta = proto.meta_graphs[0]
    assert "VariableV2" in _ops(meta)
    assert set(meta.signature_def) == {"get", "incr", "incr_by", "reset"}
    for signature in meta.signature_def.values():
        assert [info.dtype for info in signature.outputs.values()] == [
            tf.float32._as_ref.as_datatype_enum
        ]
    assert case["stateful"]
    assert [s["signature"] for s in case["sequence"]] == [
        "incr",
        "incr",
        "incr_by",
        "get",
        "reset",
        "incr",
    ]
    assert [step["output"] for step in case["sequence_expected"]] == [1.0, 2.0, 7.0, 7.0, 0.0, 1.0]
    with tf.Graph().as_default() as graph, _session(graph) as sess:
        loaded = v1.saved_model.loader.load(
            sess, ["serve"], str(corpus / "counter" / "saved_model")
        )
        got = []
        for step in case["sequence"]:
            signature = loaded.signature_def[step["signature"]]
            feed = {signature.inputs[k].name: v for k, v in step["inputs"].items()}
            got.append(float(sess.run(signature.outputs["output"].name, feed_dict=feed)))
    assert got == [1.0, 2.0, 7.0, 7.0, 0.0, 1.0]


def test_gpu_pinned_keeps_its_device(corpus: Path) -> None:
    for form_graph in (
        _saved_model(corpus, "gpu_pinned").meta_graphs[0].graph_def,
        graph_pb2.GraphDef.FromString((corpus / "gpu_pinned" / "frozen.pb").read_bytes()),
    ):
        assert any("GPU" in node.device for node in form_graph.node if node.name == "gpu_matmul")


def test_two_tag_sets_have_different_outputs(corpus: Path) -> None:
    case = _case(corpus, "two_tag_sets")
    assert case["tags"] == [["serve"], ["gpu", "serve"]]
    path = corpus / "two_tag_sets" / "saved_model"
    first = _run_saved_model(path, ["serve"], "serving_default", case)["y"]
    second = _run_saved_model(path, ["serve", "gpu"], "serving_default", case)["y"]
    np.testing.assert_allclose(second, 2 * first)


def test_vocab_table_uses_its_shipped_asset(corpus: Path) -> None:
    case = _case(corpus, "vocab_table")
    assert (corpus / "vocab_table" / "saved_model" / "assets" / "vocab.txt").is_file()
    meta = _saved_model(corpus, "vocab_table").meta_graphs[0]
    assert meta.collection_def["saved_model_main_op"].node_list.value
    assert "asset_filepaths" in meta.collection_def or meta.asset_file_def
    with tf.Graph().as_default() as graph, _session(graph) as sess:
        loaded = v1.saved_model.loader.load(
            sess, ["serve"], str(corpus / "vocab_table" / "saved_model")
        )
        signature = loaded.signature_def["serving_default"]
        ids = sess.run(
            signature.outputs["ids"].name,
            {signature.inputs["words"].name: ["gamma", "alpha", "nope"]},
        )
    assert ids.tolist() == [case["vocabulary"].index("gamma"), 0, -1]


def test_cond_while_routes_refs_through_v1_control_flow(corpus: Path) -> None:
    ops = _ops(_saved_model(corpus, "cond_while").meta_graphs[0])
    assert {"RefSwitch", "RefEnter", "Switch", "Merge", "Enter", "Exit", "NextIteration"} <= ops
    assert "While" not in ops and "If" not in ops and "StatelessIf" not in ops


def test_partitioned_and_io_cases(corpus: Path) -> None:
    assert _case(corpus, "partitioned")["trainable_variables"] == ["emb/part_0", "emb/part_1"]
    signatures = _saved_model(corpus, "classify_regress").meta_graphs[0].signature_def
    assert signatures["classify"].method_name == "tensorflow/serving/classify"
    assert signatures["regress"].method_name == "tensorflow/serving/regress"
    assert "ParseExampleV2" in _ops(_saved_model(corpus, "classify_regress").meta_graphs[0])
    sparse = _saved_model(corpus, "sparse_input").meta_graphs[0].signature_def["serving_default"]
    assert sparse.inputs["sp"].HasField("coo_sparse")
    io = _saved_model(corpus, "int_string_io").meta_graphs[0].signature_def["serving_default"]
    assert {info.dtype for info in io.inputs.values()} == {
        tf.int64.as_datatype_enum,
        tf.string.as_datatype_enum,
    }
    serving = _saved_model(corpus, "training_placeholder").meta_graphs[0]
    assert list(serving.signature_def["serving_default"].inputs) == ["x"]
    assert "Y" in {node.name for node in serving.graph_def.node if node.op == "Placeholder"}


def test_cli_rejects_unknown_case_and_form(tmp_path: Path) -> None:
    result = _run_build(str(tmp_path), "--case", "nope")
    assert result.returncode == 2 and "unknown case(s) nope" in result.stderr
    result = _run_build(str(tmp_path), "--forms", "onnx")
    assert result.returncode == 2 and "unknown form(s)" in result.stderr
    assert not any(tmp_path.iterdir())


def test_load_v1_in_v2_checklist_cases(corpus: Path) -> None:
    local = _saved_model(corpus, "local_variable").meta_graphs[0]
    assert local.collection_def["local_variables"].bytes_list.value
    assert local.collection_def["saved_model_main_op"].node_list.value
    assert _case(corpus, "local_variable")["trainable_variables"] == ["distractor", "v"]
    defun = _saved_model(corpus, "defun_library").meta_graphs[0]
    assert len(defun.graph_def.library.function) == 2
    case = _case(corpus, "sparse_output")
    assert case["signatures"]["serving_default"]["sparse"]["output"]["values"]
    out = _run_saved_model(
        corpus / "sparse_output" / "saved_model", ["serve"], "serving_default", case
    )
    assert out["output/values"].tolist() == [0, 2, 4]
