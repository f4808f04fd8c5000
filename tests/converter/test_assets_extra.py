"""TF Serving's `assets.extra/` survives conversion, and its warmup requests join the parity
check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import tensorflow as tf
from typer.testing import CliRunner

from migrate.cli import app
from migrate.parity.warmup import WARMUP_FILE, encode_predict

runner = CliRunner()


def _with_warmup(corpus_dir: Path, tmp_path: Path, records: list[bytes]) -> Path:
    model = tmp_path / "model"
    shutil.copytree(corpus_dir / "linear_ref" / "saved_model", model)
    (model / WARMUP_FILE).parent.mkdir()
    with tf.io.TFRecordWriter(str(model / WARMUP_FILE)) as writer:
        for record in records:
            writer.write(record)
    return model


def test_warmup_file_is_copied_and_checked(corpus_dir: Path, tmp_path: Path) -> None:
    """The converted version dir has the same warmup bytes; parity ran those requests as steps."""
    x = np.full([2, 3], 1000.0, np.float32)
    model = _with_warmup(corpus_dir, tmp_path, [encode_predict("serving_default", {"x": x})])
    result = runner.invoke(
        app, ["convert", str(model), str(tmp_path / "out"), "--report", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / WARMUP_FILE).read_bytes() == (model / WARMUP_FILE).read_bytes()
    report = json.loads((tmp_path / "r.json").read_text())["models"][0]
    warmup_steps = [o for o in report["parity"]["outputs"] if o["step"] is not None]
    assert warmup_steps and warmup_steps[0]["shape"][0] == 2
    assert any("warmup request" in w for w in report["warnings"])


def test_malformed_warmup_is_copied_but_not_used(corpus_dir: Path, tmp_path: Path) -> None:
    """A broken warmup file is the user's to fix: conversion warns, still converts, still copies
    it."""
    model = _with_warmup(corpus_dir, tmp_path, [])
    (model / WARMUP_FILE).write_bytes(b"\x05\x00truncated")
    result = runner.invoke(
        app, ["convert", str(model), str(tmp_path / "out"), "--report", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())["models"][0]
    assert any("ignored the warmup file" in w for w in report["warnings"])
    assert (tmp_path / "out" / WARMUP_FILE).is_file()
