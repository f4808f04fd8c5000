"""`--html` parity reports: self-contained pages, checked in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate.cli import app
from tests.parity.chromium_pipe import CHROMIUM, visit

ROOT = Path(__file__).resolve().parents[2]
DOCS_IMAGE = ROOT / "docs" / "images" / "parity_report_failing.png"
runner = CliRunner()
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent: install Debian's `chromium` package (.ci/run does)",
)


def _build(out: Path, case: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "corpus.models.build", str(out), "--case", case],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return out / case


def _perturbed(model: Path, dst: Path, change: float) -> Path:
    """The same TF2 model with every element of its first variable shifted by `change`."""
    import tensorflow as tf

    loaded = tf.saved_model.load(str(model))
    target = loaded.variables[0]
    target.assign_add(tf.fill(target.shape, tf.cast(change, target.dtype)))
    tf.saved_model.save(loaded, str(dst), signatures=dict(loaded.signatures))
    return dst


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A passing report from `convert --html` and a failing one from `verify --html`."""
    tmp = tmp_path_factory.mktemp("html")
    case = _build(tmp / "corpus", "linear_ref")
    passing = tmp / "passing.html"
    done = runner.invoke(
        app, ["convert", str(case / "saved_model"), str(tmp / "tf2"), "--html", str(passing)]
    )
    assert done.exit_code == 0, done.output
    bad = _perturbed(tmp / "tf2", tmp / "bad", 1e-3)
    failing = tmp / "failing.html"
    done = runner.invoke(
        app, ["verify", str(case / "saved_model"), str(bad), "--html", str(failing)]
    )
    assert done.exit_code == 1, done.output
    counter = _build(tmp / "corpus", "counter")
    sequence = tmp / "calls.json"
    sequence.write_text(json.dumps(json.loads((counter / "case.json").read_text())["sequence"]))
    assert (
        runner.invoke(app, ["convert", str(counter / "saved_model"), str(tmp / "c2")]).exit_code
        == 0
    )
    stepped = tmp / "stepped.html"
    done = runner.invoke(
        app,
        [
            "verify",
            str(counter / "saved_model"),
            str(tmp / "c2"),
            "--sequence",
            str(sequence),
            "--html",
            str(stepped),
        ],
    )
    assert done.exit_code == 0, done.output
    return {"passing": passing, "failing": failing, "stepped": stepped}


@pytest.mark.parametrize("name", ["passing", "failing", "stepped"])
def test_report_is_one_self_contained_file(reports: dict[str, Path], name: str) -> None:
    page = reports[name].read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page or "no difference at all" in page  # identical outputs: nothing to plot
    assert "<script" not in page and "@font-face" not in page and "<link" not in page
    assert 'src="http' not in page and 'href="http' not in page
    assert re.findall(r"url\((?!#)", page) == []  # only in-page references: clip paths


def test_failing_report_names_the_output_and_its_numbers(reports: dict[str, Path]) -> None:
    page = reports["failing"].read_text()
    assert "FAILED" in page and "serving_default / y" in page
    assert "tightest passing" in page and "Inputs used" in page


def test_stepped_run_plots_error_per_step(reports: dict[str, Path]) -> None:
    page = reports["stepped"].read_text()
    assert "Error per step" in page and page.count("<svg") >= 1


@needs_chromium
def test_failing_report_in_chromium(reports: dict[str, Path], tmp_path: Path) -> None:
    seen = visit(reports["failing"])
    assert seen.console_errors == []
    assert seen.requests == [reports["failing"].resolve().as_uri()]
    assert "FAILED" in seen.text and "serving_default / y" in seen.text
    assert seen.svg_paths > 0  # the histogram's bars and tolerance lines are drawn
    assert seen.screenshot.startswith(b"\x89PNG")
    (tmp_path / "failing.png").write_bytes(seen.screenshot)
    if os.environ.get("TF_MIGRATE_UPDATE_DOCS_IMAGES"):
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        DOCS_IMAGE.write_bytes(seen.screenshot)


@needs_chromium
def test_passing_report_in_chromium(reports: dict[str, Path]) -> None:
    seen = visit(reports["passing"])
    assert seen.console_errors == [] and seen.requests == [reports["passing"].resolve().as_uri()]
    assert "PASSED" in seen.text and "serving_default" in seen.text


@needs_chromium
def test_the_browser_check_sees_an_external_fetch(tmp_path: Path) -> None:
    """Control: a page that does fetch is caught, so the empty lists above mean something."""
    page = tmp_path / "fetching.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    seen = visit(page)
    assert any(url.startswith("http://127.0.0.1") for url in seen.requests)
    assert seen.console_errors
