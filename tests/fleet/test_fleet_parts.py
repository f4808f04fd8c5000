"""Locating models, manifests, cause classification and the summary's outputs."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from migrate.cli import app
from migrate.cli.fleet import parse_size
from migrate.errors import InputError
from migrate.fleet.isolate import classify
from migrate.fleet.jobs import locate, option_flags
from migrate.fleet.summary import exit_code, summarise, to_junit


def _saved_model(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "saved_model.pb").write_bytes(b"")


def test_locate_finds_each_kind_once(tmp_path: Path) -> None:
    """A SavedModel, a serving base (one job), a checkpoint dir and a frozen graph; no descent."""
    _saved_model(tmp_path / "a" / "sm")
    _saved_model(tmp_path / "base" / "1")
    _saved_model(tmp_path / "base" / "2")
    (tmp_path / "ck").mkdir()
    (tmp_path / "ck" / "checkpoint").write_text("")
    (tmp_path / "ck" / "model.ckpt.index").write_text("")
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "frozen.pb").write_bytes(b"")
    _saved_model(tmp_path / "_fleet" / "ignored")
    jobs = {job.relative: job.kind for job in locate([str(tmp_path)])}
    assert jobs == {
        "a/sm": "saved_model",
        "base": "serving_base",
        "ck": "checkpoint",
        "g/frozen.pb": "frozen_graph",
    }


def test_manifest_options_become_convert_flags(tmp_path: Path) -> None:
    """JSONL options map to convert's flags; lists repeat; timeout is the fleet's own."""
    _saved_model(tmp_path / "m")
    manifest = tmp_path / "list.jsonl"
    options = {"tags": "serve", "allow_op": ["A", "B"], "timeout": 5, "unfreeze": True}
    manifest.write_text(json.dumps({"path": "m", "out": "x/y", "options": options}) + "\n")
    (job,) = locate([str(manifest)])
    assert (job.relative, job.source) == ("x/y", str(tmp_path / "m"))
    assert option_flags(job.options) == [
        "--allow-op", "A", "--allow-op", "B", "--tags", "serve", "--unfreeze",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"path": "m", "options": {"colour": 1}}', "unknown option(s) colour"),
        ("{not json", "line 1 is not JSON"),
        ('{"path": "nothing-here"}', "is not a model"),
    ],
)
def test_bad_manifest_line_names_the_line(tmp_path: Path, line: str, words: str) -> None:
    _saved_model(tmp_path / "m")
    manifest = tmp_path / "list.jsonl"
    manifest.write_text(line + "\n")
    with pytest.raises(InputError, match="line 1") as error:
        locate([str(manifest)])
    assert words in str(error.value) and str(manifest) in str(error.value)


def test_two_models_for_one_output_are_refused(tmp_path: Path) -> None:
    _saved_model(tmp_path / "one" / "m")
    _saved_model(tmp_path / "two" / "m")
    with pytest.raises(InputError, match="both go to OUT_ROOT/m"):
        locate([str(tmp_path / "one"), str(tmp_path / "two")])


def test_classify_names_memory_signal_and_exit() -> None:
    assert classify(-signal.SIGABRT, "terminate called after std::bad_alloc")["cause"] == "memory"
    assert classify(-signal.SIGSEGV, "boom")["message"].startswith("killed by SIGSEGV")
    failure = classify(2, "error: x.pb: corrupt. Fix: copy it again.")
    assert (failure["cause"], failure["exit_code"]) == ("error", 2)


def _record(relative: str, verdict: str, cause: str | None, seconds: float) -> dict[str, object]:
    return {"relative": relative, "verdict": verdict, "cause": cause, "seconds": seconds,
            "kind": "saved_model", "message": f"{cause} happened" if cause else ""}  # fmt: skip


def test_summary_groups_failures_and_gates_ci() -> None:
    """Refusals and parity failures are findings (exit 1); anything else is an error (exit 2)."""
    records = [
        _record("a", "converted", None, 1.0),
        _record("b", "refused", "scan", 2.0),
        _record("c", "failed", "parity", 9.0),
        _record("d", "failed", "parity", 3.0),
    ]
    summary = summarise(records, done_now=4, skipped=0)  # type: ignore[arg-type]
    assert summary["verdicts"] == {"converted": 1, "failed": 2, "refused": 1}
    assert summary["causes"][0] == {"cause": "parity", "count": 2, "models": ["c", "d"]}
    assert summary["slowest"][0] == {"relative": "c", "seconds": 9.0}
    assert exit_code(summary) == 1
    suite = ElementTree.fromstring(to_junit(summary))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "3", "0")
    timeout = summarise([*records, _record("e", "failed", "timeout", 5.0)], done_now=5, skipped=0)  # type: ignore[list-item]
    assert exit_code(timeout) == 2


def test_model_memory_sizes() -> None:
    assert (parse_size("4g"), parse_size("512m"), parse_size("0")) == (4 << 30, 512 << 20, None)
    with pytest.raises(InputError, match="--model-memory"):
        parse_size("lots")


def test_missing_source_is_a_one_line_error_exit_2(tmp_path: Path) -> None:
    """Nothing is located, nothing runs, nothing is written."""
    pytest.importorskip("apache_beam", reason="tf-migrate[fleet] is not installed")
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(app, ["fleet", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{missing}: does not exist." in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
