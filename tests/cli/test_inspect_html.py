"""`inspect --html`: the inventory page through the same renderer as the parity report."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from migrate.cli import app
from tests.parity.chromium_pipe import CHROMIUM, visit

runner = CliRunner()


def test_inspect_html_lists_every_model_with_its_verdict(
    shared_models: Path, tmp_path: Path
) -> None:
    page = tmp_path / "inventory.html"
    result = runner.invoke(app, ["inspect", str(shared_models / "serving"), "--html", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text()
    for name in ("saved_model_half_plus_two_cpu", "saved_model_counter", "classify_x_to_y"):
        assert name in text
    assert 'class="verdict' in text and "<script" not in text
    if CHROMIUM.exists():
        seen = visit(page)
        assert seen.console_errors == [] and seen.requests == [page.resolve().as_uri()]
        assert "saved_model_half_plus_two_cpu" in seen.text
