"""The README's main job: `tf-migrate demo` builds, converts and verifies a TF1 model."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()


def test_demo_builds_converts_and_verifies(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--workdir", str(workdir)])
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output and "trainable: W, b" in result.output
    assert (workdir / "tf2" / "saved_model.pb").is_file()
    again = runner.invoke(app, ["demo", "--workdir", str(workdir)])  # its own dir: rerunnable
    assert again.exit_code == 0, again.output


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "data.txt").write_text("keep")
    result = runner.invoke(app, ["demo", "--workdir", str(tmp_path / "mine")])
    assert result.exit_code == 2
    assert (tmp_path / "mine" / "data.txt").read_text() == "keep"
