"""Every command's error path: one message on stderr that ends with a newline, exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _not_the_demos(tmp_path: Path) -> Path:
    (tmp_path / "mine").mkdir()
    return tmp_path / "mine"


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "{missing}", "{tmp}/out"],
        ["convert", "{missing}", "{tmp}/out", "--html", "{tmp}/r.html", "--no-verify"],
        ["verify", "{missing}", "{missing}"],
        ["verify", "{missing}", "{missing}", "--value-range", "x"],
        ["inspect", "{missing}"],
        ["inspect", "{missing}", "--html", "{tmp}/r.html"],
        ["scan", "{missing}"],
        ["rewrite", "{missing}"],
        ["demo", "--workdir", "{mine}"],
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith("{")),
)
def test_error_goes_to_stderr_as_whole_lines(tmp_path: Path, args: list[str]) -> None:
    names = {"missing": str(tmp_path / "missing"), "tmp": str(tmp_path)}
    if "{mine}" in args:
        names["mine"] = str(_not_the_demos(tmp_path))
    result = runner.invoke(app, [a.format(**names) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith("\n") and "error" in result.stderr, repr(result.stderr)
    assert not (tmp_path / "r.html").exists()  # nothing half-written


def test_inspect_error_in_a_fresh_process_ends_the_line(tmp_path: Path) -> None:
    """The reported case: the shell prompt must not land on the error line."""
    done = subprocess.run(
        [sys.executable, "-m", "migrate", "inspect", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.endswith("\n") and done.stderr.count("error:") == 1, done.stderr
