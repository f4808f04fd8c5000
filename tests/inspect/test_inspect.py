"""`tf-migrate inspect`: the facts for real TF1 models and every corpus form; JSON matches its
schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "inspect.schema.json").read_text()
)


def _inspect(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["inspect", *args, "--json"])
    report = (
        json.loads(result.stdout)
        if result.exit_code in (0, 2) and result.stdout.startswith("{")
        else {}
    )
    if report:
        jsonschema.validate(report, SCHEMA)
    return result.exit_code, report


def _by_path(report: dict[str, Any], suffix: str) -> dict[str, Any]:
    return next(m for m in report["models"] if m["path"].endswith(suffix))


@pytest.fixture(scope="module")
def shared_report(shared_models: Path) -> dict[str, Any]:
    code, report = _inspect(str(shared_models))
    assert code == 0
    return report


def test_every_real_model_is_listed_with_its_facts(shared_report: dict[str, Any]) -> None:
    assert shared_report["searched_tree"] and shared_report["inventory"]["models"] == 6
    assert shared_report["inventory"]["by_format"] == {
        "checkpoint": 1,
        "frozen_graph": 1,
        "saved_model": 4,
    }
    half = _by_path(shared_report, "saved_model_half_plus_two_cpu/00000123")
    assert half["version"] == "00000123" and half["written_by"]["tensorflow_version"] == "1.14.0"
    graph = half["graphs"][0]
    assert graph["tags"] == ["serve"]
    methods = {s["key"]: s["method_name"] for s in graph["signatures"]}
    assert methods["classify_x_to_y"] == "tensorflow/serving/classify" and methods[
        "serving_default"
    ].endswith("predict")
    x = next(s for s in graph["signatures"] if s["key"] == "serving_default")["inputs"]["x"]
    assert x == {"dtype": "float32", "shape": [-1, 1], "name": "x:0"}
    assert graph["variables"]["ref"] == 6 and graph["variables"]["trainable"] == 5
    assert graph["assets"] == [{"filename": "foo.txt", "tensor": "Const:0"}]
    assert graph["initializers"][0]["kind"] == "main_op"
    assert half["checkpoint"]["index"] and half["checkpoint"]["missing_shards"] == []
    assert half["verdict"]["status"] == "ready"


def test_stateful_counter_tf2_model_and_other_formats(shared_report: dict[str, Any]) -> None:
    counter = _by_path(shared_report, "saved_model_counter/00000123")
    stateful = {s["key"]: s["stateful_ops"] for s in counter["graphs"][0]["signatures"]}
    assert stateful["incr_counter"] == ["AssignAdd"] and stateful["get_counter"] == []
    assert any("--sequence" in note for note in counter["verdict"]["attention"])
    tf2 = _by_path(shared_report, "saved_model_half_plus_two_tf2_cpu/00000123")
    assert (
        tf2["written_by"]["tensorflow_version"] == "2.14.0"
        and tf2["graphs"][0]["variables"]["resource"] == 4
    )
    assert any("already a TF2 model" in note for note in tf2["verdict"]["attention"])
    meta = _by_path(shared_report, "checkpoint/model.meta")
    assert meta["format"] == "checkpoint" and meta["checkpoint"]["prefix"].endswith(
        "checkpoint/model"
    )
    assert meta["graphs"][0]["variables"]["ref"] == 2
    frozen = _by_path(shared_report, "graphdef/frozen.pb")
    assert (
        frozen["graphs"][0]["variables"]["count"] == 0 and frozen["graphs"][0]["constant_bytes"] > 0
    )


def test_corpus_tree_inventory_and_verdicts(corpus_dir: Path) -> None:
    code, report = _inspect(str(corpus_dir))
    assert code == 0 and report["errors"] == []
    inventory = report["inventory"]
    assert inventory["by_format"]["saved_model"] == len(
        [p for p in corpus_dir.iterdir() if (p / "saved_model").is_dir()]
    )
    assert inventory["with_several_tag_sets"] == 1 and inventory["with_device_pins"] >= 1
    assert inventory["unsafe"] == 4  # hostile_writefile in 3 forms + the escaping asset
    two = _by_path(report, "two_tag_sets/saved_model")
    assert two["tag_sets"] == [["serve"], ["gpu", "serve"]] and any(
        "--tags" in a for a in two["verdict"]["attention"]
    )
    pinned = _by_path(report, "gpu_pinned/saved_model")
    assert any("GPU" in device for device in pinned["graphs"][0]["devices"])
    writefile = _by_path(report, "hostile_writefile/saved_model")
    assert (
        writefile["verdict"]["status"] == "blocked"
        and "--allow-op WriteFile" in writefile["verdict"]["blocked"][0]
    )
    asset = _by_path(report, "hostile_asset_path/saved_model")
    assert (
        asset["paths"][0]["path_in_model"] == "../../etc/passwd"
        and asset["verdict"]["status"] == "blocked"
    )
    assert _by_path(report, "linear_ref/saved_model")["verdict"]["status"] == "ready"


def test_serving_base_lists_every_version(corpus_dir: Path, tmp_path: Path) -> None:
    for version in ("1", "20"):
        shutil.copytree(corpus_dir / "linear_ref" / "saved_model", tmp_path / "base" / version)
    code, report = _inspect(str(tmp_path / "base"))
    assert code == 0 and [m["version"] for m in report["models"]] == ["1", "20"]
    assert not report["searched_tree"] and report["models"][0]["serving_base"] == str(
        tmp_path / "base"
    )


def test_unknown_ops_and_missing_shards_block(corpus_dir: Path, tmp_path: Path) -> None:
    from tensorflow.core.protobuf import saved_model_pb2

    model = tmp_path / "m"
    shutil.copytree(corpus_dir / "linear_ref" / "saved_model", model)
    proto = saved_model_pb2.SavedModel.FromString((model / "saved_model.pb").read_bytes())
    proto.meta_graphs[0].graph_def.node.add(name="gone", op="ContribOpRemovedInTF2")
    (model / "saved_model.pb").write_bytes(proto.SerializeToString())
    next((model / "variables").glob("variables.data-*")).unlink()
    code, report = _inspect(str(model))
    blocked = " ".join(report["models"][0]["verdict"]["blocked"])
    assert (
        code == 0 and "ContribOpRemovedInTF2" in blocked and "variables.data-00000-of-" in blocked
    )
    assert report["models"][0]["graphs"][0]["unknown_ops"] == ["ContribOpRemovedInTF2"]


def test_the_table_and_bad_input(corpus_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["inspect", str(corpus_dir / "vocab_table" / "saved_model")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0 and "saved model" in result.output and "ready" in result.output
    assert "serving_default (predict)" in result.output and "copy assets" in result.output
    result = runner.invoke(app, ["inspect", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "does not exist" in result.output
    (tmp_path / "x.pb").write_bytes(b"\xff" * 10)
    result = runner.invoke(app, ["inspect", str(tmp_path / "x.pb")])
    assert result.exit_code == 2 and "not a valid GraphDef" in result.output


def test_saved_model_over_2gib_is_refused_without_reading_it(tmp_path: Path) -> None:
    model = tmp_path / "big"
    model.mkdir()
    with open(model / "saved_model.pb", "wb") as handle:  # sparse file: no disk used
        handle.truncate(2**31 + 10)
    result = runner.invoke(app, ["inspect", str(model)])
    assert (
        result.exit_code == 2
        and "over the 2.00 GiB limit" in result.output
        and "checkpoint instead of graph constants" in " ".join(result.output.split())
    )
