"""The fleet on the DirectRunner (multi-processing, -j 2) over 21 real TF1 models."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.fleet.conftest import EXPECTED, Fleet, Run, fleet_cli, run_fleet, verdicts

pytest.importorskip("apache_beam", reason="tf-migrate[fleet] is not installed")


def _published(out: Path) -> set[str]:
    """Every model folder under OUT_ROOT (outside _fleet), as a relative path."""
    found = set()
    for pb in out.rglob("saved_model.pb"):
        relative = pb.parent.relative_to(out).as_posix()
        if not relative.startswith("_fleet"):
            found.add(relative)
    return found


def test_good_models_convert_and_bad_ones_record_their_cause(first_run: Run) -> None:
    """Each model gets its verdict and cause; only converted models land in OUT_ROOT."""
    assert verdicts(first_run.summary) == EXPECTED
    assert first_run.exit_code == 2  # a corrupt model and a timeout are errors, not findings
    good = {rel for rel, (verdict, _) in EXPECTED.items() if verdict == "converted"}
    expected_dirs = (good - {"serving/linear"}) | {"serving/linear/1", "serving/linear/2"}
    assert _published(first_run.out) == expected_dirs
    for record in first_run.summary["results"]:
        if record["verdict"] == "converted":
            assert all(check["passed"] for check in record["steps"]["verify"]), record
    spin = next(r for r in first_run.summary["results"] if r["relative"] == "spin")
    assert "8 s" in spin["message"]
    by_cause = {item["cause"]: item["count"] for item in first_run.summary["causes"]}
    assert by_cause == {"error": 1, "scan": 1, "parity": 1, "timeout": 1}


def test_results_jsonl_and_junit_have_one_entry_per_model(first_run: Run) -> None:
    """results.jsonl and the JUnit report list all 21 models, failures marked as such."""
    lines = (first_run.out / "_fleet" / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["relative"] for line in lines) == sorted(EXPECTED)
    suite = ElementTree.fromstring(first_run.junit)
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == set(EXPECTED)
    assert cases["broken/noisy"].find("failure") is not None
    assert cases["spin"].find("error") is not None
    assert len(list(cases["team/linear_ref"])) == 0


def test_second_run_does_no_work(fleet: Fleet, first_run: Run) -> None:
    """Unchanged sources and options: every record is reused, none rewritten."""
    records = first_run.out / "_fleet" / "results"
    before = {path.name: path.stat().st_mtime_ns for path in records.iterdir()}
    again = run_fleet(fleet, first_run.out)
    assert (again.summary["ran"], again.summary["skipped"]) == (0, len(EXPECTED))
    assert verdicts(again.summary) == EXPECTED
    assert {path.name: path.stat().st_mtime_ns for path in records.iterdir()} == before


def test_killed_run_resumes_to_the_same_results(
    fleet: Fleet, first_run: Run, tmp_path: Path
) -> None:
    """SIGTERM midway keeps finished records, leaves no half model; a rerun completes it."""
    out = tmp_path / "out"
    process = fleet_cli(fleet, out)
    results = out / "_fleet" / "results"
    while process.poll() is None and len(list(results.glob("*.json"))) < 4:
        time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    finished = {
        json.loads(path.read_text())["relative"]: json.loads(path.read_text())["verdict"]
        for path in results.glob("*.json")
    }
    assert 4 <= len(finished) < len(EXPECTED)
    converted = {rel for rel, verdict in finished.items() if verdict == "converted"}
    published = {rel.removesuffix("/1").removesuffix("/2") for rel in _published(out)}
    assert published <= converted | set(_half_published(out))
    resumed = run_fleet(fleet, out)
    assert verdicts(resumed.summary) == verdicts(first_run.summary)
    assert resumed.summary["skipped"] >= len(finished)
    assert _published(out) == _published(first_run.out)


def _half_published(out: Path) -> list[str]:
    """Destinations whose publish was in flight at the kill (removed by the next run)."""
    folder = out / "_fleet" / "publishing"
    if not folder.is_dir():
        return []
    return [Path(p.read_text()).relative_to(out).as_posix() for p in folder.iterdir()]


def test_retry_failed_reruns_only_the_failures(fleet: Fleet, first_run: Run) -> None:
    """--retry-failed runs the 3 failed models again and reuses the converted and refused."""
    again = run_fleet(fleet, first_run.out, "--retry-failed")
    assert again.summary["ran"] == 3
    assert verdicts(again.summary) == EXPECTED
