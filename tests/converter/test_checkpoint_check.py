"""Corrupt checkpoints are refused before TensorFlow's restore kernel sees them.

`data/bad_alloc.ckpt.*` is a fuzz mutant of linear_ref's checkpoint (seed 605, mutant 75): restoring
it made TensorFlow throw `std::bad_alloc` in C++, aborting the whole process. Now it is exit 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate.converter.checkpoint_check import check_checkpoint
from migrate.errors import InputError
from tests.converter.test_bad_input import _convert_fails

DATA = Path(__file__).parent / "data"
SIGNATURE = ("--signature", "serving_default:x->y")


def test_index_that_aborted_tensorflow_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot be read"):
        check_checkpoint(str(DATA / "bad_alloc.ckpt"))


@pytest.fixture()
def checkpoint(corpus_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ckpt"
    shutil.copytree(corpus_dir / "linear_ref" / "checkpoint", copy)
    return copy


def test_convert_with_the_aborting_index_exits_2(checkpoint: Path, tmp_path: Path) -> None:
    shutil.copy(DATA / "bad_alloc.ckpt.index", checkpoint / "model.ckpt.index")
    assert "cannot be read" in _convert_fails(checkpoint, tmp_path / "out", *SIGNATURE)


def test_truncated_data_shard_is_refused(checkpoint: Path, tmp_path: Path) -> None:
    """The index claims W and b; an emptied data file cannot hold them."""
    next(checkpoint.glob("model.ckpt.data-*")).write_bytes(b"")
    assert "data files hold 0" in _convert_fails(checkpoint, tmp_path / "out", *SIGNATURE)


def test_verify_checks_a_tf1_saved_model_checkpoint(corpus_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner  # noqa: PLC0415

    from migrate.cli import app  # noqa: PLC0415

    model = tmp_path / "model"
    shutil.copytree(corpus_dir / "linear_ref" / "saved_model", model)
    shutil.copy(DATA / "bad_alloc.ckpt.index", model / "variables" / "variables.index")
    result = CliRunner().invoke(app, ["verify", str(model), str(model)])
    assert result.exit_code == 2 and "cannot be read" in result.output
