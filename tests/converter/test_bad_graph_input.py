"""Broken `.meta`/checkpoint/GraphDef inputs: exit 2, one line naming the file and the fix, nothing
written."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from tests.converter.test_bad_input import _convert_fails

SIGNATURE = ("--signature", "serving_default:x->y")


@pytest.fixture()
def checkpoint(corpus_dir: Path, tmp_path: Path) -> Path:
    """A private copy of linear_ref's .meta + checkpoint directory (placeholder x, output y)."""
    copy = tmp_path / "ckpt"
    shutil.copytree(corpus_dir / "linear_ref" / "checkpoint", copy)
    return copy


def _meta(directory: Path) -> Path:
    return next(directory.glob("*.meta"))


def test_meta_without_its_checkpoint(checkpoint: Path, tmp_path: Path) -> None:
    """A lone .meta whose graph has variables says the checkpoint is missing."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(_meta(checkpoint), alone / "model.ckpt.meta")
    error = _convert_fails(alone / "model.ckpt.meta", tmp_path / "out", *SIGNATURE)
    assert "model.ckpt.meta" in error and "no checkpoint" in error


def test_checkpoint_missing_a_variable(checkpoint: Path, tmp_path: Path) -> None:
    """A checkpoint without `b` names the missing variable instead of a TF stack trace."""
    meta = _meta(checkpoint)
    prefix = checkpoint / "partial"
    tf.raw_ops.SaveV2(
        prefix=str(prefix),
        tensor_names=["W"],
        shape_and_slices=[""],
        tensors=[np.ones([3, 1], np.float32)],
    )
    shutil.copy(meta, checkpoint / "partial.meta")
    error = _convert_fails(prefix, tmp_path / "out", *SIGNATURE)
    assert "lacks variable 'b'" in error


def test_unknown_tensor_name_suggests_closest(checkpoint: Path, tmp_path: Path) -> None:
    """A typo in --signature lists the real names that are closest."""
    error = _convert_fails(checkpoint, tmp_path / "out", "--signature", "serving_default:x->yy")
    assert "no tensor 'yy'" in error and "closest:" in error and " y" in error.split("closest:")[1]


def test_output_index_out_of_range(checkpoint: Path, tmp_path: Path) -> None:
    error = _convert_fails(checkpoint, tmp_path / "out", "--signature", "serving_default:x->y:3")
    assert "has 1 output(s)" in error


@pytest.mark.parametrize("text", ["serving_default", "serving_default:x->", ":x->y", "s:a=->y"])
def test_malformed_signature_flag(checkpoint: Path, tmp_path: Path, text: str) -> None:
    """Definitions need NAME:inputs->outputs; a bare key is a selection, which a .meta has nothing
    to select from."""
    error = _convert_fails(checkpoint, tmp_path / "out", "--signature", text)
    assert "signature" in error


@pytest.mark.parametrize(
    "content", [b"\x00\xff not a protobuf \xfe" * 7, b"node { name: 'x' op: 'Placeholder' }\n"]
)
def test_graph_def_that_is_not_a_graph_def(tmp_path: Path, content: bytes) -> None:
    """Garbage bytes, or text in a binary .pb, is refused by name."""
    bad = tmp_path / "frozen.pb"
    bad.write_bytes(content)
    error = _convert_fails(bad, tmp_path / "out", *SIGNATURE)
    assert "frozen.pb" in error and "GraphDef" in error


def test_saved_model_pb_passed_as_frozen_graph(corpus_dir: Path, tmp_path: Path) -> None:
    """A saved_model.pb renamed to model.pb is not mistaken for a GraphDef."""
    copy = tmp_path / "model.pb"
    shutil.copy(corpus_dir / "linear_ref" / "saved_model" / "saved_model.pb", copy)
    _convert_fails(copy, tmp_path / "out", *SIGNATURE)


def test_state_file_naming_a_missing_checkpoint(checkpoint: Path, tmp_path: Path) -> None:
    (checkpoint / "checkpoint").write_text('model_checkpoint_path: "/elsewhere/model.ckpt-99"\n')
    error = _convert_fails(checkpoint, tmp_path / "out", *SIGNATURE)
    assert "model.ckpt-99" in error


def test_unfreeze_needs_a_frozen_graph(checkpoint: Path, tmp_path: Path) -> None:
    assert "--unfreeze" in _convert_fails(checkpoint, tmp_path / "out", *SIGNATURE, "--unfreeze")
