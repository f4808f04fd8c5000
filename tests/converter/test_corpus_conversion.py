"""Every corpus/models case converts with parity, for every tag-set it was written with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.models import CASES
from migrate.cli import app

runner = CliRunner()


BENIGN = [name for name, case in CASES.items() if "hostile" not in dict(case.extra)]


@pytest.mark.parametrize("case", BENIGN)
def test_corpus_case_converts_with_parity(case: str, corpus_dir: Path, tmp_path: Path) -> None:
    """Convert each tag-set; parity passes and the trainable set is the TF1 trainable set."""
    spec = json.loads((corpus_dir / case / "case.json").read_text())
    for index, tags in enumerate(spec["tags"]):
        report_path = tmp_path / f"report{index}.json"
        args = [
            "convert",
            str(corpus_dir / case / "saved_model"),
            str(tmp_path / f"out{index}"),
            "--tags",
            ",".join(tags),
            "--report",
            str(report_path),
        ]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        report = json.loads(report_path.read_text())["models"][0]
        assert report["parity"]["passed"], report["parity"]
        assert report["parity"]["compared"] >= 1
        trainable = sorted(v["name"] for v in report["variables"] if v["trainable"])
        assert trainable == sorted(spec["trainable_variables"])
        if spec["stateful"]:
            sequence = tmp_path / "sequence.json"
            sequence.write_text(json.dumps(spec["sequence"]))
            verified = runner.invoke(
                app,
                [
                    "verify",
                    str(corpus_dir / case / "saved_model"),
                    str(tmp_path / f"out{index}"),
                    "--sequence",
                    str(sequence),
                ],
            )
            assert verified.exit_code == 0, verified.output


def test_gpu_pin_is_reported_and_cleared(corpus_dir: Path, tmp_path: Path) -> None:
    """A hard /device:GPU:0 pin does not stop the model running on this CPU-only machine."""
    result = runner.invoke(
        app,
        [
            "convert",
            str(corpus_dir / "gpu_pinned" / "saved_model"),
            str(tmp_path / "o"),
            "--report",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    warnings = json.loads((tmp_path / "r.json").read_text())["models"][0]["warnings"]
    assert any("GPU" in warning for warning in warnings)


def test_vocab_table_survives_deleting_the_source(corpus_dir: Path, tmp_path: Path) -> None:
    """Assets are copied: the table initializes in a fresh process after the source is gone."""
    import shutil

    from tests.conftest import run_python

    src = tmp_path / "src"
    shutil.copytree(corpus_dir / "vocab_table" / "saved_model", src)
    out = tmp_path / "out"
    assert runner.invoke(app, ["convert", str(src), str(out)]).exit_code == 0
    shutil.rmtree(src)
    code = (
        "import sys, tensorflow as tf\n"
        "m = tf.saved_model.load(sys.argv[1]); fn = m.signatures['serving_default']\n"
        "key = sorted(fn.structured_input_signature[1])[0]\n"
        "print(sorted(fn(**{key: tf.constant(['zzz-unknown-token'])}).keys()))\n"
    )
    proc = run_python(code, str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "assets").is_dir() and any((out / "assets").iterdir())


def test_serving_base_newest_or_all_versions(corpus_dir: Path, tmp_path: Path) -> None:
    """A TF Serving base converts its newest version, or every version with --all-versions."""
    import shutil

    base = tmp_path / "base"
    for version in ("7", "12"):
        shutil.copytree(corpus_dir / "linear_ref" / "saved_model", base / version)
    (base / "notes").mkdir()  # not a version: ignored
    newest = runner.invoke(app, ["convert", str(base), str(tmp_path / "newest"), "--no-verify"])
    assert newest.exit_code == 0, newest.output
    assert sorted(p.name for p in (tmp_path / "newest").iterdir()) == ["12"]
    every = runner.invoke(
        app, ["convert", str(base), str(tmp_path / "all"), "--all-versions", "--no-verify"]
    )
    assert every.exit_code == 0, every.output
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["12", "7"]
    assert (tmp_path / "all" / "7" / "saved_model.pb").is_file()
