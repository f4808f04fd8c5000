"""`fleet --html`: the fleet summary as one self-contained inventory page, checked in Chromium."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate.cli import app
from tests.fleet.conftest import EXPECTED, Run
from tests.parity.chromium_pipe import CHROMIUM, visit

pytest.importorskip("apache_beam", reason="tf-migrate[fleet] is not installed")


def _page(run: Run) -> str:
    return Path(f"{run.out}.html").read_text()


def _rows(page: str) -> dict[str, str]:
    """Model table rows by the model's relative path (the first cell)."""
    rows = re.findall(r'<tr(?: class="bad")?><td><code>([^<]*)</code>(.*?)</tr>', page)
    return {html.unescape(path): rest for path, rest in rows}


def test_page_is_self_contained(first_run: Run) -> None:
    page = _page(first_run)
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    assert "<script" not in page and "<link" not in page and "@font-face" not in page
    assert re.findall(r"""(?:src|href)=["']?https?:""", page) == []


def test_every_model_has_a_row_with_its_verdict_and_cause(first_run: Run) -> None:
    rows = _rows(_page(first_run))
    assert set(rows) == set(EXPECTED)
    for relative, (verdict, cause) in EXPECTED.items():
        assert f">{verdict}</span>" in rows[relative], relative
        assert f"<td>{cause or '-'}</td>" in rows[relative], relative
    assert "Slowest" in _page(first_run)


def test_failures_are_grouped_by_cause_with_their_models(first_run: Run) -> None:
    page = _page(first_run)
    section = page.split("Not converted, by cause</h2>", 1)[1].split("</table>", 1)[0]
    for relative, (_, cause) in EXPECTED.items():
        if cause is not None:
            assert re.search(rf"<td>{cause}</td><td[^>]*>1</td><td>[^<]*{relative}", section)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent")
def test_page_in_chromium(first_run: Run) -> None:
    page = Path(f"{first_run.out}.html")
    seen = visit(page)
    assert seen.console_errors == []
    assert seen.requests == [page.resolve().as_uri()]
    for relative in EXPECTED:
        assert relative in seen.text
    assert "timeout" in seen.text and "parity" in seen.text
    assert seen.screenshot.startswith(b"\x89PNG")


def test_html_into_a_missing_folder_is_refused_before_the_run(tmp_path: Path) -> None:
    report = tmp_path / "no" / "fleet.html"
    result = CliRunner().invoke(
        app, ["fleet", str(tmp_path), "--out", str(tmp_path / "out"), "--html", str(report)]
    )
    assert result.exit_code == 2
    assert f"{report}: its folder does not exist." in " ".join(result.output.split())
    assert not (tmp_path / "out").exists() and not report.parent.exists()
