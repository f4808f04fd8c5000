"""Issue 17 parity special cases on tiny hand-built TF1 graphs: non-determinism, inputs both
sides reject, shapes inferred from consumers, and the table row that explains each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from typer.testing import CliRunner

from migrate.cli import app
from migrate.parity import input_shapes, randomness
from migrate.parity.specs import SignatureSpec, TensorSpec

runner = CliRunner()
v1 = tf.compat.v1


def _frozen(path: Path, build: Callable[[], None]) -> Path:
    graph = tf.Graph()
    with graph.as_default():
        build()
    path.write_bytes(graph.as_graph_def().SerializeToString())
    return path


def _convert(src: Path, dst: Path, signature: str) -> tuple[int, dict[str, Any], str]:
    report = dst.parent / "report.json"
    args = ["convert", str(src), str(dst), "--signature", signature, "--report", str(report)]
    result = runner.invoke(app, args)
    data = json.loads(report.read_text())["models"][0] if report.exists() else {}
    return result.exit_code, data, " ".join(result.output.split())


def test_unseeded_random_output_is_compared_by_distribution(tmp_path: Path) -> None:
    """x + uniform noise with no seed: exact values differ, so parity compares mean/std, exit 0."""

    def build() -> None:
        x = v1.placeholder(tf.float32, [None, 64], name="x")
        tf.identity(x + v1.random_uniform(tf.shape(x)), name="noisy")

    src = _frozen(tmp_path / "noise.pb", build)
    code, model, output = _convert(src, tmp_path / "out", "serving_default:x->noisy")
    assert code == 0, output
    (result,) = model["parity"]["outputs"]
    assert result["passed"] and result["reason"].startswith("non-deterministic")
    assert result["max_abs_error"] > 0  # the draws really differ
    kinds = {c["kind"] for c in model["parity"]["special_cases"]}
    assert "nondeterministic" in kinds


def test_distribution_check_still_catches_a_different_law() -> None:
    rng = np.random.default_rng(0)
    same, _ = randomness.distribution_matches(rng.uniform(size=500), rng.uniform(size=500), 1e-5)
    moved, stats = randomness.distribution_matches(
        rng.uniform(size=500), rng.uniform(5, 6, size=500), 1e-5
    )
    assert same and not moved and "mean" in stats


def test_input_both_sides_reject_is_not_a_mismatch(tmp_path: Path) -> None:
    """An assertion no generated input meets fails on both sides: said so, nothing mismatched."""

    def build() -> None:
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        check = v1.Assert(tf.reduce_all(x > 100.0), [x], name="needs_large_x")
        with tf.control_dependencies([check]):
            tf.identity(x, name="y")

    src = _frozen(tmp_path / "reject.pb", build)
    code, model, output = _convert(src, tmp_path / "out", "serving_default:x->y")
    assert code == 1, output
    parity = model["parity"] if model else {}
    assert "both sides reject" in output
    assert not (tmp_path / "out").exists()
    if parity:
        assert parity["outputs"] == []
        assert [c["kind"] for c in parity["special_cases"]] == ["both_sides_reject"]


def test_verify_table_explains_the_batch_retry(tmp_path: Path) -> None:
    """verify prints a `special cases` table row and writes the JSON field."""

    def build() -> None:
        x = v1.placeholder(tf.float32, [None, 1], name="x")
        tf.identity(x + tf.ones([1, 10, 10, 1]), name="y")

    src = _frozen(tmp_path / "fixed.pb", build)
    code, _, output = _convert(src, tmp_path / "out", "serving_default:x->y")
    assert code == 0, output
    result = runner.invoke(
        app,
        [
            "verify",
            str(src),
            str(tmp_path / "out"),
            "--signature",
            "serving_default:x->y",
            "--json",
            str(tmp_path / "v.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "special cases" in result.output and "batch_retry" in result.output
    cases = json.loads((tmp_path / "v.json").read_text())["special_cases"]
    assert cases[0]["kind"] == "batch_retry" and "batch 1" in cases[0]["detail"]


def test_shapes_inferred_from_reshape_matmul_and_strided_slice() -> None:
    graph = tf.Graph()
    with graph.as_default():
        a = v1.placeholder(tf.float32, None, name="a")
        tf.reshape(a, [-1, 4, 3])
        b = v1.placeholder(tf.float32, None, name="b")
        tf.matmul(b, tf.ones([5, 2]))
        c = v1.placeholder(tf.float32, None, name="c")
        _ = c[:, 6, 1:3]
    facts = input_shapes.ShapeFacts(graph.as_graph_def())
    assert facts.infer("a:0") == (None, 4, 3)
    assert facts.infer("b:0") == (None, 5)
    assert facts.infer("c:0") == (None, 7, 3)
    spec = SignatureSpec("s", "", {"a": TensorSpec("a:0", "float32", None)})
    refined, notes = input_shapes.refine(spec, facts)
    assert refined.inputs["a"].shape == (None, 4, 3) and "(batch, 4, 3)" in notes[0]
