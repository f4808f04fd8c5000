"""`.meta` + checkpoint and frozen GraphDef sources: the same model in every TF1 form converts
alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from typer.testing import CliRunner

from corpus.models import CASES
from migrate.cli import app

runner = CliRunner()
REGRESSION_SIGNATURE = "serving_default:X->pred"


def _convert(*args: str) -> None:
    result = runner.invoke(app, ["convert", *args])
    assert result.exit_code == 0, result.output


def _outputs(path: Path, key: str, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    fn = tf.saved_model.load(str(path)).signatures[key]
    return {
        name: value.numpy()
        for name, value in fn(**{k: tf.constant(v) for k, v in feeds.items()}).items()
    }


def test_tf2onnx_regression_every_form_gives_the_same_outputs(
    shared_models: Path, tmp_path: Path
) -> None:
    """checkpoint (+ --signature) and frozen.pb convert, and match the SavedModel's conversion."""
    base = shared_models / "tf2onnx_regression"
    _convert(str(base / "saved_model"), str(tmp_path / "from_saved_model"))
    _convert(
        str(base / "checkpoint"),
        str(tmp_path / "from_checkpoint"),
        "--signature",
        REGRESSION_SIGNATURE,
    )
    _convert(
        str(base / "graphdef" / "frozen.pb"),
        str(tmp_path / "from_frozen"),
        "--signature",
        REGRESSION_SIGNATURE,
    )
    x = {"X": np.linspace(-3, 3, 7).astype(np.float32)}
    expected = _outputs(tmp_path / "from_saved_model", "serving_default", x)
    for form in ("from_checkpoint", "from_frozen"):
        np.testing.assert_array_equal(
            _outputs(tmp_path / form, "serving_default", x)["pred"], expected["pred"]
        )
    from_checkpoint = tf.saved_model.load(str(tmp_path / "from_checkpoint"))
    assert sorted(v.name for v in from_checkpoint.trainable_variables) == ["W:0", "b:0"]
    assert tf.saved_model.load(str(tmp_path / "from_frozen")).trainable_variables == []


def test_frozen_unfreeze_gives_back_trainable_weights(shared_models: Path, tmp_path: Path) -> None:
    """--unfreeze: W and b (read through W/read, b/read) become trainable variables with
    gradients."""
    frozen = shared_models / "tf2onnx_regression" / "graphdef" / "frozen.pb"
    _convert(str(frozen), str(tmp_path / "out"), "--signature", REGRESSION_SIGNATURE, "--unfreeze")
    model = tf.saved_model.load(str(tmp_path / "out"))
    assert sorted(v.name for v in model.trainable_variables) == ["W:0", "b:0"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model.signatures["serving_default"](X=tf.constant([1.0, 2.0]))["pred"])
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None and float(tf.reduce_sum(tf.abs(g))) > 0 for g in grads)


def test_no_signature_lists_placeholders_and_ranks_pred_first(
    shared_models: Path, tmp_path: Path
) -> None:
    """Without --signature, the error names X and Y and puts `pred` before the loss; nothing is
    written."""
    result = runner.invoke(
        app,
        [
            "convert",
            str(shared_models / "tf2onnx_regression" / "checkpoint"),
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    message = result.output.replace("\n", " ")
    assert "X (float32" in message and "Y (float32" in message
    candidates = message.split("Candidate outputs, best first:")[1]
    assert candidates.strip().startswith("pred (Identity, needs X)")
    assert candidates.index("pred") < candidates.index("truediv")
    assert "--signature serving_default:X->pred" in message
    assert not (tmp_path / "out").exists()


def test_state_file_from_another_machine_and_prefix_source(
    shared_models: Path, tmp_path: Path
) -> None:
    """An absolute path in `checkpoint` from elsewhere resolves next to it; a bare prefix works
    too."""
    moved = tmp_path / "moved"
    moved.mkdir()
    for item in (shared_models / "tf2onnx_regression" / "checkpoint").iterdir():
        (moved / item.name).write_bytes(item.read_bytes())
    (moved / "checkpoint").write_text('model_checkpoint_path: "/home/alice/train/model"\n')
    _convert(str(moved), str(tmp_path / "a"), "--signature", REGRESSION_SIGNATURE)
    _convert(
        str(moved / "model"),
        str(tmp_path / "b"),
        "--signature",
        "serving_default:X:0->prediction=pred:0",
    )
    assert list(
        tf.saved_model.load(str(tmp_path / "b")).signatures["serving_default"].structured_outputs
    ) == ["prediction"]


def test_v1_checkpoint_restores(tmp_path: Path) -> None:
    """A Saver V1 (single-file) checkpoint with a ref variable converts with parity."""
    graph = tf.Graph()
    (tmp_path / "ckpt").mkdir()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.compat.v1.Variable([[2.0], [-1.0]], name="w", use_resource=False)
        tf.identity(tf.matmul(x, w), name="y")
        sess.run(tf.compat.v1.global_variables_initializer())
        saver = tf.compat.v1.train.Saver(write_version=tf.compat.v1.train.SaverDef.V1)
        saver.save(sess, str(tmp_path / "ckpt" / "model"))
    assert (tmp_path / "ckpt" / "model").is_file() and not (
        tmp_path / "ckpt" / "model.index"
    ).exists()
    _convert(
        str(tmp_path / "ckpt" / "model.meta"),
        str(tmp_path / "out"),
        "--signature",
        "serving_default:x->y",
    )
    out = _outputs(tmp_path / "out", "serving_default", {"x": np.array([[1.0, 1.0]], np.float32)})
    np.testing.assert_array_equal(out["y"], [[1.0]])


def _signature_flags(spec: dict) -> list[str]:
    flags = []
    for key, signature in spec["signatures"].items():
        ins = ",".join(f"{name}={tensor}" for name, tensor in signature["inputs"].items())
        outs = ",".join(f"{name}={tensor}" for name, tensor in signature["outputs"].items())
        flags += ["--signature", f"{key}:{ins}->{outs}"]
    return flags


THREE_FORMS = [
    name
    for name, case in CASES.items()
    if {"checkpoint", "frozen"} <= set(case.forms)
    and "hostile" not in dict(case.extra)
    and not case.stateful
    and "special_inputs" not in dict(case.extra)  # issue 17 cases: tests/converter/test_legacy_*
    and name not in ("sparse_input", "sparse_output", "classify_regress")  # dense, Predict
]


@pytest.mark.parametrize("case", THREE_FORMS)
def test_corpus_case_three_forms_agree(case: str, corpus_dir: Path, tmp_path: Path) -> None:
    """SavedModel, .meta + checkpoint and frozen GraphDef of one model convert to the same
    outputs."""
    spec = json.loads((corpus_dir / case / "case.json").read_text())
    flags = _signature_flags(spec)
    _convert(str(corpus_dir / case / "saved_model"), str(tmp_path / "sm"))
    _convert(str(corpus_dir / case / "checkpoint"), str(tmp_path / "ckpt"), *flags)
    _convert(str(corpus_dir / case / "frozen.pb"), str(tmp_path / "frozen"), *flags)
    reference = tf.saved_model.load(str(tmp_path / "sm"))
    for key, fn in reference.signatures.items():
        feeds = {name: _sample(spec_) for name, spec_ in fn.structured_input_signature[1].items()}
        expected = {k: v.numpy() for k, v in fn(**feeds).items()}
        for form in ("ckpt", "frozen"):
            got = tf.saved_model.load(str(tmp_path / form)).signatures[key](**feeds)
            for name, value in expected.items():
                if value.dtype.kind in "SUOb":  # strings and bools: exact
                    np.testing.assert_array_equal(
                        got[name].numpy(), value, err_msg=f"{form} {key}/{name}"
                    )
                else:
                    np.testing.assert_allclose(
                        got[name].numpy(), value, rtol=1e-6, err_msg=f"{form} {key}/{name}"
                    )
    trainable = sorted(
        v.name.split(":")[0]
        for v in tf.saved_model.load(str(tmp_path / "ckpt")).trainable_variables
    )
    assert trainable == sorted(spec["trainable_variables"])


def _sample(spec: tf.TensorSpec) -> tf.Tensor:
    shape = [
        2 if dim is None else dim
        for dim in (spec.shape.as_list() if spec.shape.rank is not None else [])
    ]
    rng = np.random.default_rng(7)
    if spec.dtype == tf.string:
        return tf.constant(rng.choice([b"a", b"b", b"zz"], size=shape))
    if spec.dtype.is_integer:
        return tf.constant(rng.integers(0, 3, size=shape), dtype=spec.dtype)
    if spec.dtype == tf.bool:
        return tf.constant(rng.integers(0, 2, size=shape).astype(bool))
    return tf.constant(rng.standard_normal(shape), dtype=spec.dtype)


def test_inputs_outputs_collections_supply_the_signature(tmp_path: Path) -> None:
    """`tf.add_to_collection("inputs"/"outputs", t)` is used when no --signature and no
    SignatureDef exist."""
    graph = tf.Graph()
    (tmp_path / "ckpt").mkdir()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        x = tf.compat.v1.placeholder(tf.float32, [None], name="features")
        label = tf.compat.v1.placeholder(tf.float32, [None], name="label")
        w = tf.compat.v1.Variable(3.0, name="w", use_resource=False)
        y = tf.identity(x * w, name="scores")
        tf.reduce_mean(tf.square(y - label), name="loss")
        tf.compat.v1.add_to_collection("inputs", x)
        tf.compat.v1.add_to_collection("outputs", y)
        sess.run(tf.compat.v1.global_variables_initializer())
        tf.compat.v1.train.Saver().save(sess, str(tmp_path / "ckpt" / "model.ckpt"), global_step=7)
    report = tmp_path / "r.json"
    _convert(str(tmp_path / "ckpt"), str(tmp_path / "out"), "--report", str(report))
    entry = json.loads(report.read_text())["models"][0]
    assert entry["signature_origin"] == "inputs/outputs collections"
    out = _outputs(
        tmp_path / "out", "serving_default", {"features": np.array([1.0, 2.0], np.float32)}
    )
    np.testing.assert_array_equal(out["scores"], [3.0, 6.0])
