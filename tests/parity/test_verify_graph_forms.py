"""`verify` with a `.meta` + checkpoint or frozen GraphDef as the TF1 reference."""

from __future__ import annotations

from pathlib import Path

import pytest
import tensorflow as tf
from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()
SIGNATURE = ["--signature", "serving_default:X->pred"]


@pytest.fixture(scope="module")
def converted(shared_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify_forms") / "tf2"
    result = runner.invoke(
        app,
        [
            "convert",
            str(shared_models / "tf2onnx_regression" / "checkpoint"),
            str(out),
            *SIGNATURE,
            "--no-verify",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(
    "reference", ["checkpoint", "checkpoint/model.meta", "checkpoint/model", "graphdef/frozen.pb"]
)
def test_graph_form_reference_passes(shared_models: Path, converted: Path, reference: str) -> None:
    """The TF1 Session run of each form (restored by its Saver, or constants) matches TF2."""
    result = runner.invoke(
        app,
        [
            "verify",
            str(shared_models / "tf2onnx_regression" / reference),
            str(converted),
            *SIGNATURE,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "PASSED: 1 output(s) compared" in result.output


def test_graph_form_reference_catches_a_changed_weight(
    shared_models: Path, converted: Path, tmp_path: Path
) -> None:
    """Bump W in the TF2 model: the frozen-graph reference must now disagree (exit 1)."""
    model = tf.saved_model.load(str(converted))
    weight = next(v for v in model.trainable_variables if v.name == "W:0")
    weight.assign_add(tf.ones_like(weight) * 0.5)
    tf.saved_model.save(model, str(tmp_path / "bumped"), signatures=dict(model.signatures))
    result = runner.invoke(
        app,
        [
            "verify",
            str(shared_models / "tf2onnx_regression" / "graphdef" / "frozen.pb"),
            str(tmp_path / "bumped"),
            *SIGNATURE,
        ],
    )
    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output


def test_graph_form_reference_builds_its_only_signature(
    shared_models: Path, converted: Path
) -> None:
    """Issue 17: one sensible sink (`pred`) and one placeholder: the signature X->pred is built."""
    result = runner.invoke(
        app,
        [
            "verify",
            str(shared_models / "tf2onnx_regression" / "graphdef" / "frozen.pb"),
            str(converted),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output


def test_definitions_for_a_saved_model_reference_are_refused(
    shared_models: Path, converted: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "verify",
            str(shared_models / "tf2onnx_regression" / "saved_model"),
            str(converted),
            *SIGNATURE,
        ],
    )
    assert result.exit_code == 2
    assert "--signature KEY" in result.output.replace("\n", " ")
