"""Estimator exports written by TF 2.15 (committed fixtures) convert to TF2 with parity.

`tf.estimator` is gone from the project's TensorFlow, so these tests read the small exports
that `corpus/models/estimator/make_fixtures.py` wrote once under TF 2.15 + tensorflow-estimator,
and compare the converted models with the `manifest.json` written beside each of them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from tensorflow.core.protobuf import saved_model_pb2
from typer.testing import CliRunner

from migrate.cli import app
from tests.conftest import ROOT, run_python

ESTIMATOR = ROOT / "corpus" / "models" / "estimator"
FIXTURES = ("linear_classifier", "dnn_classifier", "custom_two_heads")
CODE_CASES = sorted(
    p for p in (ROOT / "corpus" / "code").glob("*/estimator_*") if (p / "tf215_export").is_dir()
)
runner = CliRunner()


def manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "manifest.json").read_text())


def convert(src: Path, dst: Path, *extra: str) -> list[dict[str, Any]]:
    """`tf-migrate convert` (verify on, the default); returns the per-version report entries."""
    report = dst.parent / f"{dst.name}.report.json"
    result = runner.invoke(app, ["convert", str(src), str(dst), "--report", str(report), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(report.read_text())["models"]


def written_signatures(model_dir: Path) -> dict[str, Any]:
    """The SignatureDefs as written to disk (what TF Serving reads), not as a loader reports
    them."""
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((model_dir / "saved_model.pb").read_bytes())
    (meta,) = proto.meta_graphs
    return {key: sig for key, sig in meta.signature_def.items() if not key.startswith("__")}


LOAD_IN_FRESH_PROCESS = """
import json, sys, tensorflow as tf
result = {}
for path in sys.argv[1:]:
    m = tf.saved_model.load(path)
    result[path] = {
        "variables": {
            v.name.split(":")[0]: v.numpy().tolist() if v.shape.rank == 0 else None
            for v in m.variables
        },
        "trainable_flags": {v.name.split(":")[0]: bool(v.trainable) for v in m.variables},
        "trainable_variables": sorted(v.name.split(":")[0] for v in m.trainable_variables),
        "signatures": sorted(m.signatures),
    }
print(json.dumps(result))
"""


def load_in_fresh_process(*paths: Path) -> dict[str, Any]:
    proc = run_python(LOAD_IN_FRESH_PROCESS, *map(str, paths))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def converted(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Path, list[dict[str, Any]]]]:
    """Each fixture's export base converted once, with its default version choice (newest)."""
    out = tmp_path_factory.mktemp("estimator")
    sources = {name: ESTIMATOR / name / "export" for name in FIXTURES}
    # An export Estimator was killed in the middle of: it leaves a newer "temp-<timestamp>" dir.
    sources["linear_classifier"] = out / "linear_base"
    shutil.copytree(ESTIMATOR / "linear_classifier" / "export", sources["linear_classifier"])
    (sources["linear_classifier"] / "temp-1600001200" / "variables").mkdir(parents=True)
    return {name: (out / name, convert(sources[name], out / name)) for name in FIXTURES}


def test_fixtures_are_committed_and_small() -> None:
    """The committed exports exist, say which TF wrote them, and stay small."""
    written = sorted(p.parent.name for p in ESTIMATOR.glob("*/manifest.json"))
    assert written == sorted((*FIXTURES, "custom_all_modes"))
    for name in written:
        spec = manifest(ESTIMATOR / name)
        assert spec["written_by"]["tensorflow"].startswith("2.15.")
        assert spec["global_step"]["present"] and not spec["global_step"]["trainable"]
        size = sum(p.stat().st_size for p in (ESTIMATOR / name).rglob("*") if p.is_file())
        assert size < 200_000, f"{name}: {size} bytes"
    assert len(manifest(ESTIMATOR / "linear_classifier")["versions"]) == 2


@pytest.mark.parametrize("name", FIXTURES)
def test_newest_timestamp_converts_with_parity(name: str, converted: dict[str, Any]) -> None:
    """Only the newest complete timestamped export is converted by default; every output matches
    TF1."""
    spec = manifest(ESTIMATOR / name)
    out, reports = converted[name]
    assert [p.name for p in out.iterdir()] == [spec["newest"]]
    (report,) = reports
    assert report["parity"]["passed"], report["parity"]
    expected_outputs = sum(len(sig["outputs"]) for sig in spec["signatures"].values())
    assert report["parity"]["compared"] == expected_outputs
    assert {s["key"] for s in report["signatures"]} == set(spec["signatures"])


@pytest.mark.parametrize("name", FIXTURES)
def test_method_names_preserved_one_signature_per_head(
    name: str, converted: dict[str, Any]
) -> None:
    """saved_model.pb keeps classify/regress method names and one SignatureDef per export head."""
    spec = manifest(ESTIMATOR / name)
    out, _ = converted[name]
    signatures = written_signatures(out / spec["newest"])
    assert {key: sig.method_name for key, sig in signatures.items()} == {
        key: sig["method_name"] for key, sig in spec["signatures"].items()
    }
    for key, sig in spec["signatures"].items():
        assert set(signatures[key].outputs) == set(sig["outputs"]), key
    methods = {sig.method_name for sig in signatures.values()}
    assert "tensorflow/serving/classify" in methods
    if name == "linear_classifier":
        assert "tensorflow/serving/regress" in methods


def test_two_heads_become_two_signatures(converted: dict[str, Any]) -> None:
    """The custom model_fn's two export_outputs heads: classify default + predict, nothing else."""
    out, _ = converted["custom_two_heads"]
    signatures = written_signatures(out / manifest(ESTIMATOR / "custom_two_heads")["newest"])
    assert sorted(signatures) == ["predict", "serving_default"]
    assert signatures["serving_default"].method_name == "tensorflow/serving/classify"
    assert sorted(signatures["serving_default"].outputs) == ["classes", "scores"]
    assert sorted(signatures["predict"].outputs) == ["class_ids", "logits"]


def test_global_step_kept_not_trainable_in_fresh_process(converted: dict[str, Any]) -> None:
    """A new interpreter sees global_step among the variables, with its value, but not as
    trainable."""
    paths = {name: converted[name][0] / manifest(ESTIMATOR / name)["newest"] for name in FIXTURES}
    loaded = load_in_fresh_process(*paths.values())
    for name, path in paths.items():
        spec, model = manifest(ESTIMATOR / name), loaded[str(path)]
        assert model["variables"]["global_step"] == spec["global_step"]["values"][spec["newest"]]
        assert model["trainable_flags"]["global_step"] is False
        assert "global_step" not in model["trainable_variables"]
        expected = sorted(v for v, info in spec["variables"].items() if info["trainable"])
        assert model["trainable_variables"] == expected, name
        assert model["signatures"] == sorted(spec["signatures"])


def test_all_versions_converts_every_timestamp(tmp_path: Path) -> None:
    """--all-versions converts both timestamps, keeps their names, and each has its own weights."""
    spec = manifest(ESTIMATOR / "linear_classifier")
    out = tmp_path / "all"
    reports = convert(ESTIMATOR / "linear_classifier" / "export", out, "--all-versions")
    assert sorted(p.name for p in out.iterdir()) == spec["versions"]
    assert all(report["parity"]["passed"] for report in reports)
    loaded = load_in_fresh_process(*(out / version for version in spec["versions"]))
    steps = {Path(path).name: model["variables"]["global_step"] for path, model in loaded.items()}
    assert steps == spec["global_step"]["values"] == {"1600000000": 10, "1600000600": 20}


def test_code_corpus_has_six_estimator_programs() -> None:
    """Issue 7's fixtures: at least six original Estimator programs with committed exports."""
    assert len(CODE_CASES) >= 6, [p.name for p in CODE_CASES]
    for case in CODE_CASES:
        spec = manifest(case)
        assert spec["written_by"]["tensorflow"].startswith("2.15.")
        assert (case / "before.py").is_file()
        assert (case / "tf215_model_dir" / "checkpoint").is_file()
        assert list((case / "tf215_model_dir").glob(f"{spec['checkpoint']}.index"))
        size = sum(p.stat().st_size for p in case.rglob("*") if p.is_file())
        assert size < 150_000, f"{case.name}: {size} bytes"


@pytest.mark.parametrize("case", CODE_CASES, ids=[p.name for p in CODE_CASES])
def test_code_corpus_checkpoint_holds_the_exported_weights(case: Path) -> None:
    """tf215_model_dir's latest checkpoint has every exported variable with the same value.

    That is what a rewritten program relies on: restoring model_dir by TF1 names gives the model
    the committed export was written from.
    """
    import numpy as np
    import tensorflow as tf

    spec = manifest(case)
    latest = tf.train.latest_checkpoint(str(case / "tf215_model_dir"))
    assert latest is not None and Path(latest).name == spec["checkpoint"]
    exported = str(case / "tf215_export" / spec["newest"] / "variables" / "variables")
    keys = {key for key, _ in tf.train.list_variables(exported)}
    # a partitioned variable's graph node is ".../part_0"; its checkpoint key is the full name
    assert {re.sub(r"/part_\d+$", "", name) for name in spec["variables"]} == keys
    for key in keys:
        np.testing.assert_array_equal(
            tf.train.load_variable(latest, key), tf.train.load_variable(exported, key), err_msg=key
        )


@pytest.mark.parametrize("case", CODE_CASES, ids=[p.name for p in CODE_CASES])
def test_code_corpus_export_converts_with_parity(case: Path, tmp_path: Path) -> None:
    """Each committed export of an original Estimator program is a valid model: it converts with
    parity."""
    spec = manifest(case)
    (report,) = convert(case / "tf215_export", tmp_path / "out")
    assert report["parity"]["passed"], report["parity"]
    assert report["parity"]["compared"] == sum(
        len(sig["outputs"]) for sig in spec["signatures"].values()
    )
    signatures = written_signatures(tmp_path / "out" / spec["newest"])
    assert {k: s.method_name for k, s in signatures.items()} == {
        k: s["method_name"] for k, s in spec["signatures"].items()
    }
    step = next(v for v in report["variables"] if v["name"] == "global_step")
    assert step["trainable"] is False


def test_all_modes_export_needs_tags_and_each_graph_converts(tmp_path: Path) -> None:
    """An all-modes export holds serve, train and eval graphs: no --tags is exit 2 naming them;
    serve converts with parity; train converts and passes verify once labels are in range."""
    spec = manifest(ESTIMATOR / "custom_all_modes")
    base = ESTIMATOR / "custom_all_modes" / "export"
    assert sorted(spec["tag_sets"]) == ["eval", "serve", "train"]
    refused = runner.invoke(app, ["convert", str(base), str(tmp_path / "none")])
    assert refused.exit_code == 2, refused.output
    assert all(tags in refused.output for tags in ("train", "eval", "serve"))
    assert not (tmp_path / "none").exists()

    (served,) = convert(base, tmp_path / "serve", "--tags", "serve")
    assert served["parity"]["passed"] and served["parity"]["compared"] == 4
    written = written_signatures(tmp_path / "serve" / spec["newest"])
    assert {k: s.method_name for k, s in written.items()} == spec["tag_sets"]["serve"]

    convert(base, tmp_path / "train", "--tags", "train", "--no-verify")
    trained = tmp_path / "train" / spec["newest"]
    source = base / spec["newest"]
    verified = runner.invoke(
        app, ["verify", str(source), str(trained), "--tags", "train", "--value-range", "label=0:2"]
    )
    assert verified.exit_code == 0, verified.output
    model = load_in_fresh_process(trained)[str(trained)]
    assert model["trainable_variables"] == ["dense/bias", "dense/kernel"]
    assert model["variables"]["global_step"] == spec["global_step"]["values"][spec["newest"]]


def test_train_graph_needs_label_range_for_parity(tmp_path: Path) -> None:
    """The train MetaGraphDef takes class labels: random ones fail TF's own range check,
    --value-range fixes it."""
    base = ESTIMATOR / "custom_all_modes" / "export"
    runner = CliRunner()
    failed = runner.invoke(app, ["convert", str(base), str(tmp_path / "a"), "--tags", "train"])
    assert failed.exit_code == 1
    assert "outside the valid range" in " ".join(
        failed.output.split()
    )  # TF's cause, not "Graph execution error"
    assert not (tmp_path / "a").exists()
    reports = convert(base, tmp_path / "b", "--tags", "train", "--value-range", "label=0:2")
    assert reports[0]["parity"]["passed"] and reports[0]["parity"]["compared"] >= 1
