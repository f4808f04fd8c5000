"""Real TF 1.x models from TF Serving and tf2onnx: converted models load, run, train and
round-trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from migrate.cli import app
from tests.conftest import run_python

runner = CliRunner()

FRESH_PROCESS_CHECK = r"""
import json, sys
import numpy as np
import tensorflow as tf
out, resaved = sys.argv[1], sys.argv[2]
m = tf.saved_model.load(out)
x = tf.constant([[1.0], [2.0], [10.0]])
def example(v, v2):
    f = {"x": tf.train.Feature(float_list=tf.train.FloatList(value=[v])),
         "x2": tf.train.Feature(float_list=tf.train.FloatList(value=[v2]))}
    return tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString()
examples = tf.constant([example(1.0, 4.0), example(3.0, 6.0)])
s = m.signatures
result = {
    "keys": sorted(s.keys()),
    "serving_default": s["serving_default"](x=x)["y"].numpy().ravel().tolist(),
    "classify": s["classify_x_to_y"](inputs=examples)["scores"].numpy().ravel().tolist(),
    "regress": s["regress_x_to_y"](inputs=examples)["outputs"].numpy().ravel().tolist(),
    "regress2": s["regress_x_to_y2"](inputs=examples)["outputs"].numpy().ravel().tolist(),
    "regress3": s["regress_x2_to_y3"](inputs=x)["outputs"].numpy().ravel().tolist(),
    "trainable": sorted(v.name for v in m.trainable_variables),
    "variables": sorted(v.name for v in m.variables),
}
with tf.GradientTape() as tape:
    y = s["serving_default"](x=x)["y"]
grads = tape.gradient(y, m.trainable_variables)
result["nonzero_grads"] = sorted(
    v.name
    for v, g in zip(m.trainable_variables, grads)
    if g is not None and float(tf.reduce_sum(tf.abs(g))) > 0
)
tf.saved_model.save(m, resaved, signatures=m.signatures)
again = tf.saved_model.load(resaved)
result["resaved"] = again.signatures["serving_default"](x=x)["y"].numpy().ravel().tolist()
print(json.dumps(result))
"""


def test_half_plus_two_converts_trains_and_round_trips(shared_models: Path, tmp_path: Path) -> None:
    """TF 1.14 half_plus_two: all 5 signatures run in a fresh process with y = 0.5x + 2."""
    src = shared_models / "serving" / "saved_model_half_plus_two_cpu" / "00000123"
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["convert", str(src), str(out), "--report", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())["models"][0]
    assert report["parity"]["passed"] and report["parity"]["compared"] == 5

    proc = run_python(FRESH_PROCESS_CHECK, str(out), str(tmp_path / "resaved"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(got["serving_default"], [2.5, 3.0, 7.0])
    np.testing.assert_allclose(got["classify"], [2.5, 3.5])
    np.testing.assert_allclose(got["regress"], [2.5, 3.5])
    np.testing.assert_allclose(got["regress2"], [3.5, 4.5])  # a*x + c with c = 3
    np.testing.assert_allclose(got["regress3"], [3.5, 4.0, 8.0])  # a2*x2 + c2 = 0.5x + 3
    assert got["trainable"] == ["a2:0", "a:0", "b:0", "c2:0", "c:0"]
    assert "filename_tensor:0" in got["variables"]
    assert got["nonzero_grads"] == ["a:0", "b:0"]
    assert got["resaved"] == got["serving_default"]

    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "tensorflow.python.tools.saved_model_cli",
            "show",
            "--dir",
            str(out),
            "--all",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tensorflow/serving/classify" in shown and "tensorflow/serving/regress" in shown


def test_predict_method_names_option(shared_models: Path, tmp_path: Path) -> None:
    """--predict-method-names writes every signature as predict, as TF2 itself would."""
    src = shared_models / "serving" / "saved_model_half_plus_two_cpu"
    result = runner.invoke(
        app, ["convert", str(src), str(tmp_path / "o"), "--predict-method-names", "--no-verify"]
    )
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "o" / "00000123" / "saved_model.pb").read_bytes()
    assert b"tensorflow/serving/classify" not in raw and b"tensorflow/serving/predict" in raw


COUNTER_SEQUENCE = r"""
import json, sys
import tensorflow as tf
m = tf.saved_model.load(sys.argv[1]).signatures
calls = [m["incr_counter"](), m["incr_counter"](), m["incr_counter_by"](delta=tf.constant(5.0)),
         m["get_counter"](), m["reset_counter"](), m["incr_counter"]()]
print(json.dumps([float(c["output"]) for c in calls]))
"""


def test_counter_sequence_matches_tf1_session(shared_models: Path, tmp_path: Path) -> None:
    """TF 1.5 counter (ref-typed outputs TF2 cannot load): same call sequence, same values."""
    import tensorflow as tf

    src = shared_models / "serving" / "saved_model_counter" / "00000123"
    out = tmp_path / "counter"
    assert runner.invoke(app, ["convert", str(src), str(out)]).exit_code == 0
    with tf.Graph().as_default() as graph, tf.compat.v1.Session(graph=graph) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], str(src))
        fetch = {k: s.outputs["output"].name for k, s in meta.signature_def.items()}
        delta = meta.signature_def["incr_counter_by"].inputs["delta"].name
        expected = [
            sess.run(fetch["incr_counter"]),
            sess.run(fetch["incr_counter"]),
            sess.run(fetch["incr_counter_by"], {delta: 5.0}),
            sess.run(fetch["get_counter"]),
            sess.run(fetch["reset_counter"]),
            sess.run(fetch["incr_counter"]),
        ]
    proc = run_python(COUNTER_SEQUENCE, str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (
        json.loads(proc.stdout.strip().splitlines()[-1])
        == [float(v) for v in expected]
        == [1, 2, 7, 7, 0, 1]
    )


def test_tf2onnx_regression_converts_with_parity(shared_models: Path, tmp_path: Path) -> None:
    """TF 1.11 regression with training ops in the graph converts; W and b become trainable."""
    src = shared_models / "tf2onnx_regression" / "saved_model"
    result = runner.invoke(
        app, ["convert", str(src), str(tmp_path / "o"), "--report", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())["models"][0]
    assert report["parity"]["passed"]
    assert report["written_by"].startswith("1.11")
    assert sum(v["trainable"] for v in report["variables"]) == 2
