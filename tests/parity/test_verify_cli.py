"""`tf-migrate verify` as a CI gate on real graphs: pass, perturbation, sequences, reports,
devices."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "parity_report.schema.json").read_text()
)


@pytest.fixture(scope="module")
def converted(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("converted")
    paths = {}
    for case in ("linear_ref", "counter", "classify_regress"):
        result = runner.invoke(
            app, ["convert", str(corpus_dir / case / "saved_model"), str(out / case), "--no-verify"]
        )
        assert result.exit_code == 0, result.output
        paths[case] = out / case
    return paths


def _altered_copy(model: Path, dst: Path, variable: str, change: float) -> Path:
    """The same TF2 model with one variable shifted by `change`, saved anew."""
    import tensorflow as tf

    loaded = tf.saved_model.load(str(model))
    target = next(v for v in loaded.variables if v.name.startswith(variable))
    target.assign_add(tf.fill(target.shape, tf.cast(change, target.dtype)))
    tf.saved_model.save(loaded, str(dst), signatures=dict(loaded.signatures))
    return dst


def test_tf1_vs_its_conversion_passes_and_lists_every_output(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    report = tmp_path / "r.json"
    junit = tmp_path / "r.xml"
    result = runner.invoke(
        app,
        [
            "verify",
            str(corpus_dir / "classify_regress" / "saved_model"),
            str(converted["classify_regress"]),
            "--json",
            str(report),
            "--junit",
            str(junit),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output
    data = json.loads(report.read_text())
    jsonschema.validate(data, SCHEMA)
    tf1_outputs = json.loads((corpus_dir / "classify_regress" / "case.json").read_text())[
        "signatures"
    ]
    expected = sorted((key, out) for key, sig in tf1_outputs.items() for out in sig["outputs"])
    assert sorted((o["signature"], o["output"]) for o in data["outputs"]) == expected
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "0" and len(suite.findall("testcase")) == len(expected)


def test_perturbed_variable_fails_with_numbers_then_passes_with_atol(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    candidate = _altered_copy(converted["linear_ref"], tmp_path / "perturbed", "b", 1e-3)
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    reference = str(corpus_dir / "linear_ref" / "saved_model")
    result = runner.invoke(
        app, ["verify", reference, str(candidate), "--json", str(report), "--junit", str(junit)]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(report.read_text())
    jsonschema.validate(data, SCHEMA)
    failed = [o for o in data["outputs"] if not o["passed"]]
    assert [(o["signature"], o["output"]) for o in failed] == [("serving_default", "y")]
    assert failed[0]["max_abs_error"] == pytest.approx(1e-3, rel=0.05)
    failures = ET.parse(junit).getroot().findall("testcase/failure")
    assert len(failures) == 1 and "max abs error" in failures[0].get("message")
    assert (
        runner.invoke(app, ["verify", reference, str(candidate), "--atol", "0.01"]).exit_code == 0
    )
    assert (
        runner.invoke(app, ["verify", reference, str(candidate), "--tol", "y=0.01:0"]).exit_code
        == 0
    )


def test_nothing_shared_is_a_failure(corpus_dir: Path, converted: dict[str, Path]) -> None:
    result = runner.invoke(
        app, ["verify", str(corpus_dir / "linear_ref" / "saved_model"), str(converted["counter"])]
    )
    assert result.exit_code == 1
    assert "nothing was compared" in result.output


def test_counter_sequence_passes_and_catches_altered_state(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    case = json.loads((corpus_dir / "counter" / "case.json").read_text())
    sequence = tmp_path / "calls.json"
    sequence.write_text(json.dumps(case["sequence"]))
    reference = str(corpus_dir / "counter" / "saved_model")
    ok = runner.invoke(
        app, ["verify", reference, str(converted["counter"]), "--sequence", str(sequence)]
    )
    assert ok.exit_code == 0, ok.output
    altered = _altered_copy(converted["counter"], tmp_path / "altered", "counter", 1.0)
    bad = runner.invoke(app, ["verify", reference, str(altered), "--sequence", str(sequence)])
    assert bad.exit_code == 1, bad.output


def test_devices(corpus_dir: Path, converted: dict[str, Path]) -> None:
    """cpu runs and is recorded; a GPU that is not there is an error (exit 2), not a CPU run."""
    import tensorflow as tf

    from migrate.converter.verification import verify_paths
    from migrate.parity.gate import ParityOptions

    report = verify_paths(
        corpus_dir / "linear_ref" / "saved_model",
        converted["linear_ref"],
        ParityOptions(),
        "cpu",
        "cpu:0",
    )
    assert report.passed and report.reference_device == report.candidate_device == "/device:CPU:0"
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("a GPU is present: the no-GPU error path cannot be shown here")
    result = runner.invoke(
        app,
        [
            "verify",
            str(corpus_dir / "linear_ref" / "saved_model"),
            str(converted["linear_ref"]),
            "--candidate-device",
            "gpu",
        ],
    )
    assert result.exit_code == 2 and "GPU" in result.output
    assert runner.invoke(app, ["verify", "a", "b", "--candidate-device", "tpu"]).exit_code == 2


def test_inputs_round_trip_through_npz(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    saved = tmp_path / "inputs.npz"
    reference = str(corpus_dir / "linear_ref" / "saved_model")
    assert (
        runner.invoke(
            app,
            [
                "verify",
                reference,
                str(converted["linear_ref"]),
                "--save-inputs",
                str(saved),
                "--seed",
                "7",
            ],
        ).exit_code
        == 0
    )
    report = tmp_path / "r.json"
    assert (
        runner.invoke(
            app,
            [
                "verify",
                reference,
                str(converted["linear_ref"]),
                "--load-inputs",
                str(saved),
                "--json",
                str(report),
            ],
        ).exit_code
        == 0
    )
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    bad = runner.invoke(
        app,
        ["verify", reference, str(converted["linear_ref"]), "--inputs", str(tmp_path / "bad.npz")],
    )
    assert bad.exit_code == 2 and "bad.npz" in bad.output


def test_input_examples_json_feeds_parsing_signatures(
    corpus_dir: Path, converted: dict[str, Path], tmp_path: Path
) -> None:
    """saved_model_cli-style tf.Example JSON drives the tf.Example inputs; garbage JSON: exit 2."""
    examples = tmp_path / "examples.json"
    examples.write_text(
        json.dumps({"inputs": [{"x": [1.0, 2.0]}, {"x": [3.0, -1.0]}, {"x": [0.5, 0.5]}]})
    )
    reference = str(corpus_dir / "classify_regress" / "saved_model")
    report = tmp_path / "r.json"
    result = runner.invoke(
        app,
        [
            "verify",
            reference,
            str(converted["classify_regress"]),
            "--input-examples",
            str(examples),
            "--signature",
            "regress",
            "--json",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    shapes = {o["output"]: o["shape"] for o in json.loads(report.read_text())["outputs"]}
    assert shapes and all(
        shape[0] == 3 for shape in shapes.values()
    )  # three user examples, not the batch of 2
    (tmp_path / "bad.json").write_text("{not json")
    bad = runner.invoke(
        app,
        [
            "verify",
            reference,
            str(converted["classify_regress"]),
            "--input-examples",
            str(tmp_path / "bad.json"),
        ],
    )
    assert bad.exit_code == 2 and "bad.json" in bad.output
