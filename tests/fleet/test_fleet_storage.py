"""The fleet on a non-local TF filesystem (ram://), and the recovery of an interrupted publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.fleet import storage
from migrate.fleet.process import FleetConfig
from migrate.fleet.records import Store

tf = pytest.importorskip("tensorflow")


def test_ram_source_and_destination_end_to_end(corpus_dir: Path, tmp_path: Path) -> None:
    """Models read from ram:// and written to ram://: converted one loads, refused one is absent."""
    pytest.importorskip("apache_beam", reason="tf-migrate[fleet] is not installed")
    from migrate.fleet.run import run_fleet  # noqa: PLC0415 - imports Beam

    source, out = "ram://fleet-src", "ram://fleet-out"
    storage.copy_tree(str(corpus_dir / "linear_ref" / "saved_model"), f"{source}/linear")
    storage.copy_tree(str(corpus_dir / "hostile_writefile" / "saved_model"), f"{source}/hostile")
    config = FleetConfig(out_root=out, run_id="", timeout=600)
    # ram:// lives in this process's memory, so the Beam workers must be in-process too.
    summary = run_fleet([source], config, beam_args=["--direct_running_mode=in_memory"])
    got = {r["relative"]: (r["verdict"], r["cause"]) for r in summary["results"]}
    assert got == {"linear": ("converted", None), "hostile": ("refused", "scan")}
    assert tf.io.gfile.exists(f"{out}/linear/saved_model.pb")
    assert not tf.io.gfile.exists(f"{out}/hostile")
    lines = storage.read_text(f"{out}/_fleet/results.jsonl") or ""
    assert {json.loads(line)["relative"] for line in lines.splitlines()} == {"linear", "hostile"}
    local = tmp_path / "linear"
    storage.copy_tree(f"{out}/linear", str(local))
    loaded = tf.saved_model.load(str(local))
    y = loaded.signatures["serving_default"](x=tf.ones([1, 3]))
    assert set(y) == {"y"}
    again = run_fleet([source], config, beam_args=["--direct_running_mode=in_memory"])
    assert (again["ran"], again["skipped"]) == (0, 2)


@pytest.mark.parametrize("root", ["ram://recover", "local"])
def test_interrupted_publish_is_removed_and_finished_one_kept(root: str, tmp_path: Path) -> None:
    """An intent marker without its record means half-written: the next run deletes that model."""
    out = str(tmp_path / "out") if root == "local" else root
    store = Store(out)
    half, done = storage.join(out, "half"), storage.join(out, "done")
    for destination, key in ((half, "k1"), (done, "k2")):
        storage.write_text(storage.join(destination, "saved_model.pb"), "partial")
        storage.write_text(store.path("publishing", key), destination)
    store.write({"key": "k2", "relative": "done", "verdict": "converted"})
    assert store.recover() == [half]
    assert not tf.io.gfile.exists(half)
    assert tf.io.gfile.exists(storage.join(done, "saved_model.pb"))
    assert storage.listdir(store.path("publishing")) == []


def test_publish_to_ram_copies_every_file(tmp_path: Path) -> None:
    """ram:// has no directory rename: publish copies each object under the final prefix."""
    model = tmp_path / "model"
    (model / "variables").mkdir(parents=True)
    (model / "saved_model.pb").write_bytes(b"pb")
    (model / "variables" / "variables.index").write_bytes(b"ix")
    store = Store("ram://publish")
    destination = "ram://publish/a/b"
    storage.publish(str(model), destination, store.path("publishing", "k"), store.path("staging"))
    assert storage.read_text(f"{destination}/variables/variables.index") == "ix"
    assert storage.digest(str(model)) == storage.digest(destination)
