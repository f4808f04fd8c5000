"""Shared fixtures: the real TF1 models in ../shared, and the corpus built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
SHARED_MODELS = ROOT.parent / "shared" / "tf1_models"


@pytest.fixture(scope="session")
def shared_models() -> Path:
    """Real TF 1.x SavedModels; absent when only the project was cloned."""
    if not SHARED_MODELS.is_dir():
        pytest.skip(
            f"real TF1 models not found at {SHARED_MODELS} (clone with ../shared beside the "
            f"project)"
        )
    return SHARED_MODELS


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus/models case, written by TF's own tf.compat.v1 APIs in a separate process."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, "-m", "corpus.models.build", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return out


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter: what a user of the converted model would do."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
