"""Issue 17: the real-world classes that used to fail convert now convert with parity, and say how.

Corpus cases from corpus/models/cases_legacy.py (TF 1.0 scalar-attr ParseExample input, fixed
batch, dropout keep_prob + seeded noise, unshaped RNN input), in SavedModel and frozen form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.framework import graph_pb2
from typer.testing import CliRunner

from corpus.models import build_in_subprocess, cases_legacy
from migrate.cli import app
from migrate.graphs import legacy_ops

runner = CliRunner()
NAMES = [case.name for case in cases_legacy.CASES]


@pytest.fixture(scope="module")
def legacy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("legacy_corpus")
    build_in_subprocess(out, NAMES)
    return out


def _convert(src: Path, dst: Path, *flags: str) -> tuple[int, dict[str, Any], str]:
    report = dst.parent / f"{dst.name}.json"
    result = runner.invoke(app, ["convert", str(src), str(dst), "--report", str(report), *flags])
    data = json.loads(report.read_text())["models"][0] if report.exists() else {}
    return result.exit_code, data, result.output


def _kinds(model: dict[str, Any]) -> set[str]:
    return {case["kind"] for case in model["parity"]["special_cases"]}


EXPECTED_KINDS = {
    "legacy_parse_scalar": {"inferred_shape"},
    "fixed_batch": {"batch_retry"},
    "dropout_keep_prob": {"keep_prob", "seeded_random"},
    "unshaped_rnn": {"inferred_shape"},
}


@pytest.mark.parametrize("name", NAMES)
def test_saved_model_converts_with_parity_and_explains(
    name: str, legacy_dir: Path, tmp_path: Path
) -> None:
    code, model, output = _convert(legacy_dir / name / "saved_model", tmp_path / "out")
    assert code == 0, output
    assert model["parity"]["passed"] and model["parity"]["compared"] >= 1
    assert EXPECTED_KINDS[name] <= _kinds(model)


def test_legacy_placeholder_becomes_a_vector_input(legacy_dir: Path, tmp_path: Path) -> None:
    """TF 1.0's `shape {}` on tf_example is restored to [-1]; the TF2 model parses a batch."""
    code, model, output = _convert(
        legacy_dir / "legacy_parse_scalar" / "saved_model", tmp_path / "o"
    )
    assert code == 0, output
    assert any("TF 1.0-era semantics" in w and "tf_example" in w for w in model["warnings"])
    assert model["signatures"][0]["inputs"] == {"inputs": "string(None,)"}
    loaded = tf.saved_model.load(str(tmp_path / "o")).signatures["serving_default"]
    example = tf.train.Example(
        features=tf.train.Features(
            feature={"x": tf.train.Feature(float_list=tf.train.FloatList(value=[4.0]))}
        )
    ).SerializeToString()
    np.testing.assert_allclose(loaded(inputs=tf.constant([example] * 2))["y"].numpy(), [[4.0]] * 2)


@pytest.mark.parametrize("name", ["unshaped_rnn", "fixed_batch", "legacy_parse_scalar"])
def test_frozen_graph_converts_without_signature_flag(
    name: str, legacy_dir: Path, tmp_path: Path
) -> None:
    """One sensible sink: the signature is built automatically, and convert says which."""
    code, model, output = _convert(legacy_dir / name / "frozen.pb", tmp_path / "out")
    assert code == 0, output
    assert model["signature_origin"] == "built automatically"
    assert any(w.startswith("built signature serving_default:") for w in model["warnings"])
    assert model["parity"]["passed"]


def test_dropout_frozen_suggests_output_not_the_random_op(legacy_dir: Path, tmp_path: Path) -> None:
    """Two sinks (output, noisy): no guess; the suggestion is the named `output`, no random op."""
    frozen = legacy_dir / "dropout_keep_prob" / "frozen.pb"
    code, _, output = _convert(frozen, tmp_path / "out")
    text = " ".join(output.split())
    assert code == 2 and "RandomUniform" not in text and "random_uniform" not in text
    assert "--signature serving_default:keep_prob,x->output" in text
    code, model, output = _convert(
        frozen, tmp_path / "again", "--signature", "serving_default:keep_prob,x->output"
    )
    assert code == 0, output
    assert "keep_prob" in _kinds(model)


def _old_graph(path: Path, op: str, producer: int) -> None:
    """A hand-written TF 1.0-era GraphDef: x[?,2,2] -> op -> Identity output."""
    graph = graph_pb2.GraphDef()
    graph.versions.producer = producer
    x = graph.node.add(name="x", op="Placeholder")
    x.attr["dtype"].type = 1
    for size in (-1, 2, 2):
        x.attr["shape"].shape.dim.add(size=size)
    node = graph.node.add(name="legacy", op=op, input=["x"])
    node.attr["T"].type = 1
    out = graph.node.add(name="output", op="Identity", input=["legacy"])
    out.attr["T"].type = 1
    path.write_bytes(graph.SerializeToString())


def test_removed_op_is_renamed_to_its_drop_in_replacement(tmp_path: Path) -> None:
    """BatchMatrixDeterminant exists below GraphDef 13 only: TF2 gets MatrixDeterminant."""
    _old_graph(tmp_path / "old.pb", "BatchMatrixDeterminant", producer=6)
    code, model, output = _convert(tmp_path / "old.pb", tmp_path / "out")
    assert code == 0, output
    assert model["parity"]["passed"]
    assert any("Renamed to MatrixDeterminant" in w for w in model["warnings"])


def test_removed_op_without_replacement_is_refused_and_flagged(tmp_path: Path) -> None:
    """BatchSelfAdjointEig (removed at 11) has no drop-in: inspect blocks, convert exits 2."""
    _old_graph(tmp_path / "old.pb", "BatchSelfAdjointEig", producer=6)
    findings = legacy_ops.scan(graph_pb2.GraphDef.FromString((tmp_path / "old.pb").read_bytes()))
    assert [(f.op, f.handled) for f in findings] == [("BatchSelfAdjointEig", False)]
    code, _, output = _convert(tmp_path / "old.pb", tmp_path / "out")
    assert code == 2 and "BatchSelfAdjointEig" in output
    assert not (tmp_path / "out").exists()
    inspected = runner.invoke(app, ["inspect", str(tmp_path / "old.pb"), "--json"])
    verdict = json.loads(inspected.stdout)["models"][0]["verdict"]
    assert verdict["status"] == "blocked"


def test_rank_two_reduction_axis_is_flattened_with_parity(tmp_path: Path) -> None:
    """Below GraphDef 20 `Sum` took a [[1]] axis; today only a vector: flattened, same result."""
    graph = graph_pb2.GraphDef()
    graph.versions.producer = 12
    x = graph.node.add(name="x", op="Placeholder")
    x.attr["dtype"].type = 1
    for size in (-1, 3):
        x.attr["shape"].shape.dim.add(size=size)
    axis = graph.node.add(name="axis", op="Const")
    axis.attr["dtype"].type = 3
    axis.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(np.array([[1]], np.int32)))
    total = graph.node.add(name="sum", op="Sum", input=["x", "axis"])
    total.attr["T"].type, total.attr["Tidx"].type = 1, 3
    graph.node.add(name="output", op="Identity", input=["sum"]).attr["T"].type = 1
    (tmp_path / "old.pb").write_bytes(graph.SerializeToString())
    code, model, output = _convert(tmp_path / "old.pb", tmp_path / "out")
    assert code == 0, output
    assert model["parity"]["passed"]
    assert any("Sum 'sum': axis 'axis' has rank 2" in w for w in model["warnings"])
