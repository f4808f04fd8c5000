"""TF1 model corpus: small SavedModels (and checkpoint / frozen forms) written by `tf.compat.v1`.

`CASES` maps each case name to a `Case`; `build_all` writes them. Building switches the process
to TF1 semantics (eager off, ref variables, control flow v1) — a process-global change, so
callers that need eager afterwards should run `python -m corpus.models.build OUT_DIR` in a
subprocess instead (see `build_in_subprocess`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from corpus.models import (
    cases_basic,
    cases_control,
    cases_extra,
    cases_hostile,
    cases_io,
    cases_legacy,
)
from corpus.models._common import FORMS, Case

_ORDER = (
    "linear_ref",
    "resource_vars",
    "partitioned",
    "vocab_table",
    "classify_regress",
    "two_tag_sets",
    "counter",
    "cond_while",
    "no_inputs",
    "sparse_input",
    "int_string_io",
    "gpu_pinned",
    "training_placeholder",
    "local_variable",
    "defun_library",
    "sparse_output",
)
_BY_NAME = {
    case.name: case
    for case in (
        *cases_basic.CASES,
        *cases_io.CASES,
        *cases_control.CASES,
        *cases_extra.CASES,
        *cases_hostile.CASES,
        *cases_legacy.CASES,
    )
}
CASES: OrderedDict[str, Case] = OrderedDict(
    [(name, _BY_NAME[name]) for name in _ORDER]
    + [(n, c) for n, c in _BY_NAME.items() if n not in _ORDER]
)

__all__ = ["CASES", "FORMS", "Case", "build_all", "build_in_subprocess"]


def _check_names(names: Iterable[str] | None) -> list[str]:
    chosen = list(names) if names else list(CASES)
    unknown = [name for name in chosen if name not in CASES]
    if unknown:
        raise KeyError(f"unknown corpus case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    return chosen


def build_all(
    out_dir: str | Path, names: Iterable[str] | None = None, forms: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Build the named cases (default: all) into out_dir, in this process.

    Returns the case.json data.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {name: CASES[name].build(out, forms) for name in _check_names(names)}


def build_in_subprocess(
    out_dir: str | Path,
    names: Iterable[str] | None = None,
    forms: Sequence[str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Build in a fresh interpreter so the TF1 switches never leak into the caller."""
    command = [sys.executable, "-m", "corpus.models.build", str(out_dir)]
    for name in _check_names(names):
        command += ["--case", name]
    if forms:
        command += ["--forms", ",".join(forms)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=True
    )
