"""Issue 17: `inspect`'s verdict is a promise about `convert`, checked on every corpus model.

*ready* means convert (no flags) succeeds with parity; *blocked* means it refuses. A *ready*
that fails is exactly the bug the issue reported (a TF 1.0 model called ready, then exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.models import CASES
from migrate.cli import app

runner = CliRunner()
FORMS = {"saved_model": "saved_model", "frozen": "frozen.pb"}
TARGETS = [(name, form) for name, case in CASES.items() for form in FORMS if form in case.forms]


@pytest.mark.parametrize(("name", "form"), TARGETS)
def test_inspect_verdict_matches_convert(
    name: str, form: str, corpus_dir: Path, tmp_path: Path
) -> None:
    src = corpus_dir / name / FORMS[form]
    inspected = runner.invoke(app, ["inspect", str(src), "--json"])
    assert inspected.stdout.startswith("{"), inspected.output
    verdict = json.loads(inspected.stdout)["models"][0]["verdict"]
    if verdict["status"] == "attention":
        return  # a human decides first; convert may need flags
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["convert", str(src), str(tmp_path / "out"), "--report", str(report)]
    )
    if verdict["status"] == "ready":
        assert result.exit_code == 0, f"inspect said ready: {verdict}\n{result.output}"
        assert json.loads(report.read_text())["models"][0]["parity"]["passed"]
    else:
        assert result.exit_code != 0, f"inspect said blocked: {verdict['blocked']}"
