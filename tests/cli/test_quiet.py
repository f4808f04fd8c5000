"""A fresh `python -m migrate demo` prints the tool's lines only; `-v` brings TensorFlow's back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TF_LOG = re.compile(
    r"absl::InitializeLog|^[IWEF]\d{4} \d\d:\d\d|cuda|cuInit|cpu_feature_guard|MLIR"
    r"|WARNING:tensorflow|is deprecated",
    re.MULTILINE,
)


def _demo(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    return subprocess.run(
        [sys.executable, "-m", "migrate", *flags, "demo", "--workdir", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )


def test_demo_prints_no_tensorflow_log_line(tmp_path: Path) -> None:
    done = _demo(tmp_path)
    assert done.returncode == 0, done.stderr
    both = done.stdout + done.stderr
    assert not TF_LOG.search(both), TF_LOG.search(both)
    assert "PASSED" in done.stdout and done.stderr == ""


@pytest.mark.parametrize("flag", ["-v", "--verbose"])
def test_verbose_shows_tensorflow_logs(tmp_path: Path, flag: str) -> None:
    done = _demo(tmp_path, flag)
    assert done.returncode == 0, done.stderr
    assert TF_LOG.search(done.stderr), done.stderr[-2000:]
    assert "PASSED" in done.stdout
