"""convert and verify scan before anything runs: denylisted ops and escaping asset paths are
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()


def _text(result: object) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("form", ["saved_model", "checkpoint", "frozen.pb"])
def test_writefile_in_a_function_body_is_refused(
    corpus_dir: Path, tmp_path: Path, form: str
) -> None:
    """Exit 1 naming the op and the function it hides in; nothing written."""
    src = corpus_dir / "hostile_writefile" / form
    result = runner.invoke(
        app,
        ["convert", str(src), str(tmp_path / "out"), "--signature", "serving_default:x->y"]
        if form != "saved_model"
        else ["convert", str(src), str(tmp_path / "out")],
    )
    assert result.exit_code == 1, result.output
    text = _text(result)
    assert "WriteFile" in text and "--allow-op WriteFile" in text and "function" in text
    assert not (tmp_path / "out").exists()


def test_writefile_converts_with_allow_op(corpus_dir: Path, tmp_path: Path) -> None:
    """The user's explicit trust lets the same model convert, with parity."""
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "convert",
            str(corpus_dir / "hostile_writefile" / "saved_model"),
            str(out),
            "--allow-op",
            "WriteFile",
            "--report",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["models"][0]["parity"]["passed"]
    verified = runner.invoke(
        app, ["verify", str(corpus_dir / "hostile_writefile" / "saved_model"), str(out)]
    )
    assert verified.exit_code == 1 and "WriteFile" in _text(verified)
    verified = runner.invoke(
        app,
        [
            "verify",
            str(corpus_dir / "hostile_writefile" / "saved_model"),
            str(out),
            "--allow-op",
            "WriteFile",
        ],
    )
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("allow", [[], ["--allow-op", "WriteFile"]])
def test_escaping_asset_path_is_refused_even_with_allow_op(
    corpus_dir: Path, tmp_path: Path, allow: list[str]
) -> None:
    """`../../etc/passwd` as an asset name: refused (exit 1) before TF's loader can follow it."""
    src = corpus_dir / "hostile_asset_path" / "saved_model"
    result = runner.invoke(app, ["convert", str(src), str(tmp_path / "out"), *allow])
    assert result.exit_code == 1, result.output
    assert "../../etc/passwd" in _text(result)
    assert not (tmp_path / "out").exists()
    verified = runner.invoke(app, ["verify", str(src), str(src)])
    assert verified.exit_code == 1 and "../../etc/passwd" in _text(verified)
