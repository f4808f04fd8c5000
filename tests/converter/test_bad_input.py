"""Broken inputs: exit code 2, one line naming the file and the fix, and no DST left behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()


@pytest.fixture()
def model(corpus_dir: Path, tmp_path: Path) -> Path:
    """A private copy of a small ref-variable model that the test may break."""
    copy = tmp_path / "model"
    shutil.copytree(corpus_dir / "linear_ref" / "saved_model", copy)
    return copy


def _convert_fails(src: Path, dst: Path, *extra: str) -> str:
    result = runner.invoke(app, ["convert", str(src), str(dst), *extra])
    assert result.exit_code == 2, result.output
    assert not dst.exists(), "a failed conversion must not leave DST behind"
    assert not list(dst.parent.glob(f".{dst.name}.*")), "staging directories must be cleaned up"
    lines = [line for line in result.output.splitlines() if line.strip()]
    error = " ".join(lines)  # rich may wrap the single line at the terminal width
    assert error.startswith("error:") and "Fix:" in error
    return error


def test_empty_directory(tmp_path: Path) -> None:
    """An empty dir names itself and says where saved_model.pb should be."""
    (tmp_path / "empty").mkdir()
    assert "saved_model.pb" in _convert_fails(tmp_path / "empty", tmp_path / "out")


def test_directory_without_saved_model_pb(model: Path, tmp_path: Path) -> None:
    (model / "saved_model.pb").unlink()
    assert "holds no saved_model.pb" in _convert_fails(model, tmp_path / "out")


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_saved_model_pb(model: Path, tmp_path: Path, damage: str) -> None:
    """A truncated or garbage saved_model.pb is refused before anything runs."""
    pb = model / "saved_model.pb"
    data = pb.read_bytes()
    pb.write_bytes(
        data[: len(data) // 2] if damage == "truncate" else b"\x08\xff\xff\xff not a protobuf" * 10
    )
    error = _convert_fails(model, tmp_path / "out")
    assert "saved_model.pb" in error


def test_missing_variables(model: Path, tmp_path: Path) -> None:
    shutil.rmtree(model / "variables")
    assert "variables" in _convert_fails(model, tmp_path / "out")


def test_unknown_tag_set_lists_available(model: Path, tmp_path: Path) -> None:
    error = _convert_fails(model, tmp_path / "out", "--tags", "train,tpu")
    assert "available: serve" in error


def test_several_tag_sets_need_a_choice(corpus_dir: Path, tmp_path: Path) -> None:
    error = _convert_fails(corpus_dir / "two_tag_sets" / "saved_model", tmp_path / "out")
    assert "gpu,serve" in error and "--tags" in error


def test_unknown_signature(model: Path, tmp_path: Path) -> None:
    assert "serving_default" in _convert_fails(model, tmp_path / "out", "--signature", "nope")


def test_existing_destination_is_untouched(model: Path, tmp_path: Path) -> None:
    """DST is never overwritten without --force; with --force it is replaced whole."""
    dst = tmp_path / "out"
    dst.mkdir()
    (dst / "keep.txt").write_text("precious")
    result = runner.invoke(app, ["convert", str(model), str(dst)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (dst / "keep.txt").read_text() == "precious"
    result = runner.invoke(app, ["convert", str(model), str(dst), "--force", "--no-verify"])
    assert result.exit_code == 0, result.output
    assert not (dst / "keep.txt").exists() and (dst / "saved_model.pb").is_file()
