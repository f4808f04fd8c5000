"""Rewritten Savers behave like the TF1 ones, run after run, on the same checkpoints (runs TF).

Each `corpus/code/saver_to_checkpoint/saver_differential_*` program runs three times in
fresh processes: TF1 only (`before.py` x3) in one directory, and `before.py` once then
`after.py` twice in another. Run 2 restores a checkpoint the TF1 program wrote, run 3 the
rewritten program's own. Every run's restored and saved values must be equal, so a subset
restore (`var_list` computed from collections) restores exactly that subset.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.conftest import corpus_cases
from tests.codemods.test_checkpoint_compat import _run  # one runner for both proofs

CASES = corpus_cases("saver_differential_*")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rewrite_matches_tf1_run_by_run(case: Path, tmp_path: Path) -> None:
    tf1_dir, mixed_dir = tmp_path / "tf1", tmp_path / "mixed"
    tf1_dir.mkdir()
    mixed_dir.mkdir()
    scripts = [case / "before.py", case / "after.py", case / "after.py"]
    for step, script in enumerate(scripts, start=1):
        expected = _run(case / "before.py", tf1_dir, step)
        assert _run(script, mixed_dir, step) == expected, f"run {step} ({script.name})"
    assert expected["restored"] != expected["saved"]  # the runs changed what they restore


def test_partial_case_restores_a_strict_subset() -> None:
    """The partial case is only a proof if its restore covers fewer variables than its save."""
    after = (corpus_cases("saver_differential_partial")[0] / "after.py").read_text()
    assert "train.Saver(" not in after
    assert 'if v.name.startswith("net/")' in after


def test_monitored_case_restores_what_mts_wrote() -> None:
    """The monitored case is only a proof if its restore is rewritten while the
    MonitoredTrainingSession that writes the checkpoints stays TF1."""
    after = (corpus_cases("saver_differential_monitored")[0] / "after.py").read_text()
    assert "train.Saver(" not in after
    assert "saver.read(latest).run_restore_ops(sess)" in after
    assert "MonitoredTrainingSession(\n    checkpoint_dir=CKPT_DIR," in after
