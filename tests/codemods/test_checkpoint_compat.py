"""Rewritten code restores checkpoints written before the rewrite, and its own (runs TF)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.codemods.conftest import corpus_cases

RUNNABLE = corpus_cases("saver_runnable_*")


def _run(script: Path, ckpt_dir: Path, step: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(script), str(ckpt_dir), str(step)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    values: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return values


@pytest.mark.slow
@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_after_restores_tf1_and_own_checkpoints(case: Path, tmp_path: Path) -> None:
    """TF1 Saver writes; rewritten code restores it exactly, then restores its own save."""
    tf1 = _run(case / "before.py", tmp_path, 1)
    assert tf1["restored"] != tf1["saved"]  # the step changed something worth restoring
    migrated = _run(case / "after.py", tmp_path, 2)
    assert migrated["restored"] == tf1["saved"]
    again = _run(case / "after.py", tmp_path, 3)
    assert again["restored"] == migrated["saved"]
    assert again["saved"] != again["restored"]


def test_runnable_cases_exist() -> None:
    """At least two runnable cases, and their after.py no longer uses tf.train.Saver."""
    assert len(RUNNABLE) >= 2
    for case in RUNNABLE:
        assert "train.Saver(" not in (case / "after.py").read_text()
