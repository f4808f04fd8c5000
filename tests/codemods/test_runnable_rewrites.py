"""Rewritten loading/restore code computes what the TF1 code computed (runs TensorFlow).

Each `corpus/code/*/{loader,restore}_runnable_*` case is runnable: `make_model.py MODEL_DIR` writes
a TF1 model (graph mode, ref variables, seeded values) and the values TF1 computed from it in
MODEL_DIR/expected/. `before.py MODEL_DIR OUT` (TF1 loading with a Session) and `after.py
MODEL_DIR OUT` (the expected rewrite) each save their results as .npy; they must be equal.
The writer is a separate script because it is the "old" side: in before.py, the other
codemods would rewrite it too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.codemods.conftest import corpus_cases

PREFIXES = ("loader_runnable_", "restore_runnable_")
RUNNABLE = sorted(
    p for p in corpus_cases() if (p / "make_model.py").is_file() and p.name.startswith(PREFIXES)
)


def _run(script: Path, *args: Path) -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stderr[-3000:]}"


def _arrays(directory: Path) -> dict[str, np.ndarray]:
    return {p.stem: np.load(p) for p in sorted(directory.glob("*.npy"))}


@pytest.mark.slow
@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_after_matches_before(case: Path, tmp_path: Path) -> None:
    """TF1 loading and its rewrite, run on the same TF1 model, give identical outputs."""
    model, before_out, after_out = tmp_path / "model", tmp_path / "before", tmp_path / "after"
    for directory in (model, before_out, after_out):
        directory.mkdir()
    _run(case / "make_model.py", model)
    _run(case / "before.py", model, before_out)
    _run(case / "after.py", model, after_out)
    before, after = _arrays(before_out), _arrays(after_out)
    assert before, "before.py wrote no outputs"
    assert sorted(after) == sorted(before)
    for name, value in before.items():
        np.testing.assert_array_equal(after[name], value, err_msg=name)
        assert after[name].dtype == value.dtype, name
    # before.py itself reproduced what the writer computed: the restore really happened.
    expected = _arrays(model / "expected")
    assert expected and set(expected) <= set(before)
    for name, value in expected.items():
        np.testing.assert_array_equal(before[name], value, err_msg=name)


def test_runnable_cases_exist_and_are_migrated() -> None:
    """The cases exist; rewrites use no Saver or TODO, and the loader ones no Session."""
    names = {c.name for c in RUNNABLE}
    assert {
        "loader_runnable_meta_graph",
        "loader_runnable_meta_graph_by_name",
        "loader_runnable_constants",
        "loader_runnable_saved_model",
        "restore_runnable_dict_keys",
        "restore_runnable_ema_shadow",
        "restore_runnable_variable_map",
    } <= names
    for case in RUNNABLE:
        after = (case / "after.py").read_text()
        banned = ["train.Saver(", "loader.load(", "TODO(tf-migrate)"]
        if case.name.startswith("loader_"):
            banned.append("Session(")
        for tf1_api in banned:
            assert tf1_api not in after, f"{case.name}: {tf1_api}"
