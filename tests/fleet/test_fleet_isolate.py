"""The per-model child: a real conversion under a memory limit too small to finish."""

from __future__ import annotations

from pathlib import Path

from migrate.fleet.isolate import Isolator, Limits
from migrate.fleet.jobs import Job


def test_memory_limit_is_recorded_as_memory(corpus_dir: Path, tmp_path: Path) -> None:
    """RLIMIT_AS below what TF already maps: the model fails with cause memory, nothing written."""
    job = Job(str(corpus_dir / "linear_ref" / "saved_model"), "linear", "saved_model")
    (tmp_path / "out").mkdir()
    isolator = Isolator(Limits(timeout=600, memory=256 << 20))
    try:
        outcome = isolator.run(
            {
                "job": job.to_json(),
                "local_source": job.source,
                "local_out": str(tmp_path / "out" / "model"),
                "outcome": str(tmp_path / "outcome.json"),
            }
        )
    finally:
        isolator.close()
    assert (outcome["verdict"], outcome["cause"]) == ("failed", "memory"), outcome
    assert not (tmp_path / "out" / "model").exists()
