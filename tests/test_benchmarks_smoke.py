"""The benchmark commands still run (tiny sizes); they time nothing that a test asserts.

Benchmarks are not part of the suite's runtime: the rewrite benchmark runs on a six-file
tree without its TensorFlow baseline, and the conversion benchmark end to end on a 64 KB model
(about 30 s: it starts several TensorFlow processes), so a broken benchmark fails CI.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import pytest

from benchmarks import conversion, gen_tree, rewrite_throughput


def test_generated_tree_is_seeded_and_mixed(tmp_path: Path) -> None:
    """The same seed writes the same bytes; every kind of file appears in a larger tree."""
    a = gen_tree.generate(tmp_path / "a", files=40, seed=3)
    gen_tree.generate(tmp_path / "b", files=40, seed=3)
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files_a == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )
    assert all(a.files[kind] > 0 for kind in ("tf_export", "plain"))


def test_rewrite_benchmark_runs_quick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m benchmarks.rewrite_throughput --quick` on a tiny tree prints its tables."""
    out = tmp_path / "res.json"
    rewrite_throughput.main(
        ["--files", "6", "--repeat", "1", "-j", "1", "--quick", "--json", str(out)]
    )
    printed = capsys.readouterr().out
    assert "tf-migrate rewrite --check -j 1" in printed
    assert "target (issue 9)" in printed
    assert "ceiling: tf_upgrade_v2 / LibCST floor alone" in printed
    assert "beyond libcst.codemod + typer + parse" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["floor_total_s"] > 0 and figures["startup_framework_s"] > 0


def test_conversion_report_formats() -> None:
    """Sizes parse; the report computes ratios from raw figures."""
    assert conversion.parse_size("1GB") == 2**30
    assert conversion.parse_size("100mb") == 100 * 2**20
    with pytest.raises(argparse.ArgumentTypeError):
        conversion.parse_size("lots")
    figures = {"variable_bytes": 2**20, "ops": 400, "idle_rss": 500 * 2**20, "size": 2**20}
    for name, wall in (("convert", 2.0), ("baseline", 4.0), ("verify", 3.0), ("run_both", 2.0)):
        figures |= {f"{name}_wall": wall, f"{name}_cpu": wall, f"{name}_rss": 501 * 2**20}
    text = conversion.report([figures], "header")
    assert "0.50x" in text and "1.50x" in text
    assert not math.isnan(float(figures["convert_wall"]))


def test_conversion_benchmark_runs_tiny(capsys: pytest.CaptureFixture[str]) -> None:
    conversion.main(["--sizes", "64KB", "--repeat", "1"])
    assert "convert / baseline wall s" in capsys.readouterr().out
