"""Fixed-seed fuzz sample: 300+ mutants of small corpus models through inspect and scan.

Every outcome must be a result or a one-line MigrateError: never a traceback, a hang or output
left behind. The larger run is `python -m tests.security.fuzz --mutants 5000` (docs/security.md).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from migrate.errors import InputError
from tests.security import fuzz

MUTANTS = 320


def test_fuzz_sample_never_crashes(corpus_dir: Path) -> None:
    result = fuzz.fuzz(corpus_dir, MUTANTS, seed=1234, budget=10.0)
    assert result.mutants == MUTANTS and result.runs == MUTANTS * len(fuzz.TOOLS)
    assert result.failures == [], json.dumps(result.failures[:3], indent=1)
    assert result.outcomes["ok"] > 0 and result.outcomes["error"] > 0  # both paths were exercised
    assert result.seconds < 120


def test_every_file_kind_is_a_target(corpus_dir: Path) -> None:
    kinds = {(t.proto, Path(t.file).suffix or t.file) for t in fuzz.targets(corpus_dir)}
    assert {k for k, _ in kinds} == {"saved_model", "meta_graph", "graph_def", "index", "state"}


def test_the_harness_reports_crashes_hangs_and_leftovers(tmp_path: Path) -> None:
    """Without these the sample above would pass vacuously."""
    out = tmp_path / "box" / "result"
    out.parent.mkdir()
    assert fuzz.run_one(lambda p, o: {"fine": 1}, tmp_path, out, 5)[0] == "ok"
    assert (
        fuzz.run_one(
            lambda p, o: (_ for _ in ()).throw(InputError("bad.", path=p)), tmp_path, out, 5
        )[0]
        == "error"
    )
    assert fuzz.run_one(lambda p, o: {}["missing"], tmp_path, out, 5)[0] == "crash"
    assert fuzz.run_one(lambda p, o: [None for _ in iter(int, 1)], tmp_path, out, 0.2)[0] == "hang"
    assert (
        fuzz.run_one(lambda p, o: (o.parent / ".half.tmp").write_text("x"), tmp_path, out, 5)[0]
        == "partial"
    )


@pytest.mark.parametrize("seed", range(3))
def test_mutations_change_the_file(corpus_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    data = (corpus_dir / "linear_ref" / "saved_model" / "saved_model.pb").read_bytes()
    changed = [fuzz.mutate(data, "saved_model", rng)[0] != data for _ in range(20)]
    assert sum(changed) >= 15


CONVERT_MUTANTS = 40


def test_fuzz_convert_sample_never_crashes_or_leaves_output(corpus_dir: Path) -> None:
    """`convert` runs the graph (import, restore, save): a smaller sample, since each mutant costs
    seconds."""
    result = fuzz.fuzz(corpus_dir, CONVERT_MUTANTS, seed=77, budget=60.0, tools=fuzz.SLOW_TOOLS)
    assert result.mutants == CONVERT_MUTANTS
    assert result.failures == [], json.dumps(result.failures[:3], indent=1)
    assert result.outcomes["ok"] > 0 and result.outcomes["error"] > 0
