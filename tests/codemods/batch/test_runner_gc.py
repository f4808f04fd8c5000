"""A batch rewrites with collection tuned for big acyclic trees, and leaves the process as it
was."""

from __future__ import annotations

import gc
from pathlib import Path

from codemods.batch.runner import FileResult, Options, run_batch
from codemods.commands.registry import CODEMODS


def test_batch_runs_with_tuned_collection_and_restores_it(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text(
        "import tensorflow as tf\n\n\ndef f(s, p):\n    saver = tf.train.Saver()\n    "
        "saver.restore(s, p)\n"
    )
    before = gc.get_threshold()
    seen: list[tuple[tuple[int, int, int], int]] = []

    def during(result: FileResult) -> None:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))

    results = run_batch(
        [source], Options(commands=tuple(CODEMODS.values()), want_diff=False), on_result=during
    )
    assert [r.status for r in results] == ["changed"]
    ((thresholds, frozen),) = seen
    assert thresholds[0] > before[0]  # young collections far less often while rewriting
    assert frozen > 0  # what was alive at the start (imports) is not scanned again
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
