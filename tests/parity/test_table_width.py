"""The parity table reads at 80 columns: no signature, output or header word is folded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console

from migrate.converter.verification import verify_paths
from migrate.parity import report
from migrate.parity.compare import Tolerance
from migrate.parity.gate import ParityOptions


def _rendered(result: report.ParityReport) -> list[str]:
    console = Console(width=80, record=True, color_system=None)
    report.render(result, console)
    return console.export_text().splitlines()


def _assert_whole(lines: list[str], tokens: set[str]) -> None:
    words = {word for line in lines for word in re.split(r"[\s/:]+", line)}
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert tokens <= words, sorted(tokens - words)


def test_long_signature_names_are_never_broken(
    shared_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """half_plus_two's classify_x_to_y / regress_x2_to_y3 names sit whole on their own rows."""
    monkeypatch.chdir(shared_models / "serving")
    model = Path("saved_model_half_plus_two_cpu")
    options = ParityOptions(per_output={"classify_x_to_y/scores": Tolerance(0.0, 0.0)})
    result = verify_paths(model, model, options)
    lines = _rendered(result)
    signatures = {c.signature for c in result.comparisons}
    assert {"classify_x_to_y", "regress_x2_to_y3", "serving_default"} <= signatures
    outputs = {c.output for c in result.comparisons}
    _assert_whole(lines, signatures | outputs | {"f32", "2x1", "output", "dtype", "result"})
    assert any(line.strip() == "classify_x_to_y" for line in lines)  # a group row of its own


def test_failing_rows_keep_numbers_compact(
    shared_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mismatch shows FAIL in the row and its reason below, still within 80 columns."""
    monkeypatch.chdir(shared_models / "serving")
    model = Path("saved_model_half_plus_two_cpu")
    result = verify_paths(model, model, ParityOptions(signatures=("regress_x_to_y2",)))
    result.comparisons[0].passed = False
    result.comparisons[0].max_abs_error = 0.0012345678
    result.comparisons[0].reason = "2 of 2 values outside atol=1e-05 rtol=1e-05"
    lines = _rendered(result)
    _assert_whole(lines, {"regress_x_to_y2", "outputs", "FAIL", "0.0012"})
